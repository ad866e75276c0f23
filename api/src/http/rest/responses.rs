//! A survey's responses: one page at a time, or the whole export streamed.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::surveys::{parse_questions, site_survey};
use super::{ok, page_args, params, rest_handler};
use crate::domain::surveys::summary::ResponseFilter;
use crate::domain::surveys::{export, responses, store};
use crate::domain::validation;
use crate::error::AppError;
use crate::http::rate_headers;
use crate::state::AppState;

const EXPORT_CHUNK: u64 = 500;

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
        let page = responses::list(
            &state.db,
            org,
            survey.id,
            &ResponseFilter::default(),
            args,
            false,
        )
        .await?;
        let next = if page.has_next_page {
            page.end_cursor.clone()
        } else {
            None
        };
        let views: Vec<_> = page.items.into_iter().map(|(_, v)| v).collect();
        let links = export::links(&state.db, &views).await?;
        let results: Vec<export::RestResponse> = views
            .iter()
            .map(|v| export::response_json(v, &links, &state.public_url))
            .collect();
        Ok(ok(
            &authed,
            super::Listing {
                results,
                next_cursor: next,
            },
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
        let public = state.public_url.clone();
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
                let public = public.clone();
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
                    let chunk =
                        match responses::export_chunk(&db, survey_id, after, EXPORT_CHUNK).await {
                            Ok(chunk) if !csv && !chunk.is_empty() => {
                                export::links(&db, &chunk).await.map(|l| (chunk, l))
                            }
                            Ok(chunk) => Ok((chunk, export::Links::default())),
                            Err(e) => Err(e),
                        };
                    match chunk {
                        Ok((chunk, _)) if chunk.is_empty() => None,
                        Ok((chunk, links)) => {
                            let last = chunk.last().map_or(after, |v| v.response.id);
                            let finished = (chunk.len() as u64) < EXPORT_CHUNK;
                            let text: String = chunk
                                .iter()
                                .map(|v| {
                                    if csv {
                                        export::csv_row(v, &questions)
                                    } else {
                                        export::jsonl_row(v, &links, &public)
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
