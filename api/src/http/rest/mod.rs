//! Bearer-token REST endpoints compatible with Hotjar's API, so existing integrations
//! can point at Loupe: cursor pagination with `limit` (at most 100) and `cursor`,
//! answering `{"results": [...], "next_cursor": ...}`.
//!
//! One file per resource; this file is the skeleton they share: authentication with the
//! per-key rate limit, the rate-limit headers, errors, and the list parameters.

mod recordings;
mod responses;
mod surveys;
mod user_lookup;

pub use recordings::recording_events;
pub use responses::{export_responses, list_responses};
pub use surveys::{get_survey, list_surveys};
pub use user_lookup::user_lookup;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::RestError;
use super::{rate_headers, Authed};
use crate::auth::ratelimit::Decision;
use crate::domain::pagination::{PageArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::error::AppError;

pub(super) fn error(e: AppError, rate: Option<&Decision>) -> HttpResponse {
    let mut resp = actix_web::ResponseError::error_response(&RestError(e));
    if resp.status() == actix_web::http::StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"loupe\""),
        );
    }
    if let Some(rate) = rate {
        for (name, value) in [
            ("ratelimit-limit", rate.limit.to_string()),
            ("ratelimit-remaining", rate.remaining.to_string()),
            ("ratelimit-reset", rate.reset_secs.to_string()),
        ] {
            if let Ok(v) = header::HeaderValue::from_str(&value) {
                resp.headers_mut()
                    .insert(header::HeaderName::from_static(name), v);
            }
        }
    }
    resp
}

/// A 200 with the rate-limit headers. Bodies are serialized straight from their structs,
/// so keys come in the order the structs declare (Hotjar's first).
pub(super) fn ok(authed: &Authed, body: impl serde::Serialize) -> HttpResponse {
    let mut resp = HttpResponse::Ok();
    rate_headers(&mut resp, &authed.rate);
    resp.json(body)
}

/// A list answer: `{"results": [...], "next_cursor": ...}`.
#[derive(serde::Serialize)]
pub(super) struct Listing<T> {
    pub results: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Authenticates (with the per-key rate limit), then answers with `inner`'s result;
/// errors become REST errors carrying the rate-limit headers.
macro_rules! rest_handler {
    ($req:expr, $state:expr, |$authed:ident| $body:expr) => {{
        match $crate::http::authenticate(&$req, &$state).await {
            Err((e, rate)) => $crate::http::rest::error(e, rate.as_ref()),
            Ok($authed) => {
                let rate = $authed.rate;
                let result: Result<HttpResponse, AppError> = $body.await;
                result.unwrap_or_else(|e| $crate::http::rest::error(e, Some(&rate)))
            }
        }
    }};
}

#[derive(Deserialize)]
pub struct ListParams {
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    pub with_questions: Option<bool>,
    pub format: Option<String>,
}

pub(super) fn params(req: &HttpRequest) -> Result<ListParams, AppError> {
    web::Query::<ListParams>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| AppError::BadInput {
            field: None,
            message: format!("invalid query string: {e}"),
        })
}

pub(super) fn page_args(p: &ListParams) -> Result<PageArgs, AppError> {
    let first = match p.limit {
        None => DEFAULT_PAGE_SIZE as i32,
        Some(n) if (1..=MAX_PAGE_SIZE as i64).contains(&n) => n as i32,
        Some(_) => {
            return Err(AppError::bad_input(
                "limit",
                format!("`limit` must be between 1 and {MAX_PAGE_SIZE}"),
            ))
        }
    };
    PageArgs::parse(Some(first), p.cursor.as_deref()).map_err(|e| match e {
        AppError::BadInput { message, .. } => {
            AppError::bad_input("cursor", message.replace("`after`", "`cursor`"))
        }
        other => other,
    })
}
pub(crate) use rest_handler;
