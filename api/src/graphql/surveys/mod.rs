//! Surveys and polls (one engine, filtered by kind), their questions, and responses:
//! the survey node (`node.rs`), responses and their filter (`responses.rs`), summaries
//! (`summary.rs`); queries and mutations here.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::survey::Kind;

use crate::domain::caller::{self, Action};
use crate::domain::pagination::Page;
use crate::domain::pagination::PageArgs;
use crate::domain::surveys::definition::{QuestionConfig, QuestionDef};
use crate::domain::surveys::responses;
use crate::domain::surveys::store::{
    self, ListFilter, NewSurvey, QuestionInput as DomainQuestionInput, SurveyPatch,
};
use crate::domain::surveys::summary::ResponseFilter;
use crate::domain::tag::PublicUrl;
use crate::domain::validation;
use crate::error::AppError;

mod node;
mod response;
mod survey_fields;

pub use node::*;
pub use response::*;

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
        let ingest = ctx.data_unchecked::<std::sync::Arc<crate::domain::surveys::ingest::Ingest>>();
        let stored = ingest
            .stored(super::db(ctx), principal.org_id(), validation::id(&id)?)
            .await?;
        let (m, qs) = &*stored;
        Ok(Some(survey_out(
            m.clone(),
            questions_out(qs)?,
            ctx.data_unchecked::<PublicUrl>(),
        )))
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
        // Counting scans every matching response: only when the query asks for it.
        let count = ctx.look_ahead().field("totalCount").exists();
        let page = responses::list(
            super::db(ctx),
            principal.org_id(),
            validation::id(&survey_id)?,
            &filter,
            args,
            count,
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
    /// Adds tags to a response (WRITE): each trimmed, 1–40 characters, at most 20 per
    /// response. Tags it has already stay. Another organization's response is NOT_FOUND.
    async fn tag_response(&self, ctx: &Context<'_>, id: ID, tags: Vec<String>) -> Result<Response> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::TagResponses)?;
        let (db, org) = (super::db(ctx), principal.org_id());
        let id = validation::id(&id)?;
        crate::domain::surveys::tags::add(db, org, id, &tags).await?;
        Ok(response_out(responses::view(db, org, id).await?))
    }

    /// Removes tags from a response (WRITE); tags it does not have are ignored.
    async fn untag_response(
        &self,
        ctx: &Context<'_>,
        id: ID,
        tags: Vec<String>,
    ) -> Result<Response> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::TagResponses)?;
        let (db, org) = (super::db(ctx), principal.org_id());
        let id = validation::id(&id)?;
        crate::domain::surveys::tags::remove(db, org, id, &tags).await?;
        Ok(response_out(responses::view(db, org, id).await?))
    }

    /// Creates a survey or poll (WRITE), as a DRAFT.
    async fn create_survey(&self, ctx: &Context<'_>, input: CreateSurveyInput) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::AuthorSurveys)?;
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
        caller::may(principal, Action::AuthorSurveys)?;
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
            super::changes(ctx),
            principal.org_id(),
            validation::id(&id)?,
            patch,
        )
        .await?;
        survey_with_questions(ctx, m).await
    }

    /// Gives a LINK survey a new address (WRITE); the old link stops working at once.
    async fn rotate_survey_link(&self, ctx: &Context<'_>, id: ID) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::AuthorSurveys)?;
        let m = store::rotate_link(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            validation::id(&id)?,
        )
        .await?;
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
        caller::may(principal, Action::AuthorSurveys)?;
        let m = store::set_status(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            validation::id(&id)?,
            status.into(),
        )
        .await?;
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
        caller::may(principal, Action::AuthorSurveys)?;
        let m = crate::domain::surveys::sentiment::set_enabled(
            super::db(ctx),
            super::changes(ctx),
            &principal.org,
            validation::id(&id)?,
            enabled,
        )
        .await?;
        survey_with_questions(ctx, m).await
    }

    /// A DRAFT copy with the same questions and logic (WRITE).
    async fn duplicate_survey(&self, ctx: &Context<'_>, id: ID) -> Result<Survey> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::AuthorSurveys)?;
        let m = store::duplicate(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        survey_with_questions(ctx, m).await
    }
}
