//! A flat index (a "tape") of one JSON document, built in one linear pass: a token per
//! value with its byte span and where its subtree ends, so a reader can look members up
//! by key and jump over whole subtrees without building a tree or copying text.
//! Recording masking edits events through it ([`crate::domain::recordings::mask`]):
//! untouched text is copied through as sent, only the strings that change are rewritten.
//!
//! The tape is built iteratively (no recursion), so any depth is safe here; the caller's
//! walks are iterative too. Objects keep duplicate keys: [`Val::get`] answers the last,
//! as `serde_json::Value` and the browser's `JSON.parse` do, and [`Val::members`] yields
//! every one (so an edit reaches every copy of a key).

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    /// A number, `true`, `false` or `null`.
    Scalar,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    /// A string with a backslash escape (decode before comparing).
    escaped: bool,
    start: u32,
    /// One past the value's last byte (the closing bracket or quote).
    end: u32,
    /// The token after this value's subtree.
    next: u32,
}

/// The document does not have the shape of JSON (the caller falls back to a parser that
/// reports why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

/// Why a document is not JSON, and where (a byte offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub at: usize,
    pub what: &'static str,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

/// What the strict reader expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    ValueOrClose,
    Key,
    KeyOrClose,
    Colon,
    CommaOrClose,
    End,
}

pub struct Tape<'a> {
    text: &'a str,
    toks: Vec<Tok>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a> Tape<'a> {
    /// Indexes `text`, one JSON value. Only the structure is checked (brackets pair up,
    /// strings end); the text is expected to have passed a JSON parser already.
    pub fn parse(text: &'a str) -> Result<Tape<'a>, NotJson> {
        let bytes = text.as_bytes();
        if bytes.len() >= u32::MAX as usize {
            return Err(NotJson);
        }
        let mut toks: Vec<Tok> = Vec::with_capacity(bytes.len() / 12 + 4);
        let mut open: Vec<u32> = Vec::new();
        let mut i = 0;
        let tok = |kind, start: usize, end: usize, next: usize, escaped| Tok {
            kind,
            escaped,
            start: start as u32,
            end: end as u32,
            next: next as u32,
        };
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'{' | b'[' => {
                    let kind = if b == b'{' { Kind::Object } else { Kind::Array };
                    open.push(toks.len() as u32);
                    toks.push(tok(kind, i, i + 1, 0, false));
                    i += 1;
                }
                b'}' | b']' => {
                    let at = open.pop().ok_or(NotJson)? as usize;
                    let next = toks.len() as u32;
                    let t = &mut toks[at];
                    if (t.kind == Kind::Object) != (b == b'}') {
                        return Err(NotJson);
                    }
                    t.end = (i + 1) as u32;
                    t.next = next;
                    i += 1;
                }
                b'"' => {
                    let start = i;
                    let mut escaped = false;
                    i += 1;
                    loop {
                        match memchr::memchr2(b'"', b'\\', bytes.get(i..).ok_or(NotJson)?) {
                            None => return Err(NotJson),
                            Some(at) if bytes[i + at] == b'\\' => {
                                escaped = true;
                                i += at + 2;
                            }
                            Some(at) => {
                                i += at + 1;
                                break;
                            }
                        }
                    }
                    toks.push(tok(Kind::String, start, i, toks.len() + 1, escaped));
                }
                b',' | b':' => i += 1,
                _ if is_space(b) => i += 1,
                _ => {
                    let start = i;
                    while i < bytes.len()
                        && !matches!(bytes[i], b',' | b':' | b'}' | b']' | b'"' | b'{' | b'[')
                        && !is_space(bytes[i])
                    {
                        i += 1;
                    }
                    toks.push(tok(Kind::Scalar, start, i, toks.len() + 1, false));
                }
            }
        }
        if !open.is_empty() || toks.is_empty() || toks[0].next as usize != toks.len() {
            return Err(NotJson);
        }
        Ok(Tape { text, toks })
    }

    /// Indexes `text` and checks it is one JSON value (RFC 8259: the grammar, string
    /// escapes and control characters, number syntax, the literals), nested at most
    /// `max_depth` arrays and objects deep. One linear pass without recursion: this is
    /// the only parse a recording batch gets.
    pub fn parse_strict(text: &'a str, max_depth: usize) -> Result<Tape<'a>, Invalid> {
        let bytes = text.as_bytes();
        let fail = |at: usize, what: &'static str| Err(Invalid { at, what });
        if bytes.len() >= u32::MAX as usize {
            return fail(0, "the document is too large");
        }
        let mut toks: Vec<Tok> = Vec::with_capacity(bytes.len() / 12 + 4);
        // Open containers: (token, is an object).
        let mut open: Vec<(u32, bool)> = Vec::new();
        let mut expect = Expect::Value;
        let mut i = 0;
        let tok = |kind, start: usize, end: usize, next: usize, escaped| Tok {
            kind,
            escaped,
            start: start as u32,
            end: end as u32,
            next: next as u32,
        };
        while i < bytes.len() {
            let b = bytes[i];
            if is_space(b) {
                i += 1;
                continue;
            }
            let value = matches!(expect, Expect::Value | Expect::ValueOrClose);
            match b {
                b'{' | b'[' if value => {
                    if open.len() >= max_depth {
                        return fail(i, "nested too deep");
                    }
                    let object = b == b'{';
                    let kind = if object { Kind::Object } else { Kind::Array };
                    open.push((toks.len() as u32, object));
                    toks.push(tok(kind, i, i + 1, 0, false));
                    expect = if object {
                        Expect::KeyOrClose
                    } else {
                        Expect::ValueOrClose
                    };
                    i += 1;
                    continue;
                }
                b'}' | b']' => {
                    let object = b == b'}';
                    let closes = match expect {
                        Expect::CommaOrClose => true,
                        Expect::KeyOrClose => object,
                        Expect::ValueOrClose => !object,
                        _ => false,
                    };
                    match open.last() {
                        Some(&(at, o)) if closes && o == object => {
                            open.pop();
                            let next = toks.len() as u32;
                            let t = &mut toks[at as usize];
                            t.end = (i + 1) as u32;
                            t.next = next;
                        }
                        _ => return fail(i, "unexpected closing bracket"),
                    }
                    i += 1;
                }
                b'"' if value || matches!(expect, Expect::Key | Expect::KeyOrClose) => {
                    let start = i;
                    let mut escaped = false;
                    i += 1;
                    loop {
                        let Some(at) = string_stop(bytes, i) else {
                            return fail(start, "a string does not end");
                        };
                        i = at;
                        match bytes[i] {
                            b'"' => {
                                i += 1;
                                break;
                            }
                            b'\\' => {}
                            _ => return fail(i, "a control character inside a string"),
                        }
                        escaped = true;
                        match bytes.get(i + 1) {
                            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                            Some(b'u')
                                if bytes
                                    .get(i + 2..i + 6)
                                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                            {
                                i += 6
                            }
                            _ => return fail(i, "an invalid escape in a string"),
                        }
                    }
                    toks.push(tok(Kind::String, start, i, toks.len() + 1, escaped));
                    if !value {
                        expect = Expect::Colon;
                        continue;
                    }
                }
                b':' if expect == Expect::Colon => {
                    expect = Expect::Value;
                    i += 1;
                    continue;
                }
                b',' if expect == Expect::CommaOrClose => {
                    expect = match open.last() {
                        Some((_, true)) => Expect::Key,
                        _ => Expect::Value,
                    };
                    i += 1;
                    continue;
                }
                b't' | b'f' | b'n' if value => {
                    let word: &[u8] = match b {
                        b't' => b"true",
                        b'f' => b"false",
                        _ => b"null",
                    };
                    if !bytes[i..].starts_with(word) {
                        return fail(i, "an unknown literal");
                    }
                    toks.push(tok(Kind::Scalar, i, i + word.len(), toks.len() + 1, false));
                    i += word.len();
                }
                b'-' | b'0'..=b'9' if value => {
                    let start = i;
                    let end = number_end(bytes, i).ok_or(Invalid {
                        at: i,
                        what: "an invalid number",
                    })?;
                    i = end;
                    toks.push(tok(Kind::Scalar, start, i, toks.len() + 1, false));
                }
                _ => return fail(i, "unexpected character"),
            }
            // A value (or a container) ended.
            expect = if open.is_empty() {
                Expect::End
            } else {
                Expect::CommaOrClose
            };
        }
        if expect != Expect::End {
            return fail(bytes.len(), "the document ends early");
        }
        Ok(Tape { text, toks })
    }

    /// The document's value.
    pub fn root(&self) -> Val<'_, 'a> {
        Val { tape: self, at: 0 }
    }

    /// The value at token `at` (as [`Val::index`] gave it).
    pub fn at(&self, at: usize) -> Option<Val<'_, 'a>> {
        (at < self.toks.len()).then_some(Val { tape: self, at })
    }
}

/// The first byte at or after `i` that ends a run of plain string text: a quote, a
/// backslash or a control character (below 0x20). One pass, eight bytes at a time (SWAR):
/// most strings of a recording are short (keys, tag names, ids), where a call per string
/// into a vector search and a second scan for control characters cost more than the text.
///
/// Per word: a byte equal to `c` is a zero byte of `v ^ c…c`, and `(x - 0x01…01) & !x &
/// 0x80…80` marks zero bytes; `(v - 0x20…20) & !v & 0x80…80` marks bytes below 0x20. Each
/// mask can also mark bytes above its first real hit (the subtraction's borrow), never
/// below it, so the lowest marked byte of the three together is the first stop.
#[inline]
fn string_stop(bytes: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const SLASHES: u64 = ONES * b'\\' as u64;
    const SPACES: u64 = ONES * 0x20;
    while let Some(word) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let v = u64::from_le_bytes(*word);
        let (q, s) = (v ^ QUOTES, v ^ SLASHES);
        let stops =
            (q.wrapping_sub(ONES) & !q | s.wrapping_sub(ONES) & !s | v.wrapping_sub(SPACES) & !v)
                & HIGH;
        if stops != 0 {
            return Some(i + (stops.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|at| i + at)
}

/// Where the JSON number starting at `i` ends: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn number_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let digits = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return None,
    }
    if bytes.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return None;
        }
        i += n;
    }
    Some(i)
}

/// One value of a [`Tape`].
#[derive(Clone, Copy)]
pub struct Val<'t, 'a> {
    tape: &'t Tape<'a>,
    at: usize,
}

impl<'t, 'a> Val<'t, 'a> {
    fn tok(&self) -> Tok {
        self.tape.toks[self.at]
    }

    /// This value's token, to find it again with [`Tape::at`].
    pub fn index(&self) -> usize {
        self.at
    }

    /// As `serde_json::Value::as_f64` for a number; `None` for any other value.
    pub fn as_f64(&self) -> Option<f64> {
        if self.kind() != Kind::Scalar {
            return None;
        }
        let raw = self.raw();
        if !raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            return None;
        }
        raw.parse::<f64>().ok().filter(|f| f.is_finite())
    }

    pub fn kind(&self) -> Kind {
        self.tok().kind
    }

    /// Byte range of the value in the document.
    pub fn span(&self) -> std::ops::Range<usize> {
        let t = self.tok();
        t.start as usize..t.end as usize
    }

    /// The value's JSON text as sent.
    pub fn raw(&self) -> &'a str {
        let text: &'a str = self.tape.text;
        text.get(self.span()).unwrap_or("")
    }

    /// A string's contents, decoded (borrowed when it has no escapes); `None` for any
    /// other value or an escape that does not decode.
    pub fn str(&self) -> Option<Cow<'a, str>> {
        let t = self.tok();
        if t.kind != Kind::String {
            return None;
        }
        let raw = self.raw();
        if t.escaped {
            serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
        } else {
            raw.get(1..raw.len().saturating_sub(1)).map(Cow::Borrowed)
        }
    }

    /// Whether this is the string `s` (after decoding).
    pub fn is_str(&self, s: &str) -> bool {
        let t = self.tok();
        if t.kind != Kind::String {
            return false;
        }
        if !t.escaped {
            // Bytes between the quotes: no char-boundary checks, the length compared first.
            let (start, end) = (t.start as usize + 1, t.end as usize - 1);
            return end - start == s.len()
                && self.tape.text.as_bytes().get(start..end) == Some(s.as_bytes());
        }
        self.str().is_some_and(|v| v == s)
    }

    fn number(&self) -> Option<serde_json::Number> {
        (self.kind() == Kind::Scalar)
            .then(|| serde_json::from_str(self.raw()).ok())
            .flatten()
    }

    /// As `serde_json::Value::as_u64`.
    pub fn as_u64(&self) -> Option<u64> {
        let raw = self.raw();
        if self.kind() == Kind::Scalar
            && !raw.is_empty()
            && raw.len() < 19
            && raw.bytes().all(|b| b.is_ascii_digit())
        {
            return raw.parse().ok();
        }
        self.number()?.as_u64()
    }

    /// As `serde_json::Value::as_i64`.
    pub fn as_i64(&self) -> Option<i64> {
        let raw = self.raw();
        if self.kind() == Kind::Scalar
            && !raw.is_empty()
            && raw.len() < 18
            && raw.bytes().all(|b| b.is_ascii_digit())
        {
            return raw.parse().ok();
        }
        self.number()?.as_i64()
    }

    /// An object's members in document order, duplicates included: (key, value).
    pub fn members(self) -> Members<'t, 'a> {
        let t = self.tok();
        Members {
            tape: self.tape,
            at: self.at + 1,
            end: if t.kind == Kind::Object {
                t.next as usize
            } else {
                self.at + 1
            },
        }
    }

    /// An array's elements in order (none for any other value).
    pub fn elements(self) -> Elements<'t, 'a> {
        let t = self.tok();
        Elements {
            tape: self.tape,
            at: self.at + 1,
            end: if t.kind == Kind::Array {
                t.next as usize
            } else {
                self.at + 1
            },
        }
    }

    /// The member `key` of an object; the last one when the key repeats.
    pub fn get(self, key: &str) -> Option<Val<'t, 'a>> {
        self.members()
            .filter(|(k, _)| k.is_str(key))
            .last()
            .map(|(_, v)| v)
    }
}

pub struct Members<'t, 'a> {
    tape: &'t Tape<'a>,
    at: usize,
    end: usize,
}

impl<'t, 'a> Iterator for Members<'t, 'a> {
    type Item = (Val<'t, 'a>, Val<'t, 'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.at + 1 >= self.end {
            return None;
        }
        let key = Val {
            tape: self.tape,
            at: self.at,
        };
        let value = Val {
            tape: self.tape,
            at: self.at + 1,
        };
        self.at = (value.tok().next as usize).max(self.at + 2);
        Some((key, value))
    }
}

pub struct Elements<'t, 'a> {
    tape: &'t Tape<'a>,
    at: usize,
    end: usize,
}

impl<'t, 'a> Iterator for Elements<'t, 'a> {
    type Item = Val<'t, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.end {
            return None;
        }
        let v = Val {
            tape: self.tape,
            at: self.at,
        };
        self.at = (v.tok().next as usize).max(self.at + 1);
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_members_elements_and_spans() {
        let text = r#" {"a": [1, {"b": "x\"y"}, []], "c" : null, "a": "\u00e9t\u00e9"} "#;
        let tape = Tape::parse(text).expect("tape");
        let root = tape.root();
        assert_eq!(root.kind(), Kind::Object);
        let keys: Vec<String> = root
            .members()
            .map(|(k, _)| k.str().unwrap_or_default().into_owned())
            .collect();
        assert_eq!(keys, ["a", "c", "a"]);
        assert_eq!(root.get("a").and_then(|v| v.str()).as_deref(), Some("été"));
        let first = root.members().next().map(|(_, v)| v).expect("a");
        let items: Vec<&str> = first.elements().map(|v| v.raw()).collect();
        assert_eq!(items, ["1", r#"{"b": "x\"y"}"#, "[]"]);
        let inner = first.elements().nth(1).expect("object");
        assert_eq!(
            inner.get("b").and_then(|v| v.str()).as_deref(),
            Some("x\"y")
        );
        assert_eq!(root.get("c").map(|v| v.raw()), Some("null"));
        assert!(root.get("zz").is_none());
        assert_eq!(first.elements().next().and_then(|v| v.as_u64()), Some(1));
    }

    #[test]
    fn numbers_read_like_serde_json() {
        for n in [
            "0",
            "7",
            "-3",
            "1.0",
            "1e2",
            "18446744073709551615",
            "99999999999999999999",
        ] {
            let tape = Tape::parse(n).expect("tape");
            let v: serde_json::Value = serde_json::from_str(n).expect("json");
            assert_eq!(tape.root().as_u64(), v.as_u64(), "{n}");
            assert_eq!(tape.root().as_i64(), v.as_i64(), "{n}");
        }
    }

    #[test]
    fn refuses_broken_structure_and_survives_depth() {
        for bad in ["", "{", "]", "[}", r#"{"a":"x}"#, "[1]]"] {
            assert!(Tape::parse(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let tape = Tape::parse(&deep).expect("deep");
        assert_eq!(tape.root().elements().count(), 1);
    }

    fn serde_accepts(text: &str) -> bool {
        let mut de = serde_json::Deserializer::from_str(text);
        de.disable_recursion_limit();
        serde::de::IgnoredAny::deserialize(&mut de)
            .and_then(|_| de.end())
            .is_ok()
    }

    use serde::Deserialize;

    #[test]
    fn the_strict_reader_accepts_what_serde_json_accepts() {
        let seed = r#" {"a": [1, -2.5e+3, 0, true, false, null, {"b": "x\"y\u00e9\n"}, []], "c" : {}, "d": "é"} "#;
        assert!(Tape::parse_strict(seed, 64).is_ok());
        let probes = [
            '{', '}', '[', ']', '"', '\\', ',', ':', '0', '1', '-', '+', 'e', '.', ' ', 't', 'u',
            'x', '\u{1}', '\n',
        ];
        let mut tried = 0;
        for at in 0..seed.len() {
            if !seed.is_char_boundary(at) {
                continue;
            }
            let end = seed[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            for p in probes {
                for doc in [
                    format!("{}{p}{}", &seed[..at], &seed[end..]),
                    format!("{}{p}{}", &seed[..at], &seed[at..]),
                    seed[..at].to_string(),
                ] {
                    let ours = Tape::parse_strict(&doc, 64).is_ok();
                    assert_eq!(ours, serde_accepts(&doc), "{doc:?}");
                    tried += 1;
                }
            }
        }
        assert!(tried > 1_000);
        for doc in [
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "1e+",
            "--1",
            "tru",
            "nul",
            "truex",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\"}",
            "{1:2}",
            "[1 2]",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "[]]",
            "{} {}",
            "\"a\tb\"",
            "1E5",
            "-0.0e-0",
            "  [ ]  ",
            "\"\\/\"",
        ] {
            assert_eq!(
                Tape::parse_strict(doc, 64).is_ok(),
                serde_accepts(doc),
                "{doc:?}"
            );
        }
        // Long strings: a quote, backslash escape or control character at every offset of
        // the eight-byte words, and multi-byte characters around them.
        for len in 0..40 {
            for (stop, ok) in [
                ("\\\"", true),
                ("\\n", true),
                ("\\u00e9", true),
                ("\u{1}", false),
                ("\u{1f}", false),
                ("\\q", false),
            ] {
                for pad in ["a", "é", "\u{7f}", " "] {
                    let text = pad.repeat(len);
                    let doc = format!("[\"{text}{stop}{text}\", \"{text}\"]");
                    assert_eq!(Tape::parse_strict(&doc, 64).is_ok(), ok, "{doc:?}");
                    assert_eq!(serde_accepts(&doc), ok, "{doc:?}");
                    if ok {
                        let tape = Tape::parse_strict(&doc, 64).expect("parses");
                        let value: serde_json::Value = serde_json::from_str(&doc).expect("json");
                        let first = tape.root().elements().next().expect("one");
                        assert_eq!(first.str().as_deref(), value[0].as_str(), "{doc:?}");
                    }
                }
            }
            let open = format!("[\"{}", "a".repeat(len));
            assert!(Tape::parse_strict(&open, 64).is_err());
        }
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert!(Tape::parse_strict(&deep, 64).is_err());
        assert!(Tape::parse_strict(&deep[1..deep.len() - 1], 64).is_ok());
    }
}
