//! Group commit for recording batches: handlers prepare a batch (parse, mask, compress)
//! in parallel, then queue it; one writer task commits whatever is queued in a single
//! transaction, so durable commits cost one disk flush per group, not per request. A
//! handler answers only after its group committed.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use super::{store_all, Accepted, Prepared};
use crate::error::{AppError, AppResult};

/// Batches committed together at most.
pub const MAX_GROUP: usize = 128;
const QUEUE: usize = 4096;
/// Longest wait for a batch's group commit.
pub const WRITE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

struct Job {
    batch: Prepared,
    reply: oneshot::Sender<AppResult<Accepted>>,
}

pub struct RecordingWriter {
    queue: mpsc::Sender<Job>,
}

impl RecordingWriter {
    pub fn start(db: DatabaseConnection) -> Arc<RecordingWriter> {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, rx));
        Arc::new(RecordingWriter { queue })
    }

    /// Queues a prepared batch and waits until it is committed. A full queue is refused
    /// at once, and a commit that does not come within [`WRITE_DEADLINE`] (database
    /// frozen or unreachable) answers 503: the client retries, and a batch that did get
    /// committed meanwhile is recognised by its sequence number.
    pub async fn write(&self, batch: Prepared) -> AppResult<Accepted> {
        let (reply, done) = oneshot::channel();
        self.queue
            .try_send(Job { batch, reply })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => AppError::at_capacity(),
                mpsc::error::TrySendError::Closed(_) => {
                    AppError::internal(anyhow::anyhow!("recording writer stopped"))
                }
            })?;
        match tokio::time::timeout(WRITE_DEADLINE, done).await {
            Err(_) => Err(AppError::Unavailable(
                "the database did not commit in time; retry shortly".into(),
            )),
            Ok(reply) => reply.map_err(|_| {
                AppError::internal(anyhow::anyhow!("recording writer dropped a batch"))
            })?,
        }
    }
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Job>) {
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_GROUP);
    while let Some(first) = rx.recv().await {
        jobs.push(first);
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        crate::domain::webhooks::outbox::note_commit(jobs.len());
        let batches: Vec<&Prepared> = jobs.iter().map(|j| &j.batch).collect();
        match store_all(&db, &batches).await {
            Ok(results) => {
                for (job, result) in jobs.drain(..).zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            Err(e) => {
                // The group's transaction failed as a whole: nothing of it is stored.
                e.log_if_internal();
                let unavailable = matches!(e, AppError::Unavailable(_));
                for job in jobs.drain(..) {
                    let _ = job.reply.send(Err(if unavailable {
                        AppError::Unavailable("the database is unavailable; retry shortly".into())
                    } else {
                        AppError::internal(anyhow::anyhow!("recording group commit failed"))
                    }));
                }
            }
        }
    }
}
