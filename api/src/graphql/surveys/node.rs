//! The survey node: kinds, statuses, questions and logic, targeting.

use async_graphql::{Context, Enum, InputObject, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::survey;

use crate::domain::surveys::answers::Question as StoredQuestion;
use crate::domain::surveys::definition::LogicRule as DomainRule;
use crate::domain::surveys::store::{self};
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

pub(super) fn question(q: StoredQuestion, position: usize) -> Question {
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

pub(super) fn survey_out(m: survey::Model, questions: Vec<Question>, public: &PublicUrl) -> Survey {
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

pub(super) fn questions_out(models: &[entity::question::Model]) -> Result<Vec<Question>> {
    models
        .iter()
        .enumerate()
        .map(|(i, m)| Ok(question(store::to_question(m)?, i)))
        .collect()
}

pub(super) async fn survey_with_questions(ctx: &Context<'_>, m: survey::Model) -> Result<Survey> {
    let qs = store::questions(crate::graphql::db(ctx), m.id).await?;
    Ok(survey_out(
        m,
        questions_out(&qs)?,
        ctx.data_unchecked::<PublicUrl>(),
    ))
}

crate::graphql::types::connection!(SurveyConnection, SurveyEdge, Survey);
