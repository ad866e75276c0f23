//! Stable CSS selectors for the elements of a recorded page, built from a full snapshot's
//! node tree: `tag#id` where the element has a usable id (the path stops there), else
//! `tag.class.class` with `:nth-child(n)` only when a sibling would match the same step —
//! so adding an unrelated element elsewhere does not rename a button. Steps are joined with
//! ` > ` up to the `body` (or the nearest id).
//!
//! A recording keeps the map of its last full snapshot (element nodes only, at most
//! [`MAX_NODES`]) compactly, because the clicks of later batches name nodes by id.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::domain::tape::{Kind, Val};

/// Element nodes kept per snapshot; deeper into a huge page, clicks get no selector.
pub const MAX_NODES: usize = 20_000;
/// Longest selector stored; longer paths keep their innermost steps.
pub const MAX_SELECTOR_CHARS: usize = 512;
const MAX_CLASSES: usize = 3;
const ROOT: i64 = 0;

/// rrweb's serialized node types.
const DOCUMENT: u64 = 0;
const ELEMENT: u64 = 2;

/// One element of a snapshot: its parent element (0 at the top or after an id) and its
/// selector step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeMap {
    /// The document node's id: scroll events on it are page scrolls.
    pub document: Option<i64>,
    pub nodes: HashMap<i64, (i64, String)>,
}

fn ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Generated-looking names (`css-1x9f3a`, `ember123`, UUIDs) change between builds or
/// page loads: three or more digits mark one.
fn generated(s: &str) -> bool {
    s.chars().filter(char::is_ascii_digit).count() >= 3
}

/// The step of one element (its tag, `id` and `class` attributes), and whether it anchors
/// the path (a usable id).
pub fn step(tag: &str, id: Option<&str>, class: Option<&str>) -> (String, bool) {
    let tag = tag.to_ascii_lowercase();
    if let Some(id) = id.map(str::trim) {
        if ident(id) && !generated(id) {
            return (format!("{tag}#{id}"), true);
        }
    }
    let mut out = tag;
    if let Some(classes) = class {
        for c in classes
            .split_ascii_whitespace()
            .filter(|c| ident(c) && !generated(c))
            .take(MAX_CLASSES)
        {
            out.push('.');
            out.push_str(c);
        }
    }
    (out, false)
}

/// What a selector reads of a serialized node: a parsed `serde_json::Value` or a value of
/// an event's raw text ([`Val`]). A repeated key reads as its last copy in both.
pub trait Node<'a>: Copy {
    fn get(self, key: &str) -> Option<Self>;
    fn is_object(self) -> bool;
    fn as_u64(self) -> Option<u64>;
    fn as_i64(self) -> Option<i64>;
    fn text(self) -> Option<Cow<'a, str>>;
    /// An array's elements (none for anything else).
    fn elements(self) -> impl DoubleEndedIterator<Item = Self>;
}

impl<'a> Node<'a> for &'a Value {
    fn get(self, key: &str) -> Option<Self> {
        Value::get(self, key)
    }
    fn is_object(self) -> bool {
        Value::is_object(self)
    }
    fn as_u64(self) -> Option<u64> {
        Value::as_u64(self)
    }
    fn as_i64(self) -> Option<i64> {
        Value::as_i64(self)
    }
    fn text(self) -> Option<Cow<'a, str>> {
        self.as_str().map(Cow::Borrowed)
    }
    fn elements(self) -> impl DoubleEndedIterator<Item = Self> {
        self.as_array().into_iter().flatten()
    }
}

impl<'t, 'a> Node<'a> for Val<'t, 'a> {
    fn get(self, key: &str) -> Option<Self> {
        Val::get(self, key)
    }
    fn is_object(self) -> bool {
        self.kind() == Kind::Object
    }
    fn as_u64(self) -> Option<u64> {
        Val::as_u64(&self)
    }
    fn as_i64(self) -> Option<i64> {
        Val::as_i64(&self)
    }
    fn text(self) -> Option<Cow<'a, str>> {
        self.str()
    }
    fn elements(self) -> impl DoubleEndedIterator<Item = Self> {
        // Collected: the tape walks forwards only.
        Val::elements(self).collect::<Vec<_>>().into_iter()
    }
}

/// Walks a full snapshot's `data.node` (iteratively: pages may nest deeply).
pub fn from_snapshot<'a, N: Node<'a>>(node: N) -> NodeMap {
    let mut map = NodeMap::default();
    // nth-child of each element: 1-based among its element siblings.
    let mut positions: HashMap<i64, usize> = HashMap::new();
    // (node, parent element id for the path)
    let mut stack: Vec<(N, i64)> = vec![(node, ROOT)];
    while let Some((n, parent)) = stack.pop() {
        if !n.is_object() {
            continue;
        }
        let kind = n.get("type").and_then(N::as_u64);
        let id = n.get("id").and_then(N::as_i64);
        if kind == Some(DOCUMENT) && map.document.is_none() {
            map.document = id;
        }
        let mut children_parent = parent;
        if let (Some(ELEMENT), Some(id)) = (kind, id) {
            let tag = n.get("tagName").and_then(N::text).unwrap_or_default();
            // `html` adds nothing to a selector; `body` starts every path.
            if tag.eq_ignore_ascii_case("html") || tag.is_empty() {
                children_parent = ROOT;
            } else if map.nodes.len() < MAX_NODES {
                let attrs = n.get("attributes").filter(|a| a.is_object());
                let attr = |name: &str| attrs.and_then(|a| a.get(name)).and_then(N::text);
                let (s, anchor) = step(&tag, attr("id").as_deref(), attr("class").as_deref());
                map.nodes
                    .insert(id, (if anchor { ROOT } else { parent }, s));
                children_parent = id;
            } else {
                continue;
            }
        }
        if let Some(children) = n.get("childNodes") {
            let mut position = 0;
            for c in children.elements() {
                if c.get("type").and_then(N::as_u64) == Some(ELEMENT) {
                    position += 1;
                    if let Some(cid) = c.get("id").and_then(N::as_i64) {
                        positions.insert(cid, position);
                    }
                }
            }
            for c in children.elements().rev() {
                stack.push((c, children_parent));
            }
        }
    }
    // Siblings sharing a step (not an id) are told apart by their position.
    let mut shared: HashMap<(i64, &str), usize> = HashMap::new();
    for (parent, s) in map.nodes.values() {
        *shared.entry((*parent, s.as_str())).or_default() += 1;
    }
    let ambiguous: Vec<i64> = map
        .nodes
        .iter()
        .filter(|(_, (p, s))| {
            !s.contains('#') && shared.get(&(*p, s.as_str())).is_some_and(|n| *n > 1)
        })
        .map(|(id, _)| *id)
        .collect();
    for id in ambiguous {
        if let (Some(pos), Some(entry)) = (positions.get(&id), map.nodes.get_mut(&id)) {
            entry.1.push_str(&format!(":nth-child({pos})"));
        }
    }
    map
}

impl NodeMap {
    /// The selector of a node, or None for a node the snapshot did not have.
    pub fn selector(&self, id: i64) -> Option<String> {
        let mut steps: Vec<&str> = Vec::new();
        let mut len = 0;
        let mut at = id;
        while let Some((parent, s)) = self.nodes.get(&at) {
            if len + s.len() + 3 > MAX_SELECTOR_CHARS || steps.len() > 1_000 {
                break;
            }
            len += s.len() + 3;
            steps.push(s);
            if *parent == ROOT {
                break;
            }
            at = *parent;
        }
        if steps.is_empty() {
            return None;
        }
        steps.reverse();
        Some(steps.join(" > "))
    }

    /// Compact bytes: zstd of `id\tparent\tstep` lines (the document id first).
    pub fn encode(&self) -> Vec<u8> {
        let mut text = format!("{}\n", self.document.unwrap_or(-1));
        for (id, (parent, s)) in &self.nodes {
            text.push_str(&format!("{id}\t{parent}\t{s}\n"));
        }
        zstd::bulk::compress(text.as_bytes(), 3).unwrap_or_default()
    }

    pub fn decode(bytes: &[u8]) -> NodeMap {
        let mut map = NodeMap::default();
        let Ok(text) = zstd::stream::decode_all(bytes) else {
            return map;
        };
        let text = String::from_utf8_lossy(&text);
        let mut lines = text.lines();
        map.document = lines
            .next()
            .and_then(|l| l.parse().ok())
            .filter(|d: &i64| *d >= 0);
        for l in lines {
            let mut parts = l.splitn(3, '\t');
            if let (Some(Ok(id)), Some(Ok(parent)), Some(s)) = (
                parts.next().map(str::parse::<i64>),
                parts.next().map(str::parse::<i64>),
                parts.next(),
            ) {
                map.nodes.insert(id, (parent, s.to_owned()));
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn el(id: i64, tag: &str, attrs: Value, children: Vec<Value>) -> Value {
        json!({"type": 2, "id": id, "tagName": tag, "attributes": attrs, "childNodes": children})
    }

    fn page() -> Value {
        json!({"type": 0, "id": 1, "childNodes": [
            json!({"type": 1, "id": 2, "name": "html"}),
            el(3, "html", json!({}), vec![
                el(4, "head", json!({}), vec![]),
                el(5, "body", json!({"class": "home"}), vec![
                    el(6, "nav", json!({"id": "top"}), vec![
                        el(7, "a", json!({"class": "link"}), vec![]),
                        el(8, "a", json!({"class": "link"}), vec![]),
                        el(9, "a", json!({"class": "link special"}), vec![]),
                    ]),
                    el(10, "main", json!({"id": "main-123456"}), vec![
                        json!({"type": 3, "id": 11, "textContent": "hi"}),
                        el(12, "button", json!({"class": "btn btn-primary css-1x9f3a2"}), vec![
                            el(13, "span", json!({}), vec![]),
                        ]),
                    ]),
                ]),
            ]),
        ]})
    }

    #[test]
    fn selectors_from_a_snapshot() {
        let map = from_snapshot(&page());
        assert_eq!(map.document, Some(1));
        let cases = [
            (5, Some("body.home")),
            (6, Some("nav#top")),
            (7, Some("nav#top > a.link:nth-child(1)")),
            (8, Some("nav#top > a.link:nth-child(2)")),
            (9, Some("nav#top > a.link.special")),
            // A generated id is no anchor; a generated class is left out.
            (10, Some("body.home > main")),
            (12, Some("body.home > main > button.btn.btn-primary")),
            (13, Some("body.home > main > button.btn.btn-primary > span")),
            (11, None),
            (99, None),
        ];
        for (id, want) in cases {
            assert_eq!(map.selector(id).as_deref(), want, "node {id}");
        }
    }

    #[test]
    fn selectors_survive_an_unrelated_change_of_layout() {
        let before = from_snapshot(&page());
        let mut changed = page();
        // A new banner before the nav: the nav's links keep their selectors.
        changed["childNodes"][1]["childNodes"][1]["childNodes"]
            .as_array_mut()
            .expect("body children")
            .insert(0, el(50, "div", json!({"class": "banner"}), vec![]));
        let after = from_snapshot(&changed);
        for id in [7, 8, 12] {
            assert_eq!(before.selector(id), after.selector(id), "node {id}");
        }
    }

    #[test]
    fn encodes_compactly_and_back() {
        let map = from_snapshot(&page());
        let bytes = map.encode();
        assert_eq!(NodeMap::decode(&bytes), map);
        assert_eq!(NodeMap::decode(b"garbage"), NodeMap::default());
    }

    #[test]
    fn bounded() {
        let children: Vec<Value> = (0..(MAX_NODES as i64 + 10))
            .map(|i| el(100 + i, "li", json!({}), vec![]))
            .collect();
        let big = json!({"type": 0, "id": 1, "childNodes": [el(2, "body", json!({}), children)]});
        assert_eq!(from_snapshot(&big).nodes.len(), MAX_NODES);
        let long: Value = (0..200).fold(el(10_000, "span", json!({}), vec![]), |inner, i| {
            el(
                i + 20,
                "div",
                json!({"class": "wrapper-level"}),
                vec![inner],
            )
        });
        let map = from_snapshot(&json!({"type": 0, "id": 1, "childNodes": [long]}));
        let s = map.selector(10_000).expect("selector");
        assert!(
            s.len() <= MAX_SELECTOR_CHARS && s.ends_with("> span"),
            "{s}"
        );
    }
}
