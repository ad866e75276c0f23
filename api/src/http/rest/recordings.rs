//! A recording's events, streamed.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::rest_handler;
use crate::domain::{recordings, sites, validation};
use crate::error::AppError;
use crate::http::rate_headers;
use crate::state::AppState;

/// `GET /v1/sites/{site_id}/recordings/{recording_id}/events`: the recording's events in
/// order, as newline-delimited JSON, decompressed chunk by chunk in constant memory.
pub async fn recording_events(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    rest_handler!(req, state, |authed| async {
        let org = authed.principal.org_id();
        let site = sites::get(&state.db, org, validation::id(&path.0)?).await?;
        let rec = recordings::get(&state.db, org, validation::id(&path.1)?).await?;
        if rec.site_id != site.id {
            return Err(AppError::NotFound);
        }
        let db = state.db.clone();
        let id = rec.id;
        let body = futures_util::stream::unfold((None::<i64>, false), move |(after, done)| {
            let db = db.clone();
            async move {
                if done {
                    return None;
                }
                match recordings::next_chunk(&db, id, after).await {
                    Ok(None) => None,
                    Ok(Some((seq, lines))) => Some((
                        Ok::<_, actix_web::Error>(web::Bytes::from(lines)),
                        (Some(seq), false),
                    )),
                    Err(e) => {
                        e.log_if_internal();
                        Some((
                            Err(actix_web::error::ErrorInternalServerError("stream failed")),
                            (after, true),
                        ))
                    }
                }
            }
        });
        let mut resp = HttpResponse::Ok();
        rate_headers(&mut resp, &authed.rate);
        resp.insert_header((header::CONTENT_TYPE, "application/x-ndjson"));
        Ok(resp.streaming(body))
    })
}
