//! The raw-text masking (`recordings::to_ndjson_with`) stores what the parsing path
//! (`recordings::to_ndjson_parsed`, the reference) stores, on the benchmark's realistic
//! batches: every line the same JSON value, the same snapshot selectors, and events with
//! nothing to clean byte for byte as sent.

use api::domain::recordings::{self, envelope};
use api::domain::visitor::url::UrlPolicy;
use loupe_bench::rrweb_fixtures::{batch_body, Rng};
use serde_json::Value;

#[test]
fn raw_masking_matches_the_parsed_path_on_the_bench_batches() {
    let urls = UrlPolicy::default();
    let mut rng = Rng::new(5);
    let mut lines = 0;
    for i in 0..200 {
        let sequence = if i % 10 == 0 { 0 } else { 1 + i % 19 };
        let body = batch_body(&mut rng, "v", sequence, 50);
        let batch = envelope::parse(&body).expect("batch");
        let events = batch.events();
        for mask_inputs in [true, false] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let raw =
                recordings::to_ndjson_with(&events, mask_inputs, &urls, Some(&mut a)).expect("raw");
            let parsed = recordings::to_ndjson_parsed(&events, mask_inputs, &urls, Some(&mut b))
                .expect("parsed");
            assert_eq!(a, b, "snapshot selectors, batch {i}");
            let raw = String::from_utf8(raw).expect("utf-8");
            let parsed = String::from_utf8(parsed).expect("utf-8");
            assert_eq!(raw.lines().count(), events.len());
            for ((r, p), e) in raw.lines().zip(parsed.lines()).zip(&events) {
                let rv: Value = serde_json::from_str(r).expect("raw line");
                let pv: Value = serde_json::from_str(p).expect("parsed line");
                assert_eq!(rv, pv, "batch {i}, mask_inputs={mask_inputs}");
                if p == e.raw {
                    assert_eq!(r, p, "untouched events are stored as sent");
                }
                lines += 1;
            }
            if mask_inputs {
                assert!(!raw.contains("jane.doe@example.com"), "batch {i}");
            }
        }
    }
    assert!(lines > 10_000);
}
