//! Endpoints called by a site's own pages: no bearer token, CORS limited to the site's
//! allowed domains, privacy signals honoured, and only derived families of the
//! User-Agent kept.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use entity::site;
use serde::Deserialize;
use serde_json::{json, Value};

use super::RestError;
use crate::domain::recordings;
use crate::domain::sites::allowed_domains;
use crate::domain::surveys::answers::SubmittedAnswer;
use crate::domain::surveys::responses::{self, Submission};
use crate::domain::visitor::{self, ClientContext};
use crate::error::AppError;
use crate::state::AppState;

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
    pub(super) question_id: i64,
    #[serde(default)]
    pub(super) value: Value,
    pub(super) other: Option<String>,
    pub(super) comment: Option<String>,
}

const MAX_RESPONSE_BYTES: usize = 64 * 1024;

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
async fn json_body<T: serde::de::DeserializeOwned>(
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

#[derive(Deserialize)]
pub struct WidgetParams {
    visitor_id: Option<String>,
    url: Option<String>,
}

#[derive(serde::Serialize)]
struct WidgetQuestion<'a> {
    id: i64,
    key: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    prompt: &'a str,
    required: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    options: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    allow_other: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<(i32, i32)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    low_label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_style: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    logic: &'a [crate::domain::surveys::definition::LogicRule],
}

/// A survey and its questions as the browser tag and the link page render them.
pub(super) fn widget_json(w: &crate::domain::surveys::widgets::Widget) -> Value {
    let questions: Vec<WidgetQuestion> = w
        .questions
        .iter()
        .map(|q| WidgetQuestion {
            id: q.id,
            key: &q.def.key,
            kind: q.def.kind.as_str(),
            prompt: &q.def.prompt,
            required: q.def.required,
            options: &q.def.config.options,
            allow_other: q.def.config.allow_other,
            scale: q.def.scale(),
            low_label: q.def.config.low_label.as_deref(),
            high_label: q.def.config.high_label.as_deref(),
            display_style: q.def.config.display_style.as_deref(),
            logic: &q.def.logic,
        })
        .collect();
    json!({
        "id": w.survey.id,
        "kind": match w.survey.kind { entity::survey::Kind::Survey => "survey", entity::survey::Kind::Poll => "poll" },
        "name": w.survey.name,
        "thank_you": w.survey.thank_you,
        "questions": questions,
    })
}

/// `GET /v1/sites/{site_id}/config`: what `loupe.js` needs before anything else —
/// recording, consent and identity-verification settings and the widget theme. Carries
/// nothing about the visitor; cacheable for a minute.
pub async fn config(
    req: HttpRequest,
    path: web::Path<(i64,)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let site_id = path.into_inner().0;
    for_site(
        &req,
        &state,
        site_id,
        |site| async move { Ok(crate::domain::tag::config(&site)) },
        |body| {
            HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
                .json(body)
        },
    )
    .await
}

/// `GET /v1/sites/{site_id}/widgets?visitor_id=…&url=…`: the surveys and polls to show
/// this visitor on this page now, with their questions.
pub async fn widgets(
    req: HttpRequest,
    path: web::Path<(i64,)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let site_id = path.into_inner().0;
    let (req, state) = (&req, &state);
    for_site(
        req,
        state,
        site_id,
        |site| async move {
            let params =
                web::Query::<WidgetParams>::from_query(req.query_string()).map_err(|e| {
                    AppError::BadInput {
                        field: None,
                        message: format!("invalid query string: {e}"),
                    }
                })?;
            let url = params
                .url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .ok_or_else(|| AppError::bad_input("url", "the page `url` is required"))?;
            if url.chars().count() > visitor::url::MAX_URL_CHARS {
                return Err(AppError::bad_input("url", "url too long"));
            }
            let ctx = client_context(req, None);
            let visitor = if ctx.do_not_track {
                None
            } else {
                visitor::valid_visitor_id(params.visitor_id.as_deref())?
            };
            let found = crate::domain::surveys::widgets::for_visitor(
                &state.db,
                &site,
                visitor.as_deref(),
                url,
                ctx.device,
                crate::domain::now(),
            )
            .await?;
            let widgets: Vec<Value> = found.iter().map(widget_json).collect();
            Ok(json!({ "widgets": widgets }))
        },
        |body| {
            HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(body)
        },
    )
    .await
}

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
            let done = crate::domain::identify::identify(
                &state.db,
                &site,
                crate::domain::identify::IdentifyCall {
                    visitor_id: body.visitor_id,
                    user_id: body.user_id,
                    attributes: body.attributes,
                    user_hash: body.user_hash,
                    context,
                },
            )
            .await?;
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

/// Largest recording batch accepted, as sent and once decompressed.
pub const MAX_RECORDING_BODY: usize = 2 * 1024 * 1024;
pub const MAX_RECORDING_DECODED: usize = 8 * 1024 * 1024;
/// The opt-out cookie, set by `GET /v1/opt-out` on Loupe's own domain: a request that
/// carries it is treated like `DNT: 1`.
pub const OPT_OUT_COOKIE: &str = "loupe_opt_out";
/// Two years, like most consent cookies.
const OPT_OUT_MAX_AGE_SECS: i64 = 2 * 365 * 24 * 3600;

fn opted_out(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.split_once('='))
        .any(|(k, v)| k.trim() == OPT_OUT_COOKIE && matches!(v.trim(), "1" | "true"))
}

/// `POST /v1/sites/{site_id}/recordings/{session_id}/events`: a batch of rrweb events,
/// optionally gzip-compressed. 200 once committed; a repeated sequence answers the same
/// without storing twice. DNT, GPC or the opt-out cookie: 204 and nothing stored.
pub async fn record_events(
    req: HttpRequest,
    path: web::Path<(i64, String)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (site_id, session_id) = path.into_inner();
    let (req, state) = (&req, &state);
    for_site(
        req,
        state,
        site_id,
        |site| async move {
            let ctx = client_context(req, state.country_header.as_deref());
            if ctx.do_not_track {
                return Ok(None);
            }
            // Checked before the body is read: an unsupported encoding costs nothing.
            let gzip = match req
                .headers()
                .get(header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("identity") => false,
                Some("gzip") => true,
                Some(other) => {
                    return Err(AppError::bad_input(
                        "Content-Encoding",
                        format!("unsupported content encoding {other:?}; send gzip or nothing"),
                    ))
                }
            };
            let mut body = body_bytes(req, payload, MAX_RECORDING_BODY).await?;
            let inflated = if gzip {
                Some(recordings::gunzip(
                    &body.bytes,
                    MAX_RECORDING_DECODED,
                    &mut body.reservation,
                )?)
            } else {
                None
            };
            let prepared = recordings::prepare(
                &site,
                &session_id,
                inflated.as_deref().unwrap_or(&body.bytes),
                &ctx,
            )?;
            // While the batch waits for its group commit, only the compressed chunk is held.
            let mut reservation = body.reservation;
            drop(body.bytes);
            drop(inflated);
            reservation.shrink_to(prepared.data.len());
            let accepted = state.recordings.write(prepared).await;
            drop(reservation);
            accepted.map(Some)
        },
        |result| match result {
            Some(a) => HttpResponse::Ok().json(json!({
                "recording_id": a.recording_id,
                "events": a.events,
                "duplicate": !a.new,
            })),
            None => HttpResponse::NoContent().finish(),
        },
    )
    .await
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

/// `GET /v1/opt-out`: sets the opt-out cookie for Loupe's domain. From then on this
/// browser is treated like `DNT: 1` by every site on this Loupe: no recording, no
/// identify, answers kept without a visitor id.
pub async fn opt_out(req: HttpRequest) -> HttpResponse {
    opt_cookie(&req, true)
}

/// `GET /v1/opt-in`: clears the opt-out cookie.
pub async fn opt_in(req: HttpRequest) -> HttpResponse {
    opt_cookie(&req, false)
}

fn opt_cookie(req: &HttpRequest, out: bool) -> HttpResponse {
    // Cross-site (a page embedding Loupe) cookies need `SameSite=None; Secure`, which
    // browsers accept only over HTTPS; over plain HTTP (development) fall back to Lax.
    let https = req.connection_info().scheme() == "https";
    let attrs = if https {
        "Path=/; HttpOnly; SameSite=None; Secure"
    } else {
        "Path=/; HttpOnly; SameSite=Lax"
    };
    let cookie = if out {
        format!("{OPT_OUT_COOKIE}=1; Max-Age={OPT_OUT_MAX_AGE_SECS}; {attrs}")
    } else {
        format!("{OPT_OUT_COOKIE}=; Max-Age=0; {attrs}")
    };
    let mut resp = HttpResponse::Ok();
    resp.insert_header((header::CACHE_CONTROL, "no-store"));
    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
        resp.insert_header((header::SET_COOKIE, v));
    }
    resp.json(json!({ "opted_out": out }))
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
