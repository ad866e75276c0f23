use std::sync::Arc;

use async_graphql::{Context, Object, Result};

use super::organization::Organization;
use super::types::{ApiKey, Role};
use crate::auth::{Actor, Principal};

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The caller: its API key, role and organization.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        Ok(Viewer(super::principal(ctx)?.clone()))
    }
}

pub struct Viewer(Arc<Principal>);

#[Object]
impl Viewer {
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// The API key behind the bearer token; null for a console session.
    async fn api_key(&self) -> Option<ApiKey> {
        match &self.0.actor {
            Actor::Key(k) => Some(k.clone().into()),
            Actor::Session { .. } => None,
        }
    }

    /// The console account behind a session; null for an API key.
    async fn account(&self) -> Option<super::accounts::Account> {
        self.0.account().cloned().map(super::accounts::Account)
    }

    /// The organizations the caller may work in (an API key: its own).
    async fn organizations(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> Result<Vec<super::accounts::OrganizationSummary>> {
        super::accounts::organizations_of(ctx, &self.0).await
    }

    async fn organization(&self) -> Organization {
        Organization(self.0.org.clone())
    }
}
