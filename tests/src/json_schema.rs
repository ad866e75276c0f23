//! A small JSON Schema validator for the keywords the schemas in `tests/schemas/` use:
//! `type` (one name or a list), `required`, `properties`, `items`, `enum`,
//! `additionalProperties` (a boolean or a schema), `format: date-time` (a light RFC 3339
//! check; other formats are not checked), and local `$ref`s (`#/$defs/…`, or any JSON
//! pointer into the same document). Annotations (`$schema`, `title`, `description`,
//! `$defs`) are ignored. Enough to prove a REST answer keeps Hotjar's shapes without
//! pulling a full validator and its dependencies into the build.

use serde_json::Value;

/// The schema `tests/schemas/{path}` (for example `hotjar/survey.schema.json`).
pub fn load(path: &str) -> Result<Value, String> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(path);
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Every way `instance` breaks `schema`, each as `"/json/pointer: what"`; empty when valid.
pub fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, instance, "", &mut errors);
    errors
}

/// The value a local `$ref` (`#/$defs/answer`) points at.
fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

fn type_matches(name: &str, v: &Value) -> bool {
    match name {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, digits where digits go: a light check.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !(digits(0..4) && digits(5..7) && digits(8..10))
        || !(digits(11..13) && digits(14..16) && digits(17..19))
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        match resolve(root, r) {
            Some(target) => check(root, target, v, at, errors),
            None => errors.push(format!("{at}: unresolved $ref {r}")),
        }
    }
    if let Some(t) = schema.get("type") {
        let names: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !names.iter().any(|n| type_matches(n, v)) {
            errors.push(format!("{at}: expected type {t}, got {v}"));
            return; // the other keywords would only repeat it
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(v) {
            errors.push(format!(
                "{at}: {v} is not one of {}",
                Value::Array(allowed.clone())
            ));
        }
    }
    if schema.get("format").and_then(Value::as_str) == Some("date-time") {
        if let Some(s) = v.as_str() {
            if !is_date_time(s) {
                errors.push(format!("{at}: {s:?} is not an RFC 3339 date-time"));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(Value::Array(required)) = schema.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if !obj.contains_key(key) {
                    errors.push(format!("{at}: missing required key {key:?}"));
                }
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (key, value) in obj {
            let here = format!("{at}/{key}");
            match props.and_then(|p| p.get(key)) {
                Some(sub) => check(root, sub, value, &here, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{here}: additional property not allowed"))
                    }
                    Some(sub @ Value::Object(_)) => check(root, sub, value, &here, errors),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            check(root, items, item, &format!("{at}/{i}"), errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates() {
        for ok in [
            "2026-11-26T10:00:00Z",
            "2026-11-26T10:00:00.123Z",
            "2026-11-26T10:00:00+01:00",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-11-26",
            "2026-11-26 10:00:00Z",
            "2026-11-26T10:00:00",
            "2026-11-26T10:00:00.Z",
            "26-11-2026T10:00:00Z",
            "2026-11-26T10:00:00+0100",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn the_keywords() {
        let schema = json!({
            "type": "object",
            "required": ["id", "tags"],
            "additionalProperties": true,
            "properties": {
                "id": {"type": "string"},
                "n": {"type": ["integer", "null"]},
                "at": {"type": "string", "format": "date-time"},
                "device": {"type": "string", "enum": ["desktop", "mobile"]},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
                "strict": {"type": "object", "additionalProperties": false, "properties": {"a": {}}}
            },
            "$defs": {"tag": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}
        });
        let good = json!({"id": "1", "n": 3, "at": "2026-11-26T10:00:00Z", "device": "mobile",
                          "tags": [{"name": "bug"}], "strict": {"a": 1}, "extra": true});
        assert_eq!(validate(&schema, &good), Vec::<String>::new());
        assert!(validate(&schema, &json!({"id": "1", "n": null, "tags": []})).is_empty());
        for (bad, want) in [
            (json!({"tags": []}), "missing required key \"id\""),
            (json!({"id": 1, "tags": []}), "/id: expected type"),
            (
                json!({"id": "1", "n": 1.5, "tags": []}),
                "/n: expected type",
            ),
            (
                json!({"id": "1", "at": "yesterday", "tags": []}),
                "/at: \"yesterday\" is not",
            ),
            (
                json!({"id": "1", "device": "bot", "tags": []}),
                "/device: \"bot\" is not one of",
            ),
            (
                json!({"id": "1", "tags": [{"name": 2}]}),
                "/tags/0/name: expected type",
            ),
            (
                json!({"id": "1", "tags": [{}]}),
                "/tags/0: missing required key \"name\"",
            ),
            (
                json!({"id": "1", "tags": [], "strict": {"b": 1}}),
                "/strict/b: additional property",
            ),
            (json!([]), ": expected type"),
        ] {
            let errors = validate(&schema, &bad);
            assert!(errors.iter().any(|e| e.contains(want)), "{bad}: {errors:?}");
        }
        let dangling = json!({"$ref": "#/$defs/nothing"});
        assert!(validate(&dangling, &json!(1))[0].contains("unresolved $ref"));
    }

    /// Every schema in the repository loads, and its `$ref`s resolve.
    #[test]
    fn the_hotjar_schemas_load() {
        for name in [
            "survey-list",
            "survey",
            "question",
            "response-list",
            "response",
            "user-lookup",
        ] {
            let schema = load(&format!("hotjar/{name}.schema.json")).expect("schema");
            let mut refs = Vec::new();
            collect_refs(&schema, &mut refs);
            for r in refs {
                assert!(resolve(&schema, &r).is_some(), "{name}: {r}");
            }
        }
    }

    fn collect_refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    out.push(r.to_owned());
                }
                m.values().for_each(|x| collect_refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
            _ => {}
        }
    }
}
