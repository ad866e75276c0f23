//! Bearer-token REST endpoints compatible with Hotjar's API, so existing integrations
//! can point at Loupe: cursor pagination with `limit` (at most 100) and `cursor`,
//! answering `{"results": [...], "next_cursor": ...}`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::RestError;
use super::{authenticate, rate_headers, Authed};
use crate::auth::ratelimit::Decision;
use crate::domain::pagination::{PageArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::domain::surveys::answers::Question;
use crate::domain::surveys::summary::ResponseFilter;
use crate::domain::surveys::{export, responses, store};
use crate::domain::{recordings, sites, validation};
use crate::error::AppError;
use crate::state::AppState;

const EXPORT_CHUNK: u64 = 500;

fn error(e: AppError, rate: Option<&Decision>) -> HttpResponse {
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

fn ok(authed: &Authed, body: Value) -> HttpResponse {
    let mut resp = HttpResponse::Ok();
    rate_headers(&mut resp, &authed.rate);
    resp.json(body)
}

/// Authenticates (with the per-key rate limit), then answers with `inner`'s result;
/// errors become REST errors carrying the rate-limit headers.
macro_rules! rest_handler {
    ($req:expr, $state:expr, |$authed:ident| $body:expr) => {{
        match authenticate(&$req, &$state).await {
            Err((e, rate)) => error(e, rate.as_ref()),
            Ok($authed) => {
                let rate = $authed.rate;
                let result: Result<HttpResponse, AppError> = $body.await;
                result.unwrap_or_else(|e| error(e, Some(&rate)))
            }
        }
    }};
}

#[derive(Deserialize)]
pub struct ListParams {
    limit: Option<i64>,
    cursor: Option<String>,
    with_questions: Option<bool>,
    format: Option<String>,
}

fn params(req: &HttpRequest) -> Result<ListParams, AppError> {
    web::Query::<ListParams>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| AppError::BadInput {
            field: None,
            message: format!("invalid query string: {e}"),
        })
}

fn page_args(p: &ListParams) -> Result<PageArgs, AppError> {
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

fn question_json(q: &Question) -> Value {
    let mut v = json!({
        "id": q.id,
        "type": q.def.kind.as_str().to_ascii_lowercase(),
        "text": q.def.prompt,
        "required": q.def.required,
    });
    if q.def.kind.is_choice() {
        v["possible_answers"] = json!(q.def.config.options);
    }
    if let Some((low, high)) = q.def.scale() {
        v["scale"] = json!({"min": low, "max": high});
    }
    v
}

fn survey_json(s: &entity::survey::Model, questions: Option<&[Question]>) -> Value {
    let mut v = json!({
        "id": s.id,
        "name": s.name,
        "type": match s.kind { entity::survey::Kind::Survey => "survey", entity::survey::Kind::Poll => "poll" },
        "status": format!("{:?}", s.status).to_ascii_uppercase(),
        "is_enabled": s.status == entity::survey::Status::Active,
        "created_time": s.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "updated_time": s.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    if let Some(qs) = questions {
        v["questions"] = qs.iter().map(question_json).collect();
    }
    v
}

fn parse_questions(models: &[entity::question::Model]) -> Result<Vec<Question>, AppError> {
    models.iter().map(store::to_question).collect()
}

/// The survey if it belongs to the site and the caller's organization.
async fn site_survey(
    state: &AppState,
    org_id: i64,
    site_id: i64,
    survey_id: i64,
) -> Result<entity::survey::Model, AppError> {
    let survey = store::get(&state.db, org_id, survey_id).await?;
    if survey.site_id != site_id {
        return Err(AppError::NotFound);
    }
    Ok(survey)
}

/// `GET /v1/sites/{site_id}/surveys?with_questions=true|false&limit=&cursor=`
pub async fn list_surveys(
    req: HttpRequest,
    path: web::Path<(String,)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    rest_handler!(req, state, |authed| async {
        let org = authed.principal.org_id();
        let site_id = validation::id(&path.0)?;
        sites::get(&state.db, org, site_id).await?;
        let p = params(&req)?;
        let args = page_args(&p)?;
        let filter = store::ListFilter {
            site_id: Some(site_id),
            ..Default::default()
        };
        let page = store::list(&state.db, org, filter, args).await?;
        let ids: Vec<i64> = page.items.iter().map(|(_, s)| s.id).collect();
        let questions = if p.with_questions.unwrap_or(false) {
            store::questions_of(&state.db, &ids).await?
        } else {
            vec![]
        };
        let mut results = Vec::with_capacity(page.items.len());
        for (_, s) in &page.items {
            let qs = if p.with_questions.unwrap_or(false) {
                let mine: Vec<_> = questions
                    .iter()
                    .filter(|q| q.survey_id == s.id)
                    .cloned()
                    .collect();
                Some(parse_questions(&mine)?)
            } else {
                None
            };
            results.push(survey_json(s, qs.as_deref()));
        }
        let next = page.has_next_page.then_some(page.end_cursor).flatten();
        Ok(ok(
            &authed,
            json!({ "results": results, "next_cursor": next }),
        ))
    })
}

/// `GET /v1/sites/{site_id}/surveys/{survey_id}`
pub async fn get_survey(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    rest_handler!(req, state, |authed| async {
        let survey = site_survey(
            &state,
            authed.principal.org_id(),
            validation::id(&path.0)?,
            validation::id(&path.1)?,
        )
        .await?;
        let qs = parse_questions(&store::questions(&state.db, survey.id).await?)?;
        Ok(ok(&authed, survey_json(&survey, Some(&qs))))
    })
}

/// `GET /v1/sites/{site_id}/surveys/{survey_id}/responses?limit=&cursor=`, newest first.
pub async fn list_responses(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    rest_handler!(req, state, |authed| async {
        let org = authed.principal.org_id();
        let survey = site_survey(
            &state,
            org,
            validation::id(&path.0)?,
            validation::id(&path.1)?,
        )
        .await?;
        let args = page_args(&params(&req)?)?;
        let page =
            responses::list(&state.db, org, survey.id, &ResponseFilter::default(), args).await?;
        let next = if page.has_next_page {
            page.end_cursor.clone()
        } else {
            None
        };
        let results: Vec<Value> = page
            .items
            .iter()
            .map(|(_, v)| export::response_json(v))
            .collect();
        Ok(ok(
            &authed,
            json!({ "results": results, "next_cursor": next }),
        ))
    })
}

/// `GET /v1/sites/{site_id}/surveys/{survey_id}/responses/export?format=csv|jsonl`:
/// every response, oldest first, streamed chunk by chunk in constant memory. Plan SCALE.
pub async fn export_responses(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    rest_handler!(req, state, |authed| async {
        let org = &authed.principal.org;
        crate::domain::surveys::export::allowed(org)?;
        let survey = site_survey(
            &state,
            org.id,
            validation::id(&path.0)?,
            validation::id(&path.1)?,
        )
        .await?;
        let csv = match params(&req)?.format.as_deref().unwrap_or("csv") {
            "csv" => true,
            "jsonl" => false,
            other => {
                return Err(AppError::bad_input(
                    "format",
                    format!("format {other:?} is not csv or jsonl"),
                ))
            }
        };
        // Every question the survey ever had, archived ones included, so old answers have a column.
        let questions = parse_questions(&store::all_questions(&state.db, survey.id).await?)?;
        let db = state.db.clone();
        let survey_id = survey.id;
        let header = if csv {
            Some(export::csv_header(&questions))
        } else {
            None
        };
        let body =
            futures_util::stream::unfold((header, 0i64, false), move |(header, after, done)| {
                let db = db.clone();
                let questions = questions.clone();
                async move {
                    if let Some(h) = header {
                        return Some((
                            Ok::<_, actix_web::Error>(web::Bytes::from(h)),
                            (None, after, done),
                        ));
                    }
                    if done {
                        return None;
                    }
                    match responses::export_chunk(&db, survey_id, after, EXPORT_CHUNK).await {
                        Ok(chunk) if chunk.is_empty() => None,
                        Ok(chunk) => {
                            let last = chunk.last().map_or(after, |v| v.response.id);
                            let finished = (chunk.len() as u64) < EXPORT_CHUNK;
                            let text: String = chunk
                                .iter()
                                .map(|v| {
                                    if csv {
                                        export::csv_row(v, &questions)
                                    } else {
                                        export::jsonl_row(v)
                                    }
                                })
                                .collect();
                            Some((Ok(web::Bytes::from(text)), (None, last, finished)))
                        }
                        Err(e) => {
                            // Headers are sent: end the stream short; the cause is logged.
                            e.log_if_internal();
                            Some((
                                Err(actix_web::error::ErrorInternalServerError("export failed")),
                                (None, after, true),
                            ))
                        }
                    }
                }
            });
        let (content_type, ext) = if csv {
            ("text/csv; charset=utf-8", "csv")
        } else {
            ("application/x-ndjson", "jsonl")
        };
        let mut resp = HttpResponse::Ok();
        rate_headers(&mut resp, &authed.rate);
        resp.insert_header((header::CONTENT_TYPE, content_type))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"survey-{survey_id}-responses.{ext}\""),
            ));
        Ok(resp.streaming(body))
    })
}

/// `GET /v1/sites/{site_id}/recordings/{recording_id}/events`: the recording's events in
/// order, as newline-delimited JSON, decompressed chunk by chunk in constant memory.
pub async fn recording_events(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    rest_handler!(req, state, |authed| async {
        let org = authed.principal.org_id();
        let site = sites::get(&state.db, org, validation::id(&path.0)?).await?;
        let rec = recordings::get(&state.db, org, validation::id(&path.1)?).await?;
        if rec.site_id != site.id {
            return Err(AppError::NotFound);
        }
        let db = state.db.clone();
        let id = rec.id;
        let body = futures_util::stream::unfold((None::<i64>, false), move |(after, done)| {
            let db = db.clone();
            async move {
                if done {
                    return None;
                }
                match recordings::next_chunk(&db, id, after).await {
                    Ok(None) => None,
                    Ok(Some((seq, lines))) => Some((
                        Ok::<_, actix_web::Error>(web::Bytes::from(lines)),
                        (Some(seq), false),
                    )),
                    Err(e) => {
                        e.log_if_internal();
                        Some((
                            Err(actix_web::error::ErrorInternalServerError("stream failed")),
                            (after, true),
                        ))
                    }
                }
            }
        });
        let mut resp = HttpResponse::Ok();
        rate_headers(&mut resp, &authed.rate);
        resp.insert_header((header::CONTENT_TYPE, "application/x-ndjson"));
        Ok(resp.streaming(body))
    })
}

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
        let bytes = super::read_body(&req, payload, MAX_LOOKUP_BYTES)
            .await
            .map_err(super::BodyError::into_app)?;
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
