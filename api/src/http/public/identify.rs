//! `POST …/identify`: the page tells who the visitor is.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{client_context, for_site, json_body};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct IdentifyBody {
    visitor_id: Option<String>,
    #[serde(default)]
    user_id: Value,
    #[serde(default)]
    attributes: Value,
    user_hash: Option<String>,
}

const MAX_IDENTIFY_BYTES: usize = 32 * 1024;

/// `POST /v1/sites/{site_id}/identify`: `{"visitor_id", "user_id" | null, "attributes": {…}}`.
/// 403 `IDENTIFY_DISABLED` while the site has the Identify API off; nothing of a refused
/// call is stored. A visitor asking not to be tracked (DNT, GPC, opt-out cookie) is not
/// identified: 204 and nothing stored.
pub async fn identify(
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
            let body: IdentifyBody = json_body(req, payload, MAX_IDENTIFY_BYTES).await?;
            let context = client_context(req, state.country_header.as_deref());
            // Honoured before anything else is looked at: 204, nothing stored (also where the
            // site has Identify off).
            if context.do_not_track {
                return Ok(None);
            }
            let call = crate::domain::people::identify::check(
                &site,
                crate::domain::people::identify::IdentifyCall {
                    visitor_id: body.visitor_id,
                    user_id: body.user_id,
                    attributes: body.attributes,
                    user_hash: body.user_hash,
                    context,
                },
            )?;
            // Committed with the other calls queued meanwhile (one flush per group).
            let done = state.identify.write(site.id, call).await?;
            Ok(Some(json!({
                "stored": true,
                "user_id": done.user_id,
                "attributes_set": done.attributes_set,
            })))
        },
        |result| match result {
            Some(body) => HttpResponse::Ok().json(body),
            None => HttpResponse::NoContent().finish(),
        },
    )
    .await
}
