//! The heatmap roll-up: folds the cell increments ingestion staged into the aggregates,
//! every `LOUPE_HEATMAP_ROLLUP_MS` (see `domain::heatmaps::store::roll_up`). Queries read the staged
//! increments too, so a heatmap is exact whether or not a roll-up ran.

use std::time::Duration;

use sea_orm::DatabaseConnection;

/// Rolls up every `every`, for the life of the process.
pub fn start(db: DatabaseConnection, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = crate::domain::heatmaps::store::roll_up(&db).await {
                // Unavailable or busy: the increments stay staged for the next run.
                e.log_if_internal();
            }
        }
    });
}
