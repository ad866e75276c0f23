//! The retention sweep: deletes recordings, responses and display events older than their
//! site's retention, now and then every `LOUPE_RETENTION_INTERVAL_MS`; with several nodes on
//! one PostgreSQL database, one node at a time (the others skip that run).

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::metrics::Metrics;

/// Applies retention now and then every `every`, for the life of the process, and shows
/// each run in `/metrics`.
pub fn start(db: DatabaseConnection, metrics: Arc<Metrics>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let at = crate::domain::now();
            let run = super::exclusively(&db, super::RETENTION_LEASE, async {
                crate::domain::privacy::purge::apply_retention(&db, at).await
            })
            .await;
            let result = match run {
                // Another node is sweeping now.
                Ok(None) => continue,
                Ok(Some(r)) => r,
                Err(e) => Err(e.into()),
            };
            match result {
                Ok(done) => {
                    if done.recordings + done.responses + done.displays > 0 {
                        tracing::info!(
                            recordings = done.recordings,
                            responses = done.responses,
                            displays = done.displays,
                            "data past retention deleted"
                        );
                    }
                    metrics.retention_run(Some(&done), at.timestamp());
                }
                Err(e) => {
                    e.log_if_internal();
                    metrics.retention_run(None, at.timestamp());
                }
            }
        }
    });
}
