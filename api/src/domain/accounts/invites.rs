//! Invitations into an organization, and the first-start setup link (an ADMIN invite
//! marked `setup`). The link carries a random token; only its SHA-256 is stored, so the
//! link is shown once. Invites last seven days and are used once.

use chrono::TimeDelta;
use entity::api_key::Role;
use entity::{invite, organization};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use tokio::sync::Semaphore;

use super::sessions::hash;
use crate::auth::secrets;
use crate::domain::audit::{Action, By};
use crate::error::{AppError, AppResult};

pub const LIFETIME: TimeDelta = TimeDelta::days(7);

/// A new invite and the token of its link (shown once).
pub struct Created {
    pub invite: invite::Model,
    pub token: String,
}

/// The console path of an invite link (`/setup?token=…` for the setup link).
pub fn path(created: &Created) -> String {
    if created.invite.setup {
        format!("/setup?token={}", created.token)
    } else {
        format!("/invite/{}", created.token)
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    org_id: i64,
    email: Option<&str>,
    role: Role,
    setup: bool,
    by: By,
) -> AppResult<Created> {
    let email = email
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| super::email("email", e))
        .transpose()?;
    let token = secrets::random_hex(24);
    let now = crate::domain::now();
    let invite = invite::ActiveModel {
        organization_id: Set(org_id),
        email: Set(email.clone()),
        role: Set(role),
        token_hash: Set(hash(&token)),
        setup: Set(setup),
        created_by_account_id: Set(by.account_id),
        created_at: Set(now),
        expires_at: Set(now + LIFETIME),
        accepted_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !setup {
        super::record(
            db,
            org_id,
            by,
            Action::InviteCreated,
            serde_json::json!({ "invite_id": invite.id, "role": crate::auth::role_name(role) }),
        )
        .await?;
    }
    Ok(Created { invite, token })
}

/// The pending invite behind a link token, with its organization.
pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<Option<(invite::Model, organization::Model)>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let Some(inv) = invite::Entity::find()
        .filter(invite::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if inv.accepted_at.is_some()
        || inv.revoked_at.is_some()
        || inv.expires_at <= crate::domain::now()
    {
        return Ok(None);
    }
    let Some(org) = organization::Entity::find_by_id(inv.organization_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((inv, org)))
}

/// The organization's pending invites, newest first.
pub async fn pending(db: &impl ConnectionTrait, org_id: i64) -> AppResult<Vec<invite::Model>> {
    Ok(invite::Entity::find()
        .filter(invite::Column::OrganizationId.eq(org_id))
        .filter(invite::Column::AcceptedAt.is_null())
        .filter(invite::Column::RevokedAt.is_null())
        .filter(invite::Column::Setup.eq(false))
        .filter(invite::Column::ExpiresAt.gt(crate::domain::now()))
        .order_by_desc(invite::Column::Id)
        .all(db)
        .await?)
}

pub async fn revoke(db: &DatabaseConnection, org_id: i64, by: By, invite_id: i64) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let done = invite::Entity::update_many()
        .col_expr(
            invite::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(crate::domain::now()),
        )
        .filter(invite::Column::Id.eq(invite_id))
        .filter(invite::Column::OrganizationId.eq(org_id))
        .filter(invite::Column::AcceptedAt.is_null())
        .filter(invite::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    super::record(
        &txn,
        org_id,
        by,
        Action::InviteRevoked,
        serde_json::json!({ "invite_id": invite_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What accepting needs from the person.
pub struct Acceptance<'a> {
    pub token: &'a str,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub password: &'a str,
}

/// The invite, claimed (used once: the first acceptance wins, a second one finds nothing).
async fn claim(txn: &impl ConnectionTrait, inv: &invite::Model) -> AppResult<()> {
    let claimed = invite::Entity::update_many()
        .col_expr(
            invite::Column::AcceptedAt,
            sea_orm::sea_query::Expr::value(crate::domain::now()),
        )
        .filter(invite::Column::Id.eq(inv.id))
        .filter(invite::Column::AcceptedAt.is_null())
        .filter(invite::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Claims the invite for `account` and adds the membership, in the caller's transaction.
/// An existing membership (active or turned off) is never overwritten: an ADMIN changes
/// it with `updateMember`.
async fn join_in(
    txn: &impl ConnectionTrait,
    inv: &invite::Model,
    account: &entity::account::Model,
) -> AppResult<()> {
    if entity::membership::Entity::find_by_id((account.id, inv.organization_id))
        .one(txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(
            "you are already a member of this organization".into(),
        ));
    }
    claim(txn, inv).await?;
    super::add_membership(txn, account.id, inv.organization_id, inv.role).await?;
    super::record(
        txn,
        inv.organization_id,
        By::account(account.id),
        Action::InviteAccepted,
        serde_json::json!({
            "invite_id": inv.id,
            "role": crate::auth::role_name(inv.role),
            "setup": inv.setup,
        }),
    )
    .await
}

/// Accepts an invite by creating a new account (without credentials: the invite link is
/// the credential). An email that already has an account gets `CONFLICT`: its owner signs
/// in and joins with [`join`], so the second factor and the sign-in throttle always apply.
pub async fn accept(
    db: &DatabaseConnection,
    hashing: &std::sync::Arc<Semaphore>,
    a: Acceptance<'_>,
) -> AppResult<(entity::account::Model, organization::Model)> {
    let email = super::email("email", a.email)?;
    let name = super::display_name(a.name)?;
    // The password rules first, so a weak password fails alike whether the email exists.
    super::check_password(a.password, &email, name.as_deref())?;
    let Some((inv, org)) = find(db, a.token).await? else {
        return Err(AppError::NotFound);
    };
    if inv.email.as_deref().is_some_and(|e| e != email) {
        return Err(AppError::bad_input(
            "email",
            "this invite is for another email address",
        ));
    }
    if super::by_email(db, &email).await?.is_some() {
        return Err(AppError::Conflict(
            "an account with this email exists: sign in, then open the invite link again to join"
                .into(),
        ));
    }
    let hash = super::hash_password(hashing, a.password).await?;
    let txn = crate::db::begin_write(db).await?;
    let account = super::insert(&txn, &email, name.as_deref(), hash).await?;
    join_in(&txn, &inv, &account).await?;
    txn.commit().await?;
    Ok((account, org))
}

/// A signed-in account joins the invite's organization (the invite must not be bound to
/// another email). Returns the membership's organization.
pub async fn join(
    db: &DatabaseConnection,
    account: &entity::account::Model,
    token: &str,
) -> AppResult<(entity::membership::Model, organization::Model)> {
    let Some((inv, org)) = find(db, token).await? else {
        return Err(AppError::NotFound);
    };
    if inv.email.as_deref().is_some_and(|e| e != account.email) {
        return Err(AppError::Forbidden(
            "this invite is for another email address: sign in with that account".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    join_in(&txn, &inv, account).await?;
    txn.commit().await?;
    let m = super::membership(db, account.id, org.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((m, org))
}
