use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

use super::types::{ApiKey, Role};
use crate::domain::caller::{self, Action};
use crate::domain::{api_keys, validation};

#[derive(InputObject)]
pub struct CreateApiKeyInput {
    pub name: String,
    pub role: Role,
}

/// A new key with its secret: the only time the secret is ever shown.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    pub api_key: ApiKey,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates an API key in the caller's organization (ADMIN). Keys expire after a year.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> Result<CreatedApiKey> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageOrganization)?;
        let created = api_keys::create(
            super::db(ctx),
            principal.org_id(),
            &input.name,
            input.role.into(),
        )
        .await?;
        Ok(CreatedApiKey {
            client_id: created.key.client_id.clone(),
            api_key: created.key.into(),
            client_secret: created.secret,
        })
    }

    /// Revokes an API key (ADMIN); its tokens stop working at once.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> Result<ApiKey> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageOrganization)?;
        let key = api_keys::revoke(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            validation::id(&id)?,
        )
        .await?;
        Ok(key.into())
    }
}
