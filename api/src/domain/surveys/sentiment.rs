//! Sentiment rules and the durable scoring queue. The model itself lives in the
//! `sentiment` crate and runs in a separate process, `loupe-sentiment` (the `worker`
//! crate), which drains this queue with `crate::jobs::sentiment`: the server never links
//! libtorch.
//!
//! - Only `SHORT_TEXT` and `LONG_TEXT` answers are scored; every other answer, and an
//!   empty or whitespace-only text, has no sentiment.
//! - Only responses first submitted at or after `sentiment_enabled_at` are scored.
//!   Disabling clears it; enabling again sets a new moment, so the gap is never
//!   backfilled.
//! - A job is written in the same transaction as its answer; the worker deletes it in
//!   the transaction that stores the score. Nothing is scored on the request path.

use std::sync::LazyLock;
use std::time::Duration;

use entity::organization::{self, Plan};
use entity::survey;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, Set, Statement,
};
use tokio::sync::Notify;

use super::answers::{AnswerValue, CheckedAnswer, Question};
use super::definition::QuestionType;
use crate::error::{AppError, AppResult};

/// The sentiment of a text, as stored in `answer.sentiment_label`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Label {
    Negative,
    Neutral,
    Positive,
}

impl Label {
    /// The stored label, back to its variant (`None` for anything else).
    pub fn parse(s: &str) -> Option<Label> {
        match s {
            "NEGATIVE" => Some(Label::Negative),
            "NEUTRAL" => Some(Label::Neutral),
            "POSITIVE" => Some(Label::Positive),
            _ => None,
        }
    }

    /// `"NEGATIVE"`, `"NEUTRAL"` or `"POSITIVE"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Label::Negative => "NEGATIVE",
            Label::Neutral => "NEUTRAL",
            Label::Positive => "POSITIVE",
        }
    }
}

/// True for text that shows nothing: empty, or only whitespace and invisible characters
/// (zero-width spaces and joiners, byte-order marks, soft hyphens, direction marks,
/// variation selectors, Hangul fillers). Such an answer is no answer, and has no sentiment.
/// The model crate's `sentiment::is_blank` is the same rule; the worker crate's tests check
/// both agree on every code point.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// A job that failed this many times is dropped (its answer stays unscored).
pub const MAX_ATTEMPTS: i32 = 3;

/// Whether answers to this question type are ever scored.
pub fn applies_to(kind: QuestionType) -> bool {
    matches!(kind, QuestionType::ShortText | QuestionType::LongText)
}

/// Whether a submission holds an answer that may need a job. Whether the survey has sentiment
/// on is left to [`enqueue_new`] and [`enqueue`], which read the survey row in the writing
/// transaction: a cached survey may be up to a cache period old, and a response submitted
/// just after enabling must still be scored.
pub fn may_need_jobs(questions: &[Question], answers: &[CheckedAnswer]) -> bool {
    answers.iter().any(|a| {
        matches!(a.value, AnswerValue::Text(_))
            && questions
                .iter()
                .any(|q| q.id == a.question_id && applies_to(q.def.kind))
    })
}

/// Turns scoring of new responses on or off (plan SCALE).
#[tracing::instrument(skip(db, org), fields(org_id = org.id))]
pub async fn set_enabled(
    db: &DatabaseConnection,
    changes: &crate::changes::Changes,
    org: &organization::Model,
    survey_id: i64,
    enabled: bool,
) -> AppResult<survey::Model> {
    let current = super::store::get(db, org.id, survey_id).await?;
    if enabled {
        crate::domain::caller::has(org, crate::domain::caller::Feature::Sentiment)?;
    }
    if enabled == current.sentiment_enabled_at.is_some() {
        return Ok(current);
    }
    let now = crate::domain::now();
    let mut active: survey::ActiveModel = current.into();
    active.sentiment_enabled_at = Set(enabled.then_some(now));
    active.updated_at = Set(now);
    let saved = active.update(db).await?;
    changes
        .record(db, crate::changes::Change::Survey(saved.id))
        .await?;
    Ok(saved)
}

static WAKE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Tells a worker in this process (or the supervisor of a child worker) that jobs are waiting.
pub fn wake() {
    WAKE.notify_one();
}

/// Waits until [`wake`] is called or `timeout` passes (jobs written by another process
/// are found by polling).
pub async fn wait(timeout: Duration) {
    let _ = tokio::time::timeout(timeout, WAKE.notified()).await;
}

/// [`enqueue`] for new responses, each given with its survey: the surveys' rows are read
/// first, by primary key, in the writing transaction, and the join runs only for responses
/// to surveys with sentiment on (most have it off, and the join is the group commit's most
/// expensive statement).
pub async fn enqueue_new(db: &impl ConnectionTrait, responses: &[(i64, i64)]) -> AppResult<u64> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if responses.is_empty() {
        return Ok(0);
    }
    let mut surveys: Vec<i64> = responses.iter().map(|(survey, _)| *survey).collect();
    surveys.sort_unstable();
    surveys.dedup();
    let on: Vec<i64> = survey::Entity::find()
        .select_only()
        .column(survey::Column::Id)
        .filter(survey::Column::Id.is_in(surveys))
        .filter(survey::Column::SentimentEnabledAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i64> = responses
        .iter()
        .filter(|(survey, _)| on.contains(survey))
        .map(|(_, id)| *id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    enqueue(db, &ids).await
}

/// Queues the scorable answers of these responses (same transaction as the answers): text
/// answers of surveys with sentiment on since before the response, in organizations still on
/// a plan with sentiment (a downgrade stops scoring; nothing already scored is removed).
/// Returns how many jobs were written.
pub async fn enqueue(db: &impl ConnectionTrait, response_ids: &[i64]) -> AppResult<u64> {
    let b = db.get_database_backend();
    let mut written = 0;
    for chunk in response_ids.chunks(1000) {
        // The ids come from the database, never from a client.
        let ids = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let now = if b == DbBackend::Postgres { "$1" } else { "?" };
        let sql = format!(
            "INSERT INTO sentiment_job (answer_id, survey_id, attempts, created_at) \
             SELECT a.id, a.survey_id, 0, {now} FROM answer a \
             JOIN question q ON q.id = a.question_id \
             JOIN response r ON r.id = a.response_id \
             JOIN survey s ON s.id = a.survey_id \
             JOIN organization o ON o.id = s.organization_id \
             WHERE a.response_id IN ({ids}) \
               AND o.plan = '{}' \
               AND q.kind IN ('{}', '{}') \
               AND a.text_value IS NOT NULL AND a.sentiment_label IS NULL \
               AND s.sentiment_enabled_at IS NOT NULL AND r.created_at >= s.sentiment_enabled_at \
               AND NOT EXISTS (SELECT 1 FROM sentiment_job j WHERE j.answer_id = a.id)",
            Plan::Scale.to_value(),
            QuestionType::ShortText.as_str(),
            QuestionType::LongText.as_str(),
        );
        written += db
            .execute(Statement::from_sql_and_values(
                b,
                sql,
                [crate::domain::now().into()],
            ))
            .await?
            .rows_affected();
    }
    Ok(written)
}

/// One answer waiting for its score.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub answer_id: i64,
    pub text: String,
}

/// The oldest jobs, at most `limit`. On PostgreSQL they are locked in `db`'s transaction
/// and skipped by other workers (`FOR UPDATE SKIP LOCKED`), so no two workers ever
/// score one answer.
pub async fn claim(db: &impl ConnectionTrait, limit: u64) -> AppResult<Vec<Job>> {
    let b = db.get_database_backend();
    let sql = if b == DbBackend::Postgres {
        "SELECT j.id, j.answer_id, COALESCE(a.text_value, '') AS text FROM sentiment_job j \
         JOIN answer a ON a.id = j.answer_id ORDER BY j.id LIMIT $1 FOR UPDATE OF j SKIP LOCKED"
    } else {
        "SELECT j.id, j.answer_id, COALESCE(a.text_value, '') AS text FROM sentiment_job j \
         JOIN answer a ON a.id = j.answer_id ORDER BY j.id LIMIT ?"
    };
    let rows = db
        .query_all(Statement::from_sql_and_values(
            b,
            sql,
            [(limit as i64).into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Job {
                id: r.try_get("", "id")?,
                answer_id: r.try_get("", "answer_id")?,
                text: r.try_get("", "text")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// Stores scores and deletes their jobs, with a `sentiment_scored` webhook event per
/// response that got a score (call the outbox's `wake` after the commit). A job already gone (another process on SQLite
/// finished it) leaves its answer alone. Returns how many answers were written.
pub async fn finish(
    db: &impl ConnectionTrait,
    results: &[(Job, Option<(&'static str, f64)>)],
) -> AppResult<u64> {
    let b = db.get_database_backend();
    let (del, upd) = if b == DbBackend::Postgres {
        (
            "DELETE FROM sentiment_job WHERE id = $1",
            "UPDATE answer SET sentiment_label = $1, sentiment_score = $2 WHERE id = $3",
        )
    } else {
        (
            "DELETE FROM sentiment_job WHERE id = ?",
            "UPDATE answer SET sentiment_label = ?, sentiment_score = ? WHERE id = ?",
        )
    };
    let mut written = 0;
    let mut scored_answers = Vec::new();
    for (job, score) in results {
        let gone = db
            .execute(Statement::from_sql_and_values(b, del, [job.id.into()]))
            .await?
            .rows_affected();
        if gone == 0 {
            continue;
        }
        if let Some((label, score)) = score {
            db.execute(Statement::from_sql_and_values(
                b,
                upd,
                [(*label).into(), (*score).into(), job.answer_id.into()],
            ))
            .await?;
            written += 1;
            scored_answers.push(job.answer_id);
        }
    }
    if !scored_answers.is_empty() {
        // One `sentiment_scored` event per response, whatever the number of its answers.
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        let mut responses: Vec<i64> = entity::answer::Entity::find()
            .select_only()
            .column(entity::answer::Column::ResponseId)
            .filter(entity::answer::Column::Id.is_in(scored_answers))
            .into_tuple()
            .all(db)
            .await?;
        responses.sort_unstable();
        responses.dedup();
        super::facts::refresh(db, &responses).await?;
        crate::domain::webhooks::outbox::emit_for_responses(
            db,
            crate::domain::webhooks::events::EventType::SentimentScored,
            &responses,
        )
        .await?;
    }
    Ok(written)
}

/// Counts a failed attempt on these jobs and drops those that failed too often.
pub async fn failed(db: &DatabaseConnection, jobs: &[Job]) -> AppResult<()> {
    let b = db.get_database_backend();
    let txn = crate::db::begin_write(db).await?;
    for j in jobs {
        let sql = if b == DbBackend::Postgres {
            "UPDATE sentiment_job SET attempts = attempts + 1 WHERE id = $1"
        } else {
            "UPDATE sentiment_job SET attempts = attempts + 1 WHERE id = ?"
        };
        txn.execute(Statement::from_sql_and_values(b, sql, [j.id.into()]))
            .await?;
    }
    let sql = if b == DbBackend::Postgres {
        "DELETE FROM sentiment_job WHERE attempts >= $1"
    } else {
        "DELETE FROM sentiment_job WHERE attempts >= ?"
    };
    txn.execute(Statement::from_sql_and_values(
        b,
        sql,
        [MAX_ATTEMPTS.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Jobs waiting, for metrics and tests.
pub async fn pending(db: &impl ConnectionTrait) -> AppResult<u64> {
    let b = db.get_database_backend();
    let row = db
        .query_one(Statement::from_string(
            b,
            "SELECT COUNT(*) AS n FROM sentiment_job",
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64)
}
