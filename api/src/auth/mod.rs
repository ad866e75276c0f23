//! Client credentials, access tokens, key state, rate limits.

pub mod cache;
pub mod jwt;
pub mod ratelimit;
pub mod secrets;
pub mod throttle;

use entity::{api_key, organization};

/// Who is calling: the API key behind a valid bearer token, with its organization.
/// Every read and write is scoped by `org.id`.
#[derive(Clone)]
pub struct Principal {
    pub key: api_key::Model,
    pub org: organization::Model,
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principal")
            .field("key_id", &self.key.id)
            .field("org_id", &self.org.id)
            .finish()
    }
}

impl Principal {
    pub fn org_id(&self) -> i64 {
        self.org.id
    }

    pub fn role(&self) -> api_key::Role {
        self.key.role
    }

    /// Roles are ordered READ < WRITE < ADMIN.
    pub fn require(&self, role: api_key::Role) -> crate::error::AppResult<()> {
        if self.key.role >= role {
            Ok(())
        } else {
            Err(crate::error::AppError::forbidden_role(role_name(role)))
        }
    }
}

pub fn role_name(role: api_key::Role) -> &'static str {
    match role {
        api_key::Role::Read => "READ",
        api_key::Role::Write => "WRITE",
        api_key::Role::Admin => "ADMIN",
    }
}

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::error::{AppError, AppResult};

/// Everything needed to turn credentials into tokens and tokens into principals.
pub struct Auth {
    pub jwt: jwt::JwtKeys,
    pub keys: cache::KeyCache,
    pub throttle: throttle::LoginThrottle,
    pub limiter: ratelimit::RateLimiter,
    pub token_ttl: Duration,
    /// argon2id verifications in flight (19 MiB and tens of ms each): at most one per
    /// core, shared by all workers, so a flood of token requests cannot exhaust memory.
    pub hashing: tokio::sync::Semaphore,
}

/// The key cache listens for changes to keys and organizations.
impl crate::changes::Forget for Auth {
    fn forget(&self, change: crate::changes::Change) {
        self.keys.forget(change);
    }

    fn forget_all(&self) {
        self.keys.forget_all();
    }
}

impl Auth {
    /// Validates an `Authorization: Bearer …` header value and returns the caller.
    pub async fn authenticate_bearer(
        &self,
        db: &DatabaseConnection,
        authorization: Option<&str>,
    ) -> AppResult<Arc<Principal>> {
        let token = authorization
            .and_then(bearer_token)
            .ok_or_else(|| AppError::Unauthenticated("a bearer token is required".into()))?;
        let claims = self
            .jwt
            .verify(token)
            .ok_or_else(|| AppError::Unauthenticated("invalid or expired token".into()))?;
        let principal = self
            .keys
            .principal(db, claims.key)
            .await?
            .filter(|p| p.key.organization_id == claims.org && p.key.client_id == claims.sub)
            .ok_or_else(|| AppError::Unauthenticated("invalid or expired token".into()))?;
        if principal.key.revoked_at.is_some() {
            return Err(AppError::Unauthenticated("the API key was revoked".into()));
        }
        if principal.key.expires_at <= Utc::now() {
            return Err(AppError::Unauthenticated("the API key has expired".into()));
        }
        Ok(principal)
    }
}

/// `Bearer <token>`, scheme case-insensitive (RFC 6750 §2.1).
fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
