use async_graphql::{Context, InputObject, Object, Result, ID};

use super::types::{Site, SiteConnection};
use crate::domain::caller::{self, Action};
use crate::domain::pagination::PageArgs;
use crate::domain::{sites, validation};

#[derive(Default)]
pub struct SiteQuery;

#[Object]
impl SiteQuery {
    /// The caller's organization's sites.
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn sites(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<SiteConnection> {
        let principal = super::principal(ctx)?;
        let args = PageArgs::parse(first, after.as_deref())?;
        let page = sites::list(super::db(ctx), principal.org_id(), args).await?;
        Ok(SiteConnection::from_page(page, Site::from))
    }

    /// One site of the caller's organization; any other id is null with a `NOT_FOUND`
    /// error (nullable, so sibling fields still answer).
    async fn site(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Site>> {
        let principal = super::principal(ctx)?;
        let site = sites::get(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        Ok(Some(site.into()))
    }
}

#[derive(InputObject)]
pub struct CreateSiteInput {
    pub name: String,
    /// Host names the site's pages are served from (`example.com`, `*.example.com`).
    #[graphql(default)]
    pub allowed_domains: Vec<String>,
    /// Days to keep data (1–3650, default 365).
    pub retention_days: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdateSiteInput {
    pub name: Option<String>,
    pub allowed_domains: Option<Vec<String>>,
    /// Turning the Identify API on needs plan BUSINESS or SCALE and an accepted
    /// data-processing agreement.
    pub identify_enabled: Option<bool>,
    pub retention_days: Option<i32>,
    /// 0–365; 0 turns the site-wide survey cool-down off.
    pub survey_cooldown_days: Option<i32>,
    /// Mask text typed into inputs in session recordings before storage (default true).
    pub mask_inputs: Option<bool>,
    /// Query parameters whose values are kept in stored URLs, besides `utm_*` (at most
    /// 50). Every other value is replaced by `[redacted]`.
    pub url_allowed_params: Option<Vec<String>>,
    /// Extra regular expressions masked in every stored URL (at most 20, ≤ 200
    /// characters each), matched against the URL as stored (percent-encoded).
    pub url_patterns: Option<Vec<String>>,
    /// The browser tag records sessions (default false).
    pub recording_enabled: Option<bool>,
    /// 0–100: share of visitors recorded, stable per visitor (default 100).
    pub recording_sample_percent: Option<i32>,
    /// Mask every text on the page in recordings, for sites that show personal data.
    pub mask_all_text: Option<bool>,
    /// The tag sends nothing before the page calls `loupe('consent', true)`.
    pub require_consent: Option<bool>,
    /// Refuse identify calls without a valid `user_hash` (needs an identity secret:
    /// `rotateIdentitySecret`).
    pub identity_verification: Option<bool>,
    /// Replaces the widget theme; fields left out take the defaults.
    pub theme: Option<super::types::SiteTheme>,
    /// Extract heatmap facts from recordings (default true).
    pub heatmaps_enabled: Option<bool>,
}

/// A freshly generated identity-verification secret: shown this once, never again.
#[derive(async_graphql::SimpleObject)]
pub struct IdentitySecret {
    pub site: Site,
    /// Keep it on your backend only; compute `user_hash` = hex HMAC-SHA256(secret, user id).
    pub secret: String,
}

#[derive(Default)]
pub struct SiteMutation;

#[Object]
impl SiteMutation {
    /// Creates a site in the caller's organization (ADMIN).
    async fn create_site(&self, ctx: &Context<'_>, input: CreateSiteInput) -> Result<Site> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageSites)?;
        let new = sites::NewSite {
            name: input.name,
            allowed_domains: input.allowed_domains,
            retention_days: input.retention_days,
        };
        Ok(sites::create(super::db(ctx), principal.org_id(), new)
            .await?
            .into())
    }

    /// Changes a site's settings (ADMIN).
    async fn update_site(&self, ctx: &Context<'_>, id: ID, input: UpdateSiteInput) -> Result<Site> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageSites)?;
        let patch = sites::SitePatch {
            name: input.name,
            allowed_domains: input.allowed_domains,
            identify_enabled: input.identify_enabled,
            retention_days: input.retention_days,
            survey_cooldown_days: input.survey_cooldown_days,
            mask_inputs: input.mask_inputs,
            url_allowed_params: input.url_allowed_params,
            url_patterns: input.url_patterns,
            recording_enabled: input.recording_enabled,
            recording_sample_percent: input.recording_sample_percent,
            mask_all_text: input.mask_all_text,
            require_consent: input.require_consent,
            identity_verification: input.identity_verification,
            theme: input.theme.map(Into::into),
            heatmaps_enabled: input.heatmaps_enabled,
        };
        let site = sites::update(
            super::db(ctx),
            super::changes(ctx),
            &principal.org,
            validation::id(&id)?,
            patch,
        )
        .await?;
        Ok(site.into())
    }

    /// Generates the site's identity-verification secret, replacing any previous one
    /// (ADMIN). The secret is in this answer only; identify calls signed with the old one
    /// are refused from now on.
    async fn rotate_identity_secret(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
    ) -> Result<IdentitySecret> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageSites)?;
        let (site, secret) = sites::rotate_identity_secret(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            validation::id(&site_id)?,
        )
        .await?;
        Ok(IdentitySecret {
            site: site.into(),
            secret,
        })
    }
}
