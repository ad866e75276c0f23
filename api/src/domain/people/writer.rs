//! Group commit for identify calls: handlers check a call (no database), then queue it;
//! one writer task applies whatever is queued in a single transaction, set-wise (a few
//! multi-row statements per group, see [`super::group`]), so a durable commit costs one
//! disk flush and a handful of statements per group instead of a dozen statements per
//! call, and a refused call (a value of another type than the site's attribute) still
//! stores nothing. A handler answers only after its group committed.
//!
//! On PostgreSQL several writers run side by side, each on its own connection, so that
//! one group is written while another waits for its flush. Calls are routed by whom they
//! identify (the user id, else the visitor), so two calls about one person always meet
//! in the same writer, in their order; calls of different writers that still touch one
//! row (a visitor identified as two users at once) wait for each other's row locks, as
//! two nodes' writers do.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use super::group::apply_all;
use super::identify::{apply, CheckedCall, Identified};
use crate::error::{AppError, AppResult};

/// Calls committed together at most.
pub const MAX_GROUP: usize = 256;
const QUEUE: usize = 8192;
/// Longest wait for a call's group commit.
pub const WRITE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

struct Job {
    site_id: i64,
    call: CheckedCall,
    reply: oneshot::Sender<AppResult<Identified>>,
}

pub struct IdentifyWriter {
    queues: Vec<mpsc::Sender<Job>>,
    route: std::collections::hash_map::RandomState,
}

impl IdentifyWriter {
    /// Starts `postgres_writers` writer tasks on PostgreSQL, one on SQLite.
    pub fn start(db: DatabaseConnection, postgres_writers: usize) -> Arc<IdentifyWriter> {
        let writers = match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => postgres_writers.max(1),
            _ => 1,
        };
        let queues = (0..writers)
            .map(|_| {
                let (queue, rx) = mpsc::channel(QUEUE / writers);
                tokio::spawn(run(db.clone(), rx));
                queue
            })
            .collect();
        Arc::new(IdentifyWriter {
            queues,
            route: Default::default(),
        })
    }

    /// The writer of the person a call identifies: its user id, else its visitor.
    fn queue_of(&self, site_id: i64, call: &CheckedCall) -> &mpsc::Sender<Job> {
        let mut h = self.route.build_hasher();
        site_id.hash(&mut h);
        match &call.user {
            Some(user) => (0u8, user).hash(&mut h),
            None => (1u8, &call.visitor).hash(&mut h),
        }
        &self.queues[(h.finish() % self.queues.len() as u64) as usize]
    }

    /// Queues a checked call and waits until its group is committed. A full queue is
    /// refused at once (503), and so is a commit that does not come within
    /// [`WRITE_DEADLINE`] (the client retries; an identify call is idempotent).
    pub async fn write(&self, site_id: i64, call: CheckedCall) -> AppResult<Identified> {
        let (reply, done) = oneshot::channel();
        self.queue_of(site_id, &call)
            .try_send(Job {
                site_id,
                call,
                reply,
            })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => AppError::at_capacity(),
                mpsc::error::TrySendError::Closed(_) => {
                    AppError::internal(anyhow::anyhow!("identify writer stopped"))
                }
            })?;
        match tokio::time::timeout(WRITE_DEADLINE, done).await {
            Err(_) => Err(AppError::Unavailable(
                "the database did not commit in time; retry shortly".into(),
            )),
            Ok(reply) => reply.map_err(|_| {
                AppError::internal(anyhow::anyhow!("identify writer dropped a call"))
            })?,
        }
    }
}

/// Applies a group in one transaction, set-wise ([`super::group`]); where that fails as a
/// whole (a database error, a conflict with another node), rolls back and applies the
/// group again call by call.
async fn apply_group(
    db: &DatabaseConnection,
    jobs: &[Job],
) -> AppResult<Vec<AppResult<Identified>>> {
    let calls: Vec<(i64, &CheckedCall)> = jobs.iter().map(|j| (j.site_id, &j.call)).collect();
    let tx = crate::db::begin_write(db).await?;
    let set_wise = match apply_all(&tx, &calls).await {
        Ok(results) => tx.commit().await.map(|()| results).map_err(AppError::from),
        Err(e) => Err(e),
    };
    match set_wise {
        Ok(results) => Ok(results),
        // The database is away: trying again call by call would only wait longer.
        Err(e @ AppError::Unavailable(_)) => Err(e),
        Err(e) => {
            e.log_if_internal();
            tracing::warn!(
                calls = jobs.len(),
                "identify group applied again call by call"
            );
            apply_one_by_one(db, &calls).await
        }
    }
}

/// Each call in a savepoint of its own, so a refused call stores nothing.
async fn apply_one_by_one(
    db: &DatabaseConnection,
    calls: &[(i64, &CheckedCall)],
) -> AppResult<Vec<AppResult<Identified>>> {
    let tx = crate::db::begin_write(db).await?;
    let mut results = Vec::with_capacity(calls.len());
    for &(site_id, call) in calls {
        let savepoint = tx.begin().await?;
        match apply(&savepoint, site_id, call).await {
            Ok(done) => {
                savepoint.commit().await?;
                results.push(Ok(done));
            }
            Err(e) => {
                savepoint.rollback().await?;
                results.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
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
        let _turn = crate::db::group_writer_turn(&db).await;
        match apply_group(&db, &jobs).await {
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
                        AppError::internal(anyhow::anyhow!("identify group commit failed"))
                    }));
                }
            }
        }
    }
}
