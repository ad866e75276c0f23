use crate::changes::{Change, Changes};
use chrono::{DateTime, TimeDelta, Utc};
use entity::api_key::{self, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::pagination::{paginate, Page, PageArgs};
use super::validation;
use crate::auth::secrets;
use crate::error::{AppError, AppResult};

/// Keys expire one year after creation.
pub const KEY_LIFETIME: TimeDelta = TimeDelta::days(365);

/// A new key and its secret. The secret exists only here: it is shown once.
pub struct CreatedKey {
    pub key: api_key::Model,
    pub secret: String,
}

#[tracing::instrument(skip(db))]
pub async fn create(
    db: &impl ConnectionTrait,
    org_id: i64,
    name: &str,
    role: Role,
) -> AppResult<CreatedKey> {
    let name = validation::name("name", name, validation::MAX_NAME_CHARS)?;
    let secret = secrets::new_secret();
    let hash = {
        let secret = secret.clone();
        tokio::task::spawn_blocking(move || secrets::hash_secret(&secret))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::Internal)?
    };
    let now = super::now();
    let key = api_key::ActiveModel {
        organization_id: Set(org_id),
        name: Set(name),
        role: Set(role),
        client_id: Set(secrets::new_client_id()),
        secret_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + KEY_LIFETIME),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(CreatedKey { key, secret })
}

pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    args: PageArgs,
) -> AppResult<Page<api_key::Model>> {
    let select = api_key::Entity::find().filter(api_key::Column::OrganizationId.eq(org_id));
    paginate(db, select, api_key::Column::Id, |k| k.id, args).await
}

pub async fn get(db: &impl ConnectionTrait, org_id: i64, key_id: i64) -> AppResult<api_key::Model> {
    api_key::Entity::find_by_id(key_id)
        .filter(api_key::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Revokes a key of `org_id`. Idempotent: an already revoked key keeps its time.
#[tracing::instrument(skip(db))]
pub async fn revoke(
    db: &impl ConnectionTrait,
    changes: &Changes,
    org_id: i64,
    key_id: i64,
) -> AppResult<api_key::Model> {
    let key = get(db, org_id, key_id).await?;
    revoke_model(db, changes, key).await
}

/// Operator revocation, across organizations (CLI).
pub async fn revoke_any(
    db: &impl ConnectionTrait,
    changes: &Changes,
    key_id: i64,
) -> AppResult<api_key::Model> {
    let key = api_key::Entity::find_by_id(key_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    revoke_model(db, changes, key).await
}

async fn revoke_model(
    db: &impl ConnectionTrait,
    changes: &Changes,
    key: api_key::Model,
) -> AppResult<api_key::Model> {
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let mut active: api_key::ActiveModel = key.into();
    active.revoked_at = Set(Some(super::now()));
    let key = active.update(db).await?;
    changes.key_revoked(key.id, key.expires_at).await;
    changes.record(db, Change::Key(key.id)).await?;
    Ok(key)
}

/// Why client credentials were refused. Expiry and revocation are told only to a caller
/// that proved it holds the secret.
#[derive(Debug)]
pub enum ClientAuthError {
    BadCredentials,
    Expired(DateTime<Utc>),
    Revoked(DateTime<Utc>),
    /// Too many verifications in flight.
    Busy,
    Internal(AppError),
}

/// How long a token request waits for a verification slot before it is told to retry.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Checks client credentials (OAuth2 client credentials grant). `hashing` bounds how
/// many argon2id verifications run at once.
pub async fn authenticate_client(
    db: &impl ConnectionTrait,
    client_id: &str,
    secret: &str,
    hashing: &std::sync::Arc<tokio::sync::Semaphore>,
) -> Result<api_key::Model, ClientAuthError> {
    let key = if secrets::looks_like_client_id(client_id) {
        api_key::Entity::find()
            .filter(api_key::Column::ClientId.eq(client_id))
            .one(db)
            .await
            .map_err(|e| ClientAuthError::Internal(e.into()))?
    } else {
        None
    };
    // The permit moves into the blocking task: a request given up mid-way still holds it
    // until its hash is done, so at most one hash per core runs at any time.
    let permit = match tokio::time::timeout(HASHING_WAIT, hashing.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => return Err(ClientAuthError::Busy),
    };
    let secret = secret.to_owned();
    let hash = key.as_ref().map(|k| k.secret_hash.clone());
    let valid = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match hash {
            Some(hash) => secrets::verify_secret(&secret, &hash),
            None => {
                secrets::verify_against_dummy(&secret);
                false
            }
        }
    })
    .await
    .map_err(|e| ClientAuthError::Internal(AppError::internal(e)))?;
    let key = match key {
        Some(key) if valid => key,
        _ => return Err(ClientAuthError::BadCredentials),
    };
    if let Some(at) = key.revoked_at {
        return Err(ClientAuthError::Revoked(at));
    }
    if key.expires_at <= super::now() {
        return Err(ClientAuthError::Expired(key.expires_at));
    }
    Ok(key)
}

pub async fn touch(db: &impl ConnectionTrait, key: api_key::Model) -> AppResult<api_key::Model> {
    let mut active: api_key::ActiveModel = key.into();
    active.last_used_at = Set(Some(super::now()));
    Ok(active.update(db).await?)
}
