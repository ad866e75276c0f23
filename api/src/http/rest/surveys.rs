//! `GET /v1/sites/{site_id}/surveys` and `…/surveys/{survey_id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{ok, page_args, params, rest_handler};
use crate::domain::surveys::answers::Question;
use crate::domain::surveys::definition::QuestionType;
use crate::domain::surveys::store;
use crate::domain::tag::PublicUrl;
use crate::domain::{sites, validation};
use crate::error::AppError;
use crate::state::AppState;

/// A question in the shape of Hotjar's API, then Loupe's own keys.
#[derive(Serialize)]
struct RestQuestion {
    id: String,
    text: String,
    #[serde(rename = "type")]
    kind: &'static str,
    is_required: bool,
    choices: Option<Vec<Choice>>,
    labels: Option<Labels>,
    image_url: Option<String>,
    // Loupe's own keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<Scale>,
}

#[derive(Serialize)]
struct Choice {
    text: String,
    allow_comment: bool,
}

#[derive(Serialize)]
struct Labels {
    low_label: Option<String>,
    high_label: Option<String>,
}

#[derive(Serialize)]
struct Scale {
    min: i32,
    max: i32,
}

/// Hotjar's kebab-case spelling of a question type (its REST reference's list).
fn hotjar_type(q: &Question) -> &'static str {
    match q.def.kind {
        QuestionType::ShortText => "short-text",
        QuestionType::LongText => "long-text",
        QuestionType::SingleChoice => "single-option",
        QuestionType::MultipleChoice => "multiple-option",
        QuestionType::Nps => "nps",
        // Loupe's ratings go from 1 to 5 or from 1 to 7.
        QuestionType::Rating if q.def.scale().is_some_and(|(_, max)| max == 7) => "rating-1-7",
        QuestionType::Rating => "rating-1-5",
        QuestionType::Email => "email",
        QuestionType::Statement => "statement",
    }
}

fn question_json(q: &Question) -> RestQuestion {
    let c = &q.def.config;
    RestQuestion {
        id: q.id.to_string(),
        text: q.def.prompt.clone(),
        kind: hotjar_type(q),
        is_required: q.def.required,
        choices: q.def.kind.is_choice().then(|| {
            let mut list: Vec<Choice> = c
                .options
                .iter()
                .map(|o| Choice {
                    text: o.clone(),
                    allow_comment: false,
                })
                .collect();
            // "Other" takes the visitor's own text: Hotjar's choice with a comment.
            if c.allow_other {
                list.push(Choice {
                    text: "Other".into(),
                    allow_comment: true,
                });
            }
            list
        }),
        labels: q.def.kind.is_scale().then(|| Labels {
            low_label: c.low_label.clone(),
            high_label: c.high_label.clone(),
        }),
        image_url: None,
        scale: q.def.scale().map(|(min, max)| Scale { min, max }),
    }
}

/// A survey in the shape of Hotjar's API, then Loupe's own keys.
#[derive(Serialize)]
struct RestSurvey {
    id: String,
    name: String,
    #[serde(rename = "type")]
    presentation: &'static str,
    url: String,
    responses_url: String,
    is_enabled: bool,
    created_time: String,
    updated_time: String,
    sentiment_analysis_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    questions: Option<Vec<RestQuestion>>,
    // Loupe's own keys.
    kind: &'static str,
    status: String,
}

fn survey_json(
    public: &PublicUrl,
    s: &entity::survey::Model,
    questions: Option<&[Question]>,
) -> RestSurvey {
    use entity::survey::{Distribution, Kind, Status};
    let url = format!(
        "{}/v1/sites/{}/surveys/{}",
        public.as_str(),
        s.site_id,
        s.id
    );
    let time =
        |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    RestSurvey {
        id: s.id.to_string(),
        name: s.name.clone(),
        presentation: match s.distribution {
            Distribution::Link => "link",
            Distribution::Site => "popover",
        },
        responses_url: format!("{url}/responses"),
        url,
        is_enabled: s.status == Status::Active,
        created_time: time(&s.created_at),
        updated_time: time(&s.updated_at),
        sentiment_analysis_enabled: s.sentiment_enabled_at.is_some(),
        questions: questions.map(|qs| qs.iter().map(question_json).collect()),
        kind: match s.kind {
            Kind::Survey => "survey",
            Kind::Poll => "poll",
        },
        status: format!("{:?}", s.status).to_ascii_uppercase(),
    }
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
            results.push(survey_json(&state.public_url, s, qs.as_deref()));
        }
        let next = page.has_next_page.then_some(page.end_cursor).flatten();
        Ok(ok(
            &authed,
            super::Listing {
                results,
                next_cursor: next,
            },
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
        Ok(ok(
            &authed,
            survey_json(&state.public_url, &survey, Some(&qs)),
        ))
    })
}
