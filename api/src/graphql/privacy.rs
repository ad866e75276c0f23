//! Access and erasure requests, purges and the audit log. Thin adapters over
//! `domain::privacy`.

use async_graphql::{Context, Enum, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::types::connection;
use crate::domain::audit;
use crate::domain::audit::SubjectKey;
use crate::domain::caller::{self, Action};
use crate::domain::pagination::PageArgs;
use crate::domain::privacy::{gdpr, purge};
use crate::domain::{sites, validation};

/// Who a personal-data request is about: an email, identified users, or both.
#[derive(InputObject)]
pub struct PersonalDataInput {
    /// Matched against `EMAIL` answers and an identify attribute named `email`.
    pub email: Option<String>,
    #[graphql(default)]
    pub site_users: Vec<SiteUserInput>,
}

#[derive(InputObject)]
pub struct SiteUserInput {
    pub site_id: ID,
    pub user_id: String,
}

impl PersonalDataInput {
    fn subject(&self) -> crate::error::AppResult<gdpr::Subject> {
        gdpr::Subject::parse(
            self.email.as_deref(),
            self.site_users
                .iter()
                .map(|u| (u.site_id.as_str(), u.user_id.as_str())),
        )
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PurgeKind {
    Recordings,
    Responses,
}

/// One audited privacy operation. The data subject is never shown, only its keyed hash.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub id: ID,
    pub created_at: DateTime<Utc>,
    /// `LOOKUP`, `DELETE`, `PURGE_URLS`, `PURGE_TIME_RANGE`, `RETENTION`,
    /// `WEBHOOK_DISABLED`, or an account action: `SIGN_IN`, `SIGN_OUT_EVERYWHERE`,
    /// `PASSWORD_CHANGED`, `TWO_FACTOR_ENABLED`, `TWO_FACTOR_DISABLED`, `INVITE_CREATED`,
    /// `INVITE_REVOKED`, `INVITE_ACCEPTED`, `MEMBER_UPDATED`, `MEMBER_REMOVED`.
    pub action: String,
    /// The API key that asked; null for a console account and Loupe's own tasks.
    pub api_key_id: Option<ID>,
    /// The console account that asked (or whose action this was).
    pub account_id: Option<ID>,
    pub site_id: Option<ID>,
    /// HMAC-SHA256 of the subject (hex): equal for the same person, not reversible.
    pub subject_hash: Option<String>,
    pub counts: Json<Value>,
}

impl From<entity::audit_log::Model> for AuditEntry {
    fn from(m: entity::audit_log::Model) -> Self {
        AuditEntry {
            id: ID(m.id.to_string()),
            created_at: m.created_at,
            action: m.action,
            api_key_id: m.api_key_id.map(|k| ID(k.to_string())),
            account_id: m.account_id.map(|k| ID(k.to_string())),
            site_id: m.site_id.map(|s| ID(s.to_string())),
            subject_hash: m.subject_hash,
            counts: Json(serde_json::from_str(&m.counts).unwrap_or(Value::Null)),
        }
    }
}

#[derive(Default)]
pub struct PrivacyQuery;

#[Object]
impl PrivacyQuery {
    /// The organization's audit log, newest first (ADMIN).
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<AuditEntryConnection> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageOrganization)?;
        let args = PageArgs::parse(first, after.as_deref())?;
        let page = audit::list(super::db(ctx), principal.org_id(), args).await?;
        Ok(AuditEntryConnection::from_page(page, AuditEntry::from))
    }
}

#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Everything held about a person across the organization's sites, as JSON: users
    /// with attributes, responses with answers and sentiment, recordings' metadata
    /// (ADMIN, plan SCALE; audited). A mutation because it writes the audit log.
    async fn lookup_personal_data(
        &self,
        ctx: &Context<'_>,
        input: PersonalDataInput,
    ) -> Result<Json<Value>> {
        let who = gdpr::requester(super::principal(ctx)?)?;
        let subject = input.subject()?;
        let key = ctx.data_unchecked::<SubjectKey>();
        Ok(Json(
            gdpr::lookup(super::db(ctx), key, who, &subject).await?,
        ))
    }

    /// Deletes everything held about a person in one transaction and returns the counts
    /// deleted by kind (ADMIN, plan SCALE; audited).
    async fn delete_personal_data(
        &self,
        ctx: &Context<'_>,
        input: PersonalDataInput,
    ) -> Result<Json<Value>> {
        let who = gdpr::requester(super::principal(ctx)?)?;
        let subject = input.subject()?;
        let key = ctx.data_unchecked::<SubjectKey>();
        Ok(Json(
            gdpr::delete(super::db(ctx), key, who, &subject).await?,
        ))
    }

    /// Replaces `pattern` (a literal piece of URL, case-sensitive, 3–2000 characters) by
    /// `[purged]` wherever the site stored it: response page URLs, recordings' page
    /// views and entry/exit URLs, and inside stored events (ADMIN; audited). Returns the
    /// counts changed.
    async fn purge_urls(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        pattern: String,
    ) -> Result<Json<Value>> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::HandlePersonalData)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        Ok(Json(
            purge::purge_urls(db, &site, audit::By::of(principal), &pattern).await?,
        ))
    }

    /// Deletes the site's recordings started and/or responses submitted in `[from, to)`
    /// (ADMIN; audited). Returns the counts deleted.
    async fn purge_time_range(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        kinds: Vec<PurgeKind>,
    ) -> Result<Json<Value>> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::HandlePersonalData)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let kinds = purge::Kinds {
            recordings: kinds.contains(&PurgeKind::Recordings),
            responses: kinds.contains(&PurgeKind::Responses),
        };
        Ok(Json(
            purge::purge_time_range(db, &site, audit::By::of(principal), from, to, kinds).await?,
        ))
    }
}

connection!(AuditEntryConnection, AuditEntryEdge, AuditEntry);
