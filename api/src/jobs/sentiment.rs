//! The sentiment worker's queue loop: claims jobs from the durable queue in batches, has a
//! [`Scorer`] score them and stores the scores.
//!
//! The model (libtorch) never runs in the server process: the scorer is implemented by the
//! `worker` crate's `loupe-sentiment` binary, which `loupe serve` starts and supervises as a
//! child (`crate::jobs::sentiment_child`), and which `loupe worker` runs alone. Several
//! workers on PostgreSQL share the queue: each round claims its jobs with
//! `FOR UPDATE SKIP LOCKED` and stores the scores before releasing them, so no answer is
//! scored twice and a crash or restart loses no job (its transaction rolls back).

use std::future::Future;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};

use crate::domain::surveys::sentiment::{self, Job};
use crate::error::{AppError, AppResult};

/// A score as stored: label and probability; `None` for text with nothing to score.
pub type Stored = Option<(&'static str, f64)>;

/// The model as the queue loop sees it.
pub trait Scorer: Sized + Send + Sync {
    /// One score per text, in order (`None` for blank text).
    fn score(&self, texts: Vec<String>)
        -> impl Future<Output = anyhow::Result<Vec<Stored>>> + Send;

    /// Whether the model is gone (it then answers nothing; [`Scorer::restart`] it).
    fn stopped(&self) -> bool;

    /// A new instance of the same model.
    fn restart(&self) -> impl Future<Output = anyhow::Result<Self>> + Send;
}

/// Knobs of a worker.
#[derive(Debug, Clone, Copy)]
pub struct WorkerOpts {
    /// Most answers claimed and scored in one round.
    pub batch: u64,
    /// How long to wait for more jobs after a wake-up, to fill a batch.
    pub linger: Duration,
    /// How often to look for jobs written by other processes.
    pub poll: Duration,
}

impl Default for WorkerOpts {
    fn default() -> Self {
        WorkerOpts {
            batch: 256,
            linger: Duration::from_millis(20),
            poll: Duration::from_secs(1),
        }
    }
}

/// Scores jobs for the life of the process.
pub async fn run<S: Scorer>(db: DatabaseConnection, scorer: S, opts: WorkerOpts) {
    let mut scorer = scorer;
    // Consecutive failures back off exponentially, from `poll` up to a minute.
    let mut backoff = opts.poll;
    loop {
        match round(&db, &scorer, opts.batch).await {
            Ok(Round::Idle) => {
                backoff = opts.poll;
                sentiment::wait(opts.poll).await;
                tokio::time::sleep(opts.linger).await;
            }
            Ok(Round::Scored(n)) => {
                backoff = opts.poll;
                tracing::debug!(jobs = n, "sentiment batch scored");
            }
            Ok(Round::Failed(_)) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Ok(Round::ModelStopped) => {
                tracing::error!("the sentiment model stopped; starting a new one");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                match scorer.restart().await {
                    Ok(s) => scorer = s,
                    Err(e) => tracing::error!(
                        error = %format!("{e:#}"),
                        "sentiment model not reloaded; answers stay queued"
                    ),
                }
            }
            Err(e) => {
                e.log_if_internal();
                tokio::time::sleep(opts.poll).await;
            }
        }
    }
}

/// The longest pause between rounds after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// One round: claims up to `limit` jobs, scores them and stores the scores. On
/// PostgreSQL the claim's row locks last until the scores are committed; on SQLite the
/// write lock is taken only to store them.
///
/// A batch the model fails on counts one attempt on each of its jobs; a job is dropped after
/// [`sentiment::MAX_ATTEMPTS`] (its answer stays unscored). A stopped model thread counts no
/// attempt: the jobs wait for a new one.
pub async fn round<S: Scorer>(db: &DatabaseConnection, scorer: &S, limit: u64) -> AppResult<Round> {
    let txn = if db.get_database_backend() == DbBackend::Postgres {
        Some(db.begin().await?)
    } else {
        None
    };
    let jobs: Vec<Job> = match &txn {
        Some(t) => sentiment::claim(t, limit).await?,
        None => sentiment::claim(db, limit).await?,
    };
    if jobs.is_empty() {
        if let Some(t) = txn {
            t.commit().await?;
        }
        return Ok(Round::Idle);
    }
    let n = jobs.len();
    let texts = jobs.iter().map(|j| j.text.clone()).collect();
    let scores = match scorer.score(texts).await {
        Ok(s) if s.len() == n => s,
        other => {
            if let Some(t) = txn {
                t.rollback().await?;
            }
            if scorer.stopped() {
                return Ok(Round::ModelStopped);
            }
            let e = other
                .err()
                .unwrap_or_else(|| anyhow::anyhow!("wrong number of scores"));
            tracing::error!(jobs = n, error = %format!("{e:#}"), "sentiment scoring failed; will retry");
            sentiment::failed(db, &jobs).await?;
            return Ok(Round::Failed(n));
        }
    };
    let results: Vec<(Job, Stored)> = jobs.into_iter().zip(scores).collect();
    let t = match txn {
        Some(t) => t,
        None => crate::db::begin_write(db).await?,
    };
    let written = sentiment::finish(&t, &results).await?;
    t.commit().await.map_err(AppError::from)?;
    if written > 0 {
        crate::domain::webhooks::outbox::wake();
    }
    Ok(Round::Scored(n))
}

/// What one [`round`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// No job was waiting.
    Idle,
    /// This many jobs were scored and stored.
    Scored(usize),
    /// The model failed on this many jobs; each got one more attempt counted.
    Failed(usize),
    /// The model thread is gone; no attempt was counted.
    ModelStopped,
}
