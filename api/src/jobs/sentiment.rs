//! The sentiment worker: a thread that owns the model (tch tensors are not `Sync`) and a
//! task that feeds it jobs from the durable queue in batches.
//!
//! `loupe serve` runs one embedded worker; `loupe worker` runs scoring alone. Several
//! workers on PostgreSQL share the queue: each round claims its jobs with
//! `FOR UPDATE SKIP LOCKED` and stores the scores before releasing them, so no answer is
//! scored twice and a crash or restart loses no job (its transaction rolls back).

use std::path::PathBuf;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use crate::domain::surveys::sentiment::{self, Job};
use crate::error::{AppError, AppResult};

/// A score as stored: label and probability; `None` for text with nothing to score.
pub type Stored = Option<(&'static str, f64)>;

type Request = (Vec<String>, oneshot::Sender<anyhow::Result<Vec<Stored>>>);

/// Handle to the model thread.
#[derive(Clone)]
pub struct Scorer {
    tx: mpsc::Sender<Request>,
    dir: Option<PathBuf>,
}

impl Scorer {
    /// Starts the model thread and waits until the model is loaded (from `dir`, or
    /// `LOUPE_SENTIMENT_MODEL`, or the default model).
    pub async fn start(dir: Option<PathBuf>) -> anyhow::Result<Scorer> {
        let (tx, mut rx) = mpsc::channel::<Request>(4);
        let (ready_tx, ready_rx) = oneshot::channel::<anyhow::Result<()>>();
        let model_dir = dir.clone();
        std::thread::Builder::new()
            .name("sentiment".into())
            .spawn(move || {
                let loaded = match &model_dir {
                    Some(d) => ::sentiment::Model::load(d),
                    None => ::sentiment::Model::load_default(),
                };
                let model = match loaded {
                    Ok(m) => {
                        let _ = ready_tx.send(Ok(()));
                        m
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                while let Some((texts, reply)) = rx.blocking_recv() {
                    // libtorch errors often surface as panics in tch: a batch that panics
                    // fails alone, and the thread keeps its model for the next one.
                    let scored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        score_texts(&model, &texts)
                    }))
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the model panicked on this batch")));
                    let _ = reply.send(scored);
                }
            })?;
        ready_rx
            .await
            .map_err(|_| anyhow::anyhow!("the sentiment thread stopped while loading"))??;
        Ok(Scorer { tx, dir })
    }

    /// A handle whose model thread is already gone, as after a crash of that thread (tests).
    #[doc(hidden)]
    pub fn detached() -> Scorer {
        let (tx, _) = mpsc::channel(1);
        Scorer { tx, dir: None }
    }

    /// Whether the model thread is gone (it then answers nothing; start a new one).
    pub fn stopped(&self) -> bool {
        self.tx.is_closed()
    }

    /// A new model thread loading the same model.
    pub async fn restart(&self) -> anyhow::Result<Scorer> {
        Scorer::start(self.dir.clone()).await
    }

    /// Scores texts on the model thread.
    pub async fn score(&self, texts: Vec<String>) -> anyhow::Result<Vec<Stored>> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send((texts, reply))
            .await
            .map_err(|_| anyhow::anyhow!("the sentiment thread has stopped"))?;
        rx.await
            .map_err(|_| anyhow::anyhow!("the sentiment thread has stopped"))?
    }
}

/// Scores what can be scored; empty and whitespace-only texts get no score.
fn score_texts(model: &::sentiment::Model, texts: &[String]) -> anyhow::Result<Vec<Stored>> {
    let scorable: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| ::sentiment::is_scorable(t))
        .collect();
    let mut scores = model.score_batch(&scorable)?.into_iter();
    texts
        .iter()
        .map(|t| {
            if !::sentiment::is_scorable(t) {
                return Ok(None);
            }
            let s = scores
                .next()
                .ok_or_else(|| anyhow::anyhow!("the model returned too few scores"))?;
            Ok(Some((s.label.as_str(), f64::from(s.score))))
        })
        .collect()
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

/// Scores jobs for the life of the process. Without a scorer, the model is loaded when
/// the first job appears, so a server that never scores never pays for the model; if it
/// cannot be loaded, scoring stops there (the jobs stay queued).
pub async fn run(db: DatabaseConnection, scorer: Option<Scorer>, opts: WorkerOpts) {
    let scorer = match scorer {
        Some(s) => s,
        None => loop {
            match sentiment::pending(&db).await {
                Ok(0) => sentiment::wait(opts.poll).await,
                Ok(_) => match Scorer::start(None).await {
                    Ok(s) => {
                        tracing::info!("sentiment model loaded");
                        break s;
                    }
                    Err(e) => {
                        tracing::error!(
                            error = %format!("{e:#}"),
                            "sentiment model not loaded: answers stay queued (see LOUPE_SENTIMENT_MODEL)"
                        );
                        return;
                    }
                },
                Err(e) => {
                    e.log_if_internal();
                    tokio::time::sleep(opts.poll).await;
                }
            }
        },
    };
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
                tracing::error!("the sentiment thread stopped; starting a new one");
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
pub async fn round(db: &DatabaseConnection, scorer: &Scorer, limit: u64) -> AppResult<Round> {
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
