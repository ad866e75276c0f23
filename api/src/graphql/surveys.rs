//! Surveys and polls (one engine, filtered by kind), their questions, and responses.

use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::api_key::Role;
use entity::survey::{self, Kind};

use super::types::connection;
use crate::domain::pagination::Page;
use crate::domain::pagination::PageArgs;
use crate::domain::surveys::answers::Question as StoredQuestion;
use crate::domain::surveys::definition::{LogicRule as DomainRule, QuestionConfig, QuestionDef};
use crate::domain::surveys::ingest::Ingest;
use crate::domain::surveys::responses::{self, ResponseView};
use crate::domain::surveys::store::{
    self, ListFilter, NewSurvey, QuestionInput as DomainQuestionInput, SurveyPatch,
};
use crate::domain::surveys::summary::{self, AnswerCondition, ResponseFilter, SegmentChoice};
use crate::domain::surveys::targeting::{Targeting as DomainTargeting, UrlRule as DomainUrlRule};
use crate::domain::tag::PublicUrl;
use crate::domain::validation;
use crate::error::AppError;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::survey::Kind")]
pub enum SurveyKind {
    Survey,
    Poll,
}

/// Where a survey is answered: on the site through the browser tag, or on its own page.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::survey::Distribution")]
pub enum SurveyDistribution {
    Site,
    Link,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::survey::Status")]
pub enum SurveyStatus {
    Draft,
    Active,
    Paused,
    Closed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::surveys::definition::QuestionType")]
pub enum QuestionType {
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Nps,
    Rating,
    Email,
    Statement,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::surveys::definition::Operator")]
pub enum LogicOperator {
    Equals,
    OneOf,
    Contains,
    LessThan,
    GreaterThan,
    Answered,
    Skipped,
    Always,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::surveys::targeting::UrlMatch")]
pub enum UrlMatch {
    Exact,
    Contains,
    StartsWith,
    EndsWith,
    /// A regular expression, run by a linear-time engine with a bounded compiled size.
    Regex,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::surveys::targeting::Frequency")]
pub enum Frequency {
    Once,
    UntilResponded,
    Always,
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "UrlRuleInput")]
pub struct UrlRule {
    pub kind: UrlMatch,
    pub value: String,
    /// Hide the survey on matching pages instead of showing it.
    #[graphql(default)]
    pub exclude: bool,
}

/// Who sees the survey: pages, devices, sample, schedule, frequency.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TargetingInput")]
pub struct Targeting {
    /// Include rules (any must match) and exclude rules (none may match); empty: every page.
    #[graphql(default)]
    pub url_rules: Vec<UrlRule>,
    /// `desktop`, `mobile`, `tablet`; empty: every device.
    #[graphql(default)]
    pub devices: Vec<String>,
    /// Share of visitors (0–100) who may see it, stable per visitor.
    #[graphql(default = 100)]
    pub sampling_percent: i32,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[graphql(default_with = "Frequency::UntilResponded")]
    pub frequency: Frequency,
    /// Only visitors in this segment (of the same site) see it; it needs the Identify API.
    pub segment_id: Option<ID>,
}

impl From<DomainTargeting> for Targeting {
    fn from(t: DomainTargeting) -> Self {
        Targeting {
            url_rules: t
                .url_rules
                .into_iter()
                .map(|r| UrlRule {
                    kind: r.kind.into(),
                    value: r.value,
                    exclude: r.exclude,
                })
                .collect(),
            devices: t.devices,
            segment_id: t.segment_id.map(|id| ID(id.to_string())),
            sampling_percent: i32::from(t.sampling_percent),
            starts_at: t.starts_at,
            ends_at: t.ends_at,
            frequency: t.frequency.into(),
        }
    }
}

impl TryFrom<Targeting> for DomainTargeting {
    type Error = AppError;

    fn try_from(t: Targeting) -> Result<Self, AppError> {
        let sampling_percent = u8::try_from(t.sampling_percent)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| {
                AppError::bad_input(
                    "targeting.samplingPercent",
                    "sampling is a percentage from 0 to 100",
                )
            })?;
        Ok(DomainTargeting {
            url_rules: t
                .url_rules
                .into_iter()
                .map(|r| DomainUrlRule {
                    kind: r.kind.into(),
                    value: r.value,
                    exclude: r.exclude,
                })
                .collect(),
            devices: t.devices,
            segment_id: t
                .segment_id
                .as_ref()
                .map(|id| {
                    validation::id(id)
                        .map_err(|_| AppError::bad_input("targeting.segmentId", "not a segment id"))
                })
                .transpose()?,
            sampling_percent,
            starts_at: t.starts_at,
            ends_at: t.ends_at,
            frequency: t.frequency.into(),
        })
    }
}

/// "If the answer matches, go to the question with key `goTo`, or end when it is null."
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "LogicRuleInput")]
pub struct LogicRule {
    pub operator: LogicOperator,
    pub value: Option<String>,
    #[graphql(default)]
    pub values: Vec<String>,
    pub number: Option<f64>,
    pub go_to: Option<String>,
}

impl From<DomainRule> for LogicRule {
    fn from(r: DomainRule) -> Self {
        LogicRule {
            operator: r.operator.into(),
            value: r.value,
            values: r.values,
            number: r.number,
            go_to: r.go_to,
        }
    }
}

impl From<LogicRule> for DomainRule {
    fn from(r: LogicRule) -> Self {
        DomainRule {
            operator: r.operator.into(),
            value: r.value,
            values: r.values,
            number: r.number,
            go_to: r.go_to,
        }
    }
}

#[derive(SimpleObject, Clone)]
pub struct Question {
    pub id: ID,
    pub key: String,
    pub position: i32,
    #[graphql(name = "type")]
    pub kind: QuestionType,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<String>,
    pub allow_other: bool,
    pub scale_min: Option<i32>,
    pub scale_max: Option<i32>,
    pub low_label: Option<String>,
    pub high_label: Option<String>,
    pub display_style: Option<String>,
    pub logic: Vec<LogicRule>,
}

fn question(q: StoredQuestion, position: usize) -> Question {
    let scale = q.def.scale();
    let d = q.def;
    Question {
        id: ID(q.id.to_string()),
        key: d.key,
        position: position as i32,
        kind: d.kind.into(),
        prompt: d.prompt,
        required: d.required,
        options: d.config.options,
        allow_other: d.config.allow_other,
        scale_min: scale.map(|s| s.0),
        scale_max: scale.map(|s| s.1),
        low_label: d.config.low_label,
        high_label: d.config.high_label,
        display_style: d.config.display_style,
        logic: d.logic.into_iter().map(Into::into).collect(),
    }
}

/// A survey or a poll.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Survey {
    #[graphql(skip)]
    pub raw_id: i64,
    #[graphql(skip)]
    pub organization_id: i64,
    pub id: ID,
    pub site_id: ID,
    pub kind: SurveyKind,
    pub name: String,
    pub status: SurveyStatus,
    pub thank_you: Option<String>,
    pub distribution: SurveyDistribution,
    /// The public page of a LINK survey (`…/s/{token}`), answerable while ACTIVE. Prefill
    /// answers with `?q.<question key>=value`; declared hidden fields with `?<name>=value`.
    pub link_url: Option<String>,
    /// Names of the URL parameters a link survey records with each response.
    pub hidden_fields: Vec<String>,
    /// Text answers of responses submitted from now on are scored.
    pub sentiment_enabled: bool,
    /// When sentiment was (last) enabled: responses submitted before are never scored.
    pub sentiment_enabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub targeting: Targeting,
    /// Current questions in order (archived ones are kept for old answers, not listed).
    pub questions: Vec<Question>,
}

fn survey_out(m: survey::Model, questions: Vec<Question>, public: &PublicUrl) -> Survey {
    let targeting = DomainTargeting::from_json(&m.targeting)
        .unwrap_or_default()
        .into();
    let hidden_fields = crate::domain::surveys::links::declared_hidden_fields(&m);
    Survey {
        raw_id: m.id,
        organization_id: m.organization_id,
        targeting,
        id: ID(m.id.to_string()),
        site_id: ID(m.site_id.to_string()),
        kind: m.kind.into(),
        name: m.name,
        status: m.status.into(),
        thank_you: m.thank_you,
        distribution: m.distribution.into(),
        link_url: m
            .link_token
            .as_deref()
            .filter(|_| m.distribution == survey::Distribution::Link)
            .map(|t| public.link(t)),
        hidden_fields,
        sentiment_enabled: m.sentiment_enabled_at.is_some(),
        sentiment_enabled_at: m.sentiment_enabled_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        questions,
    }
}

fn questions_out(models: &[entity::question::Model]) -> Result<Vec<Question>> {
    models
        .iter()
        .enumerate()
        .map(|(i, m)| Ok(question(store::to_question(m)?, i)))
        .collect()
}

async fn survey_with_questions(ctx: &Context<'_>, m: survey::Model) -> Result<Survey> {
    let qs = store::questions(super::db(ctx), m.id).await?;
    Ok(survey_out(
        m,
        questions_out(&qs)?,
        ctx.data_unchecked::<PublicUrl>(),
    ))
}

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
        Ok(ResponseFilter {
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

#[derive(SimpleObject)]
pub struct ChoiceCount {
    pub choice: String,
    pub count: u64,
}

#[derive(SimpleObject)]
pub struct ValueCount {
    pub value: i32,
    pub count: u64,
}

/// Net Promoter Score: % promoters (9–10) − % detractors (0–6).
#[derive(SimpleObject)]
pub struct NpsSummary {
    /// −100 to 100; null without answers.
    pub score: Option<f64>,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

#[derive(SimpleObject)]
pub struct QuestionSummary {
    pub question: Question,
    pub answered: u64,
    /// Responses in the filter without an answer to this question.
    pub skipped: u64,
    /// Every option with its count, in option order (choice questions).
    pub choices: Vec<ChoiceCount>,
    /// Answers with "other" text (choice questions).
    pub other: u64,
    /// Count per scale value, every value included (NPS, RATING).
    pub distribution: Vec<ValueCount>,
    pub average: Option<f64>,
    pub nps: Option<NpsSummary>,
    /// Text answers received (SHORT_TEXT, LONG_TEXT, EMAIL); null for other types.
    pub text_answers: Option<u64>,
    /// Sentiment of the answers (SHORT_TEXT, LONG_TEXT); null for other types.
    pub sentiment: Option<SentimentSummary>,
}

/// Scored answers by label, and the text answers without a score (answered before
/// sentiment was enabled, empty, or still queued).
#[derive(SimpleObject)]
pub struct SentimentSummary {
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
    pub unscored: u64,
}

impl From<summary::SentimentCounts> for SentimentSummary {
    fn from(c: summary::SentimentCounts) -> Self {
        SentimentSummary {
            positive: c.positive,
            neutral: c.neutral,
            negative: c.negative,
            unscored: c.unscored,
        }
    }
}

#[derive(SimpleObject)]
pub struct SurveySummary {
    pub responses: u64,
    pub complete: u64,
    pub questions: Vec<QuestionSummary>,
    /// The distribution over every text question of the survey.
    pub sentiment: SentimentSummary,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[async_graphql::ComplexObject]
impl Survey {
    /// Where to download every response (streamed by the REST API with a bearer token).
    /// Plan SCALE, like the export itself.
    async fn export_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "ExportFormat::Csv")] format: ExportFormat,
    ) -> Result<String> {
        crate::domain::surveys::export::allowed(&super::principal(ctx)?.org)?;
        let format = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        };
        Ok(format!(
            "/v1/sites/{}/surveys/{}/responses/export?format={format}",
            self.site_id.as_str(),
            self.raw_id
        ))
    }

    /// Per-question numbers over the responses the filter keeps, computed in the database.
    async fn summary(
        &self,
        ctx: &Context<'_>,
        filter: Option<ResponseFilterInput>,
    ) -> Result<SurveySummary> {
        let principal = super::principal(ctx)?;
        if principal.org_id() != self.organization_id {
            return Err(AppError::NotFound.into());
        }
        let db = super::db(ctx);
        let questions = store::questions(db, self.raw_id)
            .await?
            .iter()
            .map(store::to_question)
            .collect::<Result<Vec<_>, AppError>>()?;
        let filter: ResponseFilter = filter.unwrap_or_default().try_into()?;
        let s = summary::compute(db, self.raw_id, questions, &filter).await?;
        Ok(SurveySummary {
            sentiment: s.sentiment.into(),
            responses: s.responses,
            complete: s.complete,
            questions: s
                .questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| QuestionSummary {
                    question: question(q.question, i),
                    answered: q.answered,
                    skipped: q.skipped,
                    choices: q
                        .choices
                        .into_iter()
                        .map(|(choice, count)| ChoiceCount { choice, count })
                        .collect(),
                    other: q.other,
                    distribution: q
                        .distribution
                        .into_iter()
                        .map(|(value, count)| ValueCount { value, count })
                        .collect(),
                    average: q.average,
                    text_answers: q.text_answers,
                    sentiment: q.sentiment.map(Into::into),
                    nps: q.nps.map(|n| NpsSummary {
                        score: n.score,
                        promoters: n.promoters,
                        passives: n.passives,
                        detractors: n.detractors,
                    }),
                })
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
}

pub(crate) fn response_out(v: ResponseView) -> Response {
    let r = v.response;
    Response {
        id: ID(r.id.to_string()),
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

#[derive(Default)]
pub struct SurveyQuery;

async fn list(
    ctx: &Context<'_>,
    kind: Kind,
    site_id: Option<ID>,
    status: Option<SurveyStatus>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<SurveyConnection> {
    let principal = super::principal(ctx)?;
    let args = PageArgs::parse(first, after.as_deref())?;
    let site_id = site_id.map(|s| validation::id(&s)).transpose()?;
    if let Some(site) = site_id {
        // Another organization's site is not found, not an empty list.
        crate::domain::sites::get(super::db(ctx), principal.org_id(), site).await?;
    }
    let filter = ListFilter {
        site_id,
        kind: Some(kind),
        status: status.map(Into::into),
    };
    let page = store::list(super::db(ctx), principal.org_id(), filter, args).await?;
    let wants_questions = ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("questions")
        .exists();
    let mut questions = if wants_questions {
        let ids: Vec<i64> = page.items.iter().map(|(_, s)| s.id).collect();
        store::questions_of(super::db(ctx), &ids).await?
    } else {
        vec![]
    };
    let Page {
        items,
        has_next_page,
        end_cursor,
        total_count,
    } = page;
    let mut converted = Vec::with_capacity(items.len());
    for (cursor, s) in items {
        let (mine, rest): (Vec<_>, Vec<_>) =
            questions.into_iter().partition(|q| q.survey_id == s.id);
        questions = rest;
        converted.push((
            cursor,
            survey_out(s, questions_out(&mine)?, ctx.data_unchecked::<PublicUrl>()),
        ));
    }
    let page = Page {
        items: converted,
        has_next_page,
        end_cursor,
        total_count,
    };
    Ok(SurveyConnection::from_page(page, |s| s))
}

#[Object]
impl SurveyQuery {
    /// Surveys of the caller's organization, optionally of one site: kind SURVEY unless
    /// `kind` says otherwise (`polls` is the same list for kind POLL).
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn surveys(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        #[graphql(default_with = "SurveyKind::Survey")] kind: SurveyKind,
        status: Option<SurveyStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<SurveyConnection> {
        list(ctx, kind.into(), site_id, status, first, after).await
    }

    /// Polls: on-site widgets of one to a few questions.
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn polls(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        status: Option<SurveyStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<SurveyConnection> {
        list(ctx, Kind::Poll, site_id, status, first, after).await
    }

    /// A survey or poll of the caller's organization; any other id is `NOT_FOUND`.
    async fn survey(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Survey>> {
        let principal = super::principal(ctx)?;
        let m = store::get(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        Ok(Some(survey_with_questions(ctx, m).await?))
    }

    /// A survey's responses, newest first.
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn responses(
        &self,
        ctx: &Context<'_>,
        survey_id: ID,
        filter: Option<ResponseFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ResponseConnection> {
        let principal = super::principal(ctx)?;
        let args = PageArgs::parse(first, after.as_deref())?;
        let filter: ResponseFilter = filter.unwrap_or_default().try_into()?;
        let page = responses::list(
            super::db(ctx),
            principal.org_id(),
            validation::id(&survey_id)?,
            &filter,
            args,
        )
        .await?;
        Ok(ResponseConnection::from_page(page, response_out))
    }
}

#[derive(InputObject)]
pub struct QuestionInput {
    /// An existing question to keep (its answers stay attached); omit for a new one.
    pub id: Option<ID>,
    /// Names the question in logic rules; default `q1`, `q2`, … by position.
    pub key: Option<String>,
    #[graphql(name = "type")]
    pub kind: QuestionType,
    pub prompt: String,
    #[graphql(default)]
    pub required: bool,
    #[graphql(default)]
    pub options: Vec<String>,
    #[graphql(default)]
    pub allow_other: bool,
    /// RATING: 5 (default) or 7.
    pub scale_max: Option<i32>,
    pub low_label: Option<String>,
    pub high_label: Option<String>,
    /// RATING: STARS, EMOJI or NUMBERS; choices: LIST or DROPDOWN.
    pub display_style: Option<String>,
    #[graphql(default)]
    pub logic: Vec<LogicRule>,
}

fn domain_questions(inputs: Vec<QuestionInput>) -> Result<Vec<DomainQuestionInput>, AppError> {
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let id = match q.id {
                None => None,
                Some(id) => Some(validation::id(&id).map_err(|_| {
                    AppError::bad_input(format!("questions[{i}].id"), "not a question id")
                })?),
            };
            Ok(DomainQuestionInput {
                id,
                def: QuestionDef {
                    key: q.key.unwrap_or_default(),
                    kind: q.kind.into(),
                    prompt: q.prompt,
                    required: q.required,
                    config: QuestionConfig {
                        options: q.options,
                        allow_other: q.allow_other,
                        scale_max: q.scale_max,
                        low_label: q.low_label,
                        high_label: q.high_label,
                        display_style: q.display_style,
                    },
                    logic: q.logic.into_iter().map(Into::into).collect(),
                },
            })
        })
        .collect()
}

#[derive(InputObject)]
pub struct CreateSurveyInput {
    pub site_id: ID,
    #[graphql(default_with = "SurveyKind::Survey")]
    pub kind: SurveyKind,
    pub name: String,
    pub thank_you: Option<String>,
    pub targeting: Option<Targeting>,
    #[graphql(default)]
    pub questions: Vec<QuestionInput>,
    /// SITE (default) or LINK.
    pub distribution: Option<SurveyDistribution>,
    /// URL parameters a link survey records with each response (at most 20).
    #[graphql(default)]
    pub hidden_fields: Vec<String>,
}

#[derive(InputObject)]
pub struct UpdateSurveyInput {
    pub name: Option<String>,
    /// Null clears it.
    pub thank_you: MaybeUndefined<String>,
    /// The whole new question list, in order.
    pub questions: Option<Vec<QuestionInput>>,
    /// Replaces the targeting as a whole.
    pub targeting: Option<Targeting>,
    /// Switching to LINK gives the survey its link (kept when switching back and forth).
    pub distribution: Option<SurveyDistribution>,
    pub hidden_fields: Option<Vec<String>>,
}

#[derive(Default)]
pub struct SurveyMutation;

#[Object]
impl SurveyMutation {
    /// Creates a survey or poll (WRITE), as a DRAFT.
    async fn create_survey(&self, ctx: &Context<'_>, input: CreateSurveyInput) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        principal.require(Role::Write)?;
        let site_id = validation::id(&input.site_id).map_err(|_| AppError::NotFound)?;
        let new = NewSurvey {
            site_id,
            kind: input.kind.into(),
            name: input.name,
            thank_you: input.thank_you,
            targeting: input
                .targeting
                .map(TryInto::try_into)
                .transpose()?
                .unwrap_or_default(),
            questions: domain_questions(input.questions)?,
            distribution: input.distribution.map(Into::into),
            hidden_fields: input.hidden_fields,
        };
        let m = store::create(super::db(ctx), principal.org_id(), new).await?;
        survey_with_questions(ctx, m).await
    }

    /// Changes a survey's name, thank-you text or questions (WRITE). Questions left out
    /// are deleted, or archived once the survey has responses.
    async fn update_survey(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateSurveyInput,
    ) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        principal.require(Role::Write)?;
        let patch = SurveyPatch {
            name: input.name,
            thank_you: match input.thank_you {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v)),
            },
            questions: input.questions.map(domain_questions).transpose()?,
            targeting: input.targeting.map(TryInto::try_into).transpose()?,
            distribution: input.distribution.map(Into::into),
            hidden_fields: input.hidden_fields,
        };
        let m = store::update(
            super::db(ctx),
            principal.org_id(),
            validation::id(&id)?,
            patch,
        )
        .await?;
        ctx.data_unchecked::<std::sync::Arc<Ingest>>()
            .invalidate(m.id);
        survey_with_questions(ctx, m).await
    }

    /// Gives a LINK survey a new address (WRITE); the old link stops working at once.
    async fn rotate_survey_link(&self, ctx: &Context<'_>, id: ID) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        principal.require(Role::Write)?;
        let m =
            store::rotate_link(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        ctx.data_unchecked::<std::sync::Arc<Ingest>>()
            .invalidate(m.id);
        survey_with_questions(ctx, m).await
    }

    /// DRAFT → ACTIVE ⇄ PAUSED → CLOSED (WRITE). Only ACTIVE surveys are shown and answered.
    async fn set_survey_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: SurveyStatus,
    ) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        principal.require(Role::Write)?;
        let m = store::set_status(
            super::db(ctx),
            principal.org_id(),
            validation::id(&id)?,
            status.into(),
        )
        .await?;
        ctx.data_unchecked::<std::sync::Arc<Ingest>>()
            .invalidate(m.id);
        survey_with_questions(ctx, m).await
    }

    /// Turns sentiment scoring of text answers on or off (WRITE; enabling needs plan
    /// SCALE). Only responses submitted after enabling are scored; enabling again after
    /// disabling never scores the responses of the gap.
    async fn set_survey_sentiment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        enabled: bool,
    ) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        principal.require(Role::Write)?;
        let m = crate::domain::sentiment::set_enabled(
            super::db(ctx),
            &principal.org,
            validation::id(&id)?,
            enabled,
        )
        .await?;
        ctx.data_unchecked::<std::sync::Arc<Ingest>>()
            .invalidate(m.id);
        survey_with_questions(ctx, m).await
    }

    /// A DRAFT copy with the same questions and logic (WRITE).
    async fn duplicate_survey(&self, ctx: &Context<'_>, id: ID) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        principal.require(Role::Write)?;
        let m = store::duplicate(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        survey_with_questions(ctx, m).await
    }
}

connection!(SurveyConnection, SurveyEdge, Survey);
connection!(ResponseConnection, ResponseEdge, Response);
