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
        // The first chunk is read before answering, so a store that is away answers 503
        // (`UNAVAILABLE`, with Retry-After) rather than a 200 cut short; a failure after
        // it can only end the stream early.
        let first = recordings::next_chunk(&state.db, rec.id, None).await?;
        let after = first.as_ref().map(|(seq, _)| *seq);
        let done = first.is_none();
        let first = futures_util::stream::iter(
            first.map(|(_, lines)| Ok::<_, actix_web::Error>(web::Bytes::from(lines))),
        );
        let db = state.db.clone();
        let id = rec.id;
        let rest = futures_util::stream::unfold((after, done), move |(after, done)| {
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
        let body = futures_util::StreamExt::chain(first, rest);
        let mut resp = HttpResponse::Ok();
        rate_headers(&mut resp, &authed.rate);
        resp.insert_header((header::CONTENT_TYPE, "application/x-ndjson"));
        Ok(resp.streaming(body))
    })
}
