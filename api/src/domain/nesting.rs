//! Nesting bounds for untrusted documents, checked by a flat scan before anything
//! recursive (a parser, a tree walk, a drop) sees them: a document nested too deep is
//! refused with a clear error instead of overflowing the stack.

/// How deep `json` nests arrays and objects, or `None` as soon as it passes `limit`.
/// Brackets inside strings do not count. Invalid JSON is not detected here: the parser
/// that runs next reports it.
pub fn json_within(json: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            b'"' => {
                // Skip the string's contents at memchr speed (rrweb JSON is mostly strings).
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &json[i.min(json.len())..]) {
                        None => return Some(deepest),
                        Some(at) if json[i + at] == b'\\' => i += at + 2,
                        Some(at) => {
                            i += at;
                            break;
                        }
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return None;
                }
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Some(deepest)
}

/// How deep a GraphQL document nests `{`, `[` and `(` (selections, lists, input objects,
/// arguments), or `None` as soon as it passes `limit`. Strings, block strings and
/// comments do not count.
pub fn graphql_within(doc: &str, limit: usize) -> Option<usize> {
    let bytes = doc.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    // `\"""` is an escaped triple quote inside a block string.
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2; // the closing quotes (the loop's += 1 takes the third)
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limit {
                    return None;
                }
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Some(deepest)
}

/// Runs `f` on a stack big enough for `depth` levels of recursion over a JSON tree
/// (parsing, walking, serializing and dropping it). Shallow work runs in place; deep work
/// gets a fresh stack segment that is freed afterwards.
pub fn with_stack_for<R>(depth: usize, f: impl FnOnce() -> R) -> R {
    /// Below this depth the thread's own stack is ample.
    const SHALLOW: usize = 64;
    /// Generous per level: debug builds of serde and drop glue use a few hundred bytes.
    const BYTES_PER_LEVEL: usize = 8 * 1024;
    if depth <= SHALLOW {
        f()
    } else {
        stacker::grow(1024 * 1024 + depth * BYTES_PER_LEVEL, f)
    }
}

/// Parses `raw` (JSON of any depth that passed a bound), lets `edit` change it, and when
/// `edit` says it changed something, writes the result to `out`; all on a stack sized for
/// the depth, the drop included. `Ok(false)`: nothing written, the raw text stands.
pub fn edit_json(
    raw: &str,
    out: &mut Vec<u8>,
    edit: impl FnOnce(&mut serde_json::Value) -> bool,
) -> Result<bool, serde_json::Error> {
    let depth = json_within(raw.as_bytes(), usize::MAX).unwrap_or(0);
    with_stack_for(depth, || {
        let mut de = serde_json::Deserializer::from_str(raw);
        de.disable_recursion_limit();
        let mut value: serde_json::Value = serde::Deserialize::deserialize(&mut de)?;
        de.end()?;
        if !edit(&mut value) {
            return Ok(false);
        }
        serde_json::to_writer(out, &value)?;
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_depths() {
        assert_eq!(json_within(b"1", 10), Some(0));
        assert_eq!(json_within(br#"{"a":[1,{"b":2}]}"#, 10), Some(3));
        assert_eq!(json_within(br#"{"a":"[[[[\"[["}"#, 1), Some(1));
        assert_eq!(json_within(br#"["\\",[]]"#, 10), Some(2));
        let deep = "[".repeat(5000) + &"]".repeat(5000);
        assert_eq!(json_within(deep.as_bytes(), 4999), None);
        assert_eq!(json_within(deep.as_bytes(), 5000), Some(5000));
    }

    #[test]
    fn graphql_depths() {
        assert_eq!(graphql_within("{ a { b } }", 10), Some(2));
        assert_eq!(graphql_within("{ a(x: [[1]]) { b } }", 10), Some(4));
        assert_eq!(graphql_within("{ a(x: \"{{{[[[(\") }", 2), Some(2));
        assert_eq!(graphql_within("{ a # {{{{\n }", 1), Some(1));
        assert_eq!(
            graphql_within("{ a(x: \"\"\" {{{ \\\"\"\" {{ \"\"\") }", 2),
            Some(2)
        );
        let deep = format!(
            "{{ survey(id: {}1{}) {{ id }} }}",
            "[".repeat(1500),
            "]".repeat(1500)
        );
        assert_eq!(graphql_within(&deep, 100), None);
    }

    #[test]
    fn deep_trees_get_a_stack() {
        let n = 20_000;
        let deep = "[".repeat(n) + &"]".repeat(n);
        let depth = json_within(deep.as_bytes(), n).unwrap_or(0);
        let ok = with_stack_for(depth, || {
            let mut de = serde_json::Deserializer::from_str(&deep);
            de.disable_recursion_limit();
            let v: serde_json::Value = serde::Deserialize::deserialize(&mut de).unwrap_or_default();
            let out = serde_json::to_string(&v).unwrap_or_default();
            drop(v);
            out.len()
        });
        assert_eq!(ok, 2 * n);
    }
}
