//! Announcing changes to cached data. A domain function that changes a key, a plan, a
//! site or a survey calls [`Changes::record`]: this process's caches forget the object at
//! once, and a counter in the database is bumped, so every other process on the same
//! database (the `loupe admin` CLI, other nodes) has its caches forget everything within
//! one poll of that counter ([`Changes::follow`]).
//!
//! With Redis (`LOUPE_REDIS_URL`) each change is also announced through an [`Announce`]
//! (`crate::cluster` implements it), so the other nodes forget that object at once; the
//! counter poll stays as the backstop.
//!
//! Lives at the crate root because both the domain (which records) and `auth` (whose key
//! cache listens) use it.

use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::error::AppResult;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Key(i64),
    Organization(i64),
    Site(i64),
    Survey(i64),
}

/// A cache that can forget.
pub trait Forget: Send + Sync {
    fn forget(&self, change: Change);
    fn forget_all(&self);
}

/// The caches of this process, and the database counter shared with the others.
#[derive(Clone, Default)]
pub struct Changes {
    caches: Arc<RwLock<Vec<Arc<dyn Forget>>>>,
    /// Values of the shared counter that this process's own changes produced (already
    /// forgotten here precisely): the poll flushes everything only for the others.
    own: Arc<Mutex<Vec<i64>>>,
    /// Redis, when several nodes share one (announcements and revocation markers).
    cluster: Arc<OnceLock<Arc<dyn Announce>>>,
}

/// A boxed future of an announcement (the trait stays object-safe without a macro).
pub type Announced<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// Where changes are announced to the other nodes at once. Failures are the announcer's to
/// log and count: an announcement is an accelerator, never the source of truth.
pub trait Announce: Send + Sync {
    /// Tells the other nodes to forget `change`.
    fn publish(&self, change: Change) -> Announced<'_>;
    /// Marks a key revoked for every node until it would have expired anyway.
    fn mark_revoked(&self, key_id: i64, expires_at: chrono::DateTime<chrono::Utc>)
        -> Announced<'_>;
}

impl std::fmt::Debug for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.caches.read().map_or(0, |c| c.len());
        write!(f, "Changes({n} caches)")
    }
}

impl Changes {
    pub fn listen(&self, cache: Arc<dyn Forget>) {
        self.caches
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(cache);
    }

    /// Announces changes on Redis too (set once, at start-up).
    pub fn attach(&self, cluster: Arc<dyn Announce>) {
        let _ = self.cluster.set(cluster);
    }

    /// This process's caches forget `change` (announced by another node).
    pub fn forget_here(&self, change: Change) {
        self.each(|c| c.forget(change));
    }

    /// This process's caches forget everything.
    pub fn forget_all_here(&self) {
        self.each(|c| c.forget_all());
    }

    /// A key was revoked (committed): with Redis, every node refuses it from now on,
    /// before this call returns. Without Redis (or while it is away) the other nodes
    /// learn it through the change announcement and the counter poll.
    pub async fn key_revoked(&self, key_id: i64, expires_at: chrono::DateTime<chrono::Utc>) {
        if let Some(cluster) = self.cluster.get() {
            cluster.mark_revoked(key_id, expires_at).await;
        }
    }

    fn each(&self, f: impl Fn(&dyn Forget)) {
        for c in self.caches.read().unwrap_or_else(|p| p.into_inner()).iter() {
            f(c.as_ref());
        }
    }

    /// Called after the change is committed (or inside its transaction, `db` being it).
    pub async fn record(&self, db: &impl ConnectionTrait, change: Change) -> AppResult<()> {
        self.each(|c| c.forget(change));
        let row = db
            .query_one(Statement::from_string(
                db.get_database_backend(),
                "UPDATE cache_epoch SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch",
            ))
            .await?;
        if let Some(r) = row {
            let epoch: i64 = r.try_get("", "epoch")?;
            self.own
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(epoch);
        }
        // Inside a transaction this may reach other nodes before the commit (they could
        // then cache the old row again): the counter poll, which sees the bump only once
        // committed, corrects that.
        if let Some(cluster) = self.cluster.get() {
            cluster.publish(change).await;
        }
        Ok(())
    }

    /// Polls the shared counter every `every` and makes this process's caches forget
    /// everything when another process changed something. Runs until the process ends.
    pub fn follow(&self, db: DatabaseConnection, every: Duration) {
        let this = self.clone();
        tokio::spawn(async move {
            let mut seen: Option<i64> = None;
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Ok(now) = epoch(&db).await else {
                    continue; // the database is away: the caches' own expiry still applies
                };
                let foreign = {
                    let mut own = this.own.lock().unwrap_or_else(|p| p.into_inner());
                    // A value between the last poll and now that this process did not
                    // produce: another process changed something.
                    let foreign = seen.is_some_and(|s| {
                        now - s > 1000 || (s + 1..=now).any(|v| !own.contains(&v))
                    });
                    own.retain(|v| *v > now);
                    foreign
                };
                if foreign {
                    this.each(|c| c.forget_all());
                }
                seen = Some(now);
            }
        });
    }
}

async fn epoch(db: &DatabaseConnection) -> AppResult<i64> {
    let backend: DbBackend = db.get_database_backend();
    let row = db
        .query_one(Statement::from_string(
            backend,
            "SELECT epoch FROM cache_epoch WHERE id = 1",
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64>("", "epoch")?,
        None => 0,
    })
}
