//! Accepting responses from a site's visitors, and reading them back.

use std::collections::HashMap;

use entity::survey::{self, Status};
use entity::{answer, answer_choice, response};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::Value;

use super::answers::{check_response, AnswerValue, CheckedAnswer, Question, SubmittedAnswer};
use super::definition::QuestionType;
use super::store;
use crate::domain::now;
use crate::domain::privacy;
use crate::error::{AppError, AppResult};

pub const MAX_VISITOR_ID_CHARS: usize = 100;

/// What the request tells about the visitor, already reduced to families.
#[derive(Debug, Clone, Default)]
pub struct ClientContext {
    pub device: Option<&'static str>,
    pub browser: Option<&'static str>,
    pub os: Option<&'static str>,
    pub country: Option<String>,
    /// DNT / Sec-GPC / opt-out: the answers are kept, the visitor link is not.
    pub do_not_track: bool,
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub visitor_id: Option<String>,
    /// Completes an earlier partial response of the same visitor.
    pub response_id: Option<i64>,
    pub complete: bool,
    pub answers: Vec<SubmittedAnswer>,
    pub page_url: Option<String>,
    pub context: ClientContext,
}

/// A visitor id as pages send it, or a clear error.
pub fn valid_visitor_id(raw: Option<&str>) -> AppResult<Option<String>> {
    let Some(v) = raw.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    if v.chars().count() > MAX_VISITOR_ID_CHARS
        || !v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
    {
        return Err(AppError::bad_input(
            "visitor_id",
            format!("visitor_id must be 1–{MAX_VISITOR_ID_CHARS} letters, digits or -_.:"),
        ));
    }
    Ok(Some(v.to_owned()))
}

/// The survey of `site_id` if it accepts responses now.
pub async fn accepting_survey(db: &impl ConnectionTrait, site_id: i64, survey_id: i64) -> AppResult<survey::Model> {
    let survey = survey::Entity::find_by_id(survey_id)
        .filter(survey::Column::SiteId.eq(site_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if survey.status != Status::Active {
        return Err(AppError::Conflict("this survey is not accepting responses".into()));
    }
    Ok(survey)
}

/// Checks and stores a submission in one transaction. Nothing of a rejected submission
/// is stored; when this returns `Ok`, the response is committed.
#[tracing::instrument(skip(db, sub), fields(answers = sub.answers.len()))]
pub async fn submit(db: &DatabaseConnection, site_id: i64, survey_id: i64, sub: Submission) -> AppResult<response::Model> {
    let visitor = if sub.context.do_not_track { None } else { valid_visitor_id(sub.visitor_id.as_deref())? };
    let page_url = match sub.page_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(raw) => Some(
            privacy::url::scrub(raw, &[]).ok_or_else(|| AppError::bad_input("page_url", "page_url must be an http(s) URL"))?,
        ),
    };
    let txn = db.begin().await?;
    let survey = accepting_survey(&txn, site_id, survey_id).await?;
    let questions = store::questions(&txn, survey.id)
        .await?
        .iter()
        .map(store::to_question)
        .collect::<AppResult<Vec<_>>>()?;

    let (existing, mut answers) = match sub.response_id {
        None => (None, sub.answers),
        Some(id) => {
            let previous = response::Entity::find_by_id(id)
                .filter(response::Column::SurveyId.eq(survey.id))
                .one(&txn)
                .await?
                .filter(|r| r.visitor_id.is_some() && r.visitor_id == visitor)
                .ok_or(AppError::NotFound)?;
            if previous.is_complete {
                return Err(AppError::Conflict("this response is already complete".into()));
            }
            let mut merged = stored_answers(&txn, previous.id, &questions).await?;
            for a in sub.answers {
                merged.retain(|m| m.question_id != a.question_id);
                merged.push(a);
            }
            (Some(previous), merged)
        }
    };
    answers.sort_by_key(|a| a.question_id);
    let checked = check_response(&questions, &answers, sub.complete)?;

    let at = now();
    let saved = match existing {
        Some(previous) => {
            let old: Vec<i64> = answer::Entity::find()
                .filter(answer::Column::ResponseId.eq(previous.id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect();
            answer_choice::Entity::delete_many().filter(answer_choice::Column::AnswerId.is_in(old.clone())).exec(&txn).await?;
            answer::Entity::delete_many().filter(answer::Column::Id.is_in(old)).exec(&txn).await?;
            let mut active: response::ActiveModel = previous.into();
            active.is_complete = Set(sub.complete);
            active.updated_at = Set(at);
            active.update(&txn).await?
        }
        None => {
            response::ActiveModel {
                organization_id: Set(survey.organization_id),
                survey_id: Set(survey.id),
                site_id: Set(site_id),
                visitor_id: Set(visitor),
                user_id: Set(None),
                is_complete: Set(sub.complete),
                device: Set(sub.context.device.map(str::to_owned)),
                browser: Set(sub.context.browser.map(str::to_owned)),
                os: Set(sub.context.os.map(str::to_owned)),
                country: Set(sub.context.country.clone()),
                page_url: Set(page_url),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    insert_answers(&txn, &saved, &checked).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn insert_answers(db: &impl ConnectionTrait, resp: &response::Model, answers: &[CheckedAnswer]) -> AppResult<()> {
    let at = now();
    for a in answers {
        let (text, number, other, choices) = match &a.value {
            AnswerValue::Text(t) => (Some(t.clone()), None, None, &[][..]),
            AnswerValue::Number(n) => (None, Some(*n), None, &[][..]),
            AnswerValue::Choices { selected, other } => (None, None, other.clone(), selected.as_slice()),
        };
        let row = answer::ActiveModel {
            response_id: Set(resp.id),
            survey_id: Set(resp.survey_id),
            question_id: Set(a.question_id),
            text_value: Set(text),
            number_value: Set(number),
            other_text: Set(other),
            comment: Set(a.comment.clone()),
            sentiment_label: Set(None),
            sentiment_score: Set(None),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
        if !choices.is_empty() {
            answer_choice::Entity::insert_many(choices.iter().map(|c| answer_choice::ActiveModel {
                answer_id: Set(row.id),
                survey_id: Set(resp.survey_id),
                question_id: Set(a.question_id),
                choice: Set(c.clone()),
                ..Default::default()
            }))
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

/// A stored response's answers in submission form, to merge a completion into.
async fn stored_answers(db: &impl ConnectionTrait, response_id: i64, questions: &[Question]) -> AppResult<Vec<SubmittedAnswer>> {
    let multiple = |qid: i64| questions.iter().any(|q| q.id == qid && q.def.kind == QuestionType::MultipleChoice);
    let rows = answer::Entity::find().filter(answer::Column::ResponseId.eq(response_id)).all(db).await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let mut choices: HashMap<i64, Vec<String>> = HashMap::new();
    for c in answer_choice::Entity::find().filter(answer_choice::Column::AnswerId.is_in(ids)).all(db).await? {
        choices.entry(c.answer_id).or_default().push(c.choice);
    }
    Ok(rows
        .into_iter()
        .map(|a| SubmittedAnswer {
            question_id: a.question_id,
            value: answer_value(&a, choices.remove(&a.id), multiple(a.question_id)),
            other: a.other_text.clone(),
            comment: a.comment.clone(),
        })
        .collect())
}

/// The JSON value of a stored answer, as a client submitted it: a list for multiple
/// choice, one option for single choice.
pub fn answer_value(a: &answer::Model, choices: Option<Vec<String>>, multiple: bool) -> Value {
    if let Some(n) = a.number_value {
        return Value::from(n);
    }
    if let Some(t) = &a.text_value {
        return Value::from(t.as_str());
    }
    match (choices, multiple) {
        (Some(c), true) => Value::from(c),
        (None, true) => Value::from(Vec::<String>::new()),
        (Some(mut c), false) if !c.is_empty() => Value::from(c.remove(0)),
        _ => Value::Null,
    }
}

/// A stored response with its answers, for reading back.
#[derive(Debug, Clone)]
pub struct ResponseView {
    pub response: response::Model,
    pub answers: Vec<(answer::Model, Value)>,
}

/// Responses of a survey of `org_id`, newest first, with their answers (two batched
/// queries per page, whatever its size).
pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    survey_id: i64,
    filter: &super::summary::ResponseFilter,
    args: crate::domain::pagination::PageArgs,
) -> AppResult<crate::domain::pagination::Page<ResponseView>> {
    let survey = store::get(db, org_id, survey_id).await?;
    let select = filter.apply(response::Entity::find().filter(response::Column::SurveyId.eq(survey.id)));
    let page = crate::domain::pagination::paginate_newest_first(db, select, response::Column::Id, |r| r.id, args).await?;
    let ids: Vec<i64> = page.items.iter().map(|(_, r)| r.id).collect();
    let rows = answer::Entity::find().filter(answer::Column::ResponseId.is_in(ids)).all(db).await?;
    let mut choices: HashMap<i64, Vec<String>> = HashMap::new();
    for c in answer_choice::Entity::find()
        .filter(answer_choice::Column::AnswerId.is_in(rows.iter().map(|a| a.id)))
        .all(db)
        .await?
    {
        choices.entry(c.answer_id).or_default().push(c.choice);
    }
    let multiple: std::collections::HashSet<i64> = entity::question::Entity::find()
        .filter(entity::question::Column::SurveyId.eq(survey.id))
        .filter(entity::question::Column::Kind.eq(QuestionType::MultipleChoice.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let mut by_response: HashMap<i64, Vec<(answer::Model, Value)>> = HashMap::new();
    for a in rows {
        let value = answer_value(&a, choices.remove(&a.id), multiple.contains(&a.question_id));
        by_response.entry(a.response_id).or_default().push((a, value));
    }
    Ok(page.map(|r| ResponseView { answers: by_response.remove(&r.id).unwrap_or_default(), response: r }))
}
