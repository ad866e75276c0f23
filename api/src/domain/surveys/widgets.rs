//! What to show a visitor on a page now, and what they were shown: the public side of
//! targeting. A few batched queries per call, whatever the number of surveys.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::survey::{self, Status};
use entity::{response, site, survey_display};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};

use super::answers::Question;
use super::store;
use super::targeting::{decide, Targeting, VisitorState};
use crate::domain::visitor::valid_visitor_id;
use crate::domain::{now, people, segments};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplayEvent {
    Shown,
    Dismissed,
}

impl DisplayEvent {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "shown" => Some(DisplayEvent::Shown),
            "dismissed" => Some(DisplayEvent::Dismissed),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            DisplayEvent::Shown => "SHOWN",
            DisplayEvent::Dismissed => "DISMISSED",
        }
    }
}

pub struct Widget {
    pub survey: survey::Model,
    pub questions: Vec<Question>,
}

/// The active surveys and polls of `site` that this visitor should see on `url` now.
pub async fn for_visitor(
    db: &impl ConnectionTrait,
    site: &site::Model,
    visitor_id: Option<&str>,
    url: &str,
    device: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<Vec<Widget>> {
    let surveys = survey::Entity::find()
        .filter(survey::Column::SiteId.eq(site.id))
        .filter(survey::Column::Status.eq(Status::Active))
        // Link surveys are answered on their own page, never shown on the site.
        .filter(survey::Column::Distribution.eq(survey::Distribution::Site))
        .all(db)
        .await?;
    if surveys.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = surveys.iter().map(|s| s.id).collect();
    let (displays, responded) = match visitor_id {
        None => (vec![], HashSet::new()),
        Some(v) => {
            // The latest display per (survey, event): bounded by the number of surveys,
            // however often the visitor was shown them.
            let displays: Vec<(i64, String, DateTime<Utc>)> = survey_display::Entity::find()
                .select_only()
                .column(survey_display::Column::SurveyId)
                .column(survey_display::Column::Event)
                .column_as(survey_display::Column::CreatedAt.max(), "at")
                .filter(survey_display::Column::SiteId.eq(site.id))
                .filter(survey_display::Column::VisitorId.eq(v))
                .group_by(survey_display::Column::SurveyId)
                .group_by(survey_display::Column::Event)
                .into_tuple()
                .all(db)
                .await?;
            let responded: HashSet<i64> = response::Entity::find()
                .filter(response::Column::SurveyId.is_in(ids.clone()))
                .filter(response::Column::VisitorId.eq(v))
                .filter(response::Column::IsComplete.eq(true))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.survey_id)
                .collect();
            (displays, responded)
        }
    };
    let targetings = surveys
        .iter()
        .map(|s| Targeting::from_json(&s.targeting))
        .collect::<AppResult<Vec<_>>>()?;
    let membership = segment_membership(db, site.id, visitor_id, &targetings, at).await?;
    let mut shown = Vec::new();
    for (s, targeting) in surveys.into_iter().zip(targetings) {
        let mine = |event: DisplayEvent| {
            displays
                .iter()
                .any(|(id, e, _)| *id == s.id && e == event.as_str())
        };
        let state = VisitorState {
            visitor_id,
            url,
            device,
            shown_before: mine(DisplayEvent::Shown),
            dismissed: mine(DisplayEvent::Dismissed),
            responded: responded.contains(&s.id),
            last_other_display: displays
                .iter()
                .filter(|(id, e, _)| *id != s.id && e == DisplayEvent::Shown.as_str())
                .map(|(_, _, at)| *at)
                .max(),
            in_segment: targeting
                .segment_id
                .map(|id| membership.get(&id).copied().unwrap_or(false)),
        };
        if decide(&targeting, s.id, &state, site.survey_cooldown_days, at).is_ok() {
            shown.push(s);
            if site.survey_cooldown_days > 0 {
                break; // a cool-down means one survey at a time
            }
        }
    }
    let shown_ids: Vec<i64> = shown.iter().map(|s| s.id).collect();
    let mut by_survey: HashMap<i64, Vec<Question>> = HashMap::new();
    for q in store::questions_of(db, &shown_ids).await? {
        by_survey
            .entry(q.survey_id)
            .or_default()
            .push(store::to_question(&q)?);
    }
    Ok(shown
        .into_iter()
        .map(|s| Widget {
            questions: by_survey.remove(&s.id).unwrap_or_default(),
            survey: s,
        })
        .collect())
}

/// Whether the visitor is in each segment these surveys target: their profile (from
/// identify calls) is loaded once and every rule evaluated in memory. A visitor Loupe
/// has no profile for is in no segment.
async fn segment_membership(
    db: &impl ConnectionTrait,
    site_id: i64,
    visitor_id: Option<&str>,
    targetings: &[Targeting],
    at: DateTime<Utc>,
) -> AppResult<HashMap<i64, bool>> {
    let mut ids: Vec<i64> = targetings.iter().filter_map(|t| t.segment_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let Some(visitor) = visitor_id.filter(|_| !ids.is_empty()) else {
        return Ok(HashMap::new());
    };
    let Some(profile) = people::profile_of_visitor(db, site_id, visitor).await? else {
        return Ok(HashMap::new());
    };
    let rules = segments::compiled(db, site_id, &ids).await?;
    let interactions = rules.values().any(|r| r.uses_interactions);
    let mut questions: Vec<i64> = rules
        .values()
        .flat_map(|r| r.questions.iter().copied())
        .collect();
    questions.sort_unstable();
    questions.dedup();
    let facts = segments::load_profile(db, &profile, interactions, &questions).await?;
    Ok(rules
        .iter()
        .map(|(id, rule)| (*id, rule.matches(&facts, at)))
        .collect())
}

/// Records that a survey was shown to, or dismissed by, a visitor.
pub async fn record_display(
    db: &impl ConnectionTrait,
    site_id: i64,
    survey_id: i64,
    visitor_id: &str,
    event: DisplayEvent,
) -> AppResult<()> {
    let visitor = valid_visitor_id(Some(visitor_id))?
        .ok_or_else(|| AppError::bad_input("visitor_id", "visitor_id is required"))?;
    let survey = survey::Entity::find_by_id(survey_id)
        .filter(survey::Column::SiteId.eq(site_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if survey.status != Status::Active {
        return Err(AppError::Conflict("this survey is not active".into()));
    }
    survey_display::ActiveModel {
        site_id: Set(site_id),
        survey_id: Set(survey_id),
        visitor_id: Set(visitor),
        event: Set(event.as_str().to_owned()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
