//! `POST …/surveys/{survey_id}/displays`: a survey was shown or dismissed.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{client_context, for_site, json_body};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct DisplayBody {
    visitor_id: Option<String>,
    event: String,
}

/// `POST /v1/sites/{site_id}/surveys/{survey_id}/displays`: `{"visitor_id", "event": "shown" | "dismissed"}`.
pub async fn record_display(
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (site_id, survey_id) = path.into_inner();
    let (req, state) = (&req, &state);
    for_site(
        req,
        state,
        site_id,
        |_site| async move {
            let body: DisplayBody = json_body(req, payload, 4 * 1024).await?;
            let event = crate::domain::surveys::widgets::DisplayEvent::parse(&body.event)
                .ok_or_else(|| AppError::bad_input("event", "event is `shown` or `dismissed`"))?;
            if client_context(req, None).do_not_track {
                return Ok(()); // honoured: nothing stored
            }
            let visitor = body.visitor_id.as_deref().unwrap_or("");
            crate::domain::surveys::widgets::record_display(
                &state.db, site_id, survey_id, visitor, event,
            )
            .await
        },
        |()| HttpResponse::NoContent().finish(),
    )
    .await
}
