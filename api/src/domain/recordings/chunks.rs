//! Where recording chunks live: in the database (`recording_chunk.data`, the embedded
//! default) or in an object store (`file:///path`, `s3://bucket/prefix`) behind one
//! interface. With an object store the chunk's row keeps only the object's key, and the
//! object is written (create-only) before the row that names it, so no committed row
//! points to a missing object; objects of deleted rows are deleted after the commit, and
//! what a crash or a failed delete leaves behind is found by the janitor
//! (`jobs/chunk_janitor.rs`).
//!
//! Keys: `sites/{site_id}/{yyyy-mm-dd}/{recording_id}/{sequence}.zst`, the date being the
//! day (UTC) the recording was first received, so a recording's chunks share one prefix
//! and a site's day is one prefix too.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{recording, recording_chunk};
use futures_util::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, PutMode, PutOptions, PutPayload};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::{AppError, AppResult};

/// Longest wait for one object operation; below the recording writer's deadline so a
/// stalled store answers 503 before the batch's commit is given up.
pub const STORE_TIMEOUT: Duration = Duration::from_secs(3);

/// The chunk store of this process, chosen once at start (`LOUPE_CHUNK_STORE`).
static CURRENT: OnceLock<ChunkStore> = OnceLock::new();

/// Chooses the process's chunk store; the first call wins (a process has one).
pub fn install(store: ChunkStore) {
    let _ = CURRENT.set(store);
}

/// The process's chunk store: the database unless [`install`] chose another.
pub fn current() -> &'static ChunkStore {
    CURRENT.get_or_init(|| ChunkStore::Db)
}

/// An object in the store, as listed.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub modified: DateTime<Utc>,
}

#[derive(Clone)]
pub enum ChunkStore {
    /// Chunks in `recording_chunk.data`.
    Db,
    /// Chunks as objects; `url` is the setting as given (credentials never are in it).
    Objects {
        url: String,
        store: Arc<dyn ObjectStore>,
    },
}

impl std::fmt::Debug for ChunkStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// After a failed or timed-out write, writes fail at once for this long: batches are
/// written inside the group commit, so a stalled store must not hold the database's write
/// lock for [`STORE_TIMEOUT`] per batch.
const BACK_OFF_MS: i64 = 1000;
static WRITES_PAUSED_UNTIL: AtomicI64 = AtomicI64::new(0);

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn unavailable(op: &str, err: impl std::fmt::Display) -> AppError {
    tracing::warn!(error = %err, op, "recording chunk store failed");
    if op == "put" {
        WRITES_PAUSED_UNTIL.store(now_ms() + BACK_OFF_MS, Ordering::Relaxed);
    }
    AppError::Unavailable("the recording store is unavailable; retry shortly".into())
}

impl ChunkStore {
    /// `db`, `file:///absolute/path` (created if missing) or `s3://bucket[/prefix]`
    /// (endpoint, region and credentials from the usual `AWS_*` variables).
    pub fn from_url(url: &str) -> anyhow::Result<ChunkStore> {
        let url = url.trim();
        if url.is_empty() || url == "db" {
            return Ok(ChunkStore::Db);
        }
        let store: Arc<dyn ObjectStore> = if let Some(path) = url.strip_prefix("file://") {
            anyhow::ensure!(
                path.starts_with('/'),
                "LOUPE_CHUNK_STORE: a file store needs an absolute path (file:///var/lib/loupe/chunks)"
            );
            std::fs::create_dir_all(path)
                .map_err(|e| anyhow::anyhow!("LOUPE_CHUNK_STORE: creating {path}: {e}"))?;
            Arc::new(
                object_store::local::LocalFileSystem::new_with_prefix(path)?
                    .with_automatic_cleanup(true),
            )
        } else if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            anyhow::ensure!(
                !bucket.is_empty(),
                "LOUPE_CHUNK_STORE: s3:// needs a bucket"
            );
            let s3 = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()?;
            let prefix = prefix.trim_matches('/');
            if prefix.is_empty() {
                Arc::new(s3)
            } else {
                Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
            }
        } else {
            anyhow::bail!("LOUPE_CHUNK_STORE must be `db`, `file:///path` or `s3://bucket/prefix`");
        };
        Ok(ChunkStore::Objects {
            url: url.to_owned(),
            store,
        })
    }

    pub fn is_db(&self) -> bool {
        matches!(self, ChunkStore::Db)
    }

    /// What `/readyz` and logs call this store.
    pub fn describe(&self) -> &str {
        match self {
            ChunkStore::Db => "db",
            ChunkStore::Objects { url, .. } => url,
        }
    }

    fn objects(&self) -> AppResult<&Arc<dyn ObjectStore>> {
        match self {
            ChunkStore::Objects { store, .. } => Ok(store),
            ChunkStore::Db => Err(AppError::internal(anyhow::anyhow!(
                "a chunk is in an object store but LOUPE_CHUNK_STORE is `db`"
            ))),
        }
    }

    /// Writes a chunk's object, create-only. An object already there with the same bytes
    /// (a retried batch whose first try wrote it and then failed to commit) is success; one
    /// with other bytes is an orphan no row names (the caller checked, holding the
    /// session's lock), so it is replaced.
    pub async fn put(&self, key: &str, data: &[u8]) -> AppResult<()> {
        let store = self.objects()?;
        if WRITES_PAUSED_UNTIL.load(Ordering::Relaxed) > now_ms() {
            return Err(AppError::Unavailable(
                "the recording store is unavailable; retry shortly".into(),
            ));
        }
        let path = Path::from(key);
        let payload = PutPayload::from(data.to_vec());
        let create = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        let first = tokio::time::timeout(
            STORE_TIMEOUT,
            store.put_opts(&path, payload.clone(), create),
        )
        .await
        .map_err(|_| unavailable("put", "no answer in time"))?;
        match first {
            Ok(_) => Ok(()),
            Err(object_store::Error::AlreadyExists { .. }) => {
                if self.get(key).await? == data {
                    return Ok(());
                }
                tracing::warn!(key, "replacing an orphan chunk object with other content");
                tokio::time::timeout(STORE_TIMEOUT, store.put(&path, payload))
                    .await
                    .map_err(|_| unavailable("put", "no answer in time"))?
                    .map_err(|e| unavailable("put", e))?;
                Ok(())
            }
            Err(e) => Err(unavailable("put", e)),
        }
    }

    /// Writes a chunk's object, create-only, without holding any lock: true when it is
    /// there now with these bytes, false when another object is in the way (left alone:
    /// a row may name it by now; the caller writes under the session's lock instead).
    pub async fn put_new(&self, key: &str, data: &[u8]) -> AppResult<bool> {
        let store = self.objects()?;
        if WRITES_PAUSED_UNTIL.load(Ordering::Relaxed) > now_ms() {
            return Err(AppError::Unavailable(
                "the recording store is unavailable; retry shortly".into(),
            ));
        }
        let create = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        let path = Path::from(key);
        let put = store.put_opts(&path, PutPayload::from(data.to_vec()), create);
        match tokio::time::timeout(STORE_TIMEOUT, put)
            .await
            .map_err(|_| unavailable("put", "no answer in time"))?
        {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(self.get(key).await? == data),
            Err(e) => Err(unavailable("put", e)),
        }
    }

    /// A chunk's object, as stored (compressed).
    pub async fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        let store = self.objects()?;
        let path = Path::from(key);
        let read = async {
            let got = store.get(&path).await?;
            got.bytes().await
        };
        match tokio::time::timeout(STORE_TIMEOUT, read).await {
            Err(_) => Err(unavailable("get", "no answer in time")),
            Ok(Ok(b)) => Ok(b.to_vec()),
            Ok(Err(e @ object_store::Error::NotFound { .. })) => Err(AppError::internal(
                anyhow::anyhow!("chunk object {key} is missing: {e}"),
            )),
            Ok(Err(e)) => Err(unavailable("get", e)),
        }
    }

    /// Deletes these objects; one missing is fine. Failures are logged and leave orphans
    /// for the janitor: the rows naming them are already gone. Returns how many failed.
    pub async fn delete(&self, keys: &[String]) -> usize {
        let Ok(store) = self.objects() else {
            return 0;
        };
        if keys.is_empty() {
            return 0;
        }
        let paths =
            futures_util::stream::iter(keys.iter().map(|k| Ok(Path::from(k.as_str())))).boxed();
        let run = store
            .delete_stream(paths)
            .filter_map(|r| async move {
                match r {
                    Ok(_) | Err(object_store::Error::NotFound { .. }) => None,
                    Err(e) => Some(e),
                }
            })
            .collect::<Vec<_>>();
        let failed = match tokio::time::timeout(STORE_TIMEOUT * 10, run).await {
            Ok(errors) => {
                if let Some(e) = errors.first() {
                    tracing::warn!(error = %e, failed = errors.len(), "deleting chunk objects failed; the janitor will retry");
                }
                errors.len()
            }
            Err(_) => {
                tracing::warn!(
                    keys = keys.len(),
                    "deleting chunk objects timed out; the janitor will retry"
                );
                keys.len()
            }
        };
        failed
    }

    /// Deletes every object under `prefix` (a site, a day, a recording). Returns how many.
    pub async fn delete_prefix(&self, prefix: &str) -> AppResult<usize> {
        let keys: Vec<String> = self
            .list(prefix)
            .await?
            .into_iter()
            .map(|l| l.key)
            .collect();
        let failed = self.delete(&keys).await;
        Ok(keys.len() - failed)
    }

    /// Objects under `prefix` (`""`: all).
    pub async fn list(&self, prefix: &str) -> AppResult<Vec<Listed>> {
        let store = self.objects()?;
        let prefix = (!prefix.is_empty()).then(|| Path::from(prefix));
        let run = store
            .list(prefix.as_ref())
            .map_ok(|m| Listed {
                key: m.location.to_string(),
                modified: m.last_modified,
            })
            .try_collect::<Vec<_>>();
        tokio::time::timeout(STORE_TIMEOUT * 10, run)
            .await
            .map_err(|_| unavailable("list", "no answer in time"))?
            .map_err(|e| unavailable("list", e))
    }

    /// Whether the store answers (a listing of one key that need not exist).
    pub async fn check(&self) -> bool {
        let Ok(store) = self.objects() else {
            return true;
        };
        let probe = Path::from("loupe-readyz-probe");
        match tokio::time::timeout(Duration::from_secs(1), store.head(&probe)).await {
            Ok(Ok(_)) | Ok(Err(object_store::Error::NotFound { .. })) => true,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness check: chunk store failed");
                false
            }
            Err(_) => false,
        }
    }
}

/// Deletes the store's objects that no chunk row names and that were written before
/// `older_than` (a crash between an object and its row's commit, a failed delete).
/// Returns how many were deleted.
#[tracing::instrument(skip(db))]
pub async fn sweep_orphans(db: &DatabaseConnection, older_than: DateTime<Utc>) -> AppResult<usize> {
    let store = current();
    if store.is_db() {
        return Ok(0);
    }
    let old: Vec<String> = store
        .list("sites")
        .await?
        .into_iter()
        .filter(|l| l.modified < older_than)
        .map(|l| l.key)
        .collect();
    let mut orphans = Vec::new();
    for batch in old.chunks(500) {
        let named: HashSet<String> = recording_chunk::Entity::find()
            .filter(recording_chunk::Column::ObjectKey.is_in(batch.iter().cloned()))
            .select_only()
            .column(recording_chunk::Column::ObjectKey)
            .into_tuple::<Option<String>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect();
        orphans.extend(batch.iter().filter(|k| !named.contains(*k)).cloned());
    }
    if orphans.is_empty() {
        return Ok(0);
    }
    let failed = store.delete(&orphans).await;
    tracing::info!(
        deleted = orphans.len() - failed,
        failed,
        "orphan chunk objects deleted"
    );
    Ok(orphans.len() - failed)
}

/// Moves chunks kept in the database to `to`, `batch` at a time: each chunk's object is
/// written first, then its row names it and drops its bytes (one transaction per batch).
/// Safe to stop and run again: a row still without a key is moved again, and its object,
/// if already there, is recognised. Returns how many chunks were moved.
#[tracing::instrument(skip(db, to))]
pub async fn move_to(db: &DatabaseConnection, to: &ChunkStore, batch: u64) -> AppResult<u64> {
    if to.is_db() {
        return Err(AppError::bad_input(
            "to",
            "name an object store (file:///path or s3://bucket/prefix)",
        ));
    }
    let mut moved = 0;
    let mut after = 0i64;
    loop {
        let rows = recording_chunk::Entity::find()
            .filter(recording_chunk::Column::ObjectKey.is_null())
            .filter(recording_chunk::Column::Id.gt(after))
            .order_by_asc(recording_chunk::Column::Id)
            .limit(batch)
            .all(db)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(moved);
        };
        after = last.id;
        let ids: HashSet<i64> = rows.iter().map(|r| r.recording_id).collect();
        let recordings: HashMap<i64, (i64, DateTime<Utc>)> = recording::Entity::find()
            .filter(recording::Column::Id.is_in(ids))
            .select_only()
            .column(recording::Column::Id)
            .column(recording::Column::SiteId)
            .column(recording::Column::CreatedAt)
            .into_tuple::<(i64, i64, DateTime<Utc>)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, site, at)| (id, (site, at)))
            .collect();
        let mut named = Vec::with_capacity(rows.len());
        for row in &rows {
            // A chunk whose recording is being deleted meanwhile is left alone.
            let Some((site_id, received)) = recordings.get(&row.recording_id) else {
                continue;
            };
            let key = key(*site_id, *received, row.recording_id, row.sequence);
            to.put(&key, &row.data).await?;
            named.push((row.id, key));
        }
        let txn = crate::db::begin_write(db).await?;
        for (id, key) in named {
            moved += recording_chunk::Entity::update_many()
                .col_expr(recording_chunk::Column::ObjectKey, Expr::value(key))
                .col_expr(recording_chunk::Column::Data, Expr::value(Vec::<u8>::new()))
                .filter(recording_chunk::Column::Id.eq(id))
                .filter(recording_chunk::Column::ObjectKey.is_null())
                .exec(&txn)
                .await?
                .rows_affected;
        }
        txn.commit().await?;
        tracing::info!(moved, "recording chunks moved to the object store");
    }
}

/// The key of a recording's chunk (see the module's doc).
pub fn key(site_id: i64, received: DateTime<Utc>, recording_id: i64, sequence: i64) -> String {
    format!(
        "{}{sequence}.zst",
        recording_prefix(site_id, received, recording_id)
    )
}

/// The key of a chunk rewritten at `at` (URL purges): beside the original, never the same
/// key, so the new object is written before the row names it and the old one deleted after.
/// (Only characters every store keeps as they are: a local store percent-encodes `~`.)
pub fn rewritten_key(old: &str, at: DateTime<Utc>) -> String {
    let stem = old.strip_suffix(".zst").unwrap_or(old);
    let stem = stem.split_once("_r").map_or(stem, |(s, _)| s);
    format!("{stem}_r{}.zst", at.timestamp_micros())
}

/// Every chunk of one recording: `sites/{site}/{day}/{recording}/`.
pub fn recording_prefix(site_id: i64, received: DateTime<Utc>, recording_id: i64) -> String {
    format!(
        "sites/{site_id}/{}/{recording_id}/",
        received.format("%Y-%m-%d")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keys_by_site_day_recording() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 4, 23, 59, 0)
            .single()
            .expect("valid");
        assert_eq!(key(7, at, 42, 3), "sites/7/2026-03-04/42/3.zst");
        assert!(key(7, at, 42, 3).starts_with(&recording_prefix(7, at, 42)));
        let once = rewritten_key("sites/7/2026-03-04/42/3.zst", at);
        assert_eq!(
            once,
            format!("sites/7/2026-03-04/42/3_r{}.zst", at.timestamp_micros())
        );
        let later = at + chrono::TimeDelta::seconds(1);
        assert_eq!(
            rewritten_key(&once, later),
            format!("sites/7/2026-03-04/42/3_r{}.zst", later.timestamp_micros())
        );
    }

    #[test]
    fn urls() {
        assert!(ChunkStore::from_url("db").expect("db").is_db());
        assert!(ChunkStore::from_url("file://relative").is_err());
        assert!(ChunkStore::from_url("ftp://x").is_err());
    }
}
