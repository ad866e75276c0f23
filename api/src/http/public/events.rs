//! `POST …/recordings/{session_id}/events`: a batch of rrweb events.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::{body_bytes, client_context, for_site};
use crate::domain::recordings;
use crate::error::AppError;
use crate::state::AppState;

/// Largest recording batch accepted, as sent and once decompressed.
pub const MAX_RECORDING_BODY: usize = 2 * 1024 * 1024;
pub const MAX_RECORDING_DECODED: usize = 8 * 1024 * 1024;

/// `POST /v1/sites/{site_id}/recordings/{session_id}/events`: a batch of rrweb events,
/// optionally gzip-compressed. 200 once committed; a repeated sequence answers the same
/// without storing twice. DNT, GPC or the opt-out cookie: 204 and nothing stored.
pub async fn record_events(
    req: HttpRequest,
    path: web::Path<(i64, String)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (site_id, session_id) = path.into_inner();
    let (req, state) = (&req, &state);
    for_site(
        req,
        state,
        site_id,
        |site| async move {
            let ctx = client_context(req, state.country_header.as_deref());
            if ctx.do_not_track {
                return Ok(None);
            }
            // Checked before the body is read: an unsupported encoding costs nothing.
            let gzip = match req
                .headers()
                .get(header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("identity") => false,
                Some("gzip") => true,
                Some(other) => {
                    return Err(AppError::bad_input(
                        "Content-Encoding",
                        format!("unsupported content encoding {other:?}; send gzip or nothing"),
                    ))
                }
            };
            let mut body = body_bytes(req, payload, MAX_RECORDING_BODY).await?;
            let inflated = if gzip {
                Some(recordings::gunzip(
                    &body.bytes,
                    MAX_RECORDING_DECODED,
                    &mut body.reservation,
                )?)
            } else {
                None
            };
            let prepared = recordings::prepare(
                &site,
                &session_id,
                inflated.as_deref().unwrap_or(&body.bytes),
                &ctx,
            )?;
            // While the batch waits for its group commit, only the compressed chunk is held.
            let mut reservation = body.reservation;
            drop(body.bytes);
            drop(inflated);
            reservation.shrink_to(prepared.data.len());
            let accepted = state.recordings.write(prepared).await;
            drop(reservation);
            accepted.map(Some)
        },
        |result| match result {
            Some(a) => HttpResponse::Ok().json(json!({
                "recording_id": a.recording_id,
                "events": a.events,
                "duplicate": !a.new,
            })),
            None => HttpResponse::NoContent().finish(),
        },
    )
    .await
}
