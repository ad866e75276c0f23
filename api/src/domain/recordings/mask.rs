//! Server-side input masking, a second line of defence behind the recorder's own: text
//! typed into inputs never reaches storage. Input events lose their text; `value`
//! attributes of inputs, textareas and selects in full snapshots and added nodes are
//! masked, as are textarea contents and every `value` attribute change in mutations.
//!
//! Links inside the recorded page (`href`, `src`, `action`… in full snapshots, added nodes
//! and attribute changes) are scrubbed like every stored URL, masking on or off.

use serde_json::{Map, Value};

use crate::domain::visitor::url::UrlPolicy;

use super::envelope::Event;
use super::metadata::{FULL_SNAPSHOT, INCREMENTAL, META, SOURCE_INPUT, SOURCE_MUTATION};
use crate::domain::tape::{Kind, Val};

/// Same length, nothing of the content.
pub fn masked(s: &str) -> String {
    "*".repeat(s.chars().count())
}

fn mask_value(v: &mut Value) {
    if let Value::String(s) = v {
        *s = masked(s);
    }
}

/// An incremental event's source as a replayer compares it (`source === 5`): any JSON
/// number equal to a small integer, so `5.0` or `5e0` is an input event too.
fn source_of(number: Option<f64>) -> Option<u8> {
    number
        .filter(|n| n.fract() == 0.0 && (0.0..=255.0).contains(n))
        .map(|n| n as u8)
}

/// Whether this event may carry typed text or page links (so it must be looked into).
pub fn needs_mask(e: &Event<'_, '_>) -> bool {
    match e.kind {
        FULL_SNAPSHOT => true,
        INCREMENTAL => matches!(
            source_of(e.data.get("source").and_then(|s| s.as_f64())),
            Some(SOURCE_INPUT | SOURCE_MUTATION)
        ),
        _ => false,
    }
}

fn is_form_field(tag: Option<&str>) -> bool {
    matches!(
        tag.map(str::to_ascii_lowercase).as_deref(),
        Some("input" | "textarea" | "select" | "option")
    )
}

/// Attributes that hold a link, scrubbed like a page URL.
const LINK_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "background",
];

/// What to do to an event: mask typed text (the site's setting) and scrub links (always).
#[derive(Clone, Copy)]
pub struct Clean<'a> {
    pub mask_inputs: bool,
    pub urls: &'a UrlPolicy,
}

impl Clean<'_> {
    fn attributes(&self, attrs: &mut Map<String, Value>, form_field: bool) {
        if self.mask_inputs && form_field {
            if let Some(v) = attrs.get_mut("value") {
                mask_value(v);
            }
        }
        for name in LINK_ATTRIBUTES {
            if let Some(Value::String(link)) = attrs.get_mut(name) {
                let scrubbed = self.urls.scrub_link(link);
                if scrubbed != *link {
                    *link = scrubbed;
                }
            }
        }
    }

    /// Cleans a serialized node and its subtree.
    fn node(&self, node: &mut Value, inside_textarea: bool) {
        let Value::Object(n) = node else { return };
        let tag = n.get("tagName").and_then(Value::as_str).map(str::to_owned);
        if let Some(Value::Object(attrs)) = n.get_mut("attributes") {
            self.attributes(attrs, is_form_field(tag.as_deref()));
        }
        if self.mask_inputs && inside_textarea {
            if let Some(t) = n.get_mut("textContent") {
                mask_value(t);
            }
        }
        let textarea = inside_textarea
            || tag
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("textarea"));
        if let Some(Value::Array(children)) = n.get_mut("childNodes") {
            for c in children {
                self.node(c, textarea);
            }
        }
    }
}

/// Scrubs the page URL of a Meta event in place, as every stored page URL is.
pub fn scrub_href(event: &mut Value, urls: &UrlPolicy) {
    if let Some(href) = event.pointer_mut("/data/href") {
        let scrubbed = href.as_str().and_then(|h| urls.scrub(h));
        *href = scrubbed.map_or(Value::Null, Value::String);
    }
}

/// Cleans one event in place (its whole JSON): typed text masked when `clean.mask_inputs`,
/// page links scrubbed.
pub fn clean_event(event: &mut Value, clean: Clean<'_>) {
    let kind = event.get("type").and_then(Value::as_u64);
    let Some(data) = event.get_mut("data") else {
        return;
    };
    match kind {
        Some(k) if k == u64::from(FULL_SNAPSHOT) => {
            if let Some(node) = data.get_mut("node") {
                clean.node(node, false);
            }
        }
        Some(k) if k == u64::from(INCREMENTAL) => {
            let source = source_of(data.get("source").and_then(Value::as_f64));
            if source == Some(SOURCE_INPUT) {
                if clean.mask_inputs {
                    if let Some(t) = data.get_mut("text") {
                        mask_value(t);
                    }
                }
            } else if source == Some(SOURCE_MUTATION) {
                if let Some(Value::Array(adds)) = data.get_mut("adds") {
                    for a in adds {
                        if let Some(node) = a.get_mut("node") {
                            clean.node(node, false);
                        }
                    }
                }
                // The changed node's tag is not in the event: mask every value change.
                if let Some(Value::Array(changes)) = data.get_mut("attributes") {
                    for c in changes {
                        if let Some(Value::Object(attrs)) = c.get_mut("attributes") {
                            clean.attributes(attrs, true);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// One change to an event's text: `range` (bytes of the event) becomes `text` (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: std::ops::Range<usize>,
    pub text: String,
}

fn is_form_field_raw(tag: Option<&str>) -> bool {
    tag.is_some_and(|t| {
        ["input", "textarea", "select", "option"]
            .iter()
            .any(|f| t.eq_ignore_ascii_case(f))
    })
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The same cleaning as [`clean_event`] (and [`scrub_href`] for Meta events), read from
/// the event's raw text through the batch's [`crate::domain::tape::Tape`]: the edits to
/// make, relative to the event (`origin`: where the event starts in the tape's text). Every copy of a repeated key is cleaned, so no
/// earlier duplicate keeps what the last one loses. `None`: a string did not decode (the
/// caller falls back to the parsing path, which reports it).
pub struct RawCleaner<'c> {
    pub clean: Clean<'c>,
    pub origin: usize,
    pub edits: Vec<Edit>,
}

impl RawCleaner<'_> {
    fn replace(&mut self, v: Val<'_, '_>, text: String) {
        let r = v.span();
        self.edits.push(Edit {
            range: r.start - self.origin..r.end - self.origin,
            text,
        });
    }

    fn mask(&mut self, v: Val<'_, '_>) -> Option<()> {
        if v.kind() == Kind::String {
            let s = v.str()?;
            self.replace(v, format!("\"{}\"", masked(&s)));
        }
        Some(())
    }

    fn attributes(&mut self, attrs: Val<'_, '_>, form_field: bool) -> Option<()> {
        for (k, v) in attrs.members() {
            if v.kind() != Kind::String {
                continue;
            }
            // The name decoded once (borrowed unless escaped), then matched by length.
            let Some(name) = k.str() else {
                continue;
            };
            if self.clean.mask_inputs && form_field && name == "value" {
                self.mask(v)?;
            } else if LINK_ATTRIBUTES.contains(&name.as_ref()) {
                let link = v.str()?;
                let scrubbed = self.clean.urls.scrub_link(&link);
                if scrubbed != *link {
                    self.replace(v, json_string(&scrubbed));
                }
            }
        }
        Some(())
    }

    /// A serialized node and its subtree (iteratively: pages nest deeply).
    fn node(&mut self, node: Val<'_, '_>) -> Option<()> {
        let mut stack = vec![(node, false)];
        while let Some((n, inside_textarea)) = stack.pop() {
            if n.kind() != Kind::Object {
                continue;
            }
            let tag = match n.get("tagName") {
                Some(t) if t.kind() == Kind::String => Some(t.str()?),
                _ => None,
            };
            let form_field = is_form_field_raw(tag.as_deref());
            let textarea = inside_textarea
                || tag
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case("textarea"));
            for (k, v) in n.members() {
                match v.kind() {
                    Kind::Object if k.is_str("attributes") => self.attributes(v, form_field)?,
                    Kind::String
                        if self.clean.mask_inputs && inside_textarea && k.is_str("textContent") =>
                    {
                        self.mask(v)?
                    }
                    Kind::Array if k.is_str("childNodes") => {
                        // Reversed onto the stack: edits come out in document order.
                        let children: Vec<_> = v.elements().collect();
                        stack.extend(children.into_iter().rev().map(|c| (c, textarea)));
                    }
                    _ => {}
                }
            }
        }
        Some(())
    }

    /// Cleans the `data` object of an event of type `kind`.
    pub fn data(&mut self, kind: u8, data: Val<'_, '_>) -> Option<()> {
        match kind {
            META => {
                for (k, v) in data.members() {
                    if k.is_str("href") {
                        let scrubbed = v.str().and_then(|h| self.clean.urls.scrub(&h));
                        match scrubbed {
                            Some(s) if v.str().is_some_and(|h| *h == s) => {}
                            Some(s) => self.replace(v, json_string(&s)),
                            None => self.replace(v, "null".into()),
                        }
                    }
                }
            }
            FULL_SNAPSHOT => {
                for (k, v) in data.members() {
                    if k.is_str("node") {
                        self.node(v)?;
                    }
                }
            }
            INCREMENTAL => {
                let source = source_of(data.get("source").and_then(|s| s.as_f64()));
                if source == Some(SOURCE_INPUT) {
                    if self.clean.mask_inputs {
                        for (k, v) in data.members() {
                            if k.is_str("text") {
                                self.mask(v)?;
                            }
                        }
                    }
                } else if source == Some(SOURCE_MUTATION) {
                    for (k, v) in data.members() {
                        if k.is_str("adds") {
                            for a in v.elements() {
                                for (ak, node) in a.members() {
                                    if ak.is_str("node") {
                                        self.node(node)?;
                                    }
                                }
                            }
                        } else if k.is_str("attributes") {
                            // The changed node's tag is not in the event: mask every value change.
                            for c in v.elements() {
                                for (ck, attrs) in c.members() {
                                    if ck.is_str("attributes") && attrs.kind() == Kind::Object {
                                        self.attributes(attrs, true)?;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Some(())
    }
}

/// Writes `text` with `edits` applied (sorted, not overlapping) to `out`. Line breaks
/// outside strings (the only place JSON allows them) become spaces: one event per line.
pub fn write_edited(text: &str, edits: &mut [Edit], out: &mut Vec<u8>) {
    edits.sort_by_key(|e| e.range.start);
    let mut at = 0;
    for e in edits.iter() {
        if e.range.start < at {
            continue; // overlapping (cannot happen: edits replace whole scalars)
        }
        push_line(
            out,
            text.as_bytes().get(at..e.range.start).unwrap_or_default(),
        );
        out.extend_from_slice(e.text.as_bytes());
        at = e.range.end;
    }
    push_line(out, text.as_bytes().get(at..).unwrap_or_default());
}

fn push_line(out: &mut Vec<u8>, bytes: &[u8]) {
    if memchr::memchr2(b'\n', b'\r', bytes).is_none() {
        out.extend_from_slice(bytes);
    } else {
        out.extend(
            bytes
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_input_and_mutation_events_are_looked_into() {
        let check = |data: &str| {
            let body =
                format!(r#"{{"sequence":0,"events":[{{"type":3,"timestamp":1,"data":{data}}}]}}"#);
            let batch = super::super::envelope::parse(body.as_bytes()).expect("batch");
            needs_mask(&batch.events()[0])
        };
        assert!(check(r#"{"source":5,"text":"x"}"#));
        assert!(
            check(r#"{"source":5.0,"text":"x"}"#),
            "5.0 === 5 in the replayer"
        );
        assert!(check(r#"{"source":50e-1,"text":"x"}"#));
        assert!(check(r#"{"\u0073ource":5,"text":"x"}"#), "an escaped key");
        assert!(check(r#"{"id":1, "source" : 0, "adds":[]}"#));
        assert!(!check(r#"{"source":2,"type":2}"#));
        assert!(!check(r#"{"source":50}"#));
        assert!(!check(r#"{"source":1,"positions":[]}"#));
    }

    #[test]
    fn meta_urls_are_scrubbed() {
        let mut meta = json!({"type": 4, "timestamp": 1, "data": {"href": "https://a.example/x?email=ann@example.com", "width": 1}});
        scrub_href(&mut meta, &Default::default());
        assert!(!meta.to_string().contains("ann@example.com"), "{meta}");
        assert!(meta["data"]["href"]
            .as_str()
            .is_some_and(|h| h.starts_with("https://a.example/x")));
    }

    #[test]
    fn typed_text_is_masked_everywhere() {
        let urls = UrlPolicy::default();
        let mask = Clean {
            mask_inputs: true,
            urls: &urls,
        };
        let mut input = json!({"type": 3, "timestamp": 1, "data": {"source": 5, "id": 7, "text": "hunter2", "isChecked": false}});
        clean_event(&mut input, mask);
        assert_eq!(input["data"]["text"], "*******");

        let mut snapshot = json!({"type": 2, "timestamp": 1, "data": {"node": {"type": 0, "childNodes": [
            {"type": 2, "tagName": "input", "attributes": {"type": "password", "value": "s3cret"}, "childNodes": []},
            {"type": 2, "tagName": "textarea", "attributes": {"value": "my note"}, "childNodes": [{"type": 3, "textContent": "my note"}]},
            {"type": 2, "tagName": "p", "attributes": {"value": "kept"}, "childNodes": [{"type": 3, "textContent": "Hello"}]}
        ]}}});
        clean_event(&mut snapshot, mask);
        let text = snapshot.to_string();
        assert!(
            !text.contains("s3cret") && !text.contains("my note"),
            "{text}"
        );
        assert!(
            text.contains("Hello") && text.contains("kept"),
            "page text is not input: {text}"
        );

        let mut mutation = json!({"type": 3, "timestamp": 1, "data": {"source": 0,
            "adds": [{"parentId": 1, "node": {"type": 2, "tagName": "INPUT", "attributes": {"value": "typed"}, "childNodes": []}}],
            "attributes": [{"id": 9, "attributes": {"value": "changed"}}], "texts": [], "removes": []}});
        clean_event(&mut mutation, mask);
        let text = mutation.to_string();
        assert!(
            !text.contains("typed") && !text.contains("changed"),
            "{text}"
        );
    }

    #[test]
    fn page_links_are_scrubbed_with_or_without_masking() {
        let urls = UrlPolicy::default();
        for mask_inputs in [true, false] {
            let clean = Clean {
                mask_inputs,
                urls: &urls,
            };
            let mut snapshot = json!({"type": 2, "timestamp": 1, "data": {"node": {"type": 0, "childNodes": [
                {"type": 2, "tagName": "a", "attributes": {"href": "https://shop.example/account/ann@example.com?token=abc"}, "childNodes": []},
                {"type": 2, "tagName": "img", "attributes": {"src": "/avatars/ann@example.com.png", "alt": "ann@example.com"}, "childNodes": []},
                {"type": 2, "tagName": "a", "attributes": {"href": "mailto:ann@example.com"}, "childNodes": []},
                {"type": 2, "tagName": "a", "attributes": {"href": "#top"}, "childNodes": []}
            ]}}});
            clean_event(&mut snapshot, clean);
            let nodes = &snapshot["data"]["node"]["childNodes"];
            assert!(
                !nodes[0]["attributes"]["href"]
                    .as_str()
                    .is_some_and(|h| h.contains("ann@") || h.contains("abc")),
                "{snapshot}"
            );
            assert!(
                nodes[1]["attributes"]["src"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("/avatars/") && !s.contains("ann@")),
                "{snapshot}"
            );
            // Page text (an alt text) is content, not a link.
            assert_eq!(nodes[1]["attributes"]["alt"], "ann@example.com");
            assert_eq!(nodes[2]["attributes"]["href"], "mailto:[redacted]");
            assert_eq!(nodes[3]["attributes"]["href"], "#top");

            let mut mutation = json!({"type": 3, "timestamp": 1, "data": {"source": 0,
                "adds": [{"parentId": 1, "node": {"type": 2, "tagName": "a", "attributes": {"href": "https://a.example/u/ann@example.com"}, "childNodes": []}}],
                "attributes": [{"id": 9, "attributes": {"href": "https://a.example/?email=ann@example.com", "value": "typed"}}],
                "texts": [], "removes": []}});
            clean_event(&mut mutation, clean);
            let text = mutation.to_string();
            assert!(!text.contains("ann@example.com"), "{text}");
            assert_eq!(text.contains("typed"), !mask_inputs, "{text}");
        }
    }

    /// Both paths over one batch body: (raw output, parsed output, raw snapshots, parsed
    /// snapshots).
    fn both(
        body: &str,
        mask_inputs: bool,
    ) -> (
        String,
        String,
        Vec<crate::domain::heatmaps::selector::NodeMap>,
        Vec<crate::domain::heatmaps::selector::NodeMap>,
    ) {
        let urls = UrlPolicy::default();
        let batch = super::super::envelope::parse(body.as_bytes()).expect("batch");
        let events = batch.events();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let raw =
            super::super::to_ndjson_with(&events, mask_inputs, &urls, Some(&mut a)).expect("raw");
        let parsed = super::super::to_ndjson_parsed(&events, mask_inputs, &urls, Some(&mut b))
            .expect("parsed");
        (
            String::from_utf8(raw).expect("utf-8"),
            String::from_utf8(parsed).expect("utf-8"),
            a,
            b,
        )
    }

    /// The raw path stores what the parsing path stores (as JSON values), line for line.
    fn same(body: &str) -> String {
        let mut last = String::new();
        for mask_inputs in [true, false] {
            let (raw, parsed, a, b) = both(body, mask_inputs);
            assert_eq!(raw.lines().count(), parsed.lines().count(), "{raw}");
            for (r, p) in raw.lines().zip(parsed.lines()) {
                let value = |line: &str| {
                    let mut de = serde_json::Deserializer::from_str(line);
                    de.disable_recursion_limit();
                    serde::Deserialize::deserialize(&mut de).map(|v: Value| v)
                };
                let r = value(r).expect("raw line is JSON");
                let p = value(p).expect("parsed line is JSON");
                assert_eq!(r, p, "mask_inputs={mask_inputs}");
            }
            assert_eq!(a, b, "snapshot selectors");
            if mask_inputs {
                last = raw;
            }
        }
        last
    }

    fn batch(events: &[Value]) -> String {
        json!({"sequence": 0, "events": events}).to_string()
    }

    #[test]
    fn raw_masking_matches_the_parsed_path_on_tricky_inputs() {
        let node = |tag: &str, attrs: Value, children: Vec<Value>| json!({"type": 2, "id": 5, "tagName": tag, "attributes": attrs, "childNodes": children});
        let snapshot = |n: Value| json!({"type": 2, "timestamp": 1, "data": {"node": n}});
        let mutation = |data: Value| json!({"type": 3, "timestamp": 1, "data": data});
        let cases = vec![
            // Escapes and unicode in masked and scrubbed strings.
            snapshot(node(
                "input",
                json!({"value": "a\"b\\c\u{e9}\u{1F600}\n\t/"}),
                vec![],
            )),
            snapshot(node(
                "TEXTAREA",
                json!({}),
                vec![
                    json!({"type": 3, "textContent": "line\none \"quoted\" \u{2028}"}),
                    node(
                        "span",
                        json!({}),
                        vec![json!({"type": 3, "textContent": "deeper"})],
                    ),
                ],
            )),
            snapshot(node(
                "a",
                json!({"href": "https://a.example/p?email=ann@example.com&q=\"x\"", "title": "it's \"quoted\""}),
                vec![],
            )),
            snapshot(node(
                "img",
                json!({"src": "/u/ann@example.com/\u{e9}.png", "alt": "ann@example.com"}),
                vec![],
            )),
            // Nested children several levels deep, form fields inside.
            snapshot(node(
                "form",
                json!({"action": "/login?token=abc"}),
                vec![node(
                    "div",
                    json!({"class": "row"}),
                    vec![
                        node(
                            "select",
                            json!({"value": "choice"}),
                            vec![node("option", json!({"value": "opt"}), vec![])],
                        ),
                        node("input", json!({"value": 42}), vec![]),
                    ],
                )],
            )),
            mutation(json!({"source": 0, "texts": [], "removes": [],
                "adds": [{"parentId": 1, "node": node("input", json!({"value": "typed"}), vec![])},
                         {"parentId": 1, "node": "not a node"}, 7],
                "attributes": [{"id": 9, "attributes": {"value": "changed", "href": "mailto:ann@example.com", "src": null}}, "x"]})),
            mutation(
                json!({"source": 5, "id": 3, "text": "hunter2 \u{e9}\u{1F600}", "isChecked": false}),
            ),
            mutation(json!({"source": 5.0, "text": "float source is not an input event"})),
            json!({"type": 4, "timestamp": 1, "data": {"href": "https://a.example/x?email=ann@example.com#frag", "width": 1, "height": 2}}),
            json!({"type": 4, "timestamp": 1, "data": {"href": 12, "width": 1}}),
            json!({"type": 4, "timestamp": 1, "data": {"href": "javascript:alert(1)"}}),
            json!({"type": 3, "timestamp": 1, "data": {"source": 1, "positions": [{"x": 1, "y": 2, "id": 3, "timeOffset": 0}]}}),
        ];
        let out = same(&batch(&cases));
        for secret in [
            "hunter2",
            "typed",
            "changed",
            "choice",
            "opt\"",
            "a\\\"b",
            "ann@example.com&",
            "token=abc",
            "deeper",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert_eq!(out.lines().count(), cases.len());
    }

    #[test]
    fn raw_masking_reaches_escaped_and_repeated_keys() {
        // Keys spelled with escapes, repeated keys, whitespace and line breaks between
        // tokens: written by hand, as no serializer would.
        let body = concat!(
            r#"{"sequence": 0, "events": ["#,
            r#"{"type": 2, "timestamp": 1, "data": {"node": {"type": 2, "id": 5, "tagName": "p", "tagName": "input","#,
            "\n",
            r#"  "attributes": {"\u0076alue": "esc-secret", "value": "first-secret", "value": "second-secret", "hr\u0065f": "https://a.example/?email=ann@example.com"},"#,
            r#"  "attributes": {"value": "dup-secret"}, "childNodes": []}}},"#,
            r#"{"type": 3, "timestamp": 1, "data": {"\u0073ource": 5, "text": "escaped-source-secret"}},"#,
            r#"{"type": 3, "timestamp": 1, "data": {"source": 5, "text": "one-secret", "text": "two-secret"}},"#,
            r#"{"type": 3, "timestamp": 1, "data": {"source": 5.0, "text": "float-source-secret"}},"#,
            r#"{"type": 3, "timestamp": 1, "data": {"source": 1, "source": 5e0, "text": "last-source-secret"}},"#,
            "\r\n",
            r#"{"type": 3, "timestamp": 1, "data": {"source": 1, "positions": []}}"#,
            "\n]}"
        );
        let out = same(body);
        for secret in [
            "esc-secret",
            "first-secret",
            "second-secret",
            "dup-secret",
            "escaped-source-secret",
            "one-secret",
            "two-secret",
            "float-source-secret",
            "last-source-secret",
            "ann@example.com",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert_eq!(out.lines().count(), 6, "one line per event: {out}");
    }

    #[test]
    fn raw_masking_keeps_untouched_text_and_bounds_depth() {
        // An event with nothing to change is stored byte for byte as sent.
        let move_event = r#"{"type":3,"timestamp":1,"data":{"source":1,"positions":[{"x":1.50,"y":2,"id":3,"timeOffset":0}]}}"#;
        let snap = r#"{"type":2,"timestamp":1,"data":{"node":{"type":2,"id":5,"tagName":"p","attributes":{"class":"x"},"childNodes":[]}}}"#;
        let body = format!(r#"{{"sequence":0,"events":[{move_event},{snap}]}}"#);
        let (raw, _, _, _) = both(&body, true);
        assert_eq!(raw, format!("{move_event}\n{snap}\n"));
        // A DOM at the nesting bound: cleaned without recursion, like the parsed path (the
        // test's own tree is built, compared and dropped on a stack sized for it).
        let depth = (super::super::envelope::MAX_EVENT_DEPTH - 8) / 2;
        let out = crate::domain::nesting::with_stack_for(depth * 4, || {
            let mut n = json!({"type": 2, "id": 1, "tagName": "input", "attributes": {"value": "deep-secret"}, "childNodes": []});
            for i in 0..depth {
                n = json!({"type": 2, "id": i + 2, "tagName": "div", "attributes": {}, "childNodes": [n]});
            }
            same(&batch(&[
                json!({"type": 2, "timestamp": 1, "data": {"node": n}}),
            ]))
        });
        assert!(!out.contains("deep-secret"));
    }
}
