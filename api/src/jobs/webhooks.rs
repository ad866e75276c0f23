//! The webhook delivery worker: fans recorded events out into deliveries, claims due
//! ones, sends each endpoint's in event order (a few at a time), and records every
//! outcome. It runs in
//! every `loupe serve`; on PostgreSQL several nodes share the outbox without sending one
//! delivery twice at the same time. It never runs on the request path: requests only
//! write outbox rows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use entity::{webhook_delivery, webhook_endpoint};
use futures_util::StreamExt;
use sea_orm::DatabaseConnection;
use tokio::task::JoinSet;

use crate::domain::now;
use crate::domain::tag::PublicUrl;
use crate::domain::webhook_bodies;
use crate::domain::webhooks::outbox::{self, Outcome};
use crate::domain::webhooks::{secrets_at, sign, ssrf, Policy};

/// Deliveries claimed at once.
const CLAIM: u64 = 256;
/// Deliveries claimed at once, and the pause before each round, while requests crowd
/// the database (at least 256 deliveries/s still go out).
const CROWDED_CLAIM: u64 = 64;
const CROWDED_PAUSE: Duration = Duration::from_millis(250);
/// How recent a crowded group commit must be to count.
const CROWD_WINDOW: Duration = Duration::from_millis(500);
/// Bytes of a receiver's answer kept for the delivery log.
const EXCERPT_BYTES: usize = 512;
/// Ended deliveries are kept this long for the delivery log.
const KEEP: Duration = Duration::from_secs(7 * 86_400);

/// Resolves names for the HTTP client and drops every address a webhook may not reach,
/// so a name that resolves (or later re-resolves) to an internal address is refused at
/// connect time.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| !ssrf::forbidden(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

fn client(policy: &Policy) -> reqwest::Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(policy.timeout)
        .connect_timeout(policy.timeout)
        .user_agent(concat!("Loupe-Webhooks/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(policy.concurrency);
    if !policy.allow_private {
        b = b.dns_resolver(Arc::new(PublicOnly));
    }
    b.build()
}

/// Starts the worker on a thread of its own with a lower CPU priority (nice 10), so
/// under full load requests come first and deliveries catch up when there is room;
/// they never wait on requests otherwise.
pub fn start(db: DatabaseConnection, public: PublicUrl, policy: Policy) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("webhooks".into())
        .spawn(move || {
            lower_priority();
            runtime.block_on(run(db, public, policy));
        })?;
    Ok(())
}

/// Raises this thread's nice value (on Linux the value is per thread).
fn lower_priority() {
    let me = rustix::thread::gettid();
    if rustix::process::setpriority_process(Some(me), 10).is_err() {
        tracing::debug!("could not lower the webhook worker's priority");
    }
}

/// Delivers for the life of the process.
pub async fn run(db: DatabaseConnection, public: PublicUrl, policy: Policy) {
    let client = match client(&policy) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook delivery is off: no HTTP client");
            return;
        }
    };
    let public = Arc::new(public);
    let mut tasks: JoinSet<i64> = JoinSet::new();
    let mut busy: HashSet<i64> = HashSet::new();
    let mut backoff = policy.poll;
    let mut last_prune = Instant::now();
    let mut starved = true;
    loop {
        if last_prune.elapsed() > Duration::from_secs(3600) {
            last_prune = Instant::now();
            if let Err(e) = outbox::prune(&db, KEEP).await {
                e.log_if_internal();
            }
        }
        let busy_ids: Vec<i64> = busy.iter().copied().collect();
        // Held long enough for the whole claim to time out, one group of `concurrency`
        // after the other; a crashed worker's rows are sent again after that.
        let rounds = u32::try_from(CLAIM.div_ceil(policy.concurrency as u64)).unwrap_or(64);
        let lease = policy.timeout * rounds + Duration::from_secs(10);
        let lease_until = now() + chrono::TimeDelta::from_std(lease).unwrap_or_default();
        // While requests crowd the database, a small claim and a pause per round: the
        // request path comes first, and the backlog is sent when the crowd is gone.
        let crowded = outbox::crowded(CROWD_WINDOW);
        let limit = if crowded { CROWDED_CLAIM } else { CLAIM };
        if crowded {
            tokio::time::sleep(CROWDED_PAUSE).await;
        }
        // Recorded events become deliveries: while crowded, only as many as the small
        // claims need (one event row when the last claim came back short).
        if !crowded || starved {
            if let Err(e) = outbox::fan_out(&db, if crowded { 1 } else { 50 }).await {
                e.log_if_internal();
            }
        }
        let claimed = match outbox::claim(&db, limit, &busy_ids, lease_until).await {
            Ok(c) => {
                backoff = policy.poll;
                c
            }
            Err(e) => {
                e.log_if_internal();
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        let full = claimed.len() as u64 == limit;
        starved = !full;
        // Bodies for first attempts, made together (retries send what they sent first).
        let fresh: Vec<(&webhook_delivery::Model, &webhook_endpoint::Model)> = claimed
            .iter()
            .filter(|(d, _)| d.payload.is_none())
            .map(|(d, e)| (d, e))
            .collect();
        let made = if fresh.is_empty() {
            Ok(vec![])
        } else {
            webhook_bodies::render_all(&db, &fresh, &public).await
        };
        let mut bodies: HashMap<i64, Body> = HashMap::new();
        match made {
            Ok(made) => {
                for ((d, _), body) in fresh.iter().zip(made) {
                    bodies.insert(d.id, body.map_or(Body::Gone, Body::Made));
                }
            }
            Err(e) => {
                e.log_if_internal();
                for (d, _) in &fresh {
                    bodies.insert(d.id, Body::Unmade);
                }
            }
        }
        let mut groups: BTreeMap<i64, Vec<Claimed>> = BTreeMap::new();
        for (d, e) in claimed {
            let body = match &d.payload {
                Some(p) => Body::Made(p.clone()),
                None => bodies.remove(&d.id).unwrap_or(Body::Unmade),
            };
            groups.entry(e.id).or_default().push((d, e, body));
        }
        for (endpoint, group) in groups {
            busy.insert(endpoint);
            let (db, client) = (db.clone(), client.clone());
            tasks.spawn(async move {
                send_group(&db, &client, &policy, group).await;
                endpoint
            });
        }
        if full {
            continue; // more may be due right now
        }
        tokio::select! {
            Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                if let Ok(endpoint) = done {
                    busy.remove(&endpoint);
                }
                while let Some(done) = tasks.try_join_next() {
                    if let Ok(endpoint) = done {
                        busy.remove(&endpoint);
                    }
                }
            }
            _ = outbox::wait(policy.poll) => {}
        }
    }
}

/// What a claimed delivery will send.
enum Body {
    Made(String),
    /// Its response or recording was deleted.
    Gone,
    /// It could not be made now (a database error): the attempt fails and is retried.
    Unmade,
}

type Claimed = (webhook_delivery::Model, webhook_endpoint::Model, Body);

/// Sends one endpoint's deliveries, at most `concurrency` at once and started in order,
/// then records the outcomes together.
async fn send_group(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    policy: &Policy,
    group: Vec<Claimed>,
) {
    let outcomes: Vec<(webhook_delivery::Model, Option<String>, Outcome)> =
        futures_util::stream::iter(group)
            .map(|(d, e, body)| async move {
                let (body, outcome) = attempt(client, policy, &d, &e, body).await;
                (d, body, outcome)
            })
            .buffered(policy.concurrency)
            .collect()
            .await;
    crate::metrics::webhook_outcomes(&outcomes);
    if let Err(e) = outbox::finish(db, &outcomes, policy).await {
        // The leases run out and the deliveries are sent again: at least once.
        e.log_if_internal();
    }
}

/// One attempt: the body signed and posted.
async fn attempt(
    client: &reqwest::Client,
    policy: &Policy,
    d: &webhook_delivery::Model,
    e: &webhook_endpoint::Model,
    body: Body,
) -> (Option<String>, Outcome) {
    let body = match body {
        Body::Made(b) => b,
        Body::Gone => {
            return (
                None,
                Outcome::Skipped("its response or recording was deleted".into()),
            )
        }
        Body::Unmade => {
            return (
                None,
                failed(None, "the body could not be made".into(), 0, None),
            );
        }
    };
    // Literal addresses skip the resolver: check them here (names are checked there).
    if !policy.allow_private {
        if let Ok(url) = ssrf::parse(&e.url, "url") {
            if ssrf::literal(&url).is_some_and(ssrf::forbidden) {
                return (
                    Some(body),
                    failed(
                        None,
                        "refused: the URL points at an internal address".into(),
                        0,
                        None,
                    ),
                );
            }
        }
    }
    let at = now();
    let ts = at.timestamp();
    let signature = match sign::header(&secrets_at(e, at), &d.msg_id, ts, body.as_bytes()) {
        Ok(s) => s,
        Err(err) => {
            err.log_if_internal();
            return (
                Some(body),
                failed(None, "the request could not be signed".into(), 0, None),
            );
        }
    };
    let started = Instant::now();
    let sent = client
        .post(&e.url)
        .header("content-type", "application/json")
        .header("webhook-id", &d.msg_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .body(body.clone())
        .send()
        .await;
    let outcome = match sent {
        Err(err) => failed(None, describe(&err), elapsed_ms(started), None),
        Ok(mut resp) => {
            let status = resp.status();
            let mut excerpt = Vec::new();
            while excerpt.len() < EXCERPT_BYTES {
                match resp.chunk().await {
                    Ok(Some(c)) => excerpt.extend_from_slice(&c),
                    _ => break,
                }
            }
            excerpt.truncate(EXCERPT_BYTES);
            let excerpt = String::from_utf8_lossy(&excerpt).into_owned();
            let ms = elapsed_ms(started);
            if status.is_success() {
                Outcome::Delivered {
                    status: status.as_u16(),
                    latency_ms: ms,
                    excerpt,
                }
            } else {
                failed(
                    Some(status.as_u16()),
                    format!("the receiver answered {status}"),
                    ms,
                    Some(excerpt),
                )
            }
        }
    };
    (Some(body), outcome)
}

fn failed(status: Option<u16>, error: String, latency_ms: i64, excerpt: Option<String>) -> Outcome {
    Outcome::Failed {
        status,
        error,
        latency_ms,
        excerpt,
    }
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

/// A transport error in words, without the URL (it may carry a token in its path).
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "timed out".into()
    } else if err.is_connect() {
        "could not connect (refused, unreachable, or no public address)".into()
    } else if err.is_redirect() {
        "redirects are not followed".into()
    } else {
        "the request failed".into()
    }
}
