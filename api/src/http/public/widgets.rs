//! `GET …/config` and `GET …/widgets`: what the tag needs, and what to show this visitor.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{client_context, for_site};
use crate::domain::visitor;
use crate::error::AppError;
use crate::state::AppState;

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
pub fn widget_json(w: &crate::domain::surveys::widgets::Widget) -> Value {
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
