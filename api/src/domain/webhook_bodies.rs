//! What a webhook says (the delivery worker makes each body when it first sends it). Standard bodies are `{"type", "timestamp", "data"}` (Standard
//! Webhooks); response events carry the response as the REST API shows it (scrubbed
//! page URL, no IP address or user agent: Loupe stores neither). Bodies are made when
//! an event is first sent, from what is stored then, so a response or recording deleted
//! before that is never sent.

use chrono::{DateTime, SecondsFormat, Utc};
use entity::{recording, survey, webhook_delivery, webhook_endpoint};
use sea_orm::{ConnectionTrait, EntityTrait};
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

/// The body of a delivery, from what is stored now; `None` when its response or
/// recording is gone.
pub async fn render(
    db: &impl ConnectionTrait,
    d: &webhook_delivery::Model,
    e: &webhook_endpoint::Model,
    public: &PublicUrl,
) -> AppResult<Option<String>> {
    let Some(kind) = EventType::parse(&d.event_type) else {
        return Ok(None);
    };
    if kind == EventType::Test {
        return Ok(Some(test(e, &d.msg_id, d.event_at)));
    }
    let Some(subject) = d.subject_id else {
        return Ok(None);
    };
    match kind {
        EventType::RecordingStarted => {
            let Some(r) = recording::Entity::find_by_id(subject).one(db).await? else {
                return Ok(None);
            };
            let url = format!(
                "{}/v1/sites/{}/recordings/{}/events",
                public.as_str(),
                r.site_id,
                r.id
            );
            Ok(Some(match Format::of(e) {
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
            }))
        }
        _ => {
            let Some(view) = responses::views_by_id(db, &[subject]).await?.pop() else {
                return Ok(None);
            };
            let survey = survey::Entity::find_by_id(view.response.survey_id)
                .one(db)
                .await?;
            let survey_name = survey.as_ref().map(|s| s.name.clone()).unwrap_or_default();
            let response = export::response_json(&view);
            Ok(Some(match Format::of(e) {
                Format::Slack => {
                    let questions = store::all_questions(db, view.response.survey_id).await?;
                    slack(kind, &survey_name, &questions, &response)
                }
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
            }))
        }
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
