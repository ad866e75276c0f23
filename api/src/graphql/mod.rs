//! The GraphQL schema. It never depends on the web framework: the HTTP adapter puts the
//! caller (`Arc<Principal>`) into the request data. Resolvers are thin: rules live in
//! `crate::domain`.

mod accounts;
mod api_keys;
mod error;
mod heatmaps;
mod loaders;
mod organization;
mod privacy;
mod recordings;
pub mod schema;
mod segments;
mod sites;
mod surveys;
mod types;
mod viewer;
mod webhooks;

use std::sync::Arc;

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::auth::Principal;
use crate::error::{AppError, AppResult};

pub use recordings::AnswerDepth;
pub use schema::{build_schema, LoupeSchema};

pub(crate) fn principal<'a>(ctx: &'a Context<'_>) -> AppResult<&'a Arc<Principal>> {
    ctx.data::<Arc<Principal>>()
        .map_err(|_| AppError::Unauthenticated("a bearer token is required".into()))
}

pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

pub(crate) fn changes<'a>(ctx: &'a Context<'_>) -> &'a crate::changes::Changes {
    ctx.data_unchecked::<crate::changes::Changes>()
}

/// A connection's complexity: `first` (default 20, at most 100) times its children.
pub(crate) fn connection_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = first.unwrap_or(20).clamp(1, 100) as usize;
    first.saturating_mul(child_complexity).saturating_add(1)
}
