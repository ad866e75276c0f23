//! Background work: the retention sweep, the sentiment worker, webhook delivery, the
//! heatmap roll-up.

pub mod heatmaps;
pub mod retention;
pub mod sentiment;
pub mod webhooks;
