//! Responses as Hotjar-compatible JSON objects, CSV rows (one column per question) and
//! JSON lines. Pure formatting; the HTTP layer streams chunk by chunk.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::Value;

use super::answers::Question;
use super::responses::ResponseView;
use crate::domain::tag::PublicUrl;
use crate::error::AppResult;

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

/// What a page of responses links to, loaded once for the page: tags by response, and
/// recording ids by (site, session id).
#[derive(Debug, Default)]
pub struct Links {
    pub tags: HashMap<i64, Vec<String>>,
    pub recordings: HashMap<(i64, String), i64>,
}

/// The tags and recordings of these responses (one query each per site).
pub async fn links(db: &impl ConnectionTrait, views: &[ResponseView]) -> AppResult<Links> {
    let ids: Vec<i64> = views.iter().map(|v| v.response.id).collect();
    let tags = super::tags::of_responses(db, &ids).await?;
    let mut sessions: HashMap<i64, Vec<String>> = HashMap::new();
    for r in views.iter().map(|v| &v.response) {
        if let Some(s) = &r.recording_session_id {
            sessions.entry(r.site_id).or_default().push(s.clone());
        }
    }
    let mut recordings = HashMap::new();
    for (site, list) in sessions {
        let found = crate::domain::recordings::ids_of_sessions(db, site, &list).await?;
        recordings.extend(found.into_iter().map(|(s, id)| ((site, s), id)));
    }
    Ok(Links { tags, recordings })
}

/// One response in the shape of Hotjar's API (its keys first, in its order, with its
/// types), then Loupe's own keys. Serialized straight from this struct, so the order holds.
#[derive(Debug, Serialize)]
pub struct RestResponse {
    pub id: String,
    pub created_time: String,
    pub is_complete: bool,
    /// `desktop`, `mobile` or `tablet` (Hotjar's values): unknown and bots as `desktop`;
    /// `device_family` keeps what Loupe knows.
    pub device: &'static str,
    pub browser: String,
    pub os: String,
    pub country: String,
    /// The visitor id; `""` when the visitor asked not to be tracked.
    pub hotjar_user_id: String,
    pub recording_url: Option<String>,
    pub response_origin_url: String,
    pub user_attributes: Vec<UserAttribute>,
    pub answers: Vec<RestAnswer>,
    // Loupe's own keys.
    pub user_id: Option<String>,
    pub device_family: Option<String>,
    pub hidden_fields: Option<Value>,
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct UserAttribute {
    pub name: String,
    pub value: Value,
}

#[derive(Debug, Serialize)]
pub struct RestAnswer {
    pub question_id: String,
    pub answer: String,
    pub comment: Option<String>,
    /// The response's tags (Loupe tags whole responses; Hotjar lists tags per answer).
    pub tags: Vec<TagName>,
    pub sentiment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TagName {
    pub name: String,
}

/// Where a recording's events are served until a console has a replay page.
pub fn recording_url(public: &PublicUrl, site_id: i64, recording_id: i64) -> String {
    format!(
        "{}/v1/sites/{site_id}/recordings/{recording_id}/events",
        public.as_str()
    )
}

/// One response as the REST API and the JSON lines export show it.
pub fn response_json(v: &ResponseView, links: &Links, public: &PublicUrl) -> RestResponse {
    let r = &v.response;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let tags = links.tags.get(&r.id).cloned().unwrap_or_default();
    let recording = r
        .recording_session_id
        .as_ref()
        .and_then(|s| links.recordings.get(&(r.site_id, s.clone())));
    RestResponse {
        id: r.id.to_string(),
        created_time: r
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        is_complete: r.is_complete,
        device: match r.device.as_deref() {
            Some("mobile") => "mobile",
            Some("tablet") => "tablet",
            _ => "desktop",
        },
        browser: text(&r.browser),
        os: text(&r.os),
        country: text(&r.country),
        hotjar_user_id: text(&r.visitor_id),
        recording_url: recording.map(|id| recording_url(public, r.site_id, *id)),
        response_origin_url: text(&r.page_url),
        user_attributes: match &v.user_attributes {
            Value::Object(m) => m
                .iter()
                .map(|(name, value)| UserAttribute {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            _ => vec![],
        },
        answers: v
            .answers
            .iter()
            .map(|(a, value)| RestAnswer {
                question_id: a.question_id.to_string(),
                answer: answer_text(value, a.other_text.as_deref()),
                comment: a.comment.clone(),
                tags: tags.iter().map(|t| TagName { name: t.clone() }).collect(),
                sentiment: a.sentiment_label.as_deref().map(str::to_ascii_lowercase),
            })
            .collect(),
        user_id: r.user_id.clone(),
        device_family: r.device.clone(),
        hidden_fields: r
            .hidden_fields
            .as_deref()
            .and_then(|h| serde_json::from_str::<Value>(h).ok()),
        tags,
    }
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

pub fn jsonl_row(v: &ResponseView, links: &Links, public: &PublicUrl) -> String {
    // A struct of strings, numbers and JSON values always serializes.
    serde_json::to_string(&response_json(v, links, public)).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
