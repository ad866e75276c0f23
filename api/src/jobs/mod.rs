//! Background work: the retention sweep and the sentiment worker.

pub mod retention;
pub mod sentiment;
