//! Responses as GraphQL shows them, and the filter shared by responses, summaries and
//! recordings.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, InputObject, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use crate::domain::surveys::responses::ResponseView;
use crate::domain::surveys::sentiment;
use crate::domain::surveys::summary::{AnswerCondition, ResponseFilter, SegmentChoice};
use crate::domain::validation;
use crate::error::AppError;
use crate::graphql::loaders::{RecordingOfSession, TagsOfResponse};
use crate::graphql::recordings::Recording;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::surveys::summary::AnswerOp")]
pub enum AnswerOperator {
    /// Text (case-insensitive), number or a selected option equals `value`.
    Equals,
    /// Text or "other" text contains `value` (case-insensitive).
    Contains,
    Answered,
    Skipped,
}

#[derive(InputObject)]
pub struct AnswerConditionInput {
    pub question_id: ID,
    pub operator: AnswerOperator,
    pub value: Option<String>,
}

/// Which responses count: date range (`from` inclusive, `to` exclusive), complete
/// only, device family, country, and conditions on answers (all must hold).
#[derive(InputObject, Default)]
pub struct ResponseFilterInput {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    #[graphql(default)]
    pub complete_only: bool,
    pub device: Option<String>,
    pub country: Option<String>,
    #[graphql(default)]
    pub answers: Vec<AnswerConditionInput>,
    /// Only responses of visitors in this saved segment (of the survey's site).
    pub segment_id: Option<ID>,
    /// Or an inline segment rule (same JSON form as a segment's).
    pub rule: Option<async_graphql::Json<serde_json::Value>>,
    /// Only responses with at least one text answer scored with one of these labels.
    #[graphql(default)]
    pub sentiment: Vec<SentimentLabel>,
    /// Only responses with at least one of these tags.
    pub tags: Option<Vec<String>>,
}

/// A filter's segment: a saved one (`segmentId`) or an inline `rule`, not both.
pub(crate) fn segment_choice(
    segment_id: Option<ID>,
    rule: Option<async_graphql::Json<serde_json::Value>>,
) -> Result<Option<SegmentChoice>, AppError> {
    match (segment_id, rule) {
        (Some(_), Some(_)) => Err(AppError::bad_input(
            "filter.rule",
            "give segmentId or rule, not both",
        )),
        (Some(id), None) => Ok(Some(SegmentChoice::Saved(
            validation::id(&id)
                .map_err(|_| AppError::bad_input("filter.segmentId", "not a segment id"))?,
        ))),
        (None, Some(rule)) => Ok(Some(SegmentChoice::Inline(rule.0))),
        (None, None) => Ok(None),
    }
}

impl TryFrom<ResponseFilterInput> for ResponseFilter {
    type Error = AppError;

    fn try_from(f: ResponseFilterInput) -> Result<Self, AppError> {
        if f.answers.len() > 20 {
            return Err(AppError::bad_input(
                "filter.answers",
                "at most 20 answer conditions",
            ));
        }
        let answers = f
            .answers
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let question_id = validation::id(&c.question_id).map_err(|_| {
                    AppError::bad_input(
                        format!("filter.answers[{i}].questionId"),
                        "not a question id",
                    )
                })?;
                let needs_value = matches!(
                    c.operator,
                    AnswerOperator::Equals | AnswerOperator::Contains
                );
                if needs_value
                    && c.value
                        .as_deref()
                        .is_none_or(|v| v.trim().is_empty() || v.chars().count() > 500)
                {
                    return Err(AppError::bad_input(
                        format!("filter.answers[{i}].value"),
                        "EQUALS and CONTAINS need a value of 1–500 characters",
                    ));
                }
                Ok(AnswerCondition {
                    question_id,
                    op: c.operator.into(),
                    value: c.value,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let segment = segment_choice(f.segment_id, f.rule)?;
        let tags = match f.tags {
            None => vec![],
            Some(t) => crate::domain::surveys::tags::check(&t).map_err(|e| match e {
                AppError::BadInput { field, message } => AppError::BadInput {
                    field: Some(format!("filter.{}", field.unwrap_or_else(|| "tags".into()))),
                    message,
                },
                other => other,
            })?,
        };
        Ok(ResponseFilter {
            tags,
            segment,
            from: f.from,
            to: f.to,
            complete_only: f.complete_only,
            device: f.device,
            country: f.country,
            answers,
            sentiment: f
                .sentiment
                .into_iter()
                .map(SentimentLabel::as_str)
                .collect(),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "sentiment::Label")]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

impl SentimentLabel {
    pub fn as_str(self) -> &'static str {
        sentiment::Label::from(self).as_str()
    }

    fn parse(s: &str) -> Option<Self> {
        sentiment::Label::parse(s).map(Into::into)
    }
}

/// The sentiment of a text answer, scored on this server.
#[derive(SimpleObject, Clone)]
pub struct Sentiment {
    pub label: SentimentLabel,
    /// The model's probability of the label, 0–1.
    pub score: f64,
}

#[derive(SimpleObject, Clone)]
pub struct Answer {
    pub question_id: ID,
    /// Text, number, one option, or a list of options, as submitted.
    pub value: async_graphql::Json<serde_json::Value>,
    pub other: Option<String>,
    pub comment: Option<String>,
    /// Null except for scored text answers.
    pub sentiment: Option<Sentiment>,
}

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Response {
    pub id: ID,
    pub survey_id: ID,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub is_complete: bool,
    pub visitor_id: Option<String>,
    pub user_id: Option<String>,
    /// Attributes of the identified user (`{}` when the visitor is not identified).
    pub user_attributes: async_graphql::Json<serde_json::Value>,
    pub device: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub country: Option<String>,
    pub page_url: Option<String>,
    /// A link survey's hidden fields as given in its URL (`{"plan": "pro"}`), else null.
    pub hidden_fields: Option<async_graphql::Json<serde_json::Value>>,
    pub answers: Vec<Answer>,
    #[graphql(skip)]
    pub raw_id: i64,
    #[graphql(skip)]
    pub site_id: i64,
    #[graphql(skip)]
    pub recording_session_id: Option<String>,
}

#[async_graphql::ComplexObject]
impl Response {
    /// The recording of the visit that produced this response (the browser tag sends its
    /// session id), or null: none sent, DNT/GPC/opt-out, not recorded, or deleted.
    async fn recording(&self, ctx: &Context<'_>) -> Result<Option<Recording>> {
        let Some(session) = &self.recording_session_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<DataLoader<RecordingOfSession>>()
            .load_one((self.site_id, session.clone()))
            .await?
            .map(Recording::from))
    }

    /// The response's tags, alphabetically (`tagResponse`, `untagResponse`).
    async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(ctx
            .data_unchecked::<DataLoader<TagsOfResponse>>()
            .load_one(self.raw_id)
            .await?
            .unwrap_or_default())
    }
}

pub(crate) fn response_out(v: ResponseView) -> Response {
    let r = v.response;
    Response {
        id: ID(r.id.to_string()),
        raw_id: r.id,
        site_id: r.site_id,
        recording_session_id: r.recording_session_id,
        survey_id: ID(r.survey_id.to_string()),
        created_at: r.created_at,
        updated_at: r.updated_at,
        is_complete: r.is_complete,
        visitor_id: r.visitor_id,
        user_id: r.user_id,
        user_attributes: async_graphql::Json(v.user_attributes),
        device: r.device,
        browser: r.browser,
        os: r.os,
        country: r.country,
        page_url: r.page_url,
        hidden_fields: r
            .hidden_fields
            .as_deref()
            .and_then(|h| serde_json::from_str(h).ok())
            .map(async_graphql::Json),
        answers: v
            .answers
            .into_iter()
            .map(|(a, value)| Answer {
                question_id: ID(a.question_id.to_string()),
                value: async_graphql::Json(value),
                other: a.other_text,
                comment: a.comment,
                sentiment: a
                    .sentiment_label
                    .as_deref()
                    .and_then(SentimentLabel::parse)
                    .zip(a.sentiment_score)
                    .map(|(label, score)| Sentiment { label, score }),
            })
            .collect(),
    }
}

crate::graphql::types::connection!(ResponseConnection, ResponseEdge, Response);
