//! The envelope of a batch of rrweb events: checked without building a JSON tree of the
//! payload. Each event's raw JSON is kept as sent; only the events that feed metadata or
//! need masking are looked into (see [`super::metadata`] and [`super::mask`]).

use crate::domain::tape::{Kind, Tape, Val};
use crate::error::{AppError, AppResult};

pub const MAX_EVENTS_PER_BATCH: usize = 2_000;
pub const MAX_SESSION_ID_CHARS: usize = 70;
pub const MAX_SEQUENCE: i64 = 1_000_000;
/// Deepest JSON nesting of one event. rrweb serializes a DOM element as a node object
/// holding a `childNodes` list, two levels per element, so this admits pages whose DOM is
/// about 1,000 elements deep; deeper batches are refused (400) before anything parses them.
pub const MAX_EVENT_DEPTH: usize = 2_048;

/// One checked event: its type, timestamp, the raw JSON as sent and its `data` object
/// (a value of the batch's tape, spans relative to the body).
#[derive(Clone, Copy)]
pub struct Event<'t, 'a> {
    pub kind: u8,
    pub timestamp: i64,
    pub raw: &'a str,
    /// Where `raw` starts in the body (tape spans are relative to the body).
    pub origin: usize,
    pub data: Val<'t, 'a>,
}

/// A checked batch: the body indexed once ([`Tape`]), which masking, facts and heatmap
/// selectors then read without parsing again.
pub struct Batch<'a> {
    pub visitor_id: Option<String>,
    pub sequence: i64,
    tape: Tape<'a>,
    /// Per event: (type, timestamp, event token, data token).
    events: Vec<(u8, i64, u32, u32)>,
}

impl<'a> Batch<'a> {
    pub fn events(&self) -> Vec<Event<'_, 'a>> {
        self.events
            .iter()
            .filter_map(|&(kind, timestamp, at, data)| {
                let event = self.tape.at(at as usize)?;
                Some(Event {
                    kind,
                    timestamp,
                    raw: event.raw(),
                    origin: event.span().start,
                    data: self.tape.at(data as usize)?,
                })
            })
            .collect()
    }
}

pub fn valid_session_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SESSION_ID_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The one member `key` of an event; `Err` when the key repeats (which copy a reader
/// takes would differ between readers, and masking must see what the replayer shows).
fn only<'t, 'a>(event: Val<'t, 'a>, key: &str) -> Result<Option<Val<'t, 'a>>, ()> {
    let mut found = None;
    for (k, v) in event.members() {
        if k.is_str(key) {
            if found.is_some() {
                return Err(());
            }
            found = Some(v);
        }
    }
    Ok(found)
}

/// Parses and checks a batch; errors name the offending event (`events[3].timestamp`).
pub fn parse(body: &[u8]) -> AppResult<Batch<'_>> {
    let invalid = |message: String| AppError::BadInput {
        field: None,
        message: format!("invalid JSON body: {message}"),
    };
    let text = std::str::from_utf8(body).map_err(|e| invalid(e.to_string()))?;
    // The batch object and its `events` list add two levels.
    let tape = match Tape::parse_strict(text, MAX_EVENT_DEPTH + 2) {
        Ok(t) => t,
        Err(e) if e.what == "nested too deep" => {
            return Err(AppError::bad_input(
                "events",
                format!(
                    "an event nests deeper than {MAX_EVENT_DEPTH} levels (a page DOM deeper than about 1,000 elements)"
                ),
            ))
        }
        Err(e) => return Err(invalid(e.to_string())),
    };
    let root = tape.root();
    if root.kind() != Kind::Object {
        return Err(invalid("a batch is an object".into()));
    }
    let visitor_id = match root.get("visitor_id") {
        None => None,
        Some(v) if v.raw() == "null" => None,
        Some(v) => Some(
            v.str()
                .ok_or_else(|| AppError::bad_input("visitor_id", "visitor_id is a string"))?
                .into_owned(),
        ),
    };
    let sequence = root
        .get("sequence")
        .and_then(|s| s.as_i64())
        .filter(|s| (0..=MAX_SEQUENCE).contains(s))
        .ok_or_else(|| {
            AppError::bad_input(
                "sequence",
                format!("sequence is an integer from 0 to {MAX_SEQUENCE}"),
            )
        })?;
    let list = root
        .get("events")
        .filter(|e| e.kind() == Kind::Array)
        .ok_or_else(|| AppError::bad_input("events", "events is a list of rrweb events"))?;
    let mut events = Vec::new();
    for (i, e) in list.elements().enumerate() {
        if i >= MAX_EVENTS_PER_BATCH {
            break;
        }
        let at = |f: &str| format!("events[{i}].{f}");
        let not_object = || AppError::bad_input(format!("events[{i}]"), "an event is an object");
        if e.kind() != Kind::Object {
            return Err(not_object());
        }
        let (kind, timestamp, data) = match (only(e, "type"), only(e, "timestamp"), only(e, "data"))
        {
            (Ok(k), Ok(t), Ok(d)) => (k, t, d),
            _ => return Err(not_object()),
        };
        let kind = kind
            .filter(|k| k.kind() == Kind::Scalar)
            .and_then(|k| k.as_u64())
            .filter(|k| *k <= 7)
            .ok_or_else(|| {
                AppError::bad_input(at("type"), "type is an rrweb event type, an integer 0–7")
            })?;
        let timestamp = timestamp
            .and_then(|t| t.as_i64())
            .filter(|t| *t > 0)
            .ok_or_else(|| {
                AppError::bad_input(
                    at("timestamp"),
                    "timestamp is an integer number of milliseconds",
                )
            })?;
        let data = data
            .filter(|d| d.kind() == Kind::Object)
            .ok_or_else(|| AppError::bad_input(at("data"), "data is an object"))?;
        events.push((kind as u8, timestamp, e.index() as u32, data.index() as u32));
    }
    if events.is_empty() || list.elements().nth(MAX_EVENTS_PER_BATCH).is_some() {
        return Err(AppError::bad_input(
            "events",
            format!("a batch holds 1–{MAX_EVENTS_PER_BATCH} events"),
        ));
    }
    Ok(Batch {
        visitor_id,
        sequence,
        tape,
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
            (
                r#"{"sequence":0,"events":[{"type":5,"timestamp":1,"data":{"a":1},"data":{"b":2}}]}"#,
                Some("events[0]"),
            ),
            (
                r#"{"sequence":0,"visitor_id":5,"events":[{"type":3,"timestamp":1,"data":{}}]}"#,
                Some("visitor_id"),
            ),
            (
                r#"{"sequence":0,"events":[{"type":3,"timestamp":1,"data":{}}],}"#,
                None,
            ),
            ("[]", None),
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
