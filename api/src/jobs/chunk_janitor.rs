//! The chunk janitor: with an object store, now and then deletes the objects no chunk row
//! names (a crash between an object's write and its row's commit, a delete that failed
//! after the rows' commit), once they are older than `LOUPE_CHUNK_ORPHAN_AGE_SECS`; with
//! several nodes, one at a time.

use std::time::Duration;

use sea_orm::DatabaseConnection;

/// Sweeps every `every`, for the life of the process (nothing to do with the database store).
pub fn start(db: DatabaseConnection, every: Duration, min_age: Duration) {
    if crate::domain::recordings::chunks::current().is_db() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let older_than = crate::domain::now()
                - chrono::TimeDelta::from_std(min_age).unwrap_or(chrono::TimeDelta::hours(1));
            let run = super::exclusively(&db, super::CHUNK_JANITOR_LEASE, async {
                crate::domain::recordings::chunks::sweep_orphans(&db, older_than).await
            })
            .await;
            match run {
                Ok(None) | Ok(Some(Ok(_))) => {}
                Ok(Some(Err(e))) => e.log_if_internal(),
                Err(e) => tracing::warn!(error = %e, "chunk janitor: no lease"),
            }
        }
    });
}
