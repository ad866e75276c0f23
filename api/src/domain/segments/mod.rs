//! Segments: named rules over user attributes, visit facts and survey interactions.
//! One checked [`rule::Rule`] has two evaluators — [`sql`] filters users and responses
//! in the database, [`eval`] decides targeting for one visitor in memory.

pub mod eval;
pub mod rule;
pub mod sql;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use entity::{
    answer, answer_choice, question, response, segment, site_user, survey, user_attribute,
    visitor_link,
};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef, RelationTrait,
};
use serde_json::Value;

use self::eval::{AnswerFact, Profile, ResponseFact};
use self::rule::{Catalog, Rule};
use super::pagination::{page_oldest_first, paginate, Page, PageArgs};
use super::{now, sites, validation};
use crate::domain::people::attributes::{attr_value, definitions};
use crate::error::{AppError, AppResult};

/// Stored JSON rules have a size bound too (50 conditions fit well within it).
pub const MAX_RULE_BYTES: usize = 32 * 1024;
pub const SAMPLE_USERS: u64 = 10;

/// What a rule on `site_id` may refer to: its attributes, and the surveys and questions
/// the rule names (when they belong to the site).
pub async fn catalog(db: &impl ConnectionTrait, site_id: i64, rule: &Value) -> AppResult<Catalog> {
    let (survey_ids, question_ids) = rule::referenced(rule);
    let surveys: Vec<i64> = if survey_ids.is_empty() {
        vec![]
    } else {
        survey::Entity::find()
            .select_only()
            .column(survey::Column::Id)
            .filter(survey::Column::SiteId.eq(site_id))
            .filter(survey::Column::Id.is_in(survey_ids))
            .into_tuple()
            .all(db)
            .await?
    };
    let mut questions = HashMap::new();
    if !question_ids.is_empty() {
        let rows = question::Entity::find()
            .join(JoinType::InnerJoin, question_to_survey())
            .filter(survey::Column::SiteId.eq(site_id))
            .filter(question::Column::Id.is_in(question_ids))
            .all(db)
            .await?;
        for q in rows {
            let q = super::surveys::store::to_question(&q)?;
            questions.insert(q.id, (q.def.kind, q.def.config.options.clone()));
        }
    }
    Ok(Catalog {
        attributes: definitions(db, site_id).await?,
        questions,
        surveys,
    })
}

fn question_to_survey() -> RelationDef {
    question::Relation::Survey.def()
}

/// Parses and checks a rule for `site_id`; errors name the path under `field`.
pub async fn check(
    db: &impl ConnectionTrait,
    site_id: i64,
    value: &Value,
    field: &str,
) -> AppResult<Rule> {
    if value.to_string().len() > MAX_RULE_BYTES {
        return Err(AppError::bad_input(
            field,
            format!("a rule is at most {MAX_RULE_BYTES} bytes of JSON"),
        ));
    }
    let catalog = catalog(db, site_id, value).await?;
    rule::compile(value, &catalog, field)
}

/// A segment of `org_id`; another organization's is not found.
pub async fn get(db: &impl ConnectionTrait, org_id: i64, id: i64) -> AppResult<segment::Model> {
    let seg = segment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    sites::get(db, org_id, seg.site_id).await?;
    Ok(seg)
}

pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    site_id: i64,
    args: PageArgs,
) -> AppResult<Page<segment::Model>> {
    sites::get(db, org_id, site_id).await?;
    let select = segment::Entity::find().filter(segment::Column::SiteId.eq(site_id));
    paginate(db, select, segment::Column::Id, |s| s.id, args).await
}

fn rule_json(value: &Value) -> String {
    value.to_string()
}

#[tracing::instrument(skip(db, rule))]
pub async fn create(
    db: &impl ConnectionTrait,
    org_id: i64,
    site_id: i64,
    name: &str,
    rule: &Value,
) -> AppResult<segment::Model> {
    sites::get(db, org_id, site_id).await?;
    let name = validation::name("name", name, validation::MAX_NAME_CHARS)?;
    check(db, site_id, rule, "rule").await?;
    let at = now();
    Ok(segment::ActiveModel {
        site_id: Set(site_id),
        name: Set(name),
        rule: Set(rule_json(rule)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

#[tracing::instrument(skip(db, rule))]
pub async fn update(
    db: &impl ConnectionTrait,
    org_id: i64,
    id: i64,
    name: Option<&str>,
    rule: Option<&Value>,
) -> AppResult<segment::Model> {
    let current = get(db, org_id, id).await?;
    let mut active: segment::ActiveModel = current.clone().into();
    if let Some(n) = name {
        active.name = Set(validation::name("name", n, validation::MAX_NAME_CHARS)?);
    }
    if let Some(r) = rule {
        check(db, current.site_id, r, "rule").await?;
        active.rule = Set(rule_json(r));
    }
    // Strictly later than before, so cached compiled forms are never mistaken for fresh.
    active.updated_at = Set(now().max(current.updated_at + chrono::TimeDelta::microseconds(1)));
    Ok(active.update(db).await?)
}

/// Deletes a segment no survey or poll targets.
#[tracing::instrument(skip(db))]
pub async fn delete(db: &impl ConnectionTrait, org_id: i64, id: i64) -> AppResult<()> {
    let seg = get(db, org_id, id).await?;
    let surveys = survey::Entity::find()
        .filter(survey::Column::SiteId.eq(seg.site_id))
        .all(db)
        .await?;
    let users: Vec<String> = surveys
        .iter()
        .filter(|s| {
            super::surveys::targeting::Targeting::from_json(&s.targeting)
                .is_ok_and(|t| t.segment_id == Some(seg.id))
        })
        .map(|s| format!("{} ({})", s.name, s.id))
        .collect();
    if !users.is_empty() {
        return Err(AppError::Conflict(format!(
            "segment {} targets {}; change their targeting first",
            seg.id,
            users.join(", ")
        )));
    }
    segment::Entity::delete_by_id(seg.id).exec(db).await?;
    Ok(())
}

/// The stored rule of a segment, checked again against the current catalog.
pub async fn rule_of(db: &impl ConnectionTrait, seg: &segment::Model) -> AppResult<Rule> {
    let value: Value = serde_json::from_str(&seg.rule).map_err(AppError::internal)?;
    let catalog = catalog(db, seg.site_id, &value).await?;
    rule::compile(&value, &catalog, "rule")
}

/// Compiled rules of segments, keyed by id and last change, so `/widgets` does not
/// re-check a rule on every call.
type RuleCache = Mutex<HashMap<i64, (DateTime<Utc>, Arc<Rule>)>>;

fn cache() -> &'static RuleCache {
    static CACHE: OnceLock<RuleCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Compiled rules of these segments of `site_id` (missing or foreign ones are absent).
pub async fn compiled(
    db: &impl ConnectionTrait,
    site_id: i64,
    ids: &[i64],
) -> AppResult<HashMap<i64, Arc<Rule>>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = segment::Entity::find()
        .filter(segment::Column::SiteId.eq(site_id))
        .filter(segment::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    for seg in rows {
        let hit = {
            let map = cache().lock().unwrap_or_else(|p| p.into_inner());
            map.get(&seg.id)
                .filter(|(at, _)| *at == seg.updated_at)
                .map(|(_, r)| r.clone())
        };
        let rule = match hit {
            Some(r) => r,
            None => {
                let r = Arc::new(rule_of(db, &seg).await?);
                let mut map = cache().lock().unwrap_or_else(|p| p.into_inner());
                if map.len() >= 10_000 {
                    map.clear();
                }
                map.insert(seg.id, (seg.updated_at, r.clone()));
                r
            }
        };
        out.insert(seg.id, rule);
    }
    Ok(out)
}

/// Everything the in-memory evaluator needs about `p`; survey interactions only when
/// `interactions` is set, and answers only to `questions`.
pub async fn load_profile(
    db: &impl ConnectionTrait,
    p: &site_user::Model,
    interactions: bool,
    questions: &[i64],
) -> AppResult<Profile> {
    let mut attributes: Vec<(i64, eval::AttrValue)> = user_attribute::Entity::find()
        .filter(user_attribute::Column::ProfileId.eq(p.id))
        .all(db)
        .await?
        .iter()
        .filter_map(|a| Some((a.attribute_id, attr_value(a)?)))
        .collect();
    attributes.sort_by_key(|(id, _)| *id);
    let mut profile = Profile {
        id: p.id,
        identified: p.user_id.is_some(),
        device: p.device.clone(),
        country: p.country.clone(),
        first_seen: p.first_seen,
        last_seen: p.last_seen,
        sessions: p.sessions,
        attributes,
        responses: vec![],
        answers: vec![],
    };
    if interactions {
        let visitors = Query::select()
            .column(visitor_link::Column::VisitorId)
            .from(visitor_link::Entity)
            .and_where(visitor_link::Column::ProfileId.eq(p.id))
            .to_owned();
        let responses = response::Entity::find()
            .filter(response::Column::SiteId.eq(p.site_id))
            .filter(response::Column::VisitorId.in_subquery(visitors))
            .all(db)
            .await?;
        let ids: Vec<i64> = responses.iter().map(|r| r.id).collect();
        profile.responses = responses
            .iter()
            .map(|r| ResponseFact {
                survey_id: r.survey_id,
                at: r.created_at,
                complete: r.is_complete,
            })
            .collect();
        if !ids.is_empty() {
            let mut sentiment_any =
                answer::Entity::find().filter(answer::Column::ResponseId.is_in(ids.clone()));
            if !questions.is_empty() {
                sentiment_any = sentiment_any.filter(
                    answer::Column::QuestionId
                        .is_in(questions.to_vec())
                        .or(answer::Column::SentimentLabel.is_not_null()),
                );
            } else {
                sentiment_any = sentiment_any.filter(answer::Column::SentimentLabel.is_not_null());
            }
            let answers = sentiment_any
                .order_by_asc(answer::Column::Id)
                .all(db)
                .await?;
            let mut choices: HashMap<(i64, i64), Vec<String>> = HashMap::new();
            if !questions.is_empty() {
                for c in answer_choice::Entity::find()
                    .filter(answer_choice::Column::ResponseId.is_in(ids))
                    .filter(answer_choice::Column::QuestionId.is_in(questions.to_vec()))
                    .all(db)
                    .await?
                {
                    choices
                        .entry((c.response_id, c.question_id))
                        .or_default()
                        .push(c.choice);
                }
            }
            profile.answers = answers
                .into_iter()
                .map(|a| AnswerFact {
                    question_id: a.question_id,
                    number: a.number_value,
                    choices: choices
                        .remove(&(a.response_id, a.question_id))
                        .unwrap_or_default(),
                    text: a.text_value,
                    sentiment: a.sentiment_label,
                })
                .collect();
        }
    }
    Ok(profile)
}

/// Identified users of a site matching `rule` (all of them without one).
fn users_select(
    site_id: i64,
    rule: Option<&Rule>,
    backend: DbBackend,
    at: DateTime<Utc>,
) -> sea_orm::Select<site_user::Entity> {
    let mut select = site_user::Entity::find()
        .filter(site_user::Column::SiteId.eq(site_id))
        .filter(site_user::Column::UserId.is_not_null());
    if let Some(r) = rule {
        select = select.filter(r.sql(backend, at));
    }
    select
}

/// The identified users of a site matching `rule`, for a page without a count: the rule in
/// its row form on SQLite, which walks `site_user (site_id, id)` in id order and tests one
/// profile at a time. PostgreSQL keeps the set form, which measured faster on it
/// (BENCHMARKS.md, "A page of users with a segment").
pub fn users_page_select(
    site_id: i64,
    rule: Option<&Rule>,
    backend: DbBackend,
    at: DateTime<Utc>,
) -> sea_orm::Select<site_user::Entity> {
    let select = users_select(site_id, None, backend, at);
    match rule {
        Some(rule) if backend == DbBackend::Sqlite => select.filter(rule.row_sql(backend, at)),
        Some(rule) => select.filter(rule.sql(backend, at)),
        None => select,
    }
}

/// A page of identified users matching `rule`, oldest first.
///
/// With `count` the rule runs once over every profile: the matching ids (and last-seen
/// times) come back in one statement, which gives the total and the page; the page's rows
/// are then read by primary key. Without it (`total_count` is 0) the page walks the
/// profiles in id order and stops after `first + 1` matches, testing each profile with
/// the rule in its row form ([`Rule::row_sql`]) on SQLite, which builds every subquery of
/// the set form in full before the first row.
pub async fn users(
    db: &impl ConnectionTrait,
    site_id: i64,
    rule: Option<&Rule>,
    args: PageArgs,
    count: bool,
) -> AppResult<Page<site_user::Model>> {
    let backend = db.get_database_backend();
    if !count {
        let select = users_page_select(site_id, rule, backend, now());
        return page_oldest_first(db, select, site_user::Column::Id, |u| u.id, args).await;
    }
    let Some(rule) = rule else {
        let select = users_select(site_id, None, backend, now());
        return paginate(db, select, site_user::Column::Id, |u| u.id, args).await;
    };
    let matches = matching(db, site_id, rule).await?;
    let total_count = matches.len() as u64;
    let mut ids: Vec<i64> = matches
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| args.after.is_none_or(|a| *id > a))
        .collect();
    ids.sort_unstable();
    let has_next_page = ids.len() as u64 > args.first;
    ids.truncate(args.first as usize);
    let rows = rows_by_id(db, &ids).await?;
    let items: Vec<(String, site_user::Model)> = rows
        .into_iter()
        .map(|m| (super::pagination::encode_cursor(m.id), m))
        .collect();
    Ok(Page {
        end_cursor: items.last().map(|(c, _)| c.clone()),
        items,
        has_next_page,
        total_count,
    })
}

/// Ids and last-seen times of the identified users matching `rule`.
async fn matching(
    db: &impl ConnectionTrait,
    site_id: i64,
    rule: &Rule,
) -> AppResult<Vec<(i64, DateTime<Utc>)>> {
    Ok(
        users_select(site_id, Some(rule), db.get_database_backend(), now())
            .select_only()
            .column(site_user::Column::Id)
            .column(site_user::Column::LastSeen)
            .into_tuple()
            .all(db)
            .await?,
    )
}

/// Rows by id, in the order of `ids`.
async fn rows_by_id(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<site_user::Model>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut rows: HashMap<i64, site_user::Model> = site_user::Entity::find()
        .filter(site_user::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

pub struct Preview {
    pub matching_users: u64,
    pub sample: Vec<site_user::Model>,
}

/// How many users match, and the most recently seen of them, from one run of the rule.
pub async fn preview(db: &impl ConnectionTrait, site_id: i64, rule: &Rule) -> AppResult<Preview> {
    let mut matches = matching(db, site_id, rule).await?;
    let matching_users = matches.len() as u64;
    matches.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let ids: Vec<i64> = matches
        .iter()
        .take(SAMPLE_USERS as usize)
        .map(|(id, _)| *id)
        .collect();
    Ok(Preview {
        matching_users,
        sample: rows_by_id(db, &ids).await?,
    })
}

/// A filter on `response` rows: responses whose visitor belongs to a profile matching
/// the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentFilter {
    pub site_id: i64,
    pub rule: Arc<Rule>,
    pub backend: DbBackend,
    pub at: DateTime<Utc>,
}

impl SegmentFilter {
    /// `SELECT visitor_link.visitor_id FROM visitor_link JOIN site_user …` for this site
    /// and rule: the visitors of the matching profiles. `row`: for a query that then picks
    /// one visitor's link; on SQLite the rule is then in its row form ([`Rule::row_sql`]).
    /// PostgreSQL keeps the set form there: its plan already tests a page's profiles one by
    /// one against hashed subplans, and the row form measured slower on it (BENCHMARKS.md,
    /// "A page of responses with a segment, row by row").
    fn members(&self, row: bool) -> sea_orm::sea_query::SelectStatement {
        let rule = if row && self.backend == DbBackend::Sqlite {
            self.rule.row_sql(self.backend, self.at)
        } else {
            self.rule.sql(self.backend, self.at)
        };
        Query::select()
            .column((visitor_link::Entity, visitor_link::Column::VisitorId))
            .from(visitor_link::Entity)
            .inner_join(
                site_user::Entity,
                Expr::col((site_user::Entity, site_user::Column::Id))
                    .equals((visitor_link::Entity, visitor_link::Column::ProfileId)),
            )
            .and_where(
                Expr::col((visitor_link::Entity, visitor_link::Column::SiteId)).eq(self.site_id),
            )
            .and_where(rule)
            .to_owned()
    }

    /// `column IN (visitor ids of profiles matching the rule)`.
    pub fn visitors_expr(&self, column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
        Expr::col(column).in_subquery(self.members(false))
    }

    /// Responses whose visitor is in the segment. The member set is built once: what a
    /// scan of many responses (a count, a summary) wants.
    pub fn expr(&self) -> SimpleExpr {
        self.visitors_expr((response::Entity, response::Column::VisitorId))
    }

    /// The same test as [`SegmentFilter::expr`], row by row: each response looks up its own
    /// visitor's link (`visitor_link`'s `(site_id, visitor_id)` key) and tests that profile
    /// alone. What a page wants: its rows come in id order and the scan stops after a few,
    /// where the member set costs the whole segment before the first row.
    pub fn row_expr(&self) -> SimpleExpr {
        let own_link = self
            .members(true)
            .and_where(
                Expr::col((visitor_link::Entity, visitor_link::Column::VisitorId))
                    .equals((response::Entity, response::Column::VisitorId)),
            )
            .to_owned();
        Expr::exists(own_link)
    }
}

/// A segment as a filter names it (responses', recordings'), then resolved against the
/// site.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentChoice {
    Saved(i64),
    Inline(serde_json::Value),
    Resolved(SegmentFilter),
}

impl SegmentChoice {
    /// Checks the segment against `site_id` and compiles its rule.
    pub async fn resolve(
        self,
        db: &impl ConnectionTrait,
        site_id: i64,
    ) -> AppResult<SegmentFilter> {
        let rule = match self {
            SegmentChoice::Resolved(r) => return Ok(r),
            SegmentChoice::Saved(id) => {
                let seg = entity::segment::Entity::find_by_id(id)
                    .filter(entity::segment::Column::SiteId.eq(site_id))
                    .one(db)
                    .await?
                    .ok_or_else(|| {
                        AppError::bad_input(
                            "filter.segmentId",
                            format!("segment {id} is not a segment of this site"),
                        )
                    })?;
                rule_of(db, &seg).await?
            }
            SegmentChoice::Inline(v) => check(db, site_id, &v, "filter.rule").await?,
        };
        Ok(SegmentFilter {
            site_id,
            rule: Arc::new(rule),
            backend: db.get_database_backend(),
            at: crate::domain::now(),
        })
    }
}

#[cfg(test)]
mod tests;
