//! Client credentials, access tokens, key state, rate limits.

pub mod cache;
pub mod jwt;
pub mod proxies;
pub mod ratelimit;
pub mod secrets;
pub mod session;
pub mod throttle;

use entity::{account, api_key, organization};

/// Who is calling: an API key (bearer token) or a console account (session cookie), with
/// the organization it acts in. Every read and write is scoped by `org.id`.
#[derive(Clone)]
pub struct Principal {
    pub org: organization::Model,
    pub role: api_key::Role,
    pub actor: Actor,
}

#[derive(Clone)]
pub enum Actor {
    Key(api_key::Model),
    Session {
        account: account::Model,
        session_id: i64,
    },
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Principal");
        match &self.actor {
            Actor::Key(k) => d.field("key_id", &k.id),
            Actor::Session { account, .. } => d.field("account_id", &account.id),
        };
        d.field("org_id", &self.org.id).finish()
    }
}

impl Principal {
    pub fn key(key: api_key::Model, org: organization::Model) -> Self {
        Principal {
            role: key.role,
            org,
            actor: Actor::Key(key),
        }
    }

    pub fn org_id(&self) -> i64 {
        self.org.id
    }

    pub fn role(&self) -> api_key::Role {
        self.role
    }

    /// The API key behind a bearer token; `None` for a console session.
    pub fn key_id(&self) -> Option<i64> {
        match &self.actor {
            Actor::Key(k) => Some(k.id),
            Actor::Session { .. } => None,
        }
    }

    /// The console account behind a session; `None` for an API key.
    pub fn account(&self) -> Option<&account::Model> {
        match &self.actor {
            Actor::Session { account, .. } => Some(account),
            Actor::Key(_) => None,
        }
    }

    pub fn account_id(&self) -> Option<i64> {
        self.account().map(|a| a.id)
    }

    /// What the per-caller rate limit counts: keys by id, accounts by a negated id.
    pub fn rate_key(&self) -> i64 {
        match &self.actor {
            Actor::Key(k) => k.id,
            Actor::Session { account, .. } => -account.id,
        }
    }

    /// Roles are ordered READ < WRITE < ADMIN.
    pub fn require(&self, role: api_key::Role) -> crate::error::AppResult<()> {
        if self.role >= role {
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
    /// Whose `X-Forwarded-For` names the caller the throttles count (`LOUPE_TRUSTED_PROXIES`).
    pub proxies: proxies::TrustedProxies,
    /// This process's limiter; with Redis only while Redis is away (see [`Auth::admit`]).
    pub limiter: ratelimit::RateLimiter,
    /// Redis shared by several nodes (`LOUPE_REDIS_URL`), if configured.
    pub cluster: Option<Arc<crate::cluster::Cluster>>,
    pub token_ttl: Duration,
    /// How long console sessions last.
    pub sessions: session::Lifetimes,
    /// argon2id verifications in flight (19 MiB and tens of ms each): at most one per
    /// core, shared by all workers, so a flood of token requests cannot exhaust memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
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
            .filter(|p| {
                matches!(&p.actor, Actor::Key(k) if k.organization_id == claims.org && k.client_id == claims.sub)
            })
            .ok_or_else(|| AppError::Unauthenticated("invalid or expired token".into()))?;
        let Actor::Key(key) = &principal.actor else {
            return Err(AppError::Unauthenticated("invalid or expired token".into()));
        };
        if key.revoked_at.is_some() {
            return Err(AppError::Unauthenticated("the API key was revoked".into()));
        }
        if key.expires_at <= Utc::now() {
            return Err(AppError::Unauthenticated("the API key has expired".into()));
        }
        Ok(principal)
    }
}

impl Auth {
    /// Counts one request of an authenticated caller against its rate limit: in Redis's
    /// shared window when configured and reachable (which also refuses a key revoked on any
    /// node), else in this process's own.
    pub async fn admit(&self, principal: &Principal) -> AppResult<ratelimit::Decision> {
        if let Some(cluster) = &self.cluster {
            let key_id = principal.key_id();
            match cluster
                .admit(principal.rate_key(), key_id, self.limiter.limit())
                .await
            {
                Some(crate::cluster::Admission::Rate(decision)) => return Ok(decision),
                Some(crate::cluster::Admission::Revoked) => {
                    if let Some(id) = key_id {
                        self.keys.invalidate_key(id);
                    }
                    return Err(AppError::Unauthenticated("the API key was revoked".into()));
                }
                None => {} // Redis away: fail open to this process's limiter
            }
        }
        Ok(self.limiter.check(principal.rate_key()))
    }
}

/// `Bearer <token>`, scheme case-insensitive (RFC 6750 §2.1).
fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
