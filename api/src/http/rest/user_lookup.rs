//! Hotjar's user lookup: a person's data reported or deleted (GDPR).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{ok, rest_handler};
use crate::domain::validation;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct UserLookupBody {
    data_subject_email: Option<String>,
    #[serde(default)]
    data_subject_site_id_to_user_id_map: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    delete_all_hits: bool,
}

const MAX_LOOKUP_BYTES: usize = 64 * 1024;

/// `POST /v1/organizations/{organization_id}/user-lookup` (Hotjar-compatible): reports
/// everything held about a person, or with `delete_all_hits: true` deletes it all and
/// answers with the counts. ADMIN key, plan SCALE.
pub async fn user_lookup(
    req: HttpRequest,
    path: web::Path<(String,)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    use crate::domain::privacy::gdpr;
    rest_handler!(req, state, |authed| async {
        let org_id = validation::id(&path.0)?;
        if org_id != authed.principal.org_id() {
            return Err(AppError::NotFound);
        }
        let who = gdpr::requester(&authed.principal)?;
        let bytes = crate::http::read_body(&req, payload, MAX_LOOKUP_BYTES)
            .await
            .map_err(crate::http::BodyError::into_app)?;
        validation::json_text(&bytes)?;
        let body: UserLookupBody = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::bad_input("body", format!("invalid JSON body: {e}")))?;
        let subject = gdpr::Subject::parse(
            body.data_subject_email.as_deref(),
            body.data_subject_site_id_to_user_id_map
                .iter()
                .map(|(site, user)| (site.as_str(), user.as_str())),
        )?;
        let key = &state.subject_key;
        let out = if body.delete_all_hits {
            json!({ "deleted": gdpr::delete(&state.db, key, who, &subject).await? })
        } else {
            gdpr::lookup(&state.db, key, who, &subject).await?
        };
        Ok(ok(&authed, out))
    })
}
