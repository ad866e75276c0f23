//! Endpoints called by a site's own pages: no bearer token, CORS limited to the site's
//! allowed domains, privacy signals honoured, and only derived families of the
//! User-Agent kept.
//!
//! One file per endpoint over the shared skeleton here: the site lookup, the origin check
//! and CORS (`for_site`), consent signals (`client_context`), body reading with one error
//! mapping (`body_bytes`, `json_body`).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use entity::site;

use super::RestError;
use crate::domain::sites::allowed_domains;
use crate::domain::visitor::{self, ClientContext};
use crate::error::AppError;
use crate::state::AppState;

mod answers;
mod consent;
mod displays;
mod events;
mod heatmap;
mod identify;
mod widgets;

pub use answers::{submit_response, ResponseBody, MAX_RESPONSE_BYTES};
pub use consent::{opt_in, opt_out};
pub use displays::record_display;
pub use events::{record_events, MAX_RECORDING_BODY, MAX_RECORDING_DECODED};
pub use heatmap::record_heatmap;
pub use identify::identify;
pub use widgets::{config, widget_json, widgets};

/// Whether `origin` (`https://host[:port]`) is one of the site's allowed domains
/// (`example.com`, `*.example.com`, `localhost:3000`). A pattern without a port allows
/// any port of its host; one with a port allows only that port.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let Ok(url) = url::Url::parse(origin) else {
        return false;
    };
    let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    let with_port = url.port().map(|p| format!("{host}:{p}"));
    allowed.iter().any(|pattern| {
        let matches = |h: &str| match pattern.strip_prefix("*.") {
            Some(suffix) => h
                .strip_suffix(suffix)
                .is_some_and(|rest| rest.ends_with('.')),
            None => h == pattern,
        };
        matches(&host) || with_port.as_deref().is_some_and(matches)
    })
}

/// The site, and the CORS origin to echo (none for same-origin or server-side calls).
async fn site_and_origin(
    req: &HttpRequest,
    state: &AppState,
    site_id: i64,
) -> Result<(site::Model, Option<String>), RestError> {
    let site = state.ingest.site(&state.db, site_id).await?;
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    if let Some(o) = &origin {
        if !origin_allowed(o, &allowed_domains(&site)) {
            return Err(AppError::Forbidden(format!(
                "origin {o} is not an allowed domain of site {site_id}"
            ))
            .into());
        }
    }
    Ok((site, origin))
}

/// The skeleton every page endpoint shares: the site (404 when unknown) and the caller's
/// origin (403 unless an allowed domain), the handler's work, its answer (`respond`) or its
/// error as JSON, and the CORS headers on every answer, errors included.
async fn for_site<T, Fut>(
    req: &HttpRequest,
    state: &AppState,
    site_id: i64,
    handle: impl FnOnce(site::Model) -> Fut,
    respond: impl FnOnce(T) -> HttpResponse,
) -> HttpResponse
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    match site_and_origin(req, state, site_id).await {
        Err(e) => actix_web::ResponseError::error_response(&e),
        Ok((site, origin)) => {
            let resp = match handle(site).await {
                Ok(value) => respond(value),
                Err(e) => error(e),
            };
            with_cors(resp, origin.as_deref())
        }
    }
}

/// CORS preflight for the public endpoints.
pub async fn preflight(
    req: HttpRequest,
    path: web::Path<(i64,)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, RestError> {
    let (_, origin) = site_and_origin(&req, &state, path.into_inner().0).await?;
    let resp = HttpResponse::NoContent()
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"))
        .insert_header((
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "Content-Type, Content-Encoding",
        ))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"))
        .finish();
    Ok(with_cors(resp, origin.as_deref()))
}

/// Preflight on a path with a second id (`…/surveys/{survey_id}/…`).
pub async fn preflight_two(
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, RestError> {
    let (site_id, _) = path.into_inner();
    preflight(req, web::Path::from((site_id,)), state).await
}

/// What the request says about the visitor, reduced to what Loupe keeps.
pub fn client_context(req: &HttpRequest, country_header: Option<&str>) -> ClientContext {
    let h = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let families = visitor::agent::families(h("user-agent"));
    ClientContext {
        device: families.device,
        browser: families.browser,
        os: families.os,
        country: country_header.and_then(|name| visitor::country(h(name))),
        do_not_track: visitor::do_not_track(h("dnt"), h("sec-gpc")) || opted_out(req),
    }
}

/// Adds the CORS headers to any answer, errors included, so the page can read them.
fn with_cors(mut resp: HttpResponse, origin: Option<&str>) -> HttpResponse {
    if let Some(o) = origin.and_then(|o| header::HeaderValue::from_str(o).ok()) {
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(header::VARY, header::HeaderValue::from_static("Origin"));
        h.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            header::HeaderValue::from_static("true"),
        );
    }
    resp
}

fn error(e: AppError) -> HttpResponse {
    actix_web::ResponseError::error_response(&RestError(e))
}

/// Reads a body of at most `limit` bytes, with clear errors.
async fn body_bytes(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<super::Body, AppError> {
    super::read_body(req, payload, limit)
        .await
        .map_err(super::BodyError::into_app)
}

/// Reads a JSON body of any content type (pages may use `text/plain` via sendBeacon).
pub(super) async fn json_body<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<T, AppError> {
    let bytes = body_bytes(req, payload, limit).await?;
    crate::domain::validation::json_text(&bytes)?;
    serde_json::from_slice(&bytes).map_err(|e| AppError::BadInput {
        field: None,
        message: format!("invalid JSON body: {e}"),
    })
}

/// The opt-out cookie, set by `GET /v1/opt-out` on Loupe's own domain: a request that
/// carries it is treated like `DNT: 1`.
pub const OPT_OUT_COOKIE: &str = "loupe_opt_out";

fn opted_out(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.split_once('='))
        .any(|(k, v)| k.trim() == OPT_OUT_COOKIE && matches!(v.trim(), "1" | "true"))
}

/// Preflight on `…/recordings/{session_id}/…`.
pub async fn preflight_session(
    req: HttpRequest,
    path: web::Path<(i64, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, RestError> {
    let (site_id, _) = path.into_inner();
    preflight(req, web::Path::from((site_id,)), state).await
}

#[cfg(test)]
mod tests {
    use super::origin_allowed;

    #[test]
    fn origins() {
        let allowed = vec![
            "shop.example".to_owned(),
            "*.blog.example".to_owned(),
            "localhost:3000".to_owned(),
        ];
        for (origin, ok) in [
            ("https://shop.example", true),
            ("http://shop.example:8443", true), // no port in the pattern: any port of that host
            ("https://evilshop.example", false),
            ("https://a.blog.example", true),
            ("https://a.b.blog.example", true),
            ("https://blog.example", false),
            ("https://xblog.example", false),
            ("http://localhost:3000", true),
            ("http://localhost:3001", false),
            ("null", false),
        ] {
            assert_eq!(origin_allowed(origin, &allowed), ok, "{origin}");
        }
    }
}
