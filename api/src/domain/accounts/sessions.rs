//! Server-side sessions of console accounts. The browser holds a random token in an
//! `HttpOnly` cookie; the database holds its SHA-256, the CSRF token the console echoes,
//! the organization the session works in, and its idle and absolute expiry.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use entity::{account, account_session, organization};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use sha2::{Digest, Sha256};

pub use crate::auth::session::Lifetimes;
use crate::auth::{secrets, Actor, Principal};
use crate::error::{AppError, AppResult};

/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY: TimeDelta = TimeDelta::seconds(60);

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::days(7))
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session: its cookie token (shown to the browser only) and its row.
pub struct Started {
    pub token: String,
    pub session: account_session::Model,
}

/// Starts a session with a fresh random id (never one the browser brought: no fixation).
pub async fn start(
    db: &impl ConnectionTrait,
    account_id: i64,
    org_id: i64,
    device: &str,
    lifetimes: Lifetimes,
) -> AppResult<Started> {
    let token = secrets::random_hex(32);
    let now = super::super::now();
    let session = account_session::ActiveModel {
        token_hash: Set(hash(&token)),
        csrf_token: Set(secrets::random_hex(20)),
        account_id: Set(account_id),
        organization_id: Set(org_id),
        device: Set(device.chars().take(80).collect()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + delta(lifetimes.absolute)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Started { token, session })
}

/// When a session ends: the earlier of its absolute expiry and its idle expiry.
pub fn ends_at(s: &account_session::Model, lifetimes: Lifetimes) -> DateTime<Utc> {
    s.expires_at.min(s.last_seen_at + delta(lifetimes.idle))
}

/// The live session and its account for a cookie token; `None` if unknown, expired, or
/// the account is disabled. Marks the session as used (at most once a minute).
pub async fn resolve(
    db: &impl ConnectionTrait,
    token: &str,
    lifetimes: Lifetimes,
) -> AppResult<Option<(account_session::Model, account::Model)>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some((session, Some(account))) = account_session::Entity::find()
        .filter(account_session::Column::TokenHash.eq(hash(token)))
        .find_also_related(account::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = super::super::now();
    if ends_at(&session, lifetimes) <= now || account.disabled_at.is_some() {
        account_session::Entity::delete_by_id(session.id)
            .exec(db)
            .await?;
        return Ok(None);
    }
    let mut session = session;
    if now - session.last_seen_at >= TOUCH_EVERY {
        account_session::Entity::update_many()
            .col_expr(
                account_session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(account_session::Column::Id.eq(session.id))
            .exec(db)
            .await?;
        session.last_seen_at = now;
    }
    Ok(Some((session, account)))
}

/// The account's live sessions, most recently used first.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    lifetimes: Lifetimes,
) -> AppResult<Vec<account_session::Model>> {
    let now = super::super::now();
    Ok(account_session::Entity::find()
        .filter(account_session::Column::AccountId.eq(account_id))
        .order_by_desc(account_session::Column::LastSeenAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| ends_at(s, lifetimes) > now)
        .collect())
}

/// Ends one of the account's sessions. `NOT_FOUND` for another account's session.
pub async fn end(db: &impl ConnectionTrait, account_id: i64, session_id: i64) -> AppResult<()> {
    let done = account_session::Entity::delete_many()
        .filter(account_session::Column::Id.eq(session_id))
        .filter(account_session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Ends every session of the account but `keep`.
pub async fn end_all_except(
    db: &impl ConnectionTrait,
    account_id: i64,
    keep: Option<i64>,
) -> AppResult<u64> {
    let mut q = account_session::Entity::delete_many()
        .filter(account_session::Column::AccountId.eq(account_id));
    if let Some(keep) = keep {
        q = q.filter(account_session::Column::Id.ne(keep));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Moves a session to another organization the account belongs to.
pub async fn switch(db: &impl ConnectionTrait, session_id: i64, org_id: i64) -> AppResult<()> {
    account_session::ActiveModel {
        id: Set(session_id),
        organization_id: Set(org_id),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Removes sessions past their absolute expiry (the retention task calls it).
pub async fn prune(db: &impl ConnectionTrait) -> AppResult<u64> {
    Ok(account_session::Entity::delete_many()
        .filter(account_session::Column::ExpiresAt.lte(super::super::now()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Constant-time comparison of the CSRF token a request carried with the session's.
pub fn csrf_matches(session: &account_session::Model, sent: &str) -> bool {
    let (a, b) = (session.csrf_token.as_bytes(), sent.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The caller behind a session cookie. `csrf` is the `X-CSRF-Token` header: a request
/// without the session's token is refused whatever it asks.
pub async fn authenticate(
    db: &sea_orm::DatabaseConnection,
    token: &str,
    csrf: Option<&str>,
    lifetimes: Lifetimes,
) -> AppResult<Arc<Principal>> {
    let ended = || AppError::Unauthenticated("your session has ended: sign in again".into());
    let Some((session, account)) = resolve(db, token, lifetimes).await? else {
        return Err(ended());
    };
    if !csrf.is_some_and(|sent| csrf_matches(&session, sent)) {
        return Err(AppError::Csrf(
            "requests made with the session cookie need the X-CSRF-Token header".into(),
        ));
    }
    let Some(m) = super::membership(db, account.id, session.organization_id).await? else {
        return Err(ended());
    };
    let Some(org) = organization::Entity::find_by_id(m.organization_id)
        .one(db)
        .await?
    else {
        return Err(ended());
    };
    Ok(Arc::new(Principal {
        org,
        role: m.role,
        actor: Actor::Session {
            account,
            session_id: session.id,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(created: DateTime<Utc>, seen: DateTime<Utc>) -> account_session::Model {
        account_session::Model {
            id: 1,
            token_hash: hash("t"),
            csrf_token: "abc".into(),
            account_id: 1,
            organization_id: 1,
            device: "Firefox on Linux".into(),
            created_at: created,
            last_seen_at: seen,
            expires_at: created + TimeDelta::days(7),
        }
    }

    #[test]
    fn a_session_ends_when_idle_or_at_its_absolute_expiry() {
        let l = Lifetimes::default();
        let t0 = Utc::now();
        // Used just now: the idle limit is 12 h away.
        assert_eq!(ends_at(&session(t0, t0), l), t0 + TimeDelta::hours(12));
        // Used on day 6.9: the absolute limit (day 7) comes first.
        let seen = t0 + TimeDelta::hours(166);
        assert_eq!(ends_at(&session(t0, seen), l), t0 + TimeDelta::days(7));
    }

    #[test]
    fn csrf_tokens_compare_exactly() {
        let s = session(Utc::now(), Utc::now());
        assert!(csrf_matches(&s, "abc"));
        assert!(!csrf_matches(&s, "abd"));
        assert!(!csrf_matches(&s, "ab"));
        assert!(!csrf_matches(&s, ""));
    }
}
