//! Background work: the retention sweep, the sentiment worker, webhook delivery, the
//! heatmap roll-up, the chunk janitor.

pub mod chunk_janitor;
pub mod heatmaps;
pub mod retention;
pub mod sentiment;
pub mod sentiment_child;
pub mod webhooks;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};

/// Advisory lock keys of periodic jobs (migrations and the first start use 7422000-1).
pub const RETENTION_LEASE: i64 = 7_422_010;
pub const CHUNK_JANITOR_LEASE: i64 = 7_422_011;

/// Runs `job` unless another node is running it now: several nodes on one PostgreSQL
/// database take turns through a transaction-scoped advisory lock, tried and not waited
/// for, held on one pooled connection for the run (the job uses others). `None`: another
/// node had it, this run is skipped. SQLite is one node: the job just runs.
pub async fn exclusively<T>(
    db: &DatabaseConnection,
    key: i64,
    job: impl std::future::Future<Output = T>,
) -> Result<Option<T>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(Some(job.await));
    }
    let lease = db.begin().await?;
    let held = lease
        .query_one(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT pg_try_advisory_xact_lock({key}) AS held"),
        ))
        .await?
        .map(|r| r.try_get::<bool>("", "held"))
        .transpose()?
        .unwrap_or(false);
    if !held {
        lease.rollback().await?;
        return Ok(None);
    }
    let out = job.await;
    lease.commit().await?;
    Ok(Some(out))
}
