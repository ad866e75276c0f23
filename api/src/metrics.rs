//! Prometheus metrics: requests by route pattern, method and status; latency by route;
//! retention runs; the memory budget for request data in flight. Labels are route patterns
//! (`/v1/sites/{site_id}/…`), never raw paths, IPs or agents. Served by `http/metrics.rs`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use crate::domain::privacy::purge::Retained;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    retention_deleted: IntCounterVec,
    retention_runs: IntCounterVec,
    retention_last_run: IntGauge,
    budget_in_use: IntGauge,
    budget_capacity: IntGauge,
    db_statements: IntCounter,
    webhook_attempts: IntCounterVec,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "loupe_http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "loupe_http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ]),
            &["route"],
        )?;
        let retention_deleted = IntCounterVec::new(
            Opts::new(
                "loupe_retention_deleted_total",
                "Rows deleted by the retention task, by kind",
            ),
            &["kind"],
        )?;
        let retention_runs = IntCounterVec::new(
            Opts::new("loupe_retention_runs_total", "Retention runs by outcome"),
            &["outcome"],
        )?;
        let retention_last_run = IntGauge::new(
            "loupe_retention_last_success_timestamp_seconds",
            "When the retention task last completed (Unix time)",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(retention_deleted.clone()))?;
        registry.register(Box::new(retention_runs.clone()))?;
        registry.register(Box::new(retention_last_run.clone()))?;
        let budget_in_use = IntGauge::new(
            "loupe_memory_budget_in_use_bytes",
            "Memory reserved by request data in flight (bodies, inflated batches, queued chunks)",
        )?;
        let budget_capacity = IntGauge::new(
            "loupe_memory_budget_capacity_bytes",
            "The memory budget for request data in flight (LOUPE_MEMORY_BUDGET_MIB)",
        )?;
        registry.register(Box::new(budget_in_use.clone()))?;
        registry.register(Box::new(budget_capacity.clone()))?;
        let db_statements = IntCounter::new(
            "loupe_db_statements_total",
            "SQL statements run by this process",
        )?;
        registry.register(Box::new(db_statements.clone()))?;
        let webhook_attempts = IntCounterVec::new(
            Opts::new(
                "loupe_webhook_attempts_total",
                "Webhook delivery attempts by outcome (delivered, failed, skipped)",
            ),
            &["outcome"],
        )?;
        registry.register(Box::new(webhook_attempts.clone()))?;
        for outcome in ["delivered", "failed", "skipped"] {
            webhook_attempts.with_label_values(&[outcome]);
        }
        // Series exist from the start, so dashboards see zeros rather than nothing.
        for kind in ["recordings", "responses", "displays"] {
            retention_deleted.with_label_values(&[kind]);
        }
        for outcome in ["ok", "error"] {
            retention_runs.with_label_values(&[outcome]);
        }
        Ok(Metrics {
            registry,
            requests,
            latency,
            retention_deleted,
            retention_runs,
            retention_last_run,
            budget_in_use,
            budget_capacity,
            db_statements,
            webhook_attempts,
        })
    }

    /// Where other parts register the metrics they keep (Redis's state, see `cluster`).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn observe(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let status = status.to_string();
        self.requests
            .with_label_values(&[route, method, status.as_str()])
            .inc();
        self.latency
            .with_label_values(&[route])
            .observe(elapsed.as_secs_f64());
    }

    /// One retention run: what it deleted, or that it failed.
    pub fn retention_run(&self, result: Option<&Retained>, at_unix: i64) {
        match result {
            Some(done) => {
                for (kind, n) in [
                    ("recordings", done.recordings),
                    ("responses", done.responses),
                    ("displays", done.displays),
                ] {
                    self.retention_deleted.with_label_values(&[kind]).inc_by(n);
                }
                self.retention_runs.with_label_values(&["ok"]).inc();
                self.retention_last_run.set(at_unix);
            }
            None => self.retention_runs.with_label_values(&["error"]).inc(),
        }
    }

    /// The memory budget's state, read when metrics are scraped.
    pub fn budget(&self, in_use: usize, capacity: usize) {
        self.budget_in_use
            .set(i64::try_from(in_use).unwrap_or(i64::MAX));
        self.budget_capacity
            .set(i64::try_from(capacity).unwrap_or(i64::MAX));
    }

    pub fn render(&self) -> String {
        let statements = crate::db::STATEMENTS.load(std::sync::atomic::Ordering::Relaxed);
        self.db_statements
            .inc_by(statements.saturating_sub(self.db_statements.get()));
        for (i, outcome) in ["delivered", "failed", "skipped"].into_iter().enumerate() {
            let c = self.webhook_attempts.with_label_values(&[outcome]);
            c.inc_by(
                WEBHOOK_ATTEMPTS[i]
                    .load(Ordering::Relaxed)
                    .saturating_sub(c.get()),
            );
        }
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "encoding metrics");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Webhook attempts by outcome (delivered, failed, skipped), counted by the delivery
/// worker, which holds no `Metrics`.
static WEBHOOK_ATTEMPTS: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

pub fn webhook_outcomes<D, B>(outcomes: &[(D, B, crate::domain::webhooks::outbox::Outcome)]) {
    use crate::domain::webhooks::outbox::Outcome;
    for (_, _, o) in outcomes {
        let i = match o {
            Outcome::Delivered { .. } => 0,
            Outcome::Failed { .. } => 1,
            Outcome::Skipped(_) => 2,
        };
        WEBHOOK_ATTEMPTS[i].fetch_add(1, Ordering::Relaxed);
    }
}
