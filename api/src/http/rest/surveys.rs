//! `GET /v1/sites/{site_id}/surveys` and `…/surveys/{survey_id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::{ok, page_args, params, rest_handler};
use crate::domain::surveys::answers::Question;
use crate::domain::surveys::store;
use crate::domain::{sites, validation};
use crate::error::AppError;
use crate::state::AppState;

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

pub(super) fn parse_questions(
    models: &[entity::question::Model],
) -> Result<Vec<Question>, AppError> {
    models.iter().map(store::to_question).collect()
}

/// The survey if it belongs to the site and the caller's organization.
pub(super) async fn site_survey(
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
