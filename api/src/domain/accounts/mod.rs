//! Console accounts: people who sign in with an email and a password (argon2id, a
//! minimum length and a strength estimate), optionally with a TOTP second factor, and act
//! in organizations through memberships with the same roles as API keys.

pub mod invites;
pub mod members;
pub mod sessions;
pub mod two_factor;

use entity::api_key::Role;
use entity::{account, membership, organization};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::audit::{self, Action, By};
use crate::auth::secrets;
use crate::error::{AppError, AppResult};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 256;
/// zxcvbn's score (0–4) a password must reach.
const MIN_STRENGTH: u8 = 3;

/// Lowercased, trimmed, and shaped like an address.
pub fn email(field: &str, value: &str) -> AppResult<String> {
    let e = value.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(e)
    } else {
        Err(AppError::bad_input(field, "enter a valid email address"))
    }
}

/// The password rules: long enough, and not guessable from common words, patterns or the
/// account's own email and name.
pub fn check_password(password: &str, email: &str, name: Option<&str>) -> AppResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            "password",
            format!("use at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            "password",
            format!("use at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let mut inputs: Vec<&str> = email.split(['@', '.']).collect();
    inputs.extend(name.into_iter().flat_map(|n| n.split_whitespace()));
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if (estimate.score() as u8) < MIN_STRENGTH {
        let hint = estimate
            .feedback()
            .and_then(|f| {
                f.warning()
                    .map(|w| w.to_string().trim_end_matches('.').to_owned())
            })
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "it would be easy to guess".into());
        return Err(AppError::bad_input(
            "password",
            format!("this password is too weak: {hint}. Add more words or characters."),
        ));
    }
    Ok(())
}

/// How long a password check waits for a free hashing slot before answering busy (503).
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A slot for one argon2id run, shared with the token endpoint (one per core). It moves into
/// the blocking task, so a request given up mid-way keeps it until its hash is done.
async fn hashing_slot(hashing: &Arc<Semaphore>) -> AppResult<tokio::sync::OwnedSemaphorePermit> {
    match tokio::time::timeout(HASHING_WAIT, hashing.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::Unavailable(
            "too many password checks at once; retry shortly".into(),
        )),
    }
}

/// argon2id on a blocking thread, at most one per core (the token endpoint's semaphore).
pub async fn hash_password(hashing: &Arc<Semaphore>, password: &str) -> AppResult<String> {
    let permit = hashing_slot(hashing).await?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        secrets::hash_secret(&password)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::Internal)
}

/// Verifies a password against the account's hash, or burns the same work when there is
/// no account (so timing does not tell whether an email has an account).
pub async fn verify_password(
    hashing: &Arc<Semaphore>,
    password: &str,
    account: Option<&account::Model>,
) -> AppResult<bool> {
    let permit = hashing_slot(hashing).await?;
    let password = password.to_owned();
    let hash = account.map(|a| a.password_hash.clone());
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match hash {
            Some(h) => secrets::verify_secret(&password, &h),
            None => {
                secrets::verify_against_dummy(&password);
                false
            }
        }
    })
    .await
    .map_err(AppError::internal)
}

pub async fn by_email(db: &impl ConnectionTrait, email: &str) -> AppResult<Option<account::Model>> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<account::Model> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A new account (the password already checked and hashed).
pub async fn insert(
    db: &impl ConnectionTrait,
    email: &str,
    name: Option<&str>,
    password_hash: String,
) -> AppResult<account::Model> {
    let now = super::now();
    if by_email(db, email).await?.is_some() {
        return Err(AppError::Conflict(
            "an account with this email exists; sign in instead".into(),
        ));
    }
    Ok(account::ActiveModel {
        email: Set(email.to_owned()),
        name: Set(name.map(str::to_owned)),
        password_hash: Set(password_hash),
        totp_secret: Set(None),
        totp_pending_secret: Set(None),
        totp_last_step: Set(None),
        recovery_codes: Set(None),
        disabled_at: Set(None),
        last_sign_in_at: Set(None),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// An optional display name: trimmed, at most 100 characters, empty means none.
pub fn display_name(name: Option<&str>) -> AppResult<Option<String>> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) => super::validation::name("name", n, 100).map(Some),
    }
}

/// The organizations an account may work in (active memberships), oldest first.
pub async fn memberships(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> AppResult<Vec<(membership::Model, organization::Model)>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::DisabledAt.is_null())
        .order_by_asc(membership::Column::OrganizationId)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.organization_id).collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|m| {
            let org = orgs.iter().find(|o| o.id == m.organization_id)?.clone();
            Some((m, org))
        })
        .collect())
}

/// The account's active membership in `org_id`.
pub async fn membership(
    db: &impl ConnectionTrait,
    account_id: i64,
    org_id: i64,
) -> AppResult<Option<membership::Model>> {
    Ok(membership::Entity::find_by_id((account_id, org_id))
        .filter(membership::Column::DisabledAt.is_null())
        .one(db)
        .await?)
}

/// Adds (or re-enables with the new role) a membership. Once an organization has an ADMIN
/// member, its first-start setup link stops working.
pub async fn add_membership(
    db: &impl ConnectionTrait,
    account_id: i64,
    org_id: i64,
    role: Role,
) -> AppResult<membership::Model> {
    membership::Entity::delete_by_id((account_id, org_id))
        .exec(db)
        .await?;
    if role == Role::Admin {
        entity::invite::Entity::update_many()
            .col_expr(
                entity::invite::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(super::now()),
            )
            .filter(entity::invite::Column::OrganizationId.eq(org_id))
            .filter(entity::invite::Column::Setup.eq(true))
            .filter(entity::invite::Column::AcceptedAt.is_null())
            .filter(entity::invite::Column::RevokedAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(membership::ActiveModel {
        account_id: Set(account_id),
        organization_id: Set(org_id),
        role: Set(role),
        disabled_at: Set(None),
        created_at: Set(super::now()),
    }
    .insert(db)
    .await?)
}

/// Changes the password (the caller checked the current one); ends the account's other
/// sessions.
pub async fn change_password(
    db: &sea_orm::DatabaseConnection,
    hashing: &Arc<Semaphore>,
    account: &account::Model,
    org_id: i64,
    keep_session: i64,
    new: &str,
) -> AppResult<()> {
    check_password(new, &account.email, account.name.as_deref())?;
    let hash = hash_password(hashing, new).await?;
    let txn = crate::db::begin_write(db).await?;
    account::ActiveModel {
        id: Set(account.id),
        password_hash: Set(hash),
        password_changed_at: Set(super::now()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    sessions::end_all_except(&txn, account.id, Some(keep_session)).await?;
    record(
        &txn,
        org_id,
        By::account(account.id),
        Action::PasswordChanged,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets or clears the display name.
pub async fn rename(
    db: &impl ConnectionTrait,
    account_id: i64,
    name: Option<&str>,
) -> AppResult<account::Model> {
    let name = display_name(name)?;
    Ok(account::ActiveModel {
        id: Set(account_id),
        name: Set(name),
        ..Default::default()
    }
    .update(db)
    .await?)
}

/// Turns an account off everywhere (its sessions end) or back on (operators, CLI).
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    account: &account::Model,
    disabled: bool,
) -> AppResult<()> {
    account::ActiveModel {
        id: Set(account.id),
        disabled_at: Set(disabled.then(super::now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    if disabled {
        sessions::end_all_except(db, account.id, None).await?;
    }
    Ok(())
}

/// Why a sign-in did not go through.
pub enum SignInFailure {
    /// Wrong email or password, or a wrong second factor: counts against the throttle.
    BadCredentials,
    /// The password was right; a TOTP or recovery code is needed.
    TwoFactorRequired,
    /// Disabled account, or no active membership anywhere.
    NoAccess(&'static str),
    Error(AppError),
}

impl From<AppError> for SignInFailure {
    fn from(e: AppError) -> Self {
        SignInFailure::Error(e)
    }
}

/// Checks an email, a password and (when the account has it on) the second factor.
/// Returns the account and the organization it signs in to (its oldest membership).
pub async fn authenticate(
    db: &impl ConnectionTrait,
    hashing: &Arc<Semaphore>,
    throttle: &crate::auth::throttle::LoginThrottle,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> Result<(account::Model, membership::Model, organization::Model), SignInFailure> {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(SignInFailure::BadCredentials);
    }
    let account = by_email(db, email).await?;
    if !verify_password(hashing, password, account.as_ref()).await? {
        return Err(SignInFailure::BadCredentials);
    }
    let Some(account) = account else {
        return Err(SignInFailure::BadCredentials);
    };
    if account.totp_secret.is_some() {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => return Err(SignInFailure::TwoFactorRequired),
            Some(code) => {
                // Wrong codes count per account, whatever address they come from.
                let key = throttle.key(&format!("totp:{}", account.id), None);
                let attempt = throttle.attempt(key).await?;
                if !two_factor::verify(db, &account, code).await? {
                    attempt.failed();
                    return Err(SignInFailure::BadCredentials);
                }
                attempt.succeeded();
            }
        }
    }
    if account.disabled_at.is_some() {
        return Err(SignInFailure::NoAccess("this account is disabled"));
    }
    let Some((m, org)) = memberships(db, account.id).await?.into_iter().next() else {
        return Err(SignInFailure::NoAccess(
            "this account belongs to no organization: ask an ADMIN for an invite",
        ));
    };
    account::Entity::update_many()
        .col_expr(
            account::Column::LastSignInAt,
            sea_orm::sea_query::Expr::value(super::now()),
        )
        .filter(account::Column::Id.eq(account.id))
        .exec(db)
        .await
        .map_err(AppError::from)?;
    Ok((account, m, org))
}

/// An account action in the organization's audit log.
pub async fn record(
    db: &impl ConnectionTrait,
    org_id: i64,
    by: By,
    action: Action,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        db,
        audit::Entry {
            organization_id: org_id,
            by,
            action,
            site_id: None,
            subject_hash: None,
            counts: &details,
            at: super::now(),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            email("e", " Jane@Shop.Example ").ok().as_deref(),
            Some("jane@shop.example")
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@x.example",
            "jane@localhost",
            "ja ne@x.example",
        ] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weak_and_short_passwords_are_refused() {
        for weak in [
            "short",
            "password123",
            "qwertyuiop",
            "janedoejanedoe",
            "aaaaaaaaaaaa",
        ] {
            let err = check_password(weak, "jane.doe@shop.example", Some("Jane Doe"));
            assert!(err.is_err(), "{weak} was accepted");
        }
        assert!(check_password("correct horse battery staple", "j@x.example", None).is_ok());
        assert!(check_password("Vq7#mT2$pLx9!", "j@x.example", None).is_ok());
    }
}
