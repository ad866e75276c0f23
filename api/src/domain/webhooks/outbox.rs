//! The outbox: events are written in the transaction of the data that caused them (one
//! `webhook_event` row per site and kind per commit), so an event exists exactly when its
//! data does; the worker fans them out into `webhook_delivery` rows, one per event and
//! subscribed endpoint, then claims due deliveries (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so several nodes share the outbox), holds each for a lease while it
//! sends, and records the outcome; a crash leaves the lease to run out and the row is
//! sent again (at least once, with the same `webhook-id`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use entity::{webhook_delivery, webhook_endpoint, webhook_event};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    QueryFilter, Statement,
};
use tokio::sync::Notify;

pub use super::events::Event;
use super::events::{events_of, EventType};
use super::policy::Policy;
use super::sign;
use crate::cache::Expiring;
use crate::domain::audit;
use crate::domain::now;
use crate::error::{AppError, AppResult};

pub const PENDING: &str = "PENDING";
pub const DELIVERED: &str = "DELIVERED";
pub const FAILED: &str = "FAILED";
pub const SKIPPED: &str = "SKIPPED";

/// Longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

static WAKE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// When the request path last committed a large group (ms since the process started):
/// the sign that requests are using the machine to its limit.
static LAST_CROWD_MS: AtomicU64 = AtomicU64::new(0);
static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);
/// A group commit at least this large means requests are queueing for the database.
const CROWD: usize = 16;

/// Called by the group commits of responses and recordings with each group's size.
pub fn note_commit(group: usize) {
    if group >= CROWD {
        let ms = u64::try_from(STARTED.elapsed().as_millis()).unwrap_or(u64::MAX);
        LAST_CROWD_MS.store(ms.max(1), Ordering::Relaxed);
    }
}

/// Whether requests were crowding the database in the last `window`: the delivery
/// worker then sends less at a time and pauses between rounds, so it takes what the
/// request path leaves over and catches up when the crowd is gone.
pub fn crowded(window: Duration) -> bool {
    let last = LAST_CROWD_MS.load(Ordering::Relaxed);
    let now = u64::try_from(STARTED.elapsed().as_millis()).unwrap_or(u64::MAX);
    last > 0 && now.saturating_sub(last) < u64::try_from(window.as_millis()).unwrap_or(u64::MAX)
}

/// Tells the worker of this process that deliveries are due (call after the commit).
pub fn wake() {
    WAKE.notify_one();
}

/// Waits for [`wake`] or `timeout` (rows written by other processes are found by polling).
pub async fn wait(timeout: Duration) {
    let _ = tokio::time::timeout(timeout, WAKE.notified()).await;
}

/// Records events inside the caller's transaction: one small row per site and kind,
/// whatever the number of events and endpoints, and only for sites with an enabled
/// endpoint subscribed to that kind (one query finds them). The worker fans the rows
/// out into deliveries ([`fan_out`]). Returns how many events were recorded (call
/// [`wake`] after the commit when it is not 0).
pub async fn emit(db: &impl ConnectionTrait, events: &[Event]) -> AppResult<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let mut sites: Vec<i64> = events.iter().map(|e| e.site_id).collect();
    sites.sort_unstable();
    sites.dedup();
    let wanted = SUBSCRIPTIONS.of(db, &sites).await?;
    if wanted.is_empty() {
        return Ok(0);
    }
    let mut groups: BTreeMap<(i64, &'static str), Vec<i64>> = BTreeMap::new();
    for ev in events {
        if wanted.contains(&(ev.site_id, ev.kind)) {
            groups
                .entry((ev.site_id, ev.kind.as_str()))
                .or_default()
                .push(ev.subject_id);
        }
    }
    let n = groups.values().map(Vec::len).sum();
    let at = now();
    for ((site_id, kind), ids) in groups {
        webhook_event::ActiveModel {
            site_id: Set(site_id),
            event_type: Set(kind.to_owned()),
            subject_ids: Set(serde_json::to_string(&ids).map_err(AppError::internal)?),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(n)
}

/// What each site's enabled endpoints subscribe to, cached for [`Subscriptions::TTL`]
/// so a commit does not read the endpoints every time. Endpoint changes announce
/// `Change::Site`: this process forgets at once, others within their change poll; in
/// any case the fan-out reads the endpoints as they are.
pub struct Subscriptions {
    by_site: Expiring<i64, Arc<HashSet<EventType>>>,
}

pub static SUBSCRIPTIONS: LazyLock<Arc<Subscriptions>> = LazyLock::new(|| {
    Arc::new(Subscriptions {
        by_site: Expiring::new(Subscriptions::TTL, 10_000),
    })
});

impl Subscriptions {
    const TTL: Duration = Duration::from_secs(1);

    /// `(site, kind)` pairs some enabled endpoint of these sites subscribes to.
    async fn of(
        &self,
        db: &impl ConnectionTrait,
        sites: &[i64],
    ) -> AppResult<HashSet<(i64, EventType)>> {
        let mut out = HashSet::new();
        let mut missing = vec![];
        for site in sites {
            match self.by_site.get(site) {
                Some(kinds) => out.extend(kinds.iter().map(|k| (*site, *k))),
                None => missing.push(*site),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let since = self.by_site.generation();
        let endpoints = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::SiteId.is_in(missing.clone()))
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .all(db)
            .await?;
        let mut found: HashMap<i64, HashSet<EventType>> =
            missing.iter().map(|s| (*s, HashSet::new())).collect();
        for e in &endpoints {
            found.entry(e.site_id).or_default().extend(events_of(e));
        }
        for (site, kinds) in found {
            out.extend(kinds.iter().map(|k| (site, *k)));
            self.by_site.insert_loaded(site, Arc::new(kinds), since);
        }
        Ok(out)
    }
}

impl crate::changes::Forget for Subscriptions {
    fn forget(&self, change: crate::changes::Change) {
        if let crate::changes::Change::Site(id) = change {
            self.by_site.remove(&id);
        }
    }

    fn forget_all(&self) {
        self.by_site.clear();
    }
}

/// Turns the oldest recorded events (at most `limit` rows) into deliveries, one per
/// event and enabled endpoint subscribed to it, in one transaction. On PostgreSQL the
/// rows are locked with `SKIP LOCKED`, so two nodes never fan out the same events.
/// Returns how many deliveries were written.
pub async fn fan_out(db: &sea_orm::DatabaseConnection, limit: u64) -> AppResult<usize> {
    use sea_orm::{QueryOrder, QuerySelect};
    // Nothing recorded (the common case): no write transaction, no write lock.
    let any = webhook_event::Entity::find()
        .select_only()
        .column(webhook_event::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    if any.is_none() {
        return Ok(0);
    }
    let pg = db.get_database_backend() == DbBackend::Postgres;
    let txn = if pg {
        sea_orm::TransactionTrait::begin(db).await?
    } else {
        crate::db::begin_write(db).await?
    };
    let mut find = webhook_event::Entity::find()
        .order_by_asc(webhook_event::Column::Id)
        .limit(limit);
    if pg {
        find = find.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
    let events = find.all(&txn).await?;
    if events.is_empty() {
        txn.commit().await?;
        return Ok(0);
    }
    let mut sites: Vec<i64> = events.iter().map(|e| e.site_id).collect();
    sites.sort_unstable();
    sites.dedup();
    let endpoints: Vec<(webhook_endpoint::Model, HashSet<EventType>)> =
        webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::SiteId.is_in(sites))
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| {
                let kinds = events_of(&e).into_iter().collect();
                (e, kinds)
            })
            .collect();
    // Bounded memory: events are taken whole until about this many deliveries are made;
    // the rest wait for the next round.
    const MAX_ROWS: usize = 10_000;
    let mut rows = Vec::new();
    let mut done = Vec::with_capacity(events.len());
    for ev in &events {
        if rows.len() >= MAX_ROWS {
            break;
        }
        done.push(ev.id);
        let Some(kind) = EventType::parse(&ev.event_type) else {
            continue;
        };
        let ids: Vec<i64> = serde_json::from_str(&ev.subject_ids).unwrap_or_default();
        for (e, kinds) in &endpoints {
            if e.site_id == ev.site_id && kinds.contains(&kind) {
                for id in &ids {
                    rows.push(row(e, kind, Some(*id), ev.created_at));
                }
            }
        }
    }
    let n = rows.len();
    const CHUNK: usize = 1000; // × 11 columns, under every bind-parameter limit
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(CHUNK));
        webhook_delivery::Entity::insert_many(std::mem::replace(&mut rows, rest))
            .exec_without_returning(&txn)
            .await?;
    }
    webhook_event::Entity::delete_many()
        .filter(webhook_event::Column::Id.is_in(done))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(n)
}

/// [`emit`] for responses known by id only (their sites are looked up).
pub async fn emit_for_responses(
    db: &impl ConnectionTrait,
    kind: EventType,
    response_ids: &[i64],
) -> AppResult<usize> {
    use sea_orm::QuerySelect;
    if response_ids.is_empty() {
        return Ok(0);
    }
    let mut events = Vec::with_capacity(response_ids.len());
    for chunk in response_ids.chunks(1000) {
        let rows: Vec<(i64, i64)> = entity::response::Entity::find()
            .select_only()
            .column(entity::response::Column::Id)
            .column(entity::response::Column::SiteId)
            .filter(entity::response::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        events.extend(rows.into_iter().map(|(id, site_id)| Event {
            site_id,
            kind,
            subject_id: id,
        }));
    }
    emit(db, &events).await
}

fn row(
    e: &webhook_endpoint::Model,
    kind: EventType,
    subject_id: Option<i64>,
    at: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        endpoint_id: Set(e.id),
        site_id: Set(e.site_id),
        msg_id: Set(sign::new_msg_id()),
        event_type: Set(kind.as_str().to_owned()),
        subject_id: Set(subject_id),
        event_at: Set(at),
        payload: Set(None),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        created_at: Set(at),
        ..Default::default()
    }
}

/// One delivery written now (a test event a person asked for).
pub(super) async fn insert_one(
    db: &impl ConnectionTrait,
    e: &webhook_endpoint::Model,
    kind: EventType,
    subject_id: Option<i64>,
    at: DateTime<Utc>,
) -> AppResult<webhook_delivery::Model> {
    Ok(row(e, kind, subject_id, at).insert(db).await?)
}

/// Due deliveries, the longest due first (new events in the order they happened), at
/// most `limit`, held by this worker until `lease_until`.
/// Endpoints in `busy` (being sent to by this worker) are left for later, so one slow
/// endpoint never holds up the others. Disabled endpoints are skipped, except for test
/// events a person asked for.
pub async fn claim(
    db: &impl ConnectionTrait,
    limit: u64,
    busy: &[i64],
    lease_until: DateTime<Utc>,
) -> AppResult<Vec<(webhook_delivery::Model, webhook_endpoint::Model)>> {
    let b = db.get_database_backend();
    let pg = b == DbBackend::Postgres;
    // Ids in `busy` are our own numbers, never a client's.
    let not_busy = if busy.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = busy.iter().map(i64::to_string).collect();
        format!(" AND d.endpoint_id NOT IN ({})", ids.join(","))
    };
    let (p1, p2, p3) = if pg {
        ("$1", "$2", "$3")
    } else {
        ("?", "?", "?")
    };
    let lock = if pg {
        " FOR UPDATE OF d SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE webhook_delivery SET locked_until = {p1} WHERE id IN (\
           SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id \
           WHERE d.status = '{PENDING}' AND d.next_attempt_at <= {p2} \
             AND (d.locked_until IS NULL OR d.locked_until < {p2_again}) \
             AND (e.enabled OR d.event_type = 'test'){not_busy} \
           ORDER BY d.next_attempt_at, d.id LIMIT {p3}{lock}) RETURNING id",
        p2_again = if pg { "$2" } else { "?" },
    );
    let at = now();
    let values: Vec<sea_orm::Value> = if pg {
        vec![lease_until.into(), at.into(), (limit as i64).into()]
    } else {
        vec![
            lease_until.into(),
            at.into(),
            at.into(),
            (limit as i64).into(),
        ]
    };
    let rows = db
        .query_all(Statement::from_sql_and_values(b, sql, values))
        .await?;
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64>("", "id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut deliveries = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Id.is_in(ids))
        .all(db)
        .await?;
    deliveries.sort_by_key(|d| d.id);
    let mut endpoint_ids: Vec<i64> = deliveries.iter().map(|d| d.endpoint_id).collect();
    endpoint_ids.sort_unstable();
    endpoint_ids.dedup();
    let endpoints: HashMap<i64, webhook_endpoint::Model> = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Id.is_in(endpoint_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(deliveries
        .into_iter()
        .filter_map(|d| endpoints.get(&d.endpoint_id).cloned().map(|e| (d, e)))
        .collect())
}

/// How one attempt ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A 2xx answer.
    Delivered {
        status: u16,
        latency_ms: i64,
        excerpt: String,
    },
    /// Any other answer, a timeout, a refused or failed connection.
    Failed {
        status: Option<u16>,
        error: String,
        latency_ms: i64,
        excerpt: Option<String>,
    },
    /// Nothing to send: the response or recording was deleted meanwhile.
    Skipped(String),
}

/// The wait before attempt `attempts + 1`: the base doubled per attempt, up to an hour,
/// with ±20 % jitter so endpoints that failed together do not retry together.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 30) - 1).unwrap_or(0);
    let plain = base
        .saturating_mul(2u32.saturating_pow(exp))
        .min(MAX_BACKOFF);
    let jitter = rand::thread_rng().gen_range(0.8..1.2);
    plain.mul_f64(jitter)
}

/// Records outcomes of attempts, with the body that was sent so retries send the same
/// bytes: one statement per 200 deliveries, each committing on its own, so the worker
/// never holds SQLite's write lock across a round trip (a worker starved of CPU while
/// holding it would stall every request's commit). An endpoint whose run of failures
/// reaches the policy's limit is disabled, and the audit log says so.
pub async fn finish(
    db: &sea_orm::DatabaseConnection,
    outcomes: &[(webhook_delivery::Model, Option<String>, Outcome)],
    policy: &Policy,
) -> AppResult<()> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let b = db.get_database_backend();
    let ph = |i: usize| {
        if b == DbBackend::Postgres {
            format!("${i}")
        } else {
            "?".to_owned()
        }
    };
    let at = now();
    let mut failures: HashMap<i64, i32> = HashMap::new();
    let mut successes: HashSet<i64> = HashSet::new();
    // One row of new values per delivery, written by one statement per chunk: the
    // write lock (SQLite) is held for a few statements, not one per delivery.
    let mut rows: Vec<Vec<sea_orm::Value>> = Vec::with_capacity(outcomes.len());
    for (d, body, outcome) in outcomes {
        let attempts = d.attempts + 1;
        let (status, code, latency, error, excerpt, payload, next, finished) = match outcome {
            Outcome::Delivered {
                status,
                latency_ms,
                excerpt,
            } => {
                successes.insert(d.endpoint_id);
                failures.remove(&d.endpoint_id);
                (
                    DELIVERED,
                    Some(i32::from(*status)),
                    Some(clamp_ms(*latency_ms)),
                    None,
                    Some(excerpt.clone()),
                    None,
                    d.next_attempt_at,
                    Some(at),
                )
            }
            Outcome::Failed {
                status,
                error,
                latency_ms,
                excerpt,
            } => {
                *failures.entry(d.endpoint_id).or_default() += 1;
                let next = at
                    + TimeDelta::from_std(backoff(policy.retry_base, attempts))
                        .unwrap_or(TimeDelta::hours(1));
                let give_up =
                    d.event_at + TimeDelta::from_std(policy.max_age).unwrap_or(TimeDelta::days(1));
                let common = (
                    status.map(i32::from),
                    Some(clamp_ms(*latency_ms)),
                    Some(error.clone()),
                    excerpt.clone(),
                );
                if next > give_up {
                    (
                        FAILED,
                        common.0,
                        common.1,
                        common.2,
                        common.3,
                        None,
                        d.next_attempt_at,
                        Some(at),
                    )
                } else {
                    (
                        PENDING,
                        common.0,
                        common.1,
                        common.2,
                        common.3,
                        body.clone(),
                        next,
                        None,
                    )
                }
            }
            Outcome::Skipped(why) => (
                SKIPPED,
                None,
                None,
                Some(why.clone()),
                None,
                None,
                d.next_attempt_at,
                Some(at),
            ),
        };
        rows.push(vec![
            d.id.into(),
            status.into(),
            attempts.into(),
            code.into(),
            latency.into(),
            error.into(),
            excerpt.into(),
            payload.into(),
            next.into(),
            finished.into(),
        ]);
    }
    // Runs of failures end before the deliveries say DELIVERED, so whoever reads a
    // delivered attempt also reads its endpoint's run reset (each statement commits
    // on its own).
    for id in successes.iter().filter(|id| !failures.contains_key(id)) {
        db.execute(Statement::from_sql_and_values(
            b,
            format!(
                "UPDATE webhook_endpoint SET consecutive_failures = 0 \
                 WHERE id = {} AND consecutive_failures <> 0",
                ph(1)
            ),
            [(*id).into()],
        ))
        .await?;
    }
    const COLUMNS: usize = 10;
    for chunk in rows.chunks(200) {
        let mut selects = Vec::with_capacity(chunk.len());
        for i in 0..chunk.len() {
            let p: Vec<String> = (1..=COLUMNS).map(|c| ph(i * COLUMNS + c)).collect();
            selects.push(if i == 0 {
                format!(
                    "SELECT {} AS id, {} AS status, {} AS attempts, {} AS code, {} AS latency, \
                     {} AS error, {} AS excerpt, {} AS payload, {} AS next_at, {} AS finished_at",
                    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]
                )
            } else {
                format!("SELECT {}", p.join(", "))
            });
        }
        let sql = format!(
            "UPDATE webhook_delivery SET status = v.status, attempts = v.attempts, \
             last_status_code = v.code, last_latency_ms = v.latency, last_error = v.error, \
             response_excerpt = v.excerpt, payload = v.payload, next_attempt_at = v.next_at, \
             finished_at = v.finished_at, locked_until = NULL \
             FROM ({}) AS v WHERE webhook_delivery.id = v.id",
            selects.join(" UNION ALL ")
        );
        db.execute(Statement::from_sql_and_values(
            b,
            sql,
            chunk.iter().flatten().cloned(),
        ))
        .await?;
    }
    for (id, n) in failures {
        let row = db
            .query_one(Statement::from_sql_and_values(
                b,
                format!(
                    "UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + {} \
                     WHERE id = {} RETURNING consecutive_failures, enabled, organization_id, site_id",
                    ph(1),
                    ph(2)
                ),
                [n.into(), id.into()],
            ))
            .await?;
        let Some(row) = row else { continue };
        let run: i32 = row.try_get("", "consecutive_failures")?;
        let enabled: bool = row.try_get("", "enabled")?;
        if enabled && run >= i32::try_from(policy.disable_after).unwrap_or(i32::MAX) {
            // Rare: turning the endpoint off, its audit entry and parking its deliveries
            // commit together.
            let txn = sea_orm::TransactionTrait::begin(db).await?;
            let reason = format!("disabled by Loupe after {run} consecutive failed attempts");
            txn.execute(Statement::from_sql_and_values(
                b,
                format!(
                    "UPDATE webhook_endpoint SET enabled = {}, disabled_reason = {}, updated_at = {} WHERE id = {}",
                    ph(1),
                    ph(2),
                    ph(3),
                    ph(4)
                ),
                [false.into(), reason.clone().into(), at.into(), id.into()],
            ))
            .await?;
            audit::record(
                &txn,
                audit::Entry {
                    organization_id: row.try_get("", "organization_id")?,
                    by: audit::By::LOUPE,
                    action: audit::Action::WebhookDisabled,
                    site_id: Some(row.try_get("", "site_id")?),
                    subject_hash: None,
                    counts: &serde_json::json!({ "endpoint_id": id, "consecutive_failures": run }),
                    at,
                },
            )
            .await?;
            park(&txn, id).await?;
            txn.commit().await?;
            tracing::warn!(endpoint = id, failures = run, "webhook endpoint disabled");
        }
    }
    Ok(())
}

/// When an endpoint's pending deliveries are due while it is turned off: never (they
/// stay out of the claim's way until it is turned on again).
fn parked() -> DateTime<Utc> {
    // 9999-01-01T00:00:00Z
    DateTime::from_timestamp(253_370_764_800, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Parks the pending deliveries of an endpoint being turned off.
pub async fn park(db: &impl ConnectionTrait, endpoint_id: i64) -> AppResult<()> {
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(parked()),
        )
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .filter(webhook_delivery::Column::Status.eq(PENDING))
        .exec(db)
        .await?;
    Ok(())
}

/// An endpoint is on again: its pending deliveries younger than `max_age` are due now,
/// older ones are given up.
pub async fn unpark(
    db: &impl ConnectionTrait,
    endpoint_id: i64,
    max_age: Duration,
) -> AppResult<()> {
    let at = now();
    let oldest = at - TimeDelta::from_std(max_age).unwrap_or(TimeDelta::days(1));
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            sea_orm::sea_query::Expr::value(FAILED),
        )
        .col_expr(
            webhook_delivery::Column::Payload,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_delivery::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .filter(webhook_delivery::Column::Status.eq(PENDING))
        .filter(webhook_delivery::Column::EventAt.lt(oldest))
        .exec(db)
        .await?;
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .filter(webhook_delivery::Column::Status.eq(PENDING))
        .exec(db)
        .await?;
    Ok(())
}

fn clamp_ms(ms: i64) -> i32 {
    i32::try_from(ms.max(0)).unwrap_or(i32::MAX)
}

/// Forgets pending deliveries about these responses or recordings (their data is being
/// deleted: GDPR deletion, purges, retention), inside the caller's transaction.
pub async fn forget_subjects(
    db: &impl ConnectionTrait,
    kinds: &[EventType],
    subject_ids: &[i64],
) -> AppResult<u64> {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let mut n = 0;
    for chunk in subject_ids.chunks(1000) {
        n += webhook_delivery::Entity::delete_many()
            .filter(webhook_delivery::Column::SubjectId.is_in(chunk.iter().copied()))
            .filter(webhook_delivery::Column::EventType.is_in(names.clone()))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(n)
}

/// Ended deliveries older than `keep` are deleted (the delivery worker calls this hourly).
pub async fn prune(db: &impl ConnectionTrait, keep: Duration) -> AppResult<u64> {
    let before = now() - TimeDelta::from_std(keep).map_err(AppError::internal)?;
    Ok(webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::Status.ne(PENDING))
        .filter(webhook_delivery::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_secs(5);
        let first = backoff(base, 1);
        assert!(first >= Duration::from_secs(4) && first <= Duration::from_secs(6));
        let fourth = backoff(base, 4);
        assert!(fourth >= Duration::from_secs(32) && fourth <= Duration::from_secs(48));
        assert!(backoff(base, 30) <= MAX_BACKOFF.mul_f64(1.2));
    }
}
