//! Background work: the retention sweep, the sentiment worker, webhook delivery.

pub mod retention;
pub mod sentiment;
pub mod webhooks;
