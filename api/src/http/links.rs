//! Link surveys on Loupe's own pages: `GET /s/{token}` renders the survey full-page with
//! the tag's renderer, `POST /v1/links/{token}/responses` takes its answers.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::public::{client_context, json_body, widget_json, ResponseBody, MAX_RESPONSE_BYTES};
use super::RestError;
use crate::domain::surveys::links;
use crate::domain::surveys::responses;
use crate::domain::surveys::widgets::Widget;
use crate::domain::tag::Theme;
use crate::error::AppError;
use crate::state::AppState;

/// The page's policy: its own scripts and calls only, nothing inline, never framed.
const LINK_CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
     style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside `<script type="application/json">`: no `<` that could close it.
fn script_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn not_found_page() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, LINK_CSP))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>Survey not found</title></head>\
             <body><main><h1>This survey is not available</h1>\
             <p>The link may be mistyped, or the survey has closed.</p></main></body></html>",
        )
}

/// `GET /s/{token}`: the survey as a page of its own.
pub async fn page(path: web::Path<String>, state: web::Data<AppState>) -> HttpResponse {
    let token = path.into_inner();
    let survey = match links::open_survey(&state.db, &token).await {
        Ok(s) => s,
        Err(AppError::NotFound) => return not_found_page(),
        Err(e) => return actix_web::ResponseError::error_response(&RestError(e)),
    };
    let loaded = async {
        let site = state.ingest.site(&state.db, survey.site_id).await?;
        let (survey, questions) = state.ingest.survey(&state.db, site.id, survey.id).await?;
        Ok::<_, AppError>((site, survey, questions))
    };
    let (site, survey, questions) = match loaded.await {
        Ok(found) => found,
        Err(AppError::NotFound) => return not_found_page(),
        Err(e) => return actix_web::ResponseError::error_response(&RestError(e)),
    };
    let widget = Widget {
        survey: survey.clone(),
        questions: questions.as_ref().clone(),
    };
    let data = json!({
        "token": token,
        "survey": widget_json(&widget),
        "theme": Theme::of(&site).resolved(),
        "hidden_fields": links::declared_hidden_fields(&survey),
    });
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{}</title></head><body><main id=\"loupe-link\"></main>\
         <script type=\"application/json\" id=\"loupe-link-data\">{}</script>\
         <script src=\"../v1/loupe-link.js\"></script></body></html>",
        html_escape(&survey.name),
        script_json(&data),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, LINK_CSP))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(body)
}

/// `POST /v1/links/{token}/responses`: the responses endpoint of a link survey, with its
/// hidden fields.
pub async fn submit(
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, RestError> {
    let token = path.into_inner();
    let survey = links::open_survey(&state.db, &token).await?;
    let site = state.ingest.site(&state.db, survey.site_id).await?;
    let body: ResponseBody = json_body(&req, payload, MAX_RESPONSE_BYTES).await?;
    let submission =
        body.into_submission(client_context(&req, state.country_header.as_deref()), true)?;
    let (id, complete) =
        responses::submit(&state.db, &state.ingest, &site, survey.id, submission).await?;
    Ok(HttpResponse::Created().json(json!({ "response_id": id, "is_complete": complete })))
}
