use actix_web::{web, HttpResponse};

use crate::state::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Readiness: the database answers. With Redis configured, its state is reported too, but
/// an unreachable Redis does not make the node unready: requests fail open to this node's
/// limiter and database reads, and taking every node out of the load balancer because the
/// shared accelerator is away would turn a degraded service into an outage. An object
/// store for recording chunks is reported the same way (`chunk_store: up | down`): while it
/// is down, recording batches get 503 + `Retry-After` and replays fail, but surveys,
/// queries and everything else still work, on every node alike.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        return HttpResponse::ServiceUnavailable()
            .insert_header(("Connection", "close"))
            .json(
                serde_json::json!({"error": "DRAINING", "message": "this node is shutting down"}),
            );
    }
    let redis = state
        .auth
        .cluster
        .as_ref()
        .map(|c| if c.is_up() { "up" } else { "down" });
    let ping = tokio::time::timeout(std::time::Duration::from_secs(1), state.db.ping()).await;
    match ping.unwrap_or_else(|_| Err(sea_orm::DbErr::Custom("no answer within 1 s".into()))) {
        Ok(()) => {
            let mut body = serde_json::json!({"status": "ready"});
            let store = crate::domain::recordings::chunks::current();
            if !store.is_db() {
                body["chunk_store"] = if store.check().await { "up" } else { "down" }.into();
            }
            if let Some(redis) = redis {
                body["redis"] = redis.into();
            }
            HttpResponse::Ok().json(body)
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            HttpResponse::ServiceUnavailable()
                .insert_header((
                    "Retry-After",
                    crate::error::UNAVAILABLE_RETRY_SECS.to_string(),
                ))
                .json(serde_json::json!({"error": "NOT_READY", "message": "database unreachable"}))
        }
    }
}
