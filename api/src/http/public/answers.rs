//! `POST …/surveys/{survey_id}/responses`: answers from the page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{client_context, for_site, json_body};
use crate::domain::surveys::answers::SubmittedAnswer;
use crate::domain::surveys::responses::{self, Submission};
use crate::domain::visitor::ClientContext;
use crate::error::AppError;
use crate::state::AppState;

/// The body of a responses endpoint, the site's or a link survey's.
#[derive(Deserialize)]
pub struct ResponseBody {
    visitor_id: Option<String>,
    response_id: Option<i64>,
    #[serde(default = "yes")]
    is_complete: bool,
    #[serde(default)]
    answers: Vec<AnswerBody>,
    page_url: Option<String>,
    /// A link survey's hidden fields (ignored by the site's endpoint).
    #[serde(default)]
    hidden: Value,
    /// The browser tag's current session id: links the response to the visit's
    /// recording (ignored by link surveys, whose page is not the site's).
    session_id: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
pub struct AnswerBody {
    question_id: i64,
    #[serde(default)]
    value: Value,
    other: Option<String>,
    comment: Option<String>,
}

pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

impl ResponseBody {
    /// The submission it asks for. `link`: a link survey's page, whose own URL (token,
    /// prefill) is not kept and whose hidden fields are.
    pub fn into_submission(
        self,
        context: ClientContext,
        link: bool,
    ) -> Result<Submission, AppError> {
        if self.answers.len() > crate::domain::surveys::definition::MAX_QUESTIONS {
            return Err(AppError::bad_input("answers", "too many answers"));
        }
        Ok(Submission {
            visitor_id: self.visitor_id,
            response_id: self.response_id,
            complete: self.is_complete,
            answers: self
                .answers
                .into_iter()
                .map(|a| SubmittedAnswer {
                    question_id: a.question_id,
                    value: a.value,
                    other: a.other,
                    comment: a.comment,
                })
                .collect(),
            page_url: if link { None } else { self.page_url },
            context,
            hidden: if link { self.hidden } else { Value::Null },
            session_id: if link { None } else { self.session_id },
        })
    }
}

/// `POST /v1/sites/{site_id}/surveys/{survey_id}/responses`
pub async fn submit_response(
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
        |site| async move {
            let body: ResponseBody = json_body(req, payload, MAX_RESPONSE_BYTES).await?;
            let submission =
                body.into_submission(client_context(req, state.country_header.as_deref()), false)?;
            responses::submit(&state.db, &state.ingest, &site, survey_id, submission).await
        },
        |(id, complete)| {
            HttpResponse::Created().json(json!({ "response_id": id, "is_complete": complete }))
        },
    )
    .await
}
