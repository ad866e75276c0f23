//! Surveys and polls in the database: authoring, status, duplication, listing.
//! Every function is scoped by organization; another organization's survey is not found.

use entity::survey::{self, Distribution, Kind, Status};
use entity::{answer, question, response};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use super::answers::Question;
use super::definition::{self, LogicRule, QuestionConfig, QuestionDef, QuestionType};
use super::targeting::Targeting;
use crate::changes::{Change, Changes};
use crate::domain::pagination::{paginate, Page, PageArgs};
use crate::domain::{now, sites, validation};
use crate::error::{AppError, AppResult};

pub const MAX_POLL_QUESTIONS: usize = 5;
pub const MAX_THANK_YOU_CHARS: usize = 2000;

/// A question as submitted for saving: `id` names an existing question to keep.
#[derive(Debug, Clone)]
pub struct QuestionInput {
    pub id: Option<i64>,
    pub def: QuestionDef,
}

#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub site_id: i64,
    pub kind: Kind,
    pub name: String,
    pub thank_you: Option<String>,
    pub targeting: Targeting,
    pub questions: Vec<QuestionInput>,
    /// `None`: `SITE`.
    pub distribution: Option<Distribution>,
    pub hidden_fields: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SurveyPatch {
    pub name: Option<String>,
    /// `Some(None)` clears the text.
    pub thank_you: Option<Option<String>>,
    /// The whole new list, in order.
    pub questions: Option<Vec<QuestionInput>>,
    pub targeting: Option<Targeting>,
    pub distribution: Option<Distribution>,
    pub hidden_fields: Option<Vec<String>>,
}

/// Parses a stored question row back into its definition.
pub fn to_question(m: &question::Model) -> AppResult<Question> {
    let kind = QuestionType::parse(&m.kind).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "question {} has unknown type {:?}",
            m.id,
            m.kind
        ))
    })?;
    let config: QuestionConfig = serde_json::from_str(&m.config).map_err(AppError::internal)?;
    let logic: Vec<LogicRule> = serde_json::from_str(&m.logic).map_err(AppError::internal)?;
    Ok(Question {
        id: m.id,
        def: QuestionDef {
            key: m.key.clone(),
            kind,
            prompt: m.prompt.clone(),
            required: m.required,
            config,
            logic,
        },
    })
}

fn thank_you(value: Option<&str>) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => validation::name("thankYou", v, MAX_THANK_YOU_CHARS).map(Some),
    }
}

fn check_kind_size(kind: Kind, questions: usize) -> AppResult<()> {
    if kind == Kind::Poll && questions > MAX_POLL_QUESTIONS {
        return Err(AppError::bad_input(
            "questions",
            format!("a poll has at most {MAX_POLL_QUESTIONS} questions"),
        ));
    }
    Ok(())
}

/// A targeted segment must be one of the survey's own site.
async fn check_segment(db: &impl ConnectionTrait, site_id: i64, t: &Targeting) -> AppResult<()> {
    let Some(id) = t.segment_id else {
        return Ok(());
    };
    let found = entity::segment::Entity::find_by_id(id)
        .filter(entity::segment::Column::SiteId.eq(site_id))
        .one(db)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(AppError::bad_input(
            "targeting.segmentId",
            format!("segment {id} is not a segment of this survey's site"),
        )),
    }
}

#[tracing::instrument(skip(db, new), fields(site_id = new.site_id))]
pub async fn create(
    db: &DatabaseConnection,
    org_id: i64,
    new: NewSurvey,
) -> AppResult<survey::Model> {
    sites::get(db, org_id, new.site_id).await?;
    let name = validation::name("name", &new.name, validation::MAX_NAME_CHARS)?;
    let thank_you = thank_you(new.thank_you.as_deref())?;
    if let Some(i) = new.questions.iter().position(|q| q.id.is_some()) {
        return Err(AppError::bad_input(
            format!("questions[{i}].id"),
            "a new survey has no existing questions",
        ));
    }
    check_kind_size(new.kind, new.questions.len())?;
    let defs = definition::validate(new.questions.into_iter().map(|q| q.def).collect())?;
    let targeting = new.targeting.validate()?;
    check_segment(db, new.site_id, &targeting).await?;
    let targeting = targeting.to_json()?;
    let distribution = new.distribution.unwrap_or(Distribution::Site);
    let hidden = super::links::hidden_field_names(&new.hidden_fields)?;
    let txn = db.begin().await?;
    let at = now();
    let survey = survey::ActiveModel {
        distribution: Set(distribution),
        link_token: Set((distribution == Distribution::Link).then(super::links::new_token)),
        hidden_fields: Set(serde_json::Value::from(hidden).to_string()),
        organization_id: Set(org_id),
        site_id: Set(new.site_id),
        kind: Set(new.kind),
        name: Set(name),
        status: Set(Status::Draft),
        targeting: Set(targeting),
        thank_you: Set(thank_you),
        sentiment_enabled_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (position, def) in defs.iter().enumerate() {
        insert_question(&txn, survey.id, position, def).await?;
    }
    txn.commit().await?;
    Ok(survey)
}

async fn insert_question(
    db: &impl ConnectionTrait,
    survey_id: i64,
    position: usize,
    def: &QuestionDef,
) -> AppResult<question::Model> {
    let at = now();
    Ok(question::ActiveModel {
        survey_id: Set(survey_id),
        position: Set(position as i32),
        key: Set(def.key.clone()),
        kind: Set(def.kind.as_str().to_owned()),
        prompt: Set(def.prompt.clone()),
        required: Set(def.required),
        config: Set(serde_json::to_string(&def.config).map_err(AppError::internal)?),
        logic: Set(serde_json::to_string(&def.logic).map_err(AppError::internal)?),
        archived_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, org_id: i64, id: i64) -> AppResult<survey::Model> {
    survey::Entity::find_by_id(id)
        .filter(survey::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The survey's current (not archived) questions, in order.
pub async fn questions(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> AppResult<Vec<question::Model>> {
    Ok(question::Entity::find()
        .filter(question::Column::SurveyId.eq(survey_id))
        .filter(question::Column::ArchivedAt.is_null())
        .order_by_asc(question::Column::Position)
        .all(db)
        .await?)
}

/// Every question the survey ever had, archived ones included, in order.
pub async fn all_questions(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> AppResult<Vec<question::Model>> {
    Ok(question::Entity::find()
        .filter(question::Column::SurveyId.eq(survey_id))
        .order_by_asc(question::Column::ArchivedAt.is_not_null())
        .order_by_asc(question::Column::Position)
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?)
}

/// Current questions of many surveys at once (one query), for list views.
pub async fn questions_of(
    db: &impl ConnectionTrait,
    survey_ids: &[i64],
) -> AppResult<Vec<question::Model>> {
    Ok(question::Entity::find()
        .filter(question::Column::SurveyId.is_in(survey_ids.iter().copied()))
        .filter(question::Column::ArchivedAt.is_null())
        .order_by_asc(question::Column::SurveyId)
        .order_by_asc(question::Column::Position)
        .all(db)
        .await?)
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    pub site_id: Option<i64>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    filter: ListFilter,
    args: PageArgs,
) -> AppResult<Page<survey::Model>> {
    let mut select = survey::Entity::find().filter(survey::Column::OrganizationId.eq(org_id));
    if let Some(site) = filter.site_id {
        select = select.filter(survey::Column::SiteId.eq(site));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(survey::Column::Kind.eq(kind));
    }
    if let Some(status) = filter.status {
        select = select.filter(survey::Column::Status.eq(status));
    }
    paginate(db, select, survey::Column::Id, |s| s.id, args).await
}

async fn has_responses(db: &impl ConnectionTrait, survey_id: i64) -> AppResult<bool> {
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .count(db)
        .await?
        > 0)
}

#[tracing::instrument(skip(db, patch))]
pub async fn update(
    db: &DatabaseConnection,
    changes: &Changes,
    org_id: i64,
    id: i64,
    patch: SurveyPatch,
) -> AppResult<survey::Model> {
    let txn = db.begin().await?;
    let current = get(&txn, org_id, id).await?;
    let mut active: survey::ActiveModel = current.clone().into();
    if let Some(name) = &patch.name {
        active.name = Set(validation::name("name", name, validation::MAX_NAME_CHARS)?);
    }
    if let Some(text) = &patch.thank_you {
        active.thank_you = Set(thank_you(text.as_deref())?);
    }
    if let Some(t) = patch.targeting {
        let t = t.validate()?;
        check_segment(&txn, current.site_id, &t).await?;
        active.targeting = Set(t.to_json()?);
    }
    if let Some(names) = &patch.hidden_fields {
        let names = super::links::hidden_field_names(names)?;
        active.hidden_fields = Set(serde_json::Value::from(names).to_string());
    }
    if let Some(d) = patch.distribution {
        active.distribution = Set(d);
        if d == Distribution::Link && current.link_token.is_none() {
            active.link_token = Set(Some(super::links::new_token()));
        }
    }
    if let Some(inputs) = patch.questions {
        check_kind_size(current.kind, inputs.len())?;
        replace_questions(&txn, &current, inputs).await?;
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    changes.record(db, Change::Survey(saved.id)).await?;
    Ok(saved)
}

/// Saves the new question list: kept questions are updated in place, new ones inserted,
/// dropped ones deleted — or archived once the survey has responses, so old answers
/// keep their meaning. An answered question cannot change type.
async fn replace_questions(
    db: &impl ConnectionTrait,
    survey: &survey::Model,
    inputs: Vec<QuestionInput>,
) -> AppResult<()> {
    let existing = questions(db, survey.id).await?;
    for (i, input) in inputs.iter().enumerate() {
        let Some(qid) = input.id else { continue };
        let Some(old) = existing.iter().find(|q| q.id == qid) else {
            return Err(AppError::bad_input(
                format!("questions[{i}].id"),
                format!("question {qid} is not part of this survey"),
            ));
        };
        if inputs[..i].iter().any(|other| other.id == Some(qid)) {
            return Err(AppError::bad_input(
                format!("questions[{i}].id"),
                format!("question {qid} is listed twice"),
            ));
        }
        let answered = answer::Entity::find()
            .filter(answer::Column::QuestionId.eq(qid))
            .count(db)
            .await?
            > 0;
        if answered {
            let old_def = to_question(old)?.def;
            let removed: Vec<&String> = old_def
                .config
                .options
                .iter()
                .filter(|o| {
                    !input
                        .def
                        .config
                        .options
                        .iter()
                        .any(|n| n.trim() == o.as_str())
                })
                .collect();
            let problem = if old_def.kind != input.def.kind {
                Some(("type", "its type cannot change".to_owned()))
            } else if !removed.is_empty() {
                Some((
                    "options",
                    format!("options {removed:?} cannot be removed or renamed"),
                ))
            } else if input.def.kind == QuestionType::Rating
                && input.def.config.scale_max.unwrap_or(5) != old_def.config.scale_max.unwrap_or(5)
            {
                Some(("scaleMax", "its scale cannot change".to_owned()))
            } else {
                None
            };
            if let Some((field, why)) = problem {
                return Err(AppError::bad_input(
                    format!("questions[{i}].{field}"),
                    format!("question {qid} has answers; {why} (add a new question instead, or leave it out to archive it)"),
                ));
            }
        }
    }
    let ids: Vec<Option<i64>> = inputs.iter().map(|q| q.id).collect();
    let defs = definition::validate(inputs.into_iter().map(|q| q.def).collect())?;
    let archive = has_responses(db, survey.id).await?;
    for old in existing.iter().filter(|q| !ids.contains(&Some(q.id))) {
        if archive {
            let mut a: question::ActiveModel = old.clone().into();
            a.archived_at = Set(Some(now()));
            // Free the key for new questions while keeping the row.
            a.key = Set(format!("archived-{}", old.id));
            a.update(db).await?;
        } else {
            question::Entity::delete_by_id(old.id).exec(db).await?;
        }
    }
    for (position, (id, def)) in ids.into_iter().zip(defs.iter()).enumerate() {
        match id {
            None => {
                insert_question(db, survey.id, position, def).await?;
            }
            Some(qid) => {
                question::Entity::update_many()
                    .set(question::ActiveModel {
                        position: Set(position as i32),
                        key: Set(def.key.clone()),
                        kind: Set(def.kind.as_str().to_owned()),
                        prompt: Set(def.prompt.clone()),
                        required: Set(def.required),
                        config: Set(serde_json::to_string(&def.config).map_err(AppError::internal)?),
                        logic: Set(serde_json::to_string(&def.logic).map_err(AppError::internal)?),
                        updated_at: Set(now()),
                        ..Default::default()
                    })
                    .filter(question::Column::Id.eq(qid))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Lifecycle: DRAFT → ACTIVE ⇄ PAUSED → CLOSED (CLOSED may be reopened). Activation needs
/// at least one question; back to DRAFT only while there are no responses.
#[tracing::instrument(skip(db))]
pub async fn set_status(
    db: &DatabaseConnection,
    changes: &Changes,
    org_id: i64,
    id: i64,
    status: Status,
) -> AppResult<survey::Model> {
    let current = get(db, org_id, id).await?;
    if current.status == status {
        return Ok(current);
    }
    match status {
        Status::Active => {
            let qs = questions(db, id).await?;
            if !qs
                .iter()
                .any(|q| q.kind != QuestionType::Statement.as_str())
            {
                return Err(AppError::bad_input(
                    "status",
                    "a survey needs at least one question to answer before it goes ACTIVE",
                ));
            }
        }
        Status::Draft if has_responses(db, id).await? => {
            return Err(AppError::bad_input(
                "status",
                "a survey with responses cannot go back to DRAFT",
            ));
        }
        _ => {}
    }
    let mut active: survey::ActiveModel = current.into();
    active.status = Set(status);
    active.updated_at = Set(now());
    let saved = active.update(db).await?;
    changes.record(db, Change::Survey(saved.id)).await?;
    Ok(saved)
}

/// A DRAFT copy with the same questions and logic, and no responses.
#[tracing::instrument(skip(db))]
pub async fn duplicate(db: &DatabaseConnection, org_id: i64, id: i64) -> AppResult<survey::Model> {
    let original = get(db, org_id, id).await?;
    let qs = questions(db, id).await?;
    let txn = db.begin().await?;
    let at = now();
    let name: String = format!("{} (copy)", original.name)
        .chars()
        .take(validation::MAX_NAME_CHARS)
        .collect();
    let copy = survey::ActiveModel {
        organization_id: Set(org_id),
        site_id: Set(original.site_id),
        kind: Set(original.kind),
        name: Set(name),
        status: Set(Status::Draft),
        targeting: Set(original.targeting.clone()),
        thank_you: Set(original.thank_you.clone()),
        distribution: Set(original.distribution),
        // A copy answers at its own address.
        link_token: Set(original.link_token.is_some().then(super::links::new_token)),
        hidden_fields: Set(original.hidden_fields.clone()),
        sentiment_enabled_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (position, q) in qs.iter().enumerate() {
        insert_question(&txn, copy.id, position, &to_question(q)?.def).await?;
    }
    txn.commit().await?;
    Ok(copy)
}

/// Gives a link survey a new address; the old link stops working at once.
#[tracing::instrument(skip(db))]
pub async fn rotate_link(
    db: &DatabaseConnection,
    changes: &Changes,
    org_id: i64,
    id: i64,
) -> AppResult<survey::Model> {
    let current = get(db, org_id, id).await?;
    if current.distribution != Distribution::Link {
        return Err(AppError::bad_input(
            "id",
            "only a survey with distribution LINK has a link",
        ));
    }
    let mut active: survey::ActiveModel = current.into();
    active.link_token = Set(Some(super::links::new_token()));
    active.updated_at = Set(now());
    let saved = active.update(db).await?;
    changes.record(db, Change::Survey(saved.id)).await?;
    Ok(saved)
}
