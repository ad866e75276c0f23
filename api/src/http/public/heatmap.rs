//! `POST …/heatmap`: heatmaps without recording — clicks, moves, scroll depth and page
//! sizes of one page view, sent by the tag itself.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::{client_context, for_site, json_body};
use crate::domain::heatmaps::events::{self, HeatBody, MAX_HEAT_BODY};
use crate::state::AppState;

/// `POST /v1/sites/{site_id}/heatmap`: one batch of a page view (see
/// `domain::heatmaps::events`). 200 `{"stored": bool}` once committed; 403
/// `HEATMAPS_DISABLED` while the site has heatmaps off; DNT, GPC or the opt-out cookie:
/// 204 before the body is read, nothing stored.
pub async fn record_heatmap(
    req: HttpRequest,
    path: web::Path<(i64,)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let site_id = path.into_inner().0;
    let (req, state) = (&req, &state);
    for_site(
        req,
        state,
        site_id,
        |site| async move {
            if client_context(req, state.country_header.as_deref()).do_not_track {
                return Ok(None);
            }
            let body: HeatBody = json_body(req, payload, MAX_HEAT_BODY).await?;
            events::record(&state.db, &site, &body).await.map(Some)
        },
        |result| match result {
            Some(stored) => HttpResponse::Ok().json(json!({ "stored": stored })),
            None => HttpResponse::NoContent().finish(),
        },
    )
    .await
}
