//! Access and erasure requests (GDPR articles 15 and 17), compatible with Hotjar's user
//! lookup: find everything held about one person across an organization's sites, report
//! it, or delete all of it in one transaction.
//!
//! A person is found by
//! - an email: `EMAIL` answers equal to it (case-insensitive) and identify profiles whose
//!   `email` attribute equals it;
//! - `{site id: user id}` pairs: the identify profile of that user on that site.
//!
//! From the profiles found, every visitor id linked to them is the person's; from the
//! responses found by email, their visitor ids are too, and so are the profiles those
//! visitors are linked to. The person's data is then: the profiles (with attributes and
//! visitor links), the responses (with answers, choices and pending sentiment jobs) of
//! those visitors or found by email, their recordings (with chunks) and survey displays.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::{
    answer, question, recording, response, site, site_user, survey, survey_display, user_attribute,
    user_attribute_def, visitor_link,
};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Value};

use crate::domain::audit::{self, Action, SubjectKey};
use crate::domain::caller::{self, Feature};
use crate::domain::surveys::answers::is_email;
use crate::domain::surveys::definition::QuestionType;
use crate::error::{AppError, AppResult};

/// Most `{site: user}` pairs in one request.
pub const MAX_PAIRS: usize = 100;

/// Who the request is about.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Lower-cased.
    pub email: Option<String>,
    pub users: BTreeMap<i64, String>,
}

impl Subject {
    /// Checks a request: at least one of the email and the map, each well-formed.
    /// `users` are `(site id, user id)` pairs as given; a site may appear once (REST's map can
    /// still spell one site twice, as `"1"` and `"01"`).
    pub fn parse<'a>(
        email: Option<&str>,
        users: impl ExactSizeIterator<Item = (&'a str, &'a str)>,
    ) -> AppResult<Subject> {
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email {
            if !is_email(e) || e.chars().count() > 254 {
                return Err(AppError::bad_input(
                    "data_subject_email",
                    "data_subject_email must be an email address",
                ));
            }
        }
        if users.len() > MAX_PAIRS {
            return Err(AppError::bad_input(
                "data_subject_site_id_to_user_id_map",
                format!("at most {MAX_PAIRS} sites"),
            ));
        }
        let mut map = BTreeMap::new();
        for (site, user) in users {
            let site_id = crate::domain::validation::id(site).map_err(|_| {
                AppError::bad_input(
                    "data_subject_site_id_to_user_id_map",
                    format!("{site:?} is not a site id"),
                )
            })?;
            let user = user.trim();
            if user.is_empty() || user.chars().count() > 255 {
                return Err(AppError::bad_input(
                    "data_subject_site_id_to_user_id_map",
                    "a user id is 1–255 characters",
                ));
            }
            if map.insert(site_id, user.to_owned()).is_some() {
                return Err(AppError::bad_input(
                    "data_subject_site_id_to_user_id_map",
                    format!("site {site_id} is given twice; look up one user per site and request"),
                ));
            }
        }
        if email.is_none() && map.is_empty() {
            return Err(AppError::bad_input(
                "data_subject_email",
                "give data_subject_email, data_subject_site_id_to_user_id_map, or both",
            ));
        }
        Ok(Subject {
            email: email.map(str::to_lowercase),
            users: map,
        })
    }

    /// The subject's keyed hash for the audit log: stable for the same request content.
    pub fn hash(&self, key: &SubjectKey) -> String {
        let mut canonical = format!("email:{}", self.email.as_deref().unwrap_or(""));
        for (site, user) in &self.users {
            canonical.push_str(&format!("\nsite:{site}:user:{user}"));
        }
        key.hash(&canonical)
    }
}

/// What the person has, by id.
#[derive(Debug, Default)]
struct Found {
    profiles: Vec<site_user::Model>,
    /// (site, visitor id)
    visitors: BTreeSet<(i64, String)>,
    responses: Vec<response::Model>,
    recordings: Vec<recording::Model>,
}

impl Found {
    fn profile_ids(&self) -> Vec<i64> {
        self.profiles.iter().map(|p| p.id).collect()
    }
    fn response_ids(&self) -> Vec<i64> {
        self.responses.iter().map(|r| r.id).collect()
    }
    fn recording_ids(&self) -> Vec<i64> {
        self.recordings.iter().map(|r| r.id).collect()
    }
}

/// `(site_id = s AND visitor_id IN (…))` for every site: the person's visitors.
fn visitor_condition<C: ColumnTrait>(site_col: C, visitor_col: C, found: &Found) -> Condition {
    let mut by_site: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (s, v) in &found.visitors {
        by_site.entry(*s).or_default().push(v.clone());
    }
    by_site.into_iter().fold(Condition::any(), |c, (s, vs)| {
        c.add(site_col.eq(s).and(visitor_col.is_in(vs)))
    })
}

async fn find(db: &impl ConnectionTrait, org_id: i64, subject: &Subject) -> AppResult<Found> {
    let sites: Vec<i64> = site::Entity::find()
        .filter(site::Column::OrganizationId.eq(org_id))
        .select_only()
        .column(site::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    // Another organization's site is not found, like one that does not exist.
    if subject.users.keys().any(|s| !sites.contains(s)) {
        return Err(AppError::NotFound);
    }
    let mut found = Found::default();
    let mut profile_ids: BTreeSet<i64> = BTreeSet::new();
    if !subject.users.is_empty() {
        let cond = subject.users.iter().fold(Condition::any(), |c, (s, u)| {
            c.add(
                site_user::Column::SiteId
                    .eq(*s)
                    .and(site_user::Column::UserId.eq(u.as_str())),
            )
        });
        for p in site_user::Entity::find().filter(cond).all(db).await? {
            profile_ids.insert(p.id);
        }
    }
    let mut email_responses: BTreeSet<i64> = BTreeSet::new();
    if let (Some(email), false) = (&subject.email, sites.is_empty()) {
        // Profiles whose `email` attribute is this address.
        let defs: Vec<i64> = user_attribute_def::Entity::find()
            .filter(user_attribute_def::Column::SiteId.is_in(sites.clone()))
            .filter(user_attribute_def::Column::Name.eq("email"))
            .select_only()
            .column(user_attribute_def::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        if !defs.is_empty() {
            let ids: Vec<i64> = user_attribute::Entity::find()
                .filter(user_attribute::Column::AttributeId.is_in(defs))
                .filter(user_attribute::Column::ValueFolded.eq(email.as_str()))
                .select_only()
                .column(user_attribute::Column::ProfileId)
                .into_tuple()
                .all(db)
                .await?;
            profile_ids.extend(ids);
        }
        // Responses with an EMAIL answer equal to this address.
        let email_questions: Vec<i64> = question::Entity::find()
            .inner_join(survey::Entity)
            .filter(survey::Column::SiteId.is_in(sites.clone()))
            .filter(question::Column::Kind.eq(QuestionType::Email.as_str()))
            .select_only()
            .column(question::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        if !email_questions.is_empty() {
            let ids: Vec<i64> = answer::Entity::find()
                .filter(answer::Column::QuestionId.is_in(email_questions))
                .filter(
                    Expr::expr(Func::lower(Expr::col(answer::Column::TextValue)))
                        .eq(email.as_str()),
                )
                .select_only()
                .column(answer::Column::ResponseId)
                .into_tuple()
                .all(db)
                .await?;
            email_responses.extend(ids);
        }
    }
    // Visitors of those responses, and the profiles they are linked to.
    if !email_responses.is_empty() {
        let rows: Vec<(i64, Option<String>)> = response::Entity::find()
            .filter(response::Column::Id.is_in(email_responses.iter().copied()))
            .select_only()
            .column(response::Column::SiteId)
            .column(response::Column::VisitorId)
            .into_tuple()
            .all(db)
            .await?;
        found
            .visitors
            .extend(rows.into_iter().filter_map(|(s, v)| Some((s, v?))));
        if !found.visitors.is_empty() {
            let cond = visitor_condition(
                visitor_link::Column::SiteId,
                visitor_link::Column::VisitorId,
                &found,
            );
            for l in visitor_link::Entity::find().filter(cond).all(db).await? {
                profile_ids.insert(l.profile_id);
            }
        }
    }
    if !profile_ids.is_empty() {
        found.profiles = site_user::Entity::find()
            .filter(site_user::Column::Id.is_in(profile_ids.iter().copied()))
            .filter(site_user::Column::SiteId.is_in(sites.clone()))
            .order_by_asc(site_user::Column::Id)
            .all(db)
            .await?;
        for l in visitor_link::Entity::find()
            .filter(visitor_link::Column::ProfileId.is_in(found.profile_ids()))
            .all(db)
            .await?
        {
            found.visitors.insert((l.site_id, l.visitor_id));
        }
    }
    let mut cond = Condition::any();
    if !email_responses.is_empty() {
        cond = cond.add(response::Column::Id.is_in(email_responses.iter().copied()));
    }
    if !found.visitors.is_empty() {
        cond = cond.add(visitor_condition(
            response::Column::SiteId,
            response::Column::VisitorId,
            &found,
        ));
    }
    if !cond.is_empty() {
        found.responses = response::Entity::find()
            .filter(response::Column::OrganizationId.eq(org_id))
            .filter(cond)
            .order_by_asc(response::Column::Id)
            .all(db)
            .await?;
    }
    if !found.visitors.is_empty() {
        found.recordings = recording::Entity::find()
            .filter(recording::Column::OrganizationId.eq(org_id))
            .filter(visitor_condition(
                recording::Column::SiteId,
                recording::Column::VisitorId,
                &found,
            ))
            .order_by_asc(recording::Column::Id)
            .all(db)
            .await?;
    }
    Ok(found)
}

/// Everything held about the person, as a JSON report, and the audit entry's counts.
async fn report(db: &impl ConnectionTrait, found: &Found) -> AppResult<(Value, Value)> {
    let attributes = attributes_by_profile(db, found).await?;
    let answers = crate::domain::surveys::responses::answers_of(db, &found.response_ids()).await?;
    let displays = if found.visitors.is_empty() {
        0
    } else {
        survey_display::Entity::find()
            .filter(visitor_condition(
                survey_display::Column::SiteId,
                survey_display::Column::VisitorId,
                found,
            ))
            .count(db)
            .await?
    };
    let users: Vec<Value> = found
        .profiles
        .iter()
        .map(|p| {
            json!({
                "site_id": p.site_id,
                "user_id": p.user_id,
                "first_seen": p.first_seen,
                "last_seen": p.last_seen,
                "sessions": p.sessions,
                "device": p.device,
                "country": p.country,
                "attributes": attributes.get(&p.id).cloned().unwrap_or_else(|| json!({})),
                "visitor_ids": found.visitors.iter().filter(|(s, _)| *s == p.site_id).map(|(_, v)| v).collect::<Vec<_>>(),
            })
        })
        .collect();
    let responses: Vec<Value> = found
        .responses
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "site_id": r.site_id,
                "survey_id": r.survey_id,
                "visitor_id": r.visitor_id,
                "created_at": r.created_at,
                "is_complete": r.is_complete,
                "page_url": r.page_url,
                "device": r.device,
                "browser": r.browser,
                "os": r.os,
                "country": r.country,
                "answers": answers.get(&r.id).map(|list| list.iter().map(|(a, value)| json!({
                    "question_id": a.question_id,
                    "value": value,
                    "other": a.other_text,
                    "comment": a.comment,
                    "sentiment": a.sentiment_label.as_ref().map(|l| json!({"label": l, "score": a.sentiment_score})),
                })).collect::<Vec<_>>()).unwrap_or_default(),
            })
        })
        .collect();
    let recordings: Vec<Value> = found
        .recordings
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "site_id": r.site_id,
                "session_id": r.session_id,
                "visitor_id": r.visitor_id,
                "started_at": r.started_at,
                "ended_at": r.ended_at,
                "duration_ms": r.duration_ms,
                "page_views": r.page_views,
                "entry_url": r.entry_url,
                "exit_url": r.exit_url,
                "pages": serde_json::from_str::<Value>(&r.pages).unwrap_or(Value::Null),
                "clicks": r.clicks,
                "device": r.device,
                "browser": r.browser,
                "os": r.os,
                "country": r.country,
                "events": r.event_count,
            })
        })
        .collect();
    let counts = json!({
        "users": users.len(),
        "visitors": found.visitors.len(),
        "responses": responses.len(),
        "answers": answers.values().map(Vec::len).sum::<usize>(),
        "recordings": recordings.len(),
        "survey_displays": displays,
    });
    let report = json!({
        "users": users,
        "responses": responses,
        "recordings": recordings,
        "survey_displays": displays,
        "counts": counts,
    });
    Ok((report, counts))
}

async fn attributes_by_profile(
    db: &impl ConnectionTrait,
    found: &Found,
) -> AppResult<HashMap<i64, Value>> {
    let mut out = HashMap::new();
    let mut by_site: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for p in &found.profiles {
        by_site.entry(p.site_id).or_default().push(p.id);
    }
    for (site_id, ids) in by_site {
        out.extend(crate::domain::people::attributes_of(db, site_id, &ids).await?);
    }
    Ok(out)
}

/// Who asked, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Requester {
    pub organization_id: i64,
    pub by: audit::By,
}

/// Finds and reports everything held about the subject; the lookup is audited.
#[tracing::instrument(skip_all, fields(org_id = who.organization_id))]
pub async fn lookup(
    db: &DatabaseConnection,
    key: &SubjectKey,
    who: Requester,
    subject: &Subject,
) -> AppResult<Value> {
    let found = find(db, who.organization_id, subject).await?;
    let (report, counts) = report(db, &found).await?;
    audit::record(
        db,
        audit::Entry {
            organization_id: who.organization_id,
            by: who.by,
            action: Action::Lookup,
            site_id: None,
            subject_hash: Some(subject.hash(key)),
            counts: &counts,
            at: crate::domain::now(),
        },
    )
    .await?;
    Ok(report)
}

/// Deletes everything held about the subject in one transaction (audit entry included)
/// and answers with the counts deleted.
#[tracing::instrument(skip_all, fields(org_id = who.organization_id))]
pub async fn delete(
    db: &DatabaseConnection,
    key: &SubjectKey,
    who: Requester,
    subject: &Subject,
) -> AppResult<Value> {
    let txn = crate::db::begin_write(db).await?;
    let found = find(&txn, who.organization_id, subject).await?;
    let (counts, deleted) = delete_found(&txn, &found).await?;
    audit::record(
        &txn,
        audit::Entry {
            organization_id: who.organization_id,
            by: who.by,
            action: Action::Delete,
            site_id: None,
            subject_hash: Some(subject.hash(key)),
            counts: &counts,
            at: crate::domain::now(),
        },
    )
    .await?;
    txn.commit().await?;
    deleted.delete_objects().await;
    Ok(counts)
}

/// The counts deleted, and the recordings' deletion (its objects go after the commit).
async fn delete_found(
    db: &impl ConnectionTrait,
    found: &Found,
) -> AppResult<(Value, crate::domain::recordings::Deleted)> {
    let responses = found.response_ids();
    let (jobs, choices, answers, responses_n) =
        crate::domain::surveys::responses::delete_ids(db, &responses).await?;
    let recordings = found.recording_ids();
    let deleted = crate::domain::recordings::delete_ids(db, &recordings).await?;
    let (chunks, recordings_n) = (deleted.chunks, deleted.recordings);
    let mut displays = 0;
    let mut links = 0;
    if !found.visitors.is_empty() {
        displays = survey_display::Entity::delete_many()
            .filter(visitor_condition(
                survey_display::Column::SiteId,
                survey_display::Column::VisitorId,
                found,
            ))
            .exec(db)
            .await?
            .rows_affected;
        links = visitor_link::Entity::delete_many()
            .filter(visitor_condition(
                visitor_link::Column::SiteId,
                visitor_link::Column::VisitorId,
                found,
            ))
            .exec(db)
            .await?
            .rows_affected;
    }
    let profiles = found.profile_ids();
    let mut attributes = 0;
    let mut users = 0;
    if !profiles.is_empty() {
        links += visitor_link::Entity::delete_many()
            .filter(visitor_link::Column::ProfileId.is_in(profiles.clone()))
            .exec(db)
            .await?
            .rows_affected;
        attributes = user_attribute::Entity::delete_many()
            .filter(user_attribute::Column::ProfileId.is_in(profiles.clone()))
            .exec(db)
            .await?
            .rows_affected;
        users = site_user::Entity::delete_many()
            .filter(site_user::Column::Id.is_in(profiles))
            .exec(db)
            .await?
            .rows_affected;
    }
    let counts = json!({
        "users": users,
        "user_attributes": attributes,
        "visitor_links": links,
        "responses": responses_n,
        "answers": answers,
        "answer_choices": choices,
        "sentiment_jobs": jobs,
        "recordings": recordings_n,
        "recording_chunks": chunks,
        "survey_displays": displays,
    });
    Ok((counts, deleted))
}

/// Lookups and deletions need an ADMIN key of an organization on plan SCALE.
pub fn requester(principal: &crate::auth::Principal) -> AppResult<Requester> {
    caller::may(principal, caller::Action::HandlePersonalData)?;
    caller::has(&principal.org, Feature::PersonalData)?;
    Ok(Requester {
        organization_id: principal.org_id(),
        by: audit::By::of(principal),
    })
}
