//! Accepting responses from a site's visitors, and reading them back.

use std::collections::HashMap;

use entity::survey;
use entity::{answer, answer_choice, response};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    TransactionTrait,
};
use serde_json::Value;

use super::answers::{check_response, Question, SubmittedAnswer};
use super::definition::QuestionType;
use super::store;
use super::writes::{check_schedule, insert_answers, NewResponse};
use crate::domain::now;
use crate::domain::visitor;
use crate::domain::visitor::{valid_visitor_id, ClientContext};
use crate::domain::webhooks::events::EventType;
use crate::domain::webhooks::outbox;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone)]
pub struct Submission {
    pub visitor_id: Option<String>,
    /// Completes an earlier partial response of the same visitor.
    pub response_id: Option<i64>,
    pub complete: bool,
    pub answers: Vec<SubmittedAnswer>,
    pub page_url: Option<String>,
    pub context: ClientContext,
    /// A link survey's hidden fields (`{"plan": "pro"}`); `Null` for none.
    pub hidden: serde_json::Value,
    /// The browser tag's current session id, linking the response to its recording.
    pub session_id: Option<String>,
}

/// The session id a response keeps: none under DNT/GPC/opt-out (the same rule that drops
/// the visitor id), else checked like a recording's.
fn recording_session(raw: Option<&str>, do_not_track: bool) -> AppResult<Option<String>> {
    if do_not_track {
        return Ok(None);
    }
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if crate::domain::recordings::envelope::valid_session_id(s) => {
            Ok(Some(s.to_owned()))
        }
        Some(_) => Err(AppError::bad_input(
            "session_id",
            "a session id is 1–70 letters, digits, - or _",
        )),
    }
}

/// Checks and stores a submission. New responses go through `ingest`, which commits
/// concurrent submissions together; completing a partial response is a transaction of
/// its own. Nothing of a rejected submission is stored; `Ok` means committed.
#[tracing::instrument(skip_all, fields(site_id = site.id, survey_id, answers = sub.answers.len()))]
pub async fn submit(
    db: &DatabaseConnection,
    ingest: &super::ingest::Ingest,
    site: &entity::site::Model,
    survey_id: i64,
    sub: Submission,
) -> AppResult<(i64, bool)> {
    let site_id = site.id;
    let visitor = if sub.context.do_not_track {
        None
    } else {
        valid_visitor_id(sub.visitor_id.as_deref())?
    };
    let session = recording_session(sub.session_id.as_deref(), sub.context.do_not_track)?;
    let page_url = match sub
        .page_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        None => None,
        Some(raw) => Some(
            visitor::url::UrlPolicy::for_site(site)
                .scrub(raw)
                .ok_or_else(|| {
                    AppError::bad_input("page_url", "page_url must be an http(s) URL")
                })?,
        ),
    };
    let (survey, questions) = ingest.survey(db, site_id, survey_id).await?;
    check_schedule(&survey)?;
    let hidden = super::links::hidden_values(&survey, &sub.hidden)?;
    if let Some(id) = sub.response_id {
        return complete_partial(db, &survey, &questions, id, visitor, hidden, session, sub).await;
    }
    let mut answers = sub.answers;
    answers.sort_by_key(|a| a.question_id);
    let checked = check_response(&questions, &answers, sub.complete)?;
    let score_sentiment = crate::domain::surveys::sentiment::may_need_jobs(&questions, &checked);
    let row = NewResponse {
        organization_id: survey.organization_id,
        survey_id: survey.id,
        site_id,
        visitor_id: visitor,
        complete: sub.complete,
        context: sub.context,
        page_url,
        answers: checked,
        score_sentiment,
        hidden_fields: hidden,
        recording_session_id: session,
    };
    let id = ingest.write(row).await?;
    Ok((id, sub.complete))
}

#[allow(clippy::too_many_arguments)]
async fn complete_partial(
    db: &DatabaseConnection,
    survey: &survey::Model,
    questions: &[Question],
    response_id: i64,
    visitor: Option<String>,
    hidden: Option<String>,
    session: Option<String>,
    sub: Submission,
) -> AppResult<(i64, bool)> {
    let Some(visitor) = visitor else {
        // Without a visitor id (none sent, or DNT) nobody can prove it is their response.
        return Err(AppError::NotFound);
    };
    let txn = db.begin().await?;
    // Write first: the row lock (PostgreSQL) or write lock (SQLite) is taken before any
    // read, so two completions of one response are serialised and the second sees the
    // first's outcome.
    let claimed = response::Entity::update_many()
        .set(response::ActiveModel {
            updated_at: Set(now()),
            ..Default::default()
        })
        .filter(response::Column::Id.eq(response_id))
        .filter(response::Column::SurveyId.eq(survey.id))
        .filter(response::Column::VisitorId.eq(visitor.as_str()))
        .filter(response::Column::IsComplete.eq(false))
        .exec(&txn)
        .await?
        .rows_affected;
    let previous = response::Entity::find_by_id(response_id)
        .filter(response::Column::SurveyId.eq(survey.id))
        .filter(response::Column::VisitorId.eq(visitor.as_str()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if claimed == 0 {
        return Err(AppError::Conflict(
            "this response is already complete".into(),
        ));
    }
    // Answers to questions archived since stay as they are; only current ones merge.
    let current: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let mut merged: Vec<SubmittedAnswer> = stored_answers(&txn, previous.id, questions)
        .await?
        .into_iter()
        .filter(|a| current.contains(&a.question_id))
        .collect();
    for a in sub.answers {
        merged.retain(|m| m.question_id != a.question_id);
        merged.push(a);
    }
    merged.sort_by_key(|a| a.question_id);
    let checked = check_response(questions, &merged, sub.complete)?;
    answer_choice::Entity::delete_many()
        .filter(answer_choice::Column::ResponseId.eq(previous.id))
        .filter(answer_choice::Column::QuestionId.is_in(current.clone()))
        .exec(&txn)
        .await?;
    answer::Entity::delete_many()
        .filter(answer::Column::ResponseId.eq(previous.id))
        .filter(answer::Column::QuestionId.is_in(current))
        .exec(&txn)
        .await?;
    let mut active: response::ActiveModel = previous.into();
    active.is_complete = Set(sub.complete);
    if hidden.is_some() {
        active.hidden_fields = Set(hidden);
    }
    // The first session that answered keeps the link (a later step may come after the
    // session rolled over).
    if active.recording_session_id.as_ref().is_none() && session.is_some() {
        active.recording_session_id = Set(session);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    insert_answers(&txn, &[(saved.id, saved.survey_id, checked.as_slice())]).await?;
    super::facts::refresh(&txn, &[saved.id]).await?;
    let jobs = if crate::domain::surveys::sentiment::may_need_jobs(questions, &checked) {
        crate::domain::surveys::sentiment::enqueue(&txn, &[saved.id]).await?
    } else {
        0
    };
    let hooks = if saved.is_complete {
        outbox::emit(
            &txn,
            &[outbox::Event {
                site_id: saved.site_id,
                kind: EventType::ResponseCompleted,
                subject_id: saved.id,
            }],
        )
        .await?
    } else {
        0
    };
    txn.commit().await?;
    if jobs > 0 {
        crate::domain::surveys::sentiment::wake();
    }
    if hooks > 0 {
        outbox::wake();
    }
    Ok((saved.id, saved.is_complete))
}

/// A stored response's answers in submission form, to merge a completion into.
async fn stored_answers(
    db: &impl ConnectionTrait,
    response_id: i64,
    questions: &[Question],
) -> AppResult<Vec<SubmittedAnswer>> {
    let multiple = |qid: i64| {
        questions
            .iter()
            .any(|q| q.id == qid && q.def.kind == QuestionType::MultipleChoice)
    };
    let rows = answer::Entity::find()
        .filter(answer::Column::ResponseId.eq(response_id))
        .all(db)
        .await?;
    let mut choices: HashMap<(i64, i64), Vec<String>> = HashMap::new();
    for c in answer_choice::Entity::find()
        .filter(answer_choice::Column::ResponseId.eq(response_id))
        .all(db)
        .await?
    {
        choices
            .entry((c.response_id, c.question_id))
            .or_default()
            .push(c.choice);
    }
    Ok(rows
        .into_iter()
        .map(|a| SubmittedAnswer {
            question_id: a.question_id,
            value: answer_value(
                &a,
                choices.remove(&(a.response_id, a.question_id)),
                multiple(a.question_id),
            ),
            other: a.other_text.clone(),
            comment: a.comment.clone(),
        })
        .collect())
}

/// The JSON value of a stored answer, as a client submitted it: a list for multiple
/// choice, one option for single choice.
pub fn answer_value(a: &answer::Model, choices: Option<Vec<String>>, multiple: bool) -> Value {
    if let Some(n) = a.number_value {
        return Value::from(n);
    }
    if let Some(t) = &a.text_value {
        return Value::from(t.as_str());
    }
    match (choices, multiple) {
        (Some(c), true) => Value::from(c),
        (None, true) => Value::from(Vec::<String>::new()),
        (Some(mut c), false) if !c.is_empty() => Value::from(c.remove(0)),
        _ => Value::Null,
    }
}

/// A stored response with its answers, for reading back.
#[derive(Debug, Clone)]
pub struct ResponseView {
    /// `user_id` is the identified user the response's visitor is linked to now.
    pub response: response::Model,
    pub answers: Vec<(answer::Model, Value)>,
    /// That user's attributes, `{}` when the visitor is not identified.
    pub user_attributes: Value,
}

/// `(responses, complete responses)` per survey, for the surveys in `ids` that have any.
pub async fn counts_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<HashMap<i64, (i64, i64)>> {
    use sea_orm::sea_query::{Alias, Expr, Query};
    let mut q = Query::select();
    q.column(response::Column::SurveyId)
        .expr_as(Expr::col(response::Column::Id).count(), Alias::new("n"))
        .expr_as(
            Expr::cust("COUNT(CASE WHEN is_complete THEN 1 END)"),
            Alias::new("done"),
        )
        .from(response::Entity)
        .and_where(Expr::col(response::Column::SurveyId).is_in(ids.iter().copied()))
        .group_by_col(response::Column::SurveyId);
    let stmt = db.get_database_backend().build(&q);
    let mut out = HashMap::with_capacity(ids.len());
    for row in db.query_all(stmt).await? {
        let id: i64 = row.try_get("", "survey_id")?;
        let n: i64 = row.try_get("", "n")?;
        let done: i64 = row.try_get("", "done")?;
        out.insert(id, (n, done));
    }
    Ok(out)
}

/// The responses given during one recorded session of a site (the browser tag sends its
/// session id with each), oldest first, at most 100.
pub async fn of_session(
    db: &impl ConnectionTrait,
    site_id: i64,
    session_id: &str,
) -> AppResult<Vec<ResponseView>> {
    let rows = response::Entity::find()
        .filter(response::Column::SiteId.eq(site_id))
        .filter(response::Column::RecordingSessionId.eq(session_id))
        .order_by_asc(response::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    views(db, site_id, rows).await
}

/// Views of these rows with their answers and identified users (batched queries).
async fn views(
    db: &impl ConnectionTrait,
    site_id: i64,
    rows: Vec<response::Model>,
) -> AppResult<Vec<ResponseView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut answers = answers_of(db, &ids).await?;
    let mut visitors: Vec<String> = rows.iter().filter_map(|r| r.visitor_id.clone()).collect();
    visitors.sort_unstable();
    visitors.dedup();
    let users = crate::domain::people::users_of_visitors(db, site_id, &visitors).await?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            let user = r.visitor_id.as_ref().and_then(|v| users.get(v));
            r.user_id = user.map(|(id, _)| id.clone()).or(r.user_id);
            ResponseView {
                answers: answers.remove(&r.id).unwrap_or_default(),
                user_attributes: user
                    .map(|(_, a)| a.clone())
                    .unwrap_or_else(|| Value::Object(Default::default())),
                response: r,
            }
        })
        .collect())
}

/// One response of `org_id` with its answers; another organization's is not found.
pub async fn view(db: &impl ConnectionTrait, org_id: i64, id: i64) -> AppResult<ResponseView> {
    let r = response::Entity::find_by_id(id)
        .filter(response::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let site_id = r.site_id;
    views(db, site_id, vec![r])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Responses of a survey of `org_id`, newest first, with their answers (three batched
/// queries per page, whatever its size), and how many match in all when `count` asks (a
/// scan of every match: a page alone stops after a few rows).
pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    survey_id: i64,
    filter: &super::summary::ResponseFilter,
    args: crate::domain::pagination::PageArgs,
    count: bool,
) -> AppResult<crate::domain::pagination::Page<ResponseView>> {
    use super::summary::SegmentChoice;
    let survey = store::get(db, org_id, survey_id).await?;
    let filter = filter.clone().resolve(db, survey.site_id).await?;
    // Question types tell which answer conditions the facts can decide alone.
    let kinds: HashMap<i64, QuestionType> = if filter.answers.is_empty() {
        HashMap::new()
    } else {
        store::all_questions(db, survey.id)
            .await?
            .iter()
            .filter_map(|q| Some((q.id, QuestionType::parse(&q.kind)?)))
            .collect()
    };
    let backend = db.get_database_backend();
    let of_survey = || response::Entity::find().filter(response::Column::SurveyId.eq(survey.id));
    // A segment tests each row of the page on its own; the count builds the member set.
    let (page_select, count_select) = match &filter.segment {
        Some(SegmentChoice::Resolved(segment)) => {
            let rest = super::summary::ResponseFilter {
                segment: None,
                ..filter.clone()
            }
            .apply_facts(of_survey(), backend, &kinds);
            (
                rest.clone().filter(segment.row_expr()),
                rest.filter(segment.expr()),
            )
        }
        _ => {
            let all = filter.apply_facts(of_survey(), backend, &kinds);
            (all.clone(), all)
        }
    };
    let total_count = if count {
        count_select.count(db).await?
    } else {
        0
    };
    let page = crate::domain::pagination::page_newest_first(
        db,
        page_select,
        response::Column::Id,
        |r| r.id,
        args,
    )
    .await?;
    let crate::domain::pagination::Page {
        items,
        has_next_page,
        end_cursor,
        ..
    } = page;
    let (cursors, rows): (Vec<String>, Vec<response::Model>) = items.into_iter().unzip();
    let items = cursors
        .into_iter()
        .zip(views(db, survey.site_id, rows).await?)
        .collect();
    Ok(crate::domain::pagination::Page {
        items,
        has_next_page,
        end_cursor,
        total_count,
    })
}

/// Responses of many people at once, one page each with the same `args`: what a list of
/// users asks for (`users { responses(first: 5) }`) in a fixed number of queries — counts,
/// each person's page (a window function), the rows, their answers and users — however
/// long the list. Each page is newest first, cursors and totals as every connection's.
pub async fn of_profiles(
    db: &impl ConnectionTrait,
    site_id: i64,
    profile_ids: &[i64],
    args: crate::domain::pagination::PageArgs,
) -> AppResult<HashMap<i64, crate::domain::pagination::Page<ResponseView>>> {
    use crate::domain::pagination::{encode_cursor, Page};
    use sea_orm::{DbBackend, Statement};
    let mut out: HashMap<i64, Page<ResponseView>> = HashMap::with_capacity(profile_ids.len());
    if profile_ids.is_empty() {
        return Ok(out);
    }
    let backend: DbBackend = db.get_database_backend();
    // Only integers are spliced into the text: ids and limits, never a client's string.
    let ids = profile_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let joined = format!(
        "FROM response r JOIN visitor_link vl ON vl.site_id = r.site_id AND vl.visitor_id = r.visitor_id \
         WHERE r.site_id = {site_id} AND vl.profile_id IN ({ids})"
    );
    let mut totals: HashMap<i64, u64> = HashMap::new();
    for row in db
        .query_all(Statement::from_string(
            backend,
            format!(
                "SELECT vl.profile_id AS profile_id, COUNT(*) AS n {joined} GROUP BY vl.profile_id"
            ),
        ))
        .await?
    {
        let n: i64 = row.try_get("", "n")?;
        totals.insert(
            row.try_get("", "profile_id")?,
            u64::try_from(n).unwrap_or(0),
        );
    }
    let after = args
        .after
        .map(|a| format!(" AND r.id < {a}"))
        .unwrap_or_default();
    let limit = args.first + 1;
    let mut picked: Vec<(i64, i64)> = Vec::new(); // (profile, response), newest first per profile
    for row in db
        .query_all(Statement::from_string(
            backend,
            format!(
                "SELECT profile_id, response_id FROM (\
                   SELECT vl.profile_id AS profile_id, r.id AS response_id, \
                   ROW_NUMBER() OVER (PARTITION BY vl.profile_id ORDER BY r.id DESC) AS rn \
                   {joined}{after}) t \
                 WHERE rn <= {limit} ORDER BY profile_id, response_id DESC"
            ),
        ))
        .await?
    {
        picked.push((
            row.try_get("", "profile_id")?,
            row.try_get("", "response_id")?,
        ));
    }
    let mut wanted: Vec<i64> = picked.iter().map(|(_, r)| *r).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let rows = if wanted.is_empty() {
        vec![]
    } else {
        response::Entity::find()
            .filter(response::Column::Id.is_in(wanted))
            .all(db)
            .await?
    };
    let mut by_id: HashMap<i64, ResponseView> = views(db, site_id, rows)
        .await?
        .into_iter()
        .map(|v| (v.response.id, v))
        .collect();
    let mut per_profile: HashMap<i64, Vec<i64>> = HashMap::with_capacity(profile_ids.len());
    for (p, r) in picked {
        per_profile.entry(p).or_default().push(r);
    }
    for &profile in profile_ids {
        let mine = per_profile.remove(&profile).unwrap_or_default();
        let has_next_page = mine.len() as u64 > args.first;
        let items: Vec<(String, ResponseView)> = mine
            .into_iter()
            .take(args.first as usize)
            .filter_map(|id| {
                // One response may belong to two people only through two linked visitors;
                // a visitor links to one person, so each id is taken once.
                by_id.remove(&id).map(|v| (encode_cursor(id), v))
            })
            .collect();
        let end_cursor = items.last().map(|(c, _)| c.clone());
        out.insert(
            profile,
            Page {
                items,
                has_next_page,
                end_cursor,
                total_count: totals.get(&profile).copied().unwrap_or(0),
            },
        );
    }
    Ok(out)
}

/// The next `limit` responses after `after`, oldest first, without counting: for
/// exports that walk the whole survey in constant memory.
pub async fn export_chunk(
    db: &impl ConnectionTrait,
    survey_id: i64,
    after: i64,
    limit: u64,
) -> AppResult<Vec<ResponseView>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let rows = response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Id.gt(after))
        .order_by_asc(response::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let Some(site_id) = rows.first().map(|r| r.site_id) else {
        return Ok(vec![]);
    };
    views(db, site_id, rows).await
}

/// Answers (with their JSON values) of the given responses, by response.
/// The answers of these responses (of any surveys), with their values.
pub async fn answers_of(
    db: &impl ConnectionTrait,
    response_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<(answer::Model, Value)>>> {
    if response_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = answer::Entity::find()
        .filter(answer::Column::ResponseId.is_in(response_ids.iter().copied()))
        .all(db)
        .await?;
    let mut choices: HashMap<(i64, i64), Vec<String>> = HashMap::new();
    for c in answer_choice::Entity::find()
        .filter(answer_choice::Column::ResponseId.is_in(response_ids.iter().copied()))
        .order_by_asc(answer_choice::Column::Id) // the order they were selected in
        .all(db)
        .await?
    {
        choices
            .entry((c.response_id, c.question_id))
            .or_default()
            .push(c.choice);
    }
    let mut question_ids: Vec<i64> = rows.iter().map(|a| a.question_id).collect();
    question_ids.sort_unstable();
    question_ids.dedup();
    let multiple: std::collections::HashSet<i64> = entity::question::Entity::find()
        .filter(entity::question::Column::Id.is_in(question_ids))
        .filter(entity::question::Column::Kind.eq(QuestionType::MultipleChoice.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let mut by_response: HashMap<i64, Vec<(answer::Model, Value)>> = HashMap::new();
    for a in rows {
        let value = answer_value(
            &a,
            choices.remove(&(a.response_id, a.question_id)),
            multiple.contains(&a.question_id),
        );
        by_response
            .entry(a.response_id)
            .or_default()
            .push((a, value));
    }
    for answers in by_response.values_mut() {
        answers.sort_by_key(|(a, _)| a.question_id);
    }
    Ok(by_response)
}

/// Deletes these responses with their answers, choices, tags and pending sentiment jobs.
/// Returns (jobs, choices, answers, responses) deleted.
pub async fn delete_ids(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<(u64, u64, u64, u64)> {
    let mut counts = (0, 0, 0, 0);
    for chunk in ids.chunks(500) {
        let answer_ids = answer::Entity::find()
            .filter(answer::Column::ResponseId.is_in(chunk.iter().copied()))
            .select_only()
            .column(answer::Column::Id)
            .into_query();
        counts.0 += entity::sentiment_job::Entity::delete_many()
            .filter(entity::sentiment_job::Column::AnswerId.in_subquery(answer_ids))
            .exec(db)
            .await?
            .rows_affected;
        counts.1 += answer_choice::Entity::delete_many()
            .filter(answer_choice::Column::ResponseId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?
            .rows_affected;
        counts.2 += answer::Entity::delete_many()
            .filter(answer::Column::ResponseId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?
            .rows_affected;
        outbox::forget_subjects(db, &EventType::RESPONSE, chunk).await?;
        super::tags::delete_of(db, chunk).await?;
        counts.3 += response::Entity::delete_many()
            .filter(response::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(counts)
}

/// Responses by id with their answers and identified users (webhook payloads).
pub async fn views_by_id(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<ResponseView>> {
    let rows = response::Entity::find()
        .filter(response::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut by_site: std::collections::BTreeMap<i64, Vec<response::Model>> = Default::default();
    for r in rows {
        by_site.entry(r.site_id).or_default().push(r);
    }
    for (site_id, rows) in by_site {
        out.extend(views(db, site_id, rows).await?);
    }
    Ok(out)
}
