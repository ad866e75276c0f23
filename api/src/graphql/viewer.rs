use std::sync::Arc;

use async_graphql::{Context, Object, Result};

use super::organization::Organization;
use super::types::{ApiKey, Role};
use crate::auth::Principal;

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
        self.0.key.role.into()
    }

    async fn api_key(&self) -> ApiKey {
        self.0.key.clone().into()
    }

    async fn organization(&self) -> Organization {
        Organization(self.0.org.clone())
    }
}
