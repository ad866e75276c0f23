//! Optional Redis shared by several nodes (`LOUPE_REDIS_URL`): the per-caller rate limit,
//! exact across nodes (one atomic script per request that also reads the key's revocation
//! marker), revocation markers, and a pub/sub channel on which every change to cached data
//! is announced so that every node forgets it at once.
//!
//! Redis is an accelerator, never the source of truth: when it cannot be reached, requests
//! fail open to this process's own limiter and to database reads (the change counter poll
//! and the caches' expiry still apply), the failure is logged (at most once per 10 s) and
//! shown in `/metrics` (`loupe_redis_up`, `loupe_redis_errors_total`). A supervisor task
//! reconnects; on every (re)connection it rebuilds the revocation markers from the database
//! and makes this process's caches forget everything (announcements may have been missed)
//! before Redis is used again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use entity::api_key;
use futures_util::StreamExt;
use prometheus::{IntCounter, IntGauge};
use redis::aio::{ConnectionManager, ConnectionManagerConfig, PubSubStream};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tokio::sync::Notify;

use crate::auth::ratelimit::Decision;
use crate::changes::{Announce, Announced, Change, Changes};

/// The channel on which changes to cached data are announced.
const CHANNEL: &str = "loupe:changes";
/// Longest wait for one Redis answer (or a connection) before failing open.
const TIMEOUT: Duration = Duration::from_secs(1);

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(Some(TIMEOUT))
        .set_number_of_retries(1)
}

thread_local! {
    /// This thread's own connection for the per-request script, with the number of the
    /// shared connection it was opened under (a reconnection — markers rebuilt — opens new
    /// ones). Its driver runs on the thread's runtime, beside the requests that use it, so
    /// a request's round trip wakes no other thread.
    static HERE: std::cell::RefCell<Option<(u64, ConnectionManager)>> =
        const { std::cell::RefCell::new(None) };
    /// Set while this thread opens its connection (requests meanwhile use the shared one).
    static OPENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
/// Reconnection attempts back off up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// At most one Redis error is logged per this period (the others are counted).
const LOG_EVERY: Duration = Duration::from_secs(10);
/// Rate windows last one minute, as in the local limiter.
const WINDOW_MS: u64 = 60_000;

/// Counts the caller's fixed window (started by its first request) and, for an API key,
/// first reads its revocation marker; atomic, so every node sees one exact count.
/// KEYS[1]: the window counter; KEYS[2] (API keys only): the revocation marker.
/// ARGV[1]: the limit; ARGV[2]: the window (ms).
/// Returns {1 allowed | 0 refused | -1 revoked, count, ms until the window ends}.
const ADMIT: &str = r"
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then
  return {-1, 0, 0}
end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count == 0 then
  redis.call('SET', KEYS[1], 1, 'PX', window)
  return {1, 1, window}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], window)
  ttl = window
end
if count >= limit then
  return {0, count, ttl}
end
redis.call('INCR', KEYS[1])
return {1, count + 1, ttl}
";

/// What Redis said about one request.
#[derive(Debug, Clone, Copy)]
pub enum Admission {
    /// The key carries a revocation marker: refuse it, whatever this node has cached.
    Revoked,
    /// Counted in the shared window.
    Rate(Decision),
}

/// The connection in use, numbered so that a failure seen on an older one (a request
/// that was in flight across a reconnection) does not drop a newer one.
struct Live {
    conn: ConnectionManager,
    number: u64,
}

pub struct Cluster {
    client: redis::Client,
    /// Present while Redis is up and the markers are rebuilt.
    live: RwLock<Option<Live>>,
    connections: AtomicU64,
    /// Wakes the supervisor when a failed command dropped the connection.
    trouble: Notify,
    admit: redis::Script,
    /// Tells this process's own announcements apart from the others'.
    node: String,
    up_gauge: IntGauge,
    errors: IntCounter,
    last_log: Mutex<Option<Instant>>,
    suppressed: AtomicU64,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cluster(redis up: {})", self.is_up())
    }
}

impl Cluster {
    /// Connects to Redis (waiting at most 5 s: a node starts without it and keeps
    /// trying), follows the change channel and starts the supervisor.
    pub async fn start(
        url: &str,
        db: DatabaseConnection,
        changes: Changes,
        registry: &prometheus::Registry,
    ) -> anyhow::Result<Arc<Cluster>> {
        let client = redis::Client::open(url)
            .map_err(|e| anyhow::anyhow!("LOUPE_REDIS_URL is not a valid Redis URL: {e}"))?;
        let up_gauge = IntGauge::new(
            "loupe_redis_up",
            "1 while Redis (LOUPE_REDIS_URL) is reachable and used, 0 while requests fail open",
        )?;
        let errors = IntCounter::new(
            "loupe_redis_errors_total",
            "Redis commands or connections that failed (each one failed open)",
        )?;
        registry.register(Box::new(up_gauge.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        let cluster = Arc::new(Cluster {
            client,
            live: RwLock::new(None),
            connections: AtomicU64::new(0),
            trouble: Notify::new(),
            admit: redis::Script::new(ADMIT),
            node: crate::auth::secrets::random_hex(8),
            up_gauge,
            errors,
            last_log: Mutex::new(None),
            suppressed: AtomicU64::new(0),
        });
        changes.attach(cluster.clone());
        let first = cluster.connect(&db, &changes).await;
        tokio::spawn(cluster.clone().supervise(db, changes, first));
        Ok(cluster)
    }

    pub fn is_up(&self) -> bool {
        self.live
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    fn connection(&self) -> Option<(u64, ConnectionManager)> {
        self.live
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|l| (l.number, l.conn.clone()))
    }

    /// Counts one request of `rate_key` (and reads `key_id`'s revocation marker) in the
    /// shared window; `None` when Redis is away (the caller then uses its own limiter).
    pub async fn admit(&self, rate_key: i64, key_id: Option<i64>, limit: u32) -> Option<Admission> {
        let (number, shared) = self.connection()?;
        let mut conn = self.connection_here(number, shared).await;
        let mut call = self.admit.prepare_invoke();
        call.key(window_key(rate_key));
        if let Some(id) = key_id {
            call.key(marker_key(id));
        }
        call.arg(limit).arg(WINDOW_MS);
        let answer: Vec<i64> = match call.invoke_async(&mut conn).await {
            Ok(a) => a,
            Err(e) => {
                self.failed(number, "rate limit script", &e);
                return None;
            }
        };
        let [verdict, count, ttl_ms] = answer[..] else {
            self.failed_msg("rate limit script", "unexpected answer");
            return None;
        };
        if verdict < 0 {
            return Some(Admission::Revoked);
        }
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        Some(Admission::Rate(Decision {
            allowed: verdict == 1,
            limit,
            remaining: limit.saturating_sub(count),
            reset_secs: (u64::try_from(ttl_ms).unwrap_or(0).div_ceil(1000)).max(1),
        }))
    }

    /// This thread's connection opened under the shared connection `number`, opened now if
    /// need be; `shared` while it opens or when it cannot be opened.
    async fn connection_here(&self, number: u64, shared: ConnectionManager) -> ConnectionManager {
        let here = HERE.with_borrow(|h| {
            h.as_ref()
                .filter(|(n, _)| *n == number)
                .map(|(_, c)| c.clone())
        });
        if let Some(conn) = here {
            return conn;
        }
        if OPENING.replace(true) {
            return shared;
        }
        /// Clears [`OPENING`] however the opening ends (a request given up drops it midway).
        struct Opening;
        impl Drop for Opening {
            fn drop(&mut self) {
                OPENING.set(false);
            }
        }
        let opening = Opening;
        let opened = tokio::time::timeout(
            TIMEOUT,
            self.client
                .get_connection_manager_with_config(manager_config()),
        )
        .await;
        drop(opening);
        match opened {
            Ok(Ok(conn)) => {
                HERE.set(Some((number, conn.clone())));
                conn
            }
            Ok(Err(e)) => {
                self.failed(number, "connecting a worker", &e);
                shared
            }
            Err(_) => {
                self.failed_msg("connecting a worker", "timed out");
                shared
            }
        }
    }

    /// Marks a key revoked for every node, until it would have expired anyway. A failure
    /// is logged and counted: the markers are rebuilt from the database on reconnection.
    async fn marker(&self, key_id: i64, expires_at: DateTime<Utc>) {
        let Some(ms) = marker_ttl_ms(expires_at, Utc::now()) else {
            return;
        };
        let Some((number, mut conn)) = self.connection() else {
            return;
        };
        let set = redis::cmd("SET")
            .arg(marker_key(key_id))
            .arg(1)
            .arg("PX")
            .arg(ms)
            .query_async::<()>(&mut conn)
            .await;
        if let Err(e) = set {
            self.failed(number, "revocation marker", &e);
        }
    }

    /// Tells the other nodes to forget `change`.
    async fn announce(&self, change: Change) {
        let Some((number, mut conn)) = self.connection() else {
            return;
        };
        let message = format!("{} {}", self.node, encode(change));
        let sent = redis::cmd("PUBLISH")
            .arg(CHANNEL)
            .arg(message)
            .query_async::<i64>(&mut conn)
            .await;
        if let Err(e) = sent {
            self.failed(number, "change announcement", &e);
        }
    }

    /// One connection: subscribe first (so nothing announced from now on is missed),
    /// rebuild the markers, forget everything cached, then let requests use Redis.
    async fn connect(&self, db: &DatabaseConnection, changes: &Changes) -> Option<PubSubStream> {
        let attempt = async {
            let mut pubsub = self.client.get_async_pubsub().await?;
            pubsub.subscribe(CHANNEL).await?;
            let mut conn = self
                .client
                .get_connection_manager_with_config(manager_config())
                .await?;
            let markers = rebuild_markers(&mut conn, db).await?;
            Ok::<_, RebuildError>((pubsub.into_on_message(), conn, markers))
        };
        match tokio::time::timeout(TIMEOUT * 5, attempt).await {
            Ok(Ok((stream, conn, markers))) => {
                changes.forget_all_here();
                let number = self.connections.fetch_add(1, Ordering::Relaxed) + 1;
                *self.live.write().unwrap_or_else(|p| p.into_inner()) = Some(Live { conn, number });
                self.up_gauge.set(1);
                tracing::info!(markers, "redis connected; revocation markers rebuilt");
                Some(stream)
            }
            Ok(Err(RebuildError::Redis(e))) => {
                self.failed_msg("connecting", &e.to_string());
                None
            }
            Ok(Err(RebuildError::Db(e))) => {
                self.failed_msg("rebuilding revocation markers", &e.to_string());
                None
            }
            Err(_) => {
                self.failed_msg("connecting", "no answer in time");
                None
            }
        }
    }

    /// Stops using connection `number` (any connection: `None`); whether it was in use.
    fn drop_connection(&self, number: Option<u64>) -> bool {
        let mut live = self.live.write().unwrap_or_else(|p| p.into_inner());
        let dropped = live
            .as_ref()
            .is_some_and(|l| number.is_none_or(|n| n == l.number));
        if dropped {
            *live = None;
            self.up_gauge.set(0);
            tracing::warn!(
                "redis unreachable: failing open to this node's limiter and database reads"
            );
        }
        dropped
    }

    /// Follows the change channel while connected; reconnects when the subscription ends
    /// or a command failed.
    async fn supervise(
        self: Arc<Self>,
        db: DatabaseConnection,
        changes: Changes,
        mut stream: Option<PubSubStream>,
    ) {
        let mut backoff = Duration::from_millis(100);
        loop {
            if let Some(mut messages) = stream.take() {
                backoff = Duration::from_millis(100);
                loop {
                    tokio::select! {
                        msg = messages.next() => match msg {
                            Some(msg) => self.received(&changes, msg.get_payload_bytes()),
                            None => break,
                        },
                        // A failed command dropped the connection (a permit left by an
                        // older one finds this one in place: ignored).
                        () = self.trouble.notified() => if !self.is_up() { break },
                    }
                }
                self.drop_connection(None);
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            stream = self.connect(&db, &changes).await;
        }
    }

    fn received(&self, changes: &Changes, payload: &[u8]) {
        let text = String::from_utf8_lossy(payload);
        let Some((node, change)) = text.split_once(' ') else {
            return;
        };
        if node == self.node {
            return; // this process forgot it when it announced it
        }
        match decode(change) {
            Some(change) => changes.forget_here(change),
            None => changes.forget_all_here(),
        }
    }

    fn failed(&self, number: u64, what: &str, e: &redis::RedisError) {
        let connection_lost = e.is_io_error()
            || e.is_timeout()
            || e.is_connection_dropped()
            || e.is_connection_refusal();
        // The connection is in doubt: stop using it until the supervisor reconnected (and
        // rebuilt the markers, in case Redis restarted empty).
        if connection_lost && self.drop_connection(Some(number)) {
            self.trouble.notify_one();
        }
        self.failed_msg(what, &e.to_string());
    }

    fn failed_msg(&self, what: &str, error: &str) {
        self.errors.inc();
        let mut last = self.last_log.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|t| t.elapsed() < LOG_EVERY) {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        *last = Some(Instant::now());
        let suppressed = self.suppressed.swap(0, Ordering::Relaxed);
        tracing::warn!(%error, suppressed, "redis {what} failed; failing open");
    }
}

enum RebuildError {
    Redis(redis::RedisError),
    Db(sea_orm::DbErr),
}

impl From<redis::RedisError> for RebuildError {
    fn from(e: redis::RedisError) -> Self {
        RebuildError::Redis(e)
    }
}

impl From<sea_orm::DbErr> for RebuildError {
    fn from(e: sea_orm::DbErr) -> Self {
        RebuildError::Db(e)
    }
}

/// Writes a marker for every revoked key that has not expired yet (a restarted Redis is
/// empty). Returns how many.
async fn rebuild_markers(
    conn: &mut ConnectionManager,
    db: &DatabaseConnection,
) -> Result<usize, RebuildError> {
    let now = Utc::now();
    let revoked: Vec<(i64, DateTime<Utc>)> = api_key::Entity::find()
        .select_only()
        .column(api_key::Column::Id)
        .column(api_key::Column::ExpiresAt)
        .filter(api_key::Column::RevokedAt.is_not_null())
        .filter(api_key::Column::ExpiresAt.gt(now))
        .into_tuple()
        .all(db)
        .await?;
    for chunk in revoked.chunks(1000) {
        let mut pipe = redis::pipe();
        for (id, expires_at) in chunk {
            if let Some(ms) = marker_ttl_ms(*expires_at, now) {
                pipe.cmd("SET")
                    .arg(marker_key(*id))
                    .arg(1)
                    .arg("PX")
                    .arg(ms)
                    .ignore();
            }
        }
        pipe.query_async::<()>(conn).await?;
    }
    Ok(revoked.len())
}

// The `{…}` hash tag keeps a caller's counter and marker in one Redis Cluster slot, as a
// script's keys must be.
fn window_key(rate_key: i64) -> String {
    if rate_key < 0 {
        format!("loupe:rl:{{a{}}}", -rate_key)
    } else {
        format!("loupe:rl:{{k{rate_key}}}")
    }
}

fn marker_key(key_id: i64) -> String {
    format!("loupe:revoked:{{k{key_id}}}")
}

/// How long a marker must live: until the key expires (it is refused then anyway).
fn marker_ttl_ms(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<u64> {
    u64::try_from((expires_at - now).num_milliseconds())
        .ok()
        .filter(|ms| *ms > 0)
}

fn encode(change: Change) -> String {
    match change {
        Change::Key(id) => format!("key:{id}"),
        Change::Organization(id) => format!("org:{id}"),
        Change::Site(id) => format!("site:{id}"),
        Change::Survey(id) => format!("survey:{id}"),
    }
}

fn decode(s: &str) -> Option<Change> {
    let (kind, id) = s.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    Some(match kind {
        "key" => Change::Key(id),
        "org" => Change::Organization(id),
        "site" => Change::Site(id),
        "survey" => Change::Survey(id),
        _ => return None,
    })
}

impl Announce for Cluster {
    fn publish(&self, change: Change) -> Announced<'_> {
        Box::pin(self.announce(change))
    }

    fn mark_revoked(&self, key_id: i64, expires_at: DateTime<Utc>) -> Announced<'_> {
        Box::pin(self.marker(key_id, expires_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_round_trip_through_their_message() {
        for change in [
            Change::Key(1),
            Change::Organization(22),
            Change::Site(333),
            Change::Survey(4444),
        ] {
            assert_eq!(decode(&encode(change)), Some(change));
        }
        assert_eq!(decode("plan:1"), None);
        assert_eq!(decode("key:x"), None);
    }

    #[test]
    fn a_key_and_its_marker_share_a_slot_and_accounts_differ_from_keys() {
        assert_eq!(window_key(42), "loupe:rl:{k42}");
        assert_eq!(marker_key(42), "loupe:revoked:{k42}");
        assert_eq!(window_key(-42), "loupe:rl:{a42}");
    }

    #[test]
    fn markers_live_until_the_key_expires() {
        let now = Utc::now();
        assert_eq!(
            marker_ttl_ms(now + chrono::TimeDelta::seconds(5), now),
            Some(5000)
        );
        assert_eq!(marker_ttl_ms(now, now), None);
        assert_eq!(
            marker_ttl_ms(now - chrono::TimeDelta::seconds(1), now),
            None
        );
    }
}
