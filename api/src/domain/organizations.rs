use crate::changes::{Change, Changes};
use entity::organization::{self, Plan};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};

use super::validation;
use crate::error::{AppError, AppResult};

#[tracing::instrument(skip(db))]
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    plan: Plan,
) -> AppResult<organization::Model> {
    let name = validation::name("name", name, validation::MAX_NAME_CHARS)?;
    let now = super::now();
    let org = organization::ActiveModel {
        name: Set(name),
        plan: Set(plan),
        dpa_accepted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(org)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<organization::Model>> {
    Ok(organization::Entity::find()
        .order_by_asc(organization::Column::Id)
        .all(db)
        .await?)
}

#[tracing::instrument(skip(db))]
pub async fn set_plan(
    db: &impl ConnectionTrait,
    changes: &Changes,
    id: i64,
    plan: Plan,
) -> AppResult<organization::Model> {
    let org = get(db, id).await?;
    let mut active: organization::ActiveModel = org.into();
    active.plan = Set(plan);
    active.updated_at = Set(super::now());
    let org = active.update(db).await?;
    changes.record(db, Change::Organization(org.id)).await?;
    Ok(org)
}

/// Records acceptance of the data-processing agreement. Idempotent: the first
/// acceptance time is kept.
#[tracing::instrument(skip(db))]
pub async fn accept_dpa(
    db: &impl ConnectionTrait,
    changes: &Changes,
    org_id: i64,
) -> AppResult<organization::Model> {
    let org = get(db, org_id).await?;
    if org.dpa_accepted_at.is_some() {
        return Ok(org);
    }
    let now = super::now();
    let mut active: organization::ActiveModel = org.into();
    active.dpa_accepted_at = Set(Some(now));
    active.updated_at = Set(now);
    let org = active.update(db).await?;
    changes.record(db, Change::Organization(org.id)).await?;
    Ok(org)
}

pub fn plan_name(plan: Plan) -> &'static str {
    match plan {
        Plan::Basic => "BASIC",
        Plan::Plus => "PLUS",
        Plan::Business => "BUSINESS",
        Plan::Scale => "SCALE",
    }
}

/// `PLAN_REQUIRED` unless the organization's plan is one of `allowed`.
pub fn require_plan(org: &organization::Model, allowed: &[Plan], feature: &str) -> AppResult<()> {
    if allowed.contains(&org.plan) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|p| plan_name(*p)).collect();
    Err(AppError::PlanRequired(format!(
        "{feature} needs plan {} (this organization is on {})",
        names.join(" or "),
        plan_name(org.plan)
    )))
}
