//! The envelope of a batch of rrweb events: checked without building a JSON tree of the
//! payload. Each event's raw JSON is kept as sent; only the events that feed metadata or
//! need masking are looked into (see [`super::metadata`] and [`super::mask`]).

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{AppError, AppResult};

pub const MAX_EVENTS_PER_BATCH: usize = 2_000;
pub const MAX_SESSION_ID_CHARS: usize = 70;
pub const MAX_SEQUENCE: i64 = 1_000_000;
/// Deepest JSON nesting of one event. rrweb serializes a DOM element as a node object
/// holding a `childNodes` list, two levels per element, so this admits pages whose DOM is
/// about 1,000 elements deep; deeper batches are refused (400) before anything parses them.
pub const MAX_EVENT_DEPTH: usize = 2_048;

#[derive(Deserialize)]
struct RawBatch<'a> {
    visitor_id: Option<String>,
    sequence: Option<i64>,
    #[serde(borrow)]
    events: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<&'a RawValue>,
    #[serde(borrow)]
    timestamp: Option<&'a RawValue>,
    #[serde(borrow)]
    data: Option<&'a RawValue>,
}

/// One checked event: its type, timestamp and the raw JSON as sent.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub kind: u8,
    pub timestamp: i64,
    pub raw: &'a RawValue,
    pub data: &'a RawValue,
}

#[derive(Debug)]
pub struct Batch<'a> {
    pub visitor_id: Option<String>,
    pub sequence: i64,
    pub events: Vec<Event<'a>>,
}

pub fn valid_session_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SESSION_ID_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Parses and checks a batch; errors name the offending event (`events[3].timestamp`).
pub fn parse(body: &[u8]) -> AppResult<Batch<'_>> {
    // The batch object and its `events` list add two levels.
    if crate::domain::nesting::json_within(body, MAX_EVENT_DEPTH + 2).is_none() {
        return Err(AppError::bad_input(
            "events",
            format!(
                "an event nests deeper than {MAX_EVENT_DEPTH} levels (a page DOM deeper than about 1,000 elements)"
            ),
        ));
    }
    let raw: RawBatch = serde_json::from_slice(body).map_err(|e| AppError::BadInput {
        field: None,
        message: format!("invalid JSON body: {e}"),
    })?;
    let sequence = raw
        .sequence
        .filter(|s| (0..=MAX_SEQUENCE).contains(s))
        .ok_or_else(|| {
            AppError::bad_input(
                "sequence",
                format!("sequence is an integer from 0 to {MAX_SEQUENCE}"),
            )
        })?;
    let raw_events = raw
        .events
        .ok_or_else(|| AppError::bad_input("events", "events is a list of rrweb events"))?;
    if raw_events.is_empty() || raw_events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::bad_input(
            "events",
            format!("a batch holds 1–{MAX_EVENTS_PER_BATCH} events"),
        ));
    }
    let mut events = Vec::with_capacity(raw_events.len());
    for (i, raw) in raw_events.into_iter().enumerate() {
        let at = |f: &str| format!("events[{i}].{f}");
        let e: RawEvent = serde_json::from_str(raw.get())
            .map_err(|_| AppError::bad_input(format!("events[{i}]"), "an event is an object"))?;
        let kind = e
            .kind
            .and_then(|k| serde_json::from_str::<u64>(k.get()).ok())
            .filter(|k| *k <= 7)
            .ok_or_else(|| {
                AppError::bad_input(at("type"), "type is an rrweb event type, an integer 0–7")
            })?;
        let timestamp = e
            .timestamp
            .and_then(|t| serde_json::from_str::<i64>(t.get()).ok())
            .filter(|t| *t > 0)
            .ok_or_else(|| {
                AppError::bad_input(
                    at("timestamp"),
                    "timestamp is an integer number of milliseconds",
                )
            })?;
        let data = e
            .data
            .filter(|d| d.get().trim_start().starts_with('{'))
            .ok_or_else(|| AppError::bad_input(at("data"), "data is an object"))?;
        events.push(Event {
            kind: kind as u8,
            timestamp,
            raw,
            data,
        });
    }
    Ok(Batch {
        visitor_id: raw.visitor_id,
        sequence,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(body: &str) -> Option<String> {
        match parse(body.as_bytes()) {
            Err(AppError::BadInput { field, .. }) => field,
            Ok(_) => Some("<ok>".into()),
            Err(_) => Some("<other>".into()),
        }
    }

    #[test]
    fn envelope_errors_name_the_event() {
        let ok = r#"{"visitor_id":"v","sequence":0,"events":[{"type":4,"timestamp":1700000000000,"data":{"href":"https://a.example/"}}]}"#;
        assert_eq!(field(ok).as_deref(), Some("<ok>"));
        for (body, f) in [
            (r#"{"sequence":0}"#, Some("events")),
            (r#"{"events":[]}"#, Some("sequence")),
            (r#"{"sequence":-1,"events":[]}"#, Some("sequence")),
            (r#"{"sequence":0,"events":[]}"#, Some("events")),
            (r#"{"sequence":0,"events":[1]}"#, Some("events[0]")),
            (
                r#"{"sequence":0,"events":[{"type":9,"timestamp":1,"data":{}}]}"#,
                Some("events[0].type"),
            ),
            (
                r#"{"sequence":0,"events":[{"type":"3","timestamp":1,"data":{}}]}"#,
                Some("events[0].type"),
            ),
            (
                r#"{"sequence":0,"events":[{"type":3,"timestamp":1.5,"data":{}}]}"#,
                Some("events[0].timestamp"),
            ),
            (
                r#"{"sequence":0,"events":[{"type":3,"timestamp":1,"data":{}},{"type":3,"timestamp":1,"data":[]}]}"#,
                Some("events[1].data"),
            ),
            (
                r#"{"sequence":0,"events":[{"type":3,"timestamp":1}]}"#,
                Some("events[0].data"),
            ),
            ("not json", None),
        ] {
            assert_eq!(field(body).as_deref(), f, "{body}");
        }
    }

    #[test]
    fn session_ids() {
        assert!(valid_session_id("abc-123"));
        assert!(valid_session_id(&"a".repeat(70)));
        assert!(!valid_session_id(&"a".repeat(71)));
        assert!(!valid_session_id(""));
        assert!(
            valid_session_id("a_b"),
            "base64url ids, as loupe.js makes them"
        );
        assert!(!valid_session_id("a.b"));
        assert!(!valid_session_id("a/b"));
    }
}
