//! The survey engine's rules: definitions (questions, settings, logic) and responses
//! (typed answers, valid paths).

pub mod answers;
pub mod definition;
pub mod export;
pub mod facts;
pub mod ingest;
pub mod links;
#[cfg(test)]
mod logic_vectors;
pub mod responses;
pub mod sentiment;
pub mod store;
pub mod summary;
pub mod tags;
pub mod targeting;
pub mod widgets;
pub mod writes;
