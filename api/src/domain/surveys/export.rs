//! Responses as Hotjar-compatible JSON objects, CSV rows (one column per question) and
//! JSON lines. Pure formatting; the HTTP layer streams chunk by chunk.

use serde_json::{json, Value};

use super::answers::Question;
use super::responses::ResponseView;

/// Exporting responses (and the link to it) needs plan SCALE: the one rule, for GraphQL
/// and REST alike.
pub fn allowed(org: &entity::organization::Model) -> crate::error::AppResult<()> {
    crate::domain::caller::has(org, crate::domain::caller::Feature::ResponseExport)
}

/// An answer as text, as Hotjar's API gives it: choices joined with ", ", "other" text
/// after them.
pub fn answer_text(value: &Value, other: Option<&str>) -> String {
    let mut parts: Vec<String> = match value {
        Value::Null => vec![],
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect(),
        other => vec![other.to_string()],
    };
    if let Some(o) = other {
        parts.push(o.to_owned());
    }
    parts.join(", ")
}

/// One response as the REST API and JSON lines export show it.
pub fn response_json(v: &ResponseView) -> Value {
    let r = &v.response;
    json!({
        "id": r.id,
        "created_time": r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "is_complete": r.is_complete,
        "device": r.device,
        "browser": r.browser,
        "os": r.os,
        "country": r.country,
        "user_id": r.user_id,
        "user_attributes": v.user_attributes,
        "response_origin_url": r.page_url,
        "hidden_fields": r.hidden_fields.as_deref().and_then(|h| serde_json::from_str::<Value>(h).ok()),
        "answers": v.answers.iter().map(|(a, value)| json!({
            "question_id": a.question_id,
            "answer": answer_text(value, a.other_text.as_deref()),
            "comment": a.comment,
            "sentiment": a.sentiment_label.as_deref().map(str::to_ascii_lowercase),
        })).collect::<Vec<_>>(),
    })
}

/// RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted, quotes doubled.
///
/// Visitors write answers, so a cell that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'` (OWASP's CSV-injection advice); a plain
/// number such as `-3` is left as it is.
pub fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

const FIXED: [&str; 9] = [
    "response_id",
    "created_time",
    "is_complete",
    "device",
    "browser",
    "os",
    "country",
    "user_id",
    "page_url",
];

pub fn csv_header(questions: &[Question]) -> String {
    let mut cols: Vec<String> = FIXED.iter().map(|c| (*c).to_owned()).collect();
    cols.extend(questions.iter().map(|q| csv_field(&q.def.prompt)));
    cols.join(",") + "\r\n"
}

pub fn csv_row(v: &ResponseView, questions: &[Question]) -> String {
    let r = &v.response;
    let opt = |o: &Option<String>| csv_field(o.as_deref().unwrap_or(""));
    let mut cols = vec![
        r.id.to_string(),
        r.created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        r.is_complete.to_string(),
        opt(&r.device),
        opt(&r.browser),
        opt(&r.os),
        opt(&r.country),
        opt(&r.user_id),
        opt(&r.page_url),
    ];
    for q in questions {
        let cell = v
            .answers
            .iter()
            .find(|(a, _)| a.question_id == q.id)
            .map(|(a, value)| answer_text(value, a.other_text.as_deref()))
            .unwrap_or_default();
        cols.push(csv_field(&cell));
    }
    cols.join(",") + "\r\n"
}

pub fn jsonl_row(v: &ResponseView) -> String {
    response_json(v).to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        for (raw, want) in [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1 555 0100", "'+1 555 0100"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("-3", "-3"),
            ("+4.5", "+4.5"),
            ("a=b", "a=b"),
            ("ünïcødé 👍", "ünïcødé 👍"),
            ("", ""),
        ] {
            assert_eq!(csv_field(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn answers_as_text() {
        assert_eq!(answer_text(&json!(["A", "B"]), Some("C")), "A, B, C");
        assert_eq!(answer_text(&json!(9), None), "9");
        assert_eq!(answer_text(&json!("x"), None), "x");
        assert_eq!(answer_text(&Value::Null, Some("other")), "other");
    }
}
