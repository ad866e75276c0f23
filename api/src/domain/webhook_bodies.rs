//! What a webhook says. Standard bodies are `{"type", "timestamp", "data"}` (Standard
//! Webhooks); response events carry the response as the REST API shows it (scrubbed
//! page URL, no IP address or user agent: Loupe stores neither). The delivery worker
//! makes each body when the event is first sent, from what is stored then, so a
//! response or recording deleted before that is never sent.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use entity::{recording, survey, webhook_delivery, webhook_endpoint};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use super::webhooks::{EventType, Format};
use crate::domain::surveys::{export, responses, store};
use crate::domain::tag::PublicUrl;
use crate::error::AppResult;

fn envelope(kind: EventType, at: DateTime<Utc>, data: Value) -> String {
    json!({
        "type": kind.as_str(),
        "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}

/// The body of a `test` event.
pub fn test(e: &webhook_endpoint::Model, msg_id: &str, at: DateTime<Utc>) -> String {
    let text = format!(
        "Test event from Loupe for webhook endpoint {} ({msg_id})",
        e.id
    );
    match Format::of(e) {
        Format::Slack => json!({ "text": text }).to_string(),
        Format::Standard => envelope(
            EventType::Test,
            at,
            json!({ "endpoint_id": e.id.to_string(), "site_id": e.site_id.to_string(), "message": text }),
        ),
    }
}

/// The bodies of these deliveries, from what is stored now, in one batch (a few queries
/// whatever their number: three endpoints of one response share one read); `None` for a
/// delivery whose response or recording is gone.
pub async fn render_all(
    db: &impl ConnectionTrait,
    items: &[(&webhook_delivery::Model, &webhook_endpoint::Model)],
    public: &PublicUrl,
) -> AppResult<Vec<Option<String>>> {
    let kind_of = |d: &webhook_delivery::Model| EventType::parse(&d.event_type);
    let mut response_ids = vec![];
    let mut recording_ids = vec![];
    for (d, _) in items {
        match (kind_of(d), d.subject_id) {
            (Some(EventType::RecordingStarted), Some(id)) => recording_ids.push(id),
            (Some(EventType::Test) | None, _) | (_, None) => {}
            (Some(_), Some(id)) => response_ids.push(id),
        }
    }
    response_ids.sort_unstable();
    response_ids.dedup();
    recording_ids.sort_unstable();
    recording_ids.dedup();
    let views = if response_ids.is_empty() {
        vec![]
    } else {
        responses::views_by_id(db, &response_ids).await?
    };
    let links = export::links(db, &views).await?;
    let mut survey_ids: Vec<i64> = views.iter().map(|v| v.response.survey_id).collect();
    survey_ids.sort_unstable();
    survey_ids.dedup();
    let surveys: HashMap<i64, survey::Model> = if survey_ids.is_empty() {
        HashMap::new()
    } else {
        survey::Entity::find()
            .filter(survey::Column::Id.is_in(survey_ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect()
    };
    let slack_wanted = items.iter().any(|(_, e)| Format::of(e) == Format::Slack);
    let mut questions: HashMap<i64, Vec<entity::question::Model>> = HashMap::new();
    if slack_wanted {
        for id in &survey_ids {
            questions.insert(*id, store::all_questions(db, *id).await?);
        }
    }
    let responses: HashMap<i64, Value> = views
        .iter()
        .map(|v| {
            let json = serde_json::to_value(export::response_json(v, &links, public))
                .unwrap_or(Value::Null);
            (v.response.id, json)
        })
        .collect();
    let views: HashMap<i64, &responses::ResponseView> =
        views.iter().map(|v| (v.response.id, v)).collect();
    let recordings: HashMap<i64, recording::Model> = if recording_ids.is_empty() {
        HashMap::new()
    } else {
        recording::Entity::find()
            .filter(recording::Column::Id.is_in(recording_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect()
    };
    Ok(items
        .iter()
        .map(|(d, e)| {
            let kind = kind_of(d)?;
            if kind == EventType::Test {
                return Some(test(e, &d.msg_id, d.event_at));
            }
            let subject = d.subject_id?;
            if kind == EventType::RecordingStarted {
                return recordings
                    .get(&subject)
                    .map(|r| recording_body(kind, d, e, r, public));
            }
            let view = views.get(&subject)?;
            let response = responses.get(&subject)?;
            let survey_name = surveys
                .get(&view.response.survey_id)
                .map(|s| s.name.as_str())
                .unwrap_or_default();
            Some(match Format::of(e) {
                Format::Slack => slack(
                    kind,
                    survey_name,
                    questions
                        .get(&view.response.survey_id)
                        .map_or(&[][..], Vec::as_slice),
                    response,
                ),
                Format::Standard => envelope(
                    kind,
                    d.event_at,
                    json!({
                        "site_id": view.response.site_id.to_string(),
                        "survey": {
                            "id": view.response.survey_id.to_string(),
                            "name": survey_name,
                        },
                        "response": response,
                    }),
                ),
            })
        })
        .collect())
}

fn recording_body(
    kind: EventType,
    d: &webhook_delivery::Model,
    e: &webhook_endpoint::Model,
    r: &recording::Model,
    public: &PublicUrl,
) -> String {
    let url = export::recording_url(public, r.site_id, r.id);
    match Format::of(e) {
        Format::Slack => json!({
            "text": format!("New session recording on site {}: <{}|recording {}>", r.site_id, url, r.id)
        })
        .to_string(),
        Format::Standard => envelope(
            kind,
            d.event_at,
            json!({
                "site_id": r.site_id.to_string(),
                "recording": {
                    "id": r.id.to_string(),
                    "session_id": r.session_id,
                    "started_time": r.started_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                    "device": r.device,
                    "browser": r.browser,
                    "os": r.os,
                    "country": r.country,
                    "entry_url": r.entry_url,
                    "events_url": url,
                },
            }),
        ),
    }
}

/// Slack's mrkdwn needs `&`, `<` and `>` escaped; anything a visitor wrote goes through it.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Slack incoming-webhook message for a response event: a headline and each answer.
fn slack(
    kind: EventType,
    survey_name: &str,
    questions: &[entity::question::Model],
    response: &Value,
) -> String {
    let headline = match kind {
        EventType::ResponseCompleted => "New completed response",
        EventType::SentimentScored => "Sentiment scored for a response",
        _ => "New response",
    };
    let mut lines = vec![format!("*{headline}* to _{}_", escape(survey_name))];
    for a in response["answers"].as_array().into_iter().flatten() {
        let qid = a["question_id"]
            .as_i64()
            .or_else(|| a["question_id"].as_str().and_then(|s| s.parse().ok()));
        let prompt = questions
            .iter()
            .find(|q| Some(q.id) == qid)
            .map_or_else(|| "Question".to_owned(), |q| q.prompt.clone());
        let mut line = format!(
            "• *{}*: {}",
            escape(&prompt),
            escape(a["answer"].as_str().unwrap_or(""))
        );
        if let Some(s) = a["sentiment"].as_str() {
            line.push_str(&format!(" ({s})"));
        }
        lines.push(line);
    }
    let text = lines.join("\n");
    json!({
        "text": text,
        "blocks": [{ "type": "section", "text": { "type": "mrkdwn", "text": text } }],
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_text_is_escaped() {
        let body = slack(
            EventType::ResponseCreated,
            "NPS <b>",
            &[],
            &json!({"answers": [{"question_id": 1, "answer": "<!channel> & more"}]}),
        );
        let v: Value = serde_json::from_str(&body).unwrap();
        let text = v["text"].as_str().unwrap();
        assert!(text.contains("&lt;!channel&gt; &amp; more"), "{text}");
        assert!(text.contains("NPS &lt;b&gt;"), "{text}");
    }
}
