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
use super::metadata::{FULL_SNAPSHOT, INCREMENTAL, SOURCE_INPUT, SOURCE_MUTATION};

/// Same length, nothing of the content.
pub fn masked(s: &str) -> String {
    "*".repeat(s.chars().count())
}

fn mask_value(v: &mut Value) {
    if let Value::String(s) = v {
        *s = masked(s);
    }
}

/// Whether this event may carry typed text or page links (so it must be looked into).
pub fn needs_mask(e: &Event<'_>) -> bool {
    match e.kind {
        FULL_SNAPSHOT => true,
        INCREMENTAL => {
            // Cheap pre-check on the raw text before parsing anything (no allocation).
            let d = e.data.get();
            [SOURCE_INPUT, SOURCE_MUTATION].iter().any(|n| {
                d.match_indices("\"source\"").any(|(i, m)| {
                    let rest = d[i + m.len()..].trim_start();
                    rest.strip_prefix(':').is_some_and(|v| {
                        let v = v.trim_start();
                        v.starts_with(char::from(b'0' + n))
                            && !v[1..].starts_with(|c: char| c.is_ascii_digit())
                    })
                })
            })
        }
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
            let source = data.get("source").and_then(Value::as_u64);
            if source == Some(u64::from(SOURCE_INPUT)) {
                if clean.mask_inputs {
                    if let Some(t) = data.get_mut("text") {
                        mask_value(t);
                    }
                }
            } else if source == Some(u64::from(SOURCE_MUTATION)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_input_and_mutation_events_are_looked_into() {
        let check = |json: &str| {
            let raw: &serde_json::value::RawValue = serde_json::from_str(json).expect("raw");
            let data: &serde_json::value::RawValue =
                serde_json::from_str(&json[json.find("{\"").map_or(0, |i| i)..]).expect("data");
            needs_mask(&Event {
                kind: INCREMENTAL,
                timestamp: 1,
                raw,
                data,
            })
        };
        assert!(check(r#"{"source":5,"text":"x"}"#));
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
}
