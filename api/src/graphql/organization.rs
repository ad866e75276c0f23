use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};
use entity::organization;

use super::types::{ApiKey, ApiKeyConnection, Plan, Site, SiteConnection};
use crate::domain::caller::{self, Action};
use crate::domain::pagination::PageArgs;
use crate::domain::{api_keys, organizations, sites};

/// Only ever built from the caller's own organization.
pub struct Organization(pub organization::Model);

#[Object]
impl Organization {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn plan(&self) -> Plan {
        self.0.plan.into()
    }

    async fn dpa_accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.dpa_accepted_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn sites(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<SiteConnection> {
        let args = PageArgs::parse(first, after.as_deref())?;
        let page = sites::list(super::db(ctx), self.0.id, args).await?;
        Ok(SiteConnection::from_page(page, Site::from))
    }

    /// The organization's API keys (ADMIN).
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ApiKeyConnection> {
        caller::may(super::principal(ctx)?, Action::ManageOrganization)?;
        let args = PageArgs::parse(first, after.as_deref())?;
        let page = api_keys::list(super::db(ctx), self.0.id, args).await?;
        Ok(ApiKeyConnection::from_page(page, ApiKey::from))
    }

    /// The people with a console account in the organization (any role may read).
    async fn members(&self, ctx: &Context<'_>) -> Result<Vec<super::accounts::Member>> {
        super::principal(ctx)?;
        Ok(
            crate::domain::accounts::members::list(super::db(ctx), self.0.id)
                .await?
                .into_iter()
                .map(|(m, a)| super::accounts::Member::of(m, a))
                .collect(),
        )
    }

    /// Pending invites (ADMIN).
    async fn invites(&self, ctx: &Context<'_>) -> Result<Vec<super::accounts::Invite>> {
        caller::may(super::principal(ctx)?, Action::ManageOrganization)?;
        Ok(
            crate::domain::accounts::invites::pending(super::db(ctx), self.0.id)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct OrganizationMutation;

#[Object]
impl OrganizationMutation {
    /// Accepts the data-processing agreement for the caller's organization (ADMIN).
    /// Idempotent; needed before the Identify API can be enabled.
    async fn accept_data_processing_agreement(&self, ctx: &Context<'_>) -> Result<Organization> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageOrganization)?;
        let org =
            organizations::accept_dpa(super::db(ctx), super::changes(ctx), principal.org_id())
                .await?;
        Ok(Organization(org))
    }
}
