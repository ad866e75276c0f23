//! Realistic rrweb batches for the recording benchmarks (`src/recordings.rs` and
//! `recordings.sh`): what the rrweb recorder of a shop page sends every few seconds —
//! mostly batched mouse moves, scrolls, clicks, DOM mutations and inputs, with a Meta
//! event and a full snapshot at the start of a page view.

use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*), so every run sends the same bytes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const CLASSES: &[&str] = &[
    "btn btn-primary",
    "product-card__title",
    "nav-item active",
    "cart-drawer is-open",
    "price price--sale",
    "grid grid-cols-3 gap-4",
    "text-sm text-gray-600",
    "hero__cta",
    "badge badge-success",
    "modal-backdrop fade show",
];
const WORDS: &[&str] = &[
    "Free shipping on orders over $50",
    "Add to cart",
    "Organic cotton crew-neck T-shirt",
    "Only 3 left in stock",
    "Customers also bought",
    "Size guide",
    "Checkout",
    "Your cart is empty",
    "4.7 out of 5 stars (1,284 reviews)",
    "Subscribe to our newsletter",
];
const PAGES: &[&str] = &[
    "https://shop.example/",
    "https://shop.example/collections/t-shirts",
    "https://shop.example/products/organic-crew-neck?variant=4211",
    "https://shop.example/cart",
    "https://shop.example/checkout/information",
    "https://shop.example/pages/size-guide",
];

fn element(rng: &mut Rng, id: &mut i64, depth: u32) -> Value {
    *id += 1;
    let my_id = *id;
    let tag = rng.pick(&["div", "span", "a", "li", "p", "button", "img", "input"]);
    let mut attrs = json!({ "class": rng.pick(CLASSES) });
    match tag {
        "a" => attrs["href"] = json!(format!("{}#{}", rng.pick(PAGES), my_id)),
        "img" => {
            attrs["src"] = json!(format!(
                "https://cdn.shop.example/images/p{}_800x.jpg?v=1699999999",
                rng.below(60)
            ));
            attrs["alt"] = json!(rng.pick(WORDS));
        }
        "input" => {
            attrs["type"] = json!("email");
            attrs["value"] = json!("jane.doe@example.com");
        }
        _ => {}
    }
    let mut children = Vec::new();
    if depth > 0 && !matches!(tag, "img" | "input") {
        for _ in 0..rng.below(4) + 1 {
            children.push(element(rng, id, depth - 1));
        }
    } else if !matches!(tag, "img" | "input") {
        *id += 1;
        children.push(json!({ "type": 3, "textContent": rng.pick(WORDS), "id": *id }));
    }
    json!({ "type": 2, "tagName": tag, "attributes": attrs, "childNodes": children, "id": my_id })
}

fn full_snapshot(rng: &mut Rng, ts: i64) -> Value {
    let mut id = 4;
    let body: Vec<Value> = (0..9).map(|_| element(rng, &mut id, 3)).collect();
    json!({
        "type": 2,
        "data": {
            "node": {
                "type": 0,
                "childNodes": [
                    { "type": 1, "name": "html", "publicId": "", "systemId": "", "id": 2 },
                    { "type": 2, "tagName": "html", "attributes": { "lang": "en" }, "childNodes": [
                        { "type": 2, "tagName": "head", "attributes": {}, "childNodes": [
                            { "type": 2, "tagName": "title", "attributes": {}, "childNodes": [
                                { "type": 3, "textContent": "Organic crew-neck T-shirt – Shop", "id": 6000 }
                            ], "id": 5999 }
                        ], "id": 4 },
                        { "type": 2, "tagName": "body", "attributes": { "class": "template-product" },
                          "childNodes": body, "id": 5998 }
                    ], "id": 3 }
                ],
                "id": 1
            },
            "initialOffset": { "left": 0, "top": 0 }
        },
        "timestamp": ts
    })
}

fn incremental(rng: &mut Rng, ts: i64, source: u8) -> Value {
    let id = rng.below(900) as i64 + 10;
    let data = match source {
        // Mutation: text changes, attribute changes, removed and added nodes.
        0 => {
            let mut next = 7000 + rng.below(100_000) as i64;
            let adds: Vec<Value> = (0..rng.below(3) + 1)
                .map(|_| json!({ "parentId": id, "nextId": null, "node": element(rng, &mut next, 2) }))
                .collect();
            json!({
                "source": 0,
                "texts": [{ "id": id + 1, "value": rng.pick(WORDS) }],
                "attributes": [{ "id": id + 2, "attributes": { "class": rng.pick(CLASSES), "style": "transform: translateX(-120px); opacity: 0.85" } }],
                "removes": [{ "parentId": id, "id": id + 3 }],
                "adds": adds
            })
        }
        // Mouse moves, batched by the recorder.
        1 => {
            let positions: Vec<Value> = (0..rng.below(8) + 6)
                .map(|i| json!({ "x": rng.below(1440), "y": rng.below(900), "id": id, "timeOffset": -(i as i64) * 50 }))
                .collect();
            json!({ "source": 1, "positions": positions })
        }
        // Click.
        2 => {
            json!({ "source": 2, "type": 2, "id": id, "x": rng.below(1440), "y": rng.below(900), "pointerType": 0 })
        }
        3 => json!({ "source": 3, "id": 1, "x": 0, "y": rng.below(4000) }),
        4 => json!({ "source": 4, "width": 1440, "height": 900 }),
        _ => {
            json!({ "source": 5, "text": "jane.doe@exam", "isChecked": false, "id": id, "userTriggered": true })
        }
    };
    json!({ "type": 3, "data": data, "timestamp": ts })
}

/// The events of one batch (`events` long), starting at `start_ts`. A session's first
/// batch opens with a Meta event and a full snapshot, as rrweb's recorder does.
pub fn batch_events(rng: &mut Rng, events: usize, start_ts: i64, first: bool) -> Vec<Value> {
    let mut out = Vec::with_capacity(events);
    let mut ts = start_ts;
    if first {
        out.push(json!({ "type": 4, "data": { "href": rng.pick(PAGES), "width": 1440, "height": 900 }, "timestamp": ts }));
        out.push(full_snapshot(rng, ts + 5));
        ts += 40;
    }
    while out.len() < events {
        ts += rng.below(180) as i64 + 20;
        // About 40% mouse moves, 25% mutations, 15% scrolls, 10% clicks, 10% inputs.
        let source = match rng.below(100) {
            0..=39 => 1,
            40..=64 => 0,
            65..=79 => 3,
            80..=89 => 2,
            _ => 5,
        };
        out.push(incremental(rng, ts, source));
    }
    out
}

/// A whole request body, `{"visitor_id", "sequence", "events"}`.
pub fn batch_body(rng: &mut Rng, visitor: &str, sequence: i64, events: usize) -> Vec<u8> {
    let start = 1_763_000_000_000 + sequence * 10_000;
    let events = batch_events(rng, events, start, sequence == 0);
    serde_json::to_vec(&json!({ "visitor_id": visitor, "sequence": sequence, "events": events }))
        .unwrap_or_default()
}

/// The body split around the sequence number: `prefix + sequence + suffix` is the body,
/// so a load script can send each session's batches with increasing sequences.
pub fn split_body(body: &[u8], sequence: i64) -> Option<(Vec<u8>, Vec<u8>)> {
    let marker = format!("\"sequence\":{sequence},");
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find(&marker)? + "\"sequence\":".len();
    let end = at + sequence.to_string().len();
    Some((body[..at].to_vec(), body[end..].to_vec()))
}
