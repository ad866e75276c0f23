//! HTTP endpoints, one file per resource, registered by [`configure`].

pub mod assets;
pub mod console;
pub mod error;
pub mod graphql;
pub mod health;
pub mod links;
pub mod metrics;
pub mod oauth;
pub mod public;
pub mod rest;

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
use futures_util::StreamExt;

use crate::auth::ratelimit::Decision;
use crate::auth::{session, Principal};
use crate::budget::Reservation;
use crate::error::AppError;
use crate::state::AppState;
pub use error::RestError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        // Pages may post with `text/plain` (sendBeacon), so any content type is read as JSON.
        web::JsonConfig::default()
            .limit(64 * 1024)
            .content_type_required(false)
            .error_handler(|err, _| {
                let app = match err {
                    actix_web::error::JsonPayloadError::Overflow { limit }
                    | actix_web::error::JsonPayloadError::OverflowKnownLength { limit, .. } => {
                        AppError::PayloadTooLarge(format!(
                            "request body is larger than {limit} bytes"
                        ))
                    }
                    other => AppError::BadInput {
                        field: None,
                        message: format!("invalid JSON body: {other}"),
                    },
                };
                RestError(app).into()
            }),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        RestError(AppError::BadInput {
            field: None,
            message: format!("invalid query string: {err}"),
        })
        .into()
    }))
    .app_data(web::PathConfig::default().error_handler(|_, _| RestError(AppError::NotFound).into()))
    .service(
        web::resource("/graphql")
            .route(web::post().to(graphql::post))
            .route(web::get().to(graphql::get))
            .default_service(web::to(|| method_not_allowed("GET, POST"))),
    )
    .service(
        web::resource(["/oauth/token", "/v1/oauth/token"])
            .route(web::post().to(oauth::token))
            .default_service(web::to(|| method_not_allowed("POST"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/surveys/{survey_id}/responses")
            .route(web::post().to(public::submit_response))
            .route(web::get().to(rest::list_responses))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight_two))
            .default_service(web::to(|| method_not_allowed("GET, POST, OPTIONS"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/surveys/{survey_id}/responses/export")
            .route(web::get().to(rest::export_responses))
            .default_service(web::to(|| method_not_allowed("GET"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/surveys/{survey_id}")
            .route(web::get().to(rest::get_survey))
            .default_service(web::to(|| method_not_allowed("GET"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/surveys")
            .route(web::get().to(rest::list_surveys))
            .default_service(web::to(|| method_not_allowed("GET"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/surveys/{survey_id}/displays")
            .route(web::post().to(public::record_display))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight_two))
            .default_service(web::to(|| method_not_allowed("POST, OPTIONS"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/recordings/{session_id}/events")
            .route(web::post().to(public::record_events))
            .route(web::get().to(rest::recording_events))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight_session))
            .default_service(web::to(|| method_not_allowed("GET, POST, OPTIONS"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/heatmap")
            .route(web::post().to(public::record_heatmap))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight))
            .default_service(web::to(|| method_not_allowed("POST, OPTIONS"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/identify")
            .route(web::post().to(public::identify))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight))
            .default_service(web::to(|| method_not_allowed("POST, OPTIONS"))),
    )
    .service(
        web::resource("/v1/sites/{site_id}/widgets")
            .route(web::get().to(public::widgets))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight))
            .default_service(web::to(|| method_not_allowed("GET, OPTIONS"))),
    )
    .route(
        "/v1/organizations/{organization_id}/user-lookup",
        web::post().to(rest::user_lookup),
    )
    .service(
        web::resource("/v1/sites/{site_id}/config")
            .route(web::get().to(public::config))
            .route(web::method(actix_web::http::Method::OPTIONS).to(public::preflight))
            .default_service(web::to(|| method_not_allowed("GET, OPTIONS"))),
    )
    .route("/s/{token}", web::get().to(links::page))
    .service(
        web::resource("/v1/links/{token}/responses")
            .route(web::post().to(links::submit))
            .default_service(web::to(|| method_not_allowed("POST"))),
    )
    .service(
        web::resource("/v1/{name:loupe[a-z-]*\\.js}")
            .route(web::get().to(assets::file))
            .route(web::head().to(assets::file))
            .default_service(web::to(|| method_not_allowed("GET, HEAD"))),
    )
    .route("/v1/opt-out", web::get().to(public::opt_out))
    .route("/v1/opt-in", web::get().to(public::opt_in))
    .route("/healthz", web::get().to(health::healthz))
    .route("/readyz", web::get().to(health::readyz))
    .route("/metrics", web::get().to(metrics::render))
    .route("/assets/{file:.+}", web::get().to(console::asset))
    .default_service(web::to(fallback));
}

/// A console page for browsers, else the API's 404.
async fn fallback(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if console::is_page(&req) {
        console::page(&state).await
    } else {
        not_found().await
    }
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .json(serde_json::json!({"error": "NOT_FOUND", "message": "no such endpoint"}))
}

async fn method_not_allowed(allow: &'static str) -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, allow))
        .json(serde_json::json!({"error": "METHOD_NOT_ALLOWED", "message": "method not allowed on this endpoint"}))
}

/// An authenticated caller within its rate limit.
pub struct Authed {
    pub principal: Arc<Principal>,
    pub rate: Decision,
}

/// Bearer or session-cookie authentication plus the per-caller rate limit, shared by
/// GraphQL and REST. A request with an `Authorization` header is judged by it alone; else
/// a `loupe_session` cookie counts, only from this site and with the session's CSRF token.
/// On failure, the error and (once the caller is known) the rate decision for headers.
pub async fn authenticate(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Authed, (AppError, Option<Decision>)> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let session = (header.is_none()).then(|| session_token(req)).flatten();
    let principal = match session {
        Some(token) => {
            if cross_site(req) {
                return Err((cross_site_error(), None));
            }
            let csrf = req
                .headers()
                .get(session::CSRF_HEADER)
                .and_then(|v| v.to_str().ok());
            crate::domain::accounts::sessions::authenticate(
                &state.db,
                &token,
                csrf,
                state.auth.sessions,
            )
            .await
        }
        None => state.auth.authenticate_bearer(&state.db, header).await,
    }
    .map_err(|e| (e, None))?;
    let rate = state.auth.admit(&principal).await.map_err(|e| (e, None))?;
    if !rate.allowed {
        return Err((
            AppError::RateLimited {
                retry_after_secs: rate.reset_secs,
            },
            Some(rate),
        ));
    }
    Ok(Authed { principal, rate })
}

/// The session cookie's value, if the request carries one (the `__Host-` name first).
pub fn session_token(req: &HttpRequest) -> Option<String> {
    let secure_name = format!("{}{}", session::SECURE_PREFIX, session::SESSION_COOKIE);
    let headers: Vec<&str> = req
        .headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .collect();
    [secure_name.as_str(), session::SESSION_COOKIE]
        .iter()
        .find_map(|name| headers.iter().find_map(|h| session::cookie(h, name)))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Made by another site: the browser says so (`Sec-Fetch-Site`), or the `Origin` is not
/// this server's. Requests without either (non-browser clients) are not cross-site.
pub fn cross_site(req: &HttpRequest) -> bool {
    let fetch_site = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|s| s != "same-origin" && s != "none") {
        return true;
    }
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let host = req.connection_info().host().to_ascii_lowercase();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/').to_ascii_lowercase());
    origin_host.as_deref() != Some(host.as_str())
}

pub fn cross_site_error() -> AppError {
    AppError::Csrf("cross-site requests with the console's cookies are refused".into())
}

/// The facts about a request the account resolvers need.
pub fn request_meta(req: &HttpRequest, state: &AppState) -> session::RequestMeta {
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let f = crate::domain::visitor::agent::families(ua);
    let device = match (f.browser, f.os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(o)) => format!("a browser on {o}"),
        (None, None) => "an unknown browser".to_owned(),
    };
    session::RequestMeta {
        secure: req.connection_info().scheme() == "https"
            || state.public_url.as_str().starts_with("https://"),
        peer: caller_address(req, &state.auth),
        device,
    }
}

/// The caller's address for the sign-in throttles: the peer, or the client a trusted
/// proxy names in `X-Forwarded-For` (see [`crate::auth::proxies`]). Never stored.
pub fn caller_address(req: &HttpRequest, auth: &crate::auth::Auth) -> Option<std::net::IpAddr> {
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    auth.proxies
        .client(req.peer_addr().map(|a| a.ip()), forwarded)
}

/// `RateLimit-*` headers on every authenticated answer; `Retry-After` when refused.
pub fn rate_headers(resp: &mut HttpResponseBuilder, rate: &Decision) {
    resp.insert_header(("RateLimit-Limit", rate.limit.to_string()))
        .insert_header(("RateLimit-Remaining", rate.remaining.to_string()))
        .insert_header(("RateLimit-Reset", rate.reset_secs.to_string()));
    if !rate.allowed {
        resp.insert_header((header::RETRY_AFTER, rate.reset_secs.to_string()));
    }
}

pub enum BodyError {
    TooLarge(usize),
    Read,
    /// The client did not send the whole body in time.
    Timeout,
    /// The memory budget for bodies in flight is spent: refused before reading.
    Busy,
}

impl BodyError {
    /// The one mapping of body-read failures to client errors.
    pub fn into_app(self) -> AppError {
        match self {
            BodyError::TooLarge(n) => {
                AppError::PayloadTooLarge(format!("request body is larger than {n} bytes"))
            }
            BodyError::Read => AppError::BadInput {
                field: None,
                message: "could not read the request body".into(),
            },
            BodyError::Timeout => {
                AppError::RequestTimeout("the request body did not arrive in time".into())
            }
            BodyError::Busy => AppError::at_capacity(),
        }
    }
}

/// A request body, with the memory it holds reserved until it is dropped.
pub struct Body {
    pub bytes: web::Bytes,
    pub reservation: Reservation,
}

impl std::ops::Deref for Body {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Reads a request body: at most `limit` bytes (refused before buffering when declared
/// larger), reserved against the memory budget before it is read (refused at once when the
/// budget is spent), and within the client timeout.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Body, BodyError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or(BodyError::Read)?;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge(limit));
    }
    // Without a length, reserve a first slice and grow with the chunks.
    let expected = declared.unwrap_or(limit.min(64 * 1024));
    let mut reservation = state.budget.reserve(expected).ok_or(BodyError::Busy)?;
    let deadline = tokio::time::Instant::now() + state.body_timeout;
    let mut body = web::BytesMut::with_capacity(expected.min(limit));
    loop {
        let chunk = match tokio::time::timeout_at(deadline, payload.next()).await {
            Err(_) => return Err(BodyError::Timeout),
            Ok(None) => break,
            Ok(Some(chunk)) => chunk.map_err(|_| BodyError::Read)?,
        };
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge(limit));
        }
        if !reservation.grow_to(body.len() + chunk.len()) {
            return Err(BodyError::Busy);
        }
        body.extend_from_slice(&chunk);
    }
    reservation.shrink_to(body.len());
    Ok(Body {
        bytes: body.freeze(),
        reservation,
    })
}

/// The media type of a request body, lower-cased, without parameters.
pub fn content_type(req: &HttpRequest) -> Option<String> {
    let raw = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        raw.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}
