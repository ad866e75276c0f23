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

    /// Queues a prepared batch and waits until it is committed.
    pub async fn write(&self, batch: Prepared) -> AppResult<Accepted> {
        let (reply, done) = oneshot::channel();
        self.queue
            .send(Job { batch, reply })
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("recording writer stopped")))?;
        done.await
            .map_err(|_| AppError::internal(anyhow::anyhow!("recording writer dropped a batch")))?
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
                for job in jobs.drain(..) {
                    let _ = job.reply.send(Err(AppError::internal(anyhow::anyhow!(
                        "recording group commit failed"
                    ))));
                }
            }
        }
    }
}
