//! The audit log: every personal-data lookup and deletion, every purge and retention run,
//! with when, which key, which organization and the counts. The data subject appears only
//! as a keyed hash: the same person gives the same hash (so repeated requests can be told
//! apart), but the log alone cannot say who it was.

use chrono::{DateTime, Utc};
use entity::audit_log;
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use sha2::Sha256;

use crate::domain::pagination::{paginate_newest_first, Page, PageArgs};
use crate::error::AppResult;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Lookup,
    Delete,
    PurgeUrls,
    PurgeTimeRange,
    Retention,
    /// Loupe turned a webhook endpoint off after a run of failed deliveries.
    WebhookDisabled,
    // Account actions (the account is the entry's `account_id`).
    SignIn,
    SignOutEverywhere,
    PasswordChanged,
    TwoFactorEnabled,
    TwoFactorDisabled,
    InviteCreated,
    InviteRevoked,
    InviteAccepted,
    MemberUpdated,
    MemberRemoved,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Lookup => "LOOKUP",
            Action::Delete => "DELETE",
            Action::PurgeUrls => "PURGE_URLS",
            Action::PurgeTimeRange => "PURGE_TIME_RANGE",
            Action::Retention => "RETENTION",
            Action::WebhookDisabled => "WEBHOOK_DISABLED",
            Action::SignIn => "SIGN_IN",
            Action::SignOutEverywhere => "SIGN_OUT_EVERYWHERE",
            Action::PasswordChanged => "PASSWORD_CHANGED",
            Action::TwoFactorEnabled => "TWO_FACTOR_ENABLED",
            Action::TwoFactorDisabled => "TWO_FACTOR_DISABLED",
            Action::InviteCreated => "INVITE_CREATED",
            Action::InviteRevoked => "INVITE_REVOKED",
            Action::InviteAccepted => "INVITE_ACCEPTED",
            Action::MemberUpdated => "MEMBER_UPDATED",
            Action::MemberRemoved => "MEMBER_REMOVED",
        }
    }
}

/// The key of subject hashes, derived from the server's signing secret so every instance
/// behind one API computes the same hashes.
#[derive(Clone)]
pub struct SubjectKey([u8; 32]);

impl std::fmt::Debug for SubjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SubjectKey(..)")
    }
}

impl SubjectKey {
    pub fn derive(secret: &[u8]) -> SubjectKey {
        SubjectKey(mac(secret, b"loupe audit subject v1"))
    }

    /// Hex HMAC-SHA256 of the subject's canonical form.
    pub fn hash(&self, canonical: &str) -> String {
        hex::encode(mac(&self.0, canonical.as_bytes()))
    }
}

fn mac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length.
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(data);
    m.finalize().into_bytes().into()
}

/// Who did it: an API key, a console account, or neither (Loupe itself).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct By {
    pub api_key_id: Option<i64>,
    pub account_id: Option<i64>,
}

impl By {
    /// Loupe's own tasks (retention, disabling a failing webhook).
    pub const LOUPE: By = By {
        api_key_id: None,
        account_id: None,
    };

    pub fn of(p: &crate::auth::Principal) -> By {
        By {
            api_key_id: p.key_id(),
            account_id: p.account_id(),
        }
    }

    pub fn account(id: i64) -> By {
        By {
            api_key_id: None,
            account_id: Some(id),
        }
    }
}

pub struct Entry<'a> {
    pub organization_id: i64,
    pub by: By,
    pub action: Action,
    pub site_id: Option<i64>,
    pub subject_hash: Option<String>,
    pub counts: &'a Value,
    pub at: DateTime<Utc>,
}

/// Writes one entry (inside the caller's transaction, so it commits with the operation).
pub async fn record(db: &impl ConnectionTrait, e: Entry<'_>) -> AppResult<audit_log::Model> {
    Ok(audit_log::ActiveModel {
        organization_id: Set(e.organization_id),
        created_at: Set(e.at),
        api_key_id: Set(e.by.api_key_id),
        account_id: Set(e.by.account_id),
        action: Set(e.action.as_str().to_owned()),
        site_id: Set(e.site_id),
        subject_hash: Set(e.subject_hash),
        counts: Set(e.counts.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The organization's entries, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    args: PageArgs,
) -> AppResult<Page<audit_log::Model>> {
    let select = audit_log::Entity::find().filter(audit_log::Column::OrganizationId.eq(org_id));
    paginate_newest_first(db, select, audit_log::Column::Id, |e| e.id, args).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_keyed_and_stable() {
        let a = SubjectKey::derive(b"secret-a");
        let b = SubjectKey::derive(b"secret-b");
        assert_eq!(
            a.hash("email:jane@x.example"),
            a.hash("email:jane@x.example")
        );
        assert_ne!(
            a.hash("email:jane@x.example"),
            b.hash("email:jane@x.example")
        );
        assert_eq!(a.hash("x").len(), 64);
        assert!(!a.hash("email:jane@x.example").contains("jane"));
    }
}
