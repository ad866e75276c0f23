//! Business rules, shared by GraphQL resolvers, HTTP handlers and the CLI. Nothing here
//! knows about actix-web or async-graphql.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod bootstrap;
pub mod caller;
pub mod heatmaps;
pub mod nesting;
pub mod organizations;
pub mod pagination;
pub mod people;
pub mod privacy;
pub mod recordings;
pub mod segments;
pub mod sites;
pub mod surveys;
pub mod tag;
pub mod tape;
pub mod validation;
pub mod visitor;
pub mod webhook_bodies;
pub mod webhooks;

/// The current time at microsecond precision, which both SQLite and PostgreSQL store
/// exactly, so a value written and read back compares equal.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
