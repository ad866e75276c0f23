//! Key state cache. Every authenticated request needs the key's revocation state and its
//! organization; reading them from the database each time would dominate the cost of a
//! small query. Entries are re-read after `ttl`; changes made through this instance
//! (revoking a key, accepting the DPA, a new plan) invalidate them at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use entity::{api_key, organization};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::Principal;
use crate::cache::Expiring;
use crate::error::{AppError, AppResult};

/// `last_used_at` is written at most this often per key from the request path.
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

pub struct KeyCache {
    entries: Expiring<i64, Arc<Principal>>,
}

impl KeyCache {
    pub fn new(ttl: Duration) -> Self {
        KeyCache {
            entries: Expiring::new(ttl, 50_000),
        }
    }

    /// The key and its organization, or `None` if the key does not exist.
    pub async fn principal(
        &self,
        db: &DatabaseConnection,
        key_id: i64,
    ) -> AppResult<Option<Arc<Principal>>> {
        // `Err(None)`: no such key (not cached); `Err(Some(e))`: the read failed.
        let found = self
            .entries
            .get_or_load(&key_id, || async {
                let row = api_key::Entity::find_by_id(key_id)
                    .find_also_related(organization::Entity)
                    .one(db)
                    .await
                    .map_err(|e| Some(AppError::from(e)))?;
                let Some((key, Some(org))) = row else {
                    return Err(None);
                };
                touch_if_stale(db, &key);
                Ok(Arc::new(Principal::key(key, org)))
            })
            .await;
        match found {
            Ok(principal) => Ok(Some(principal)),
            Err(None) => {
                self.invalidate_key(key_id);
                Ok(None)
            }
            Err(Some(e)) => Err(e),
        }
    }

    pub fn invalidate_key(&self, key_id: i64) {
        self.entries.remove(&key_id);
    }

    pub fn invalidate_org(&self, org_id: i64) {
        self.entries.retain(|_, p| p.org.id != org_id);
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
        self.entries.clear();
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
