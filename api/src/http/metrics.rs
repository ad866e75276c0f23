//! Prometheus metrics: requests by route pattern, method and status; latency by route.
//! Labels are route patterns (`/v1/sites/{site_id}/…`), never raw paths, IPs or agents.

use std::time::Duration;

use actix_web::{web, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::domain::privacy::purge::Retained;
use crate::state::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    retention_deleted: IntCounterVec,
    retention_runs: IntCounterVec,
    retention_last_run: IntGauge,
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
        })
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

    pub fn render(&self) -> String {
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "encoding metrics");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// A fixed set of method labels, so clients cannot mint new series with made-up methods.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

pub async fn render(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
