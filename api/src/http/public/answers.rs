//! `POST …/surveys/{survey_id}/responses`: answers from the page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{client_context, for_site, json_body};
use crate::domain::surveys::answers::SubmittedAnswer;
use crate::domain::surveys::responses::{self, Submission};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ResponseBody {
    visitor_id: Option<String>,
    response_id: Option<i64>,
    #[serde(default = "yes")]
    is_complete: bool,
    #[serde(default)]
    answers: Vec<AnswerBody>,
    page_url: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
pub struct AnswerBody {
    pub(crate) question_id: i64,
    #[serde(default)]
    pub(crate) value: Value,
    pub(crate) other: Option<String>,
    pub(crate) comment: Option<String>,
}

const MAX_RESPONSE_BYTES: usize = 64 * 1024;

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
            if body.answers.len() > crate::domain::surveys::definition::MAX_QUESTIONS {
                return Err(AppError::bad_input("answers", "too many answers"));
            }
            let submission = Submission {
                visitor_id: body.visitor_id,
                response_id: body.response_id,
                complete: body.is_complete,
                answers: body
                    .answers
                    .into_iter()
                    .map(|a| SubmittedAnswer {
                        question_id: a.question_id,
                        value: a.value,
                        other: a.other,
                        comment: a.comment,
                    })
                    .collect(),
                page_url: body.page_url,
                context: client_context(req, state.country_header.as_deref()),
                hidden: Value::Null,
            };
            responses::submit(&state.db, &state.ingest, &site, survey_id, submission).await
        },
        |(id, complete)| {
            HttpResponse::Created().json(json!({ "response_id": id, "is_complete": complete }))
        },
    )
    .await
}
