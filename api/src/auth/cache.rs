//! Key state cache. Every authenticated request needs the key's revocation state and its
//! organization; reading them from the database each time would dominate the cost of a
//! small query. Entries are re-read after `ttl`; changes made through this instance
//! (revoking a key, accepting the DPA, a new plan) invalidate them at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::Utc;
use entity::{api_key, organization};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::Principal;
use crate::error::AppResult;

/// `last_used_at` is written at most this often per key from the request path.
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

struct Entry {
    principal: Arc<Principal>,
    loaded: Instant,
}

pub struct KeyCache {
    ttl: Duration,
    entries: RwLock<HashMap<i64, Entry>>,
    /// Bumped by every invalidation: a load that started before one must not put its
    /// (possibly stale) result back into the cache.
    generation: AtomicU64,
}

impl KeyCache {
    pub fn new(ttl: Duration) -> Self {
        KeyCache {
            ttl,
            entries: RwLock::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }

    /// The key and its organization, or `None` if the key does not exist.
    pub async fn principal(
        &self,
        db: &DatabaseConnection,
        key_id: i64,
    ) -> AppResult<Option<Arc<Principal>>> {
        if !self.ttl.is_zero() {
            let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
            if let Some(e) = entries.get(&key_id) {
                if e.loaded.elapsed() < self.ttl {
                    return Ok(Some(e.principal.clone()));
                }
            }
        }
        let generation = self.generation.load(Ordering::Acquire);
        let Some((key, Some(org))) = api_key::Entity::find_by_id(key_id)
            .find_also_related(organization::Entity)
            .one(db)
            .await?
        else {
            self.invalidate_key(key_id);
            return Ok(None);
        };
        touch_if_stale(db, &key);
        let principal = Arc::new(Principal::key(key, org));
        if !self.ttl.is_zero() {
            let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
            if self.generation.load(Ordering::Acquire) != generation {
                return Ok(Some(principal));
            }
            if entries.len() > 50_000 {
                let ttl = self.ttl;
                entries.retain(|_, e| e.loaded.elapsed() < ttl);
            }
            entries.insert(
                key_id,
                Entry {
                    principal: principal.clone(),
                    loaded: Instant::now(),
                },
            );
        }
        Ok(Some(principal))
    }

    pub fn invalidate_key(&self, key_id: i64) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key_id);
    }

    pub fn invalidate_org(&self, org_id: i64) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, e| e.principal.org.id != org_id);
    }
}

impl crate::changes::Forget for KeyCache {
    fn forget(&self, change: crate::changes::Change) {
        use crate::changes::Change;
        match change {
            Change::Key(id) => self.invalidate_key(id),
            Change::Organization(id) => self.invalidate_org(id),
            Change::Site(_) | Change::Survey(_) => {}
        }
    }

    fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// Records use of a key without delaying the request that used it.
fn touch_if_stale(db: &DatabaseConnection, key: &api_key::Model) {
    let now = Utc::now();
    if key.last_used_at.is_some_and(|t| now - t < TOUCH_EVERY) {
        return;
    }
    let db = db.clone();
    let id = key.id;
    tokio::spawn(async move {
        let update = api_key::Entity::update_many()
            .set(api_key::ActiveModel {
                last_used_at: Set(Some(now)),
                ..Default::default()
            })
            .filter(api_key::Column::Id.eq(id))
            .exec(&db)
            .await;
        if let Err(e) = update {
            tracing::warn!(error = %e, key_id = id, "could not record key use");
        }
    });
}
