//! An organization's members: list, change a role, turn off, remove. The last active
//! ADMIN member can be neither demoted, turned off nor removed.

use entity::api_key::Role;
use entity::{account, account_session, membership};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::domain::audit::{Action, By};
use crate::error::{AppError, AppResult};

pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
) -> AppResult<Vec<(membership::Model, account::Model)>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(org_id))
        .order_by_asc(membership::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.account_id).collect();
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|m| {
            let a = accounts.iter().find(|a| a.id == m.account_id)?.clone();
            Some((m, a))
        })
        .collect())
}

/// What may change about a member.
#[derive(Debug, Default)]
pub struct Change {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

async fn active_admins(db: &impl ConnectionTrait, org_id: i64) -> AppResult<u64> {
    Ok(membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(org_id))
        .filter(membership::Column::Role.eq(Role::Admin))
        .filter(membership::Column::DisabledAt.is_null())
        .count(db)
        .await?)
}

/// Serializes membership changes of one organization on PostgreSQL (SQLite's write lock
/// already does), so two ADMINs demoting each other at once cannot both succeed.
async fn lock_org(txn: &impl ConnectionTrait, org_id: i64) -> AppResult<()> {
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT id FROM organization WHERE id = $1 FOR UPDATE",
            [org_id.into()],
        ))
        .await?;
    }
    Ok(())
}

fn last_admin() -> AppError {
    AppError::Conflict(
        "an organization needs at least one active ADMIN: make someone else ADMIN first".into(),
    )
}

pub async fn update(
    db: &DatabaseConnection,
    org_id: i64,
    by: By,
    account_id: i64,
    change: Change,
) -> AppResult<(membership::Model, account::Model)> {
    let txn = crate::db::begin_write(db).await?;
    lock_org(&txn, org_id).await?;
    let m = membership::Entity::find_by_id((account_id, org_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut am: membership::ActiveModel = m.clone().into();
    if let Some(role) = change.role {
        am.role = Set(role);
    }
    if let Some(disabled) = change.disabled {
        am.disabled_at = Set(disabled.then(crate::domain::now));
    }
    let updated = am.update(&txn).await?;
    if m.role == Role::Admin && m.disabled_at.is_none() && active_admins(&txn, org_id).await? == 0 {
        return Err(last_admin());
    }
    if updated.disabled_at.is_some() {
        end_sessions_in(&txn, account_id, org_id).await?;
    }
    crate::domain::audit::record(
        &txn,
        crate::domain::audit::Entry {
            organization_id: org_id,
            by,
            action: Action::MemberUpdated,
            site_id: None,
            subject_hash: None,
            counts: &serde_json::json!({
                "account_id": account_id,
                "role": crate::auth::role_name(updated.role),
                "disabled": updated.disabled_at.is_some(),
            }),
            at: crate::domain::now(),
        },
    )
    .await?;
    txn.commit().await?;
    let acc = super::get(db, account_id).await?;
    Ok((updated, acc))
}

pub async fn remove(
    db: &DatabaseConnection,
    org_id: i64,
    by: By,
    account_id: i64,
) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    lock_org(&txn, org_id).await?;
    let m = membership::Entity::find_by_id((account_id, org_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    membership::Entity::delete_by_id((account_id, org_id))
        .exec(&txn)
        .await?;
    if m.role == Role::Admin && m.disabled_at.is_none() && active_admins(&txn, org_id).await? == 0 {
        return Err(last_admin());
    }
    end_sessions_in(&txn, account_id, org_id).await?;
    crate::domain::audit::record(
        &txn,
        crate::domain::audit::Entry {
            organization_id: org_id,
            by,
            action: Action::MemberRemoved,
            site_id: None,
            subject_hash: None,
            counts: &serde_json::json!({ "account_id": account_id }),
            at: crate::domain::now(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A member who lost access to an organization loses the sessions working in it.
async fn end_sessions_in(db: &impl ConnectionTrait, account_id: i64, org_id: i64) -> AppResult<()> {
    account_session::Entity::delete_many()
        .filter(account_session::Column::AccountId.eq(account_id))
        .filter(account_session::Column::OrganizationId.eq(org_id))
        .exec(db)
        .await?;
    Ok(())
}
