//! Loupe's server: settings, start-up, auth, HTTP endpoints, GraphQL schema and the
//! domain rules they share.

pub mod auth;
pub mod budget;
pub mod cache;
pub mod changes;
pub mod cli;
pub mod cluster;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
