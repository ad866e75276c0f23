//! How new responses are written: the accepting-survey and schedule checks, and the
//! multi-row batch insert that the group commit (`ingest`) and partial completions use.

use entity::survey::{self, Status};
use entity::{answer, answer_choice, response};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};

use super::answers::{AnswerValue, CheckedAnswer};
use crate::domain::now;
use crate::domain::visitor::ClientContext;
use crate::domain::webhooks::events::EventType;
use crate::domain::webhooks::outbox;
use crate::error::{AppError, AppResult};

/// The survey of `site_id` if it accepts responses now.
pub async fn accepting_survey(
    db: &impl ConnectionTrait,
    site_id: i64,
    survey_id: i64,
) -> AppResult<survey::Model> {
    let survey = survey::Entity::find_by_id(survey_id)
        .filter(survey::Column::SiteId.eq(site_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if survey.status != Status::Active {
        return Err(AppError::Conflict(
            "this survey is not accepting responses".into(),
        ));
    }
    Ok(survey)
}

/// A survey outside its schedule (before `startsAt`, after `endsAt`) takes no answers.
pub fn check_schedule(survey: &survey::Model) -> AppResult<()> {
    let t = super::targeting::Targeting::from_json(&survey.targeting)?;
    let at = now();
    if t.starts_at.is_some_and(|s| at < s) || t.ends_at.is_some_and(|e| at >= e) {
        return Err(AppError::Conflict(
            "this survey is outside its schedule".into(),
        ));
    }
    Ok(())
}

/// A checked new response, ready to be written.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub organization_id: i64,
    pub survey_id: i64,
    pub site_id: i64,
    pub visitor_id: Option<String>,
    pub complete: bool,
    pub context: ClientContext,
    pub page_url: Option<String>,
    pub answers: Vec<CheckedAnswer>,
    /// Holds text answers that may get scoring jobs ([`crate::domain::surveys::sentiment::may_need_jobs`]).
    pub score_sentiment: bool,
    /// JSON object of a link survey's hidden fields.
    pub hidden_fields: Option<String>,
    /// The browser tag's session id (links the response to its recording); checked,
    /// and `None` under DNT/GPC/opt-out.
    pub recording_session_id: Option<String>,
}

/// Writes new responses in one transaction: one multi-row insert for the responses,
/// then every answer and selected choice of the batch in multi-row inserts.
///
/// Ids: on PostgreSQL they are reserved from the sequence and inserted explicitly. SQLite
/// gives a multi-row insert consecutive rowids inside the write transaction, so they are
/// `last_insert_rowid() − n + 1 ..= last`; asking it for RETURNING rows instead would
/// cost one thread hand-off per row in sqlx.
pub async fn write_batch(db: &DatabaseConnection, rows: &[&NewResponse]) -> AppResult<Vec<i64>> {
    use sea_orm::sea_query::{Query, SimpleExpr};
    const CHUNK: usize = 1000; // × 17 columns, under every bind-parameter limit
    let txn = db.begin().await?;
    let at = now();
    let mut ids = Vec::with_capacity(rows.len());
    let backend = txn.get_database_backend();
    for chunk in rows.chunks(CHUNK) {
        // PostgreSQL: reserve the ids first and insert them explicitly, so nothing
        // depends on the order of RETURNING rows (which PostgreSQL does not promise).
        let reserved: Vec<i64> = if backend == sea_orm::DbBackend::Postgres {
            let stmt = sea_orm::Statement::from_sql_and_values(
                backend,
                "SELECT nextval(pg_get_serial_sequence('response', 'id')) AS id FROM generate_series(1, $1)",
                [(chunk.len() as i64).into()],
            );
            let mut got = Vec::with_capacity(chunk.len());
            for row in txn.query_all(stmt).await? {
                got.push(row.try_get::<i64>("", "id")?);
            }
            got
        } else {
            vec![]
        };
        let mut insert = Query::insert();
        let mut columns = vec![
            response::Column::OrganizationId,
            response::Column::SurveyId,
            response::Column::SiteId,
            response::Column::VisitorId,
            response::Column::UserId,
            response::Column::IsComplete,
            response::Column::Device,
            response::Column::Browser,
            response::Column::Os,
            response::Column::Country,
            response::Column::PageUrl,
            response::Column::HiddenFields,
            response::Column::RecordingSessionId,
            response::Column::Facts,
            response::Column::CreatedAt,
            response::Column::UpdatedAt,
        ];
        if !reserved.is_empty() {
            columns.push(response::Column::Id);
        }
        insert.into_table(response::Entity).columns(columns);
        for (i, r) in chunk.iter().enumerate() {
            let mut values: Vec<sea_orm::Value> = vec![
                r.organization_id.into(),
                r.survey_id.into(),
                r.site_id.into(),
                r.visitor_id.clone().into(),
                Option::<String>::None.into(),
                r.complete.into(),
                r.context.device.map(str::to_owned).into(),
                r.context.browser.map(str::to_owned).into(),
                r.context.os.map(str::to_owned).into(),
                r.context.country.clone().into(),
                r.page_url.clone().into(),
                r.hidden_fields.clone().into(),
                r.recording_session_id.clone().into(),
                super::facts::of_answers(&r.answers).into(),
                at.into(),
                at.into(),
            ];
            if let Some(id) = reserved.get(i) {
                values.push((*id).into());
            }
            insert
                .values(values.into_iter().map(SimpleExpr::from))
                .map_err(AppError::internal)?;
        }
        let result = txn.execute(backend.build(&insert)).await?;
        if reserved.is_empty() {
            // SQLite gives the rows of one multi-row insert consecutive rowids inside
            // the write transaction; the last one is reported.
            let last = result.last_insert_id() as i64;
            ids.extend((last - chunk.len() as i64 + 1)..=last);
        } else {
            ids.extend(reserved);
        }
    }
    if ids.len() != rows.len() {
        return Err(AppError::internal(anyhow::anyhow!(
            "{} responses written, {} ids returned",
            rows.len(),
            ids.len()
        )));
    }
    let sets: Vec<(i64, i64, &[CheckedAnswer])> = rows
        .iter()
        .zip(&ids)
        .map(|(r, id)| (*id, r.survey_id, r.answers.as_slice()))
        .collect();
    insert_answers(&txn, &sets).await?;
    let scored: Vec<(i64, i64)> = rows
        .iter()
        .zip(&ids)
        .filter(|(r, _)| r.score_sentiment)
        .map(|(r, id)| (r.survey_id, *id))
        .collect();
    let jobs = crate::domain::surveys::sentiment::enqueue_new(&txn, &scored).await?;
    let hooks = outbox::emit(&txn, &response_events(rows, &ids)).await?;
    txn.commit().await?;
    if jobs > 0 {
        crate::domain::surveys::sentiment::wake();
    }
    if hooks > 0 {
        outbox::wake();
    }
    Ok(ids)
}

/// The webhook events of new responses: each is created, and complete ones completed.
fn response_events(rows: &[&NewResponse], ids: &[i64]) -> Vec<outbox::Event> {
    let mut events = Vec::with_capacity(rows.len() * 2);
    for (r, id) in rows.iter().zip(ids) {
        events.push(outbox::Event {
            site_id: r.site_id,
            kind: EventType::ResponseCreated,
            subject_id: *id,
        });
        if r.complete {
            events.push(outbox::Event {
                site_id: r.site_id,
                kind: EventType::ResponseCompleted,
                subject_id: *id,
            });
        }
    }
    events
}

/// Multi-row inserts of answers and selected choices, chunked to stay under the
/// databases' bind-parameter limits.
pub(super) async fn insert_answers(
    db: &impl ConnectionTrait,
    sets: &[(i64, i64, &[CheckedAnswer])],
) -> AppResult<()> {
    const CHUNK: usize = 2000; // × 11 columns < SQLite's 32766 and PostgreSQL's 65535 parameters
    let at = now();
    let mut answers = Vec::new();
    let mut choices = Vec::new();
    for (response_id, survey_id, checked) in sets {
        for a in checked.iter() {
            let (text, number, other, selected) = match &a.value {
                AnswerValue::Text(t) => (Some(t.clone()), None, None, &[][..]),
                AnswerValue::Number(n) => (None, Some(*n), None, &[][..]),
                AnswerValue::Choices { selected, other } => {
                    (None, None, other.clone(), selected.as_slice())
                }
            };
            answers.push(answer::ActiveModel {
                response_id: Set(*response_id),
                survey_id: Set(*survey_id),
                question_id: Set(a.question_id),
                text_value: Set(text),
                number_value: Set(number),
                other_text: Set(other),
                comment: Set(a.comment.clone()),
                sentiment_label: Set(None),
                sentiment_score: Set(None),
                created_at: Set(at),
                ..Default::default()
            });
            for c in selected {
                choices.push(answer_choice::ActiveModel {
                    response_id: Set(*response_id),
                    survey_id: Set(*survey_id),
                    question_id: Set(a.question_id),
                    choice: Set(c.clone()),
                    ..Default::default()
                });
            }
        }
    }
    while !answers.is_empty() {
        let rest = answers.split_off(answers.len().min(CHUNK));
        answer::Entity::insert_many(std::mem::replace(&mut answers, rest))
            .exec_without_returning(db)
            .await?;
    }
    while !choices.is_empty() {
        let rest = choices.split_off(choices.len().min(CHUNK));
        answer_choice::Entity::insert_many(std::mem::replace(&mut choices, rest))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
