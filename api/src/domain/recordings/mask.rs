//! Server-side input masking, a second line of defence behind the recorder's own: text
//! typed into inputs never reaches storage. Input events lose their text; `value`
//! attributes of inputs, textareas and selects in full snapshots and added nodes are
//! masked, as are textarea contents and every `value` attribute change in mutations.

use serde_json::Value;

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

/// Whether this event may carry typed text (so it must be looked into).
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

/// Masks a serialized node and its subtree.
fn mask_node(node: &mut Value, inside_textarea: bool) {
    let Value::Object(n) = node else { return };
    let tag = n.get("tagName").and_then(Value::as_str).map(str::to_owned);
    let field = is_form_field(tag.as_deref());
    if field {
        if let Some(Value::Object(attrs)) = n.get_mut("attributes") {
            if let Some(v) = attrs.get_mut("value") {
                mask_value(v);
            }
        }
    }
    if inside_textarea {
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
            mask_node(c, textarea);
        }
    }
}

/// Scrubs the page URL of a Meta event in place, as every stored page URL is.
pub fn scrub_href(event: &mut Value, urls: &crate::domain::privacy::url::UrlPolicy) {
    if let Some(href) = event.pointer_mut("/data/href") {
        let scrubbed = href.as_str().and_then(|h| urls.scrub(h));
        *href = scrubbed.map_or(Value::Null, Value::String);
    }
}

/// Masks one event in place (its whole JSON). Returns whether anything may have changed.
pub fn mask_event(event: &mut Value) {
    let kind = event.get("type").and_then(Value::as_u64);
    let Some(data) = event.get_mut("data") else {
        return;
    };
    match kind {
        Some(k) if k == u64::from(FULL_SNAPSHOT) => {
            if let Some(node) = data.get_mut("node") {
                mask_node(node, false);
            }
        }
        Some(k) if k == u64::from(INCREMENTAL) => {
            let source = data.get("source").and_then(Value::as_u64);
            if source == Some(u64::from(SOURCE_INPUT)) {
                if let Some(t) = data.get_mut("text") {
                    mask_value(t);
                }
            } else if source == Some(u64::from(SOURCE_MUTATION)) {
                if let Some(Value::Array(adds)) = data.get_mut("adds") {
                    for a in adds {
                        if let Some(node) = a.get_mut("node") {
                            mask_node(node, false);
                        }
                    }
                }
                // The changed node's tag is not in the event: mask every value change.
                if let Some(Value::Array(changes)) = data.get_mut("attributes") {
                    for c in changes {
                        if let Some(Value::Object(attrs)) = c.get_mut("attributes") {
                            if let Some(v) = attrs.get_mut("value") {
                                mask_value(v);
                            }
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
        let mut input = json!({"type": 3, "timestamp": 1, "data": {"source": 5, "id": 7, "text": "hunter2", "isChecked": false}});
        mask_event(&mut input);
        assert_eq!(input["data"]["text"], "*******");

        let mut snapshot = json!({"type": 2, "timestamp": 1, "data": {"node": {"type": 0, "childNodes": [
            {"type": 2, "tagName": "input", "attributes": {"type": "password", "value": "s3cret"}, "childNodes": []},
            {"type": 2, "tagName": "textarea", "attributes": {"value": "my note"}, "childNodes": [{"type": 3, "textContent": "my note"}]},
            {"type": 2, "tagName": "p", "attributes": {"value": "kept"}, "childNodes": [{"type": 3, "textContent": "Hello"}]}
        ]}}});
        mask_event(&mut snapshot);
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
        mask_event(&mut mutation);
        let text = mutation.to_string();
        assert!(
            !text.contains("typed") && !text.contains("changed"),
            "{text}"
        );
    }
}
