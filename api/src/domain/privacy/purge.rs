//! Purges: scrubbing a URL that leaked personal data from everything stored, deleting
//! what was captured in a time window (an incident), and retention.
//!
//! Every purge runs in one transaction with its audit entry.

use chrono::{DateTime, Utc};
use entity::{recording, recording_chunk, response, site, survey_display};
use sea_orm::sea_query::{Expr, IntoColumnRef, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{json, Value};

use crate::domain::audit::{self, Action};
use crate::domain::recordings::chunks;
use crate::domain::{heatmaps, recordings};
use crate::error::{AppError, AppResult};

/// What replaces a purged piece of URL.
pub const PURGED: &str = "[purged]";
pub const MIN_PATTERN_CHARS: usize = 3;
pub const MAX_PATTERN_CHARS: usize = 2000;
const BATCH: u64 = 500;

/// `instr`/`strpos`: character-based and case-sensitive on both databases (LIKE is not).
fn contains(col: impl IntoColumnRef, text: &str, b: DbBackend) -> SimpleExpr {
    let template = if b == DbBackend::Postgres {
        "strpos($1, $2)"
    } else {
        "instr(?, ?)"
    };
    Expr::expr(Expr::cust_with_exprs(
        template,
        [
            SimpleExpr::from(Expr::col(col)),
            Expr::value(text.to_owned()),
        ],
    ))
    .gt(0)
}

pub fn valid_pattern(pattern: &str) -> AppResult<&str> {
    let n = pattern.chars().count();
    if !(MIN_PATTERN_CHARS..=MAX_PATTERN_CHARS).contains(&n) {
        return Err(AppError::bad_input(
            "pattern",
            format!("a pattern is {MIN_PATTERN_CHARS}–{MAX_PATTERN_CHARS} characters"),
        ));
    }
    Ok(pattern)
}

/// Replaces every occurrence of `pattern` in every string of a JSON value. Returns
/// whether anything changed.
fn scrub_json(v: &mut Value, pattern: &str) -> bool {
    match v {
        Value::String(s) if s.contains(pattern) => {
            *s = s.replace(pattern, PURGED);
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |acc, i| scrub_json(i, pattern) | acc),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |acc, i| scrub_json(i, pattern) | acc),
        _ => false,
    }
}

fn scrub_opt(s: &Option<String>, pattern: &str) -> Option<String> {
    s.as_ref().map(|s| s.replace(pattern, PURGED))
}

/// Rewrites a stored chunk with `pattern` scrubbed from every event that holds it (the
/// `href` of Meta events, and any other string). `None` when nothing matched.
fn scrub_chunk(data: &[u8], pattern: &str) -> AppResult<Option<Vec<u8>>> {
    let ndjson = recordings::decompress(data)?;
    let text = String::from_utf8_lossy(&ndjson);
    if !text.contains(pattern) && !text.contains(&json_escaped(pattern)) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(ndjson.len());
    let escaped = json_escaped(pattern);
    for line in text.lines() {
        match crate::domain::nesting::edit_json(line, &mut out, |v| scrub_json(v, pattern)) {
            Ok(true) => {}
            Ok(false) => out.extend_from_slice(line.as_bytes()),
            // An event stored as sent that is not strict JSON (a lone surrogate escape in
            // a custom event): scrubbed as text.
            Err(_) => out.extend_from_slice(
                line.replace(pattern, PURGED)
                    .replace(&escaped, PURGED)
                    .as_bytes(),
            ),
        }
        out.push(b'\n');
    }
    Ok(Some(recordings::compress(&out)?))
}

fn json_escaped(s: &str) -> String {
    let quoted = Value::String(s.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// Scrubs `pattern` from every stored URL of the site: response page URLs, recordings'
/// page views and entry/exit URLs, and the events stored in their chunks.
#[tracing::instrument(skip_all, fields(site_id = site.id))]
pub async fn purge_urls(
    db: &DatabaseConnection,
    site: &site::Model,
    by: audit::By,
    pattern: &str,
) -> AppResult<Value> {
    let pattern = valid_pattern(pattern)?;
    let b = db.get_database_backend();
    let txn = crate::db::begin_write(db).await?;
    let mut responses_n = 0u64;
    // Keyset pages by id, so a huge site never loads every row at once.
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, Option<String>)> = response::Entity::find()
            .filter(response::Column::SiteId.eq(site.id))
            .filter(response::Column::Id.gt(after))
            .filter(contains(response::Column::PageUrl, pattern, b))
            .select_only()
            .column(response::Column::Id)
            .column(response::Column::PageUrl)
            .order_by_asc(response::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&txn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, url) in rows {
            response::Entity::update_many()
                .col_expr(
                    response::Column::PageUrl,
                    Expr::value(scrub_opt(&url, pattern)),
                )
                .filter(response::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            responses_n += 1;
        }
    }
    let (mut recordings_n, mut chunks_n) = (0u64, 0u64);
    // Objects of rewritten chunks, deleted after the commit.
    let mut replaced: Vec<String> = Vec::new();
    let mut after = 0i64;
    loop {
        let recs = recording::Entity::find()
            .filter(recording::Column::SiteId.eq(site.id))
            .filter(recording::Column::Id.gt(after))
            .filter(
                contains(recording::Column::Pages, pattern, b)
                    .or(contains(recording::Column::EntryUrl, pattern, b))
                    .or(contains(recording::Column::ExitUrl, pattern, b))
                    // More page views than the list keeps: the chunks may hold others.
                    .or(recording::Column::PageViews.gte(recordings::MAX_PAGES as i64)),
            )
            .order_by_asc(recording::Column::Id)
            .limit(BATCH)
            .all(&txn)
            .await?;
        let Some(last) = recs.last() else { break };
        after = last.id;
        for rec in recs {
            let mut pages: Value = serde_json::from_str(&rec.pages).unwrap_or(Value::Null);
            let pages_changed = scrub_json(&mut pages, pattern);
            let changed_meta = pages_changed
                || rec
                    .entry_url
                    .as_deref()
                    .is_some_and(|u| u.contains(pattern))
                || rec.exit_url.as_deref().is_some_and(|u| u.contains(pattern));
            let mut stored_delta = 0i64;
            let chunk_ids: Vec<i64> = recording_chunk::Entity::find()
                .filter(recording_chunk::Column::RecordingId.eq(rec.id))
                .select_only()
                .column(recording_chunk::Column::Id)
                .into_tuple()
                .all(&txn)
                .await?;
            for id in chunk_ids {
                // One chunk in memory at a time.
                let Some(chunk) = recording_chunk::Entity::find_by_id(id).one(&txn).await? else {
                    continue;
                };
                let stored = recordings::chunk_data(&chunk).await?;
                if let Some(data) = scrub_chunk(&stored, pattern)? {
                    stored_delta += data.len() as i64 - stored.len() as i64;
                    drop(stored);
                    let old_key = chunk.object_key.clone();
                    let mut active: recording_chunk::ActiveModel = chunk.into();
                    if let Some(old) = old_key {
                        // A new object first, the row names it, the old one goes after
                        // the commit (objects are never overwritten).
                        let key = chunks::rewritten_key(&old, crate::domain::now());
                        chunks::current().put(&key, &data).await?;
                        active.object_key = Set(Some(key));
                        replaced.push(old);
                    } else {
                        active.data = Set(data);
                    }
                    active.update(&txn).await?;
                    chunks_n += 1;
                }
            }
            if changed_meta || stored_delta != 0 {
                // Its heatmap state names its current page and its snapshot's elements:
                // dropped, so the session's later batches start afresh.
                entity::heatmap_recording::Entity::delete_by_id(rec.id)
                    .exec(&txn)
                    .await?;
                let mut active: recording::ActiveModel = rec.clone().into();
                active.pages = Set(pages.to_string());
                active.entry_url = Set(scrub_opt(&rec.entry_url, pattern));
                active.exit_url = Set(scrub_opt(&rec.exit_url, pattern));
                active.stored_bytes = Set(rec.stored_bytes + stored_delta);
                active.heatmap_state = Set(None);
                active.update(&txn).await?;
                recordings_n += 1;
            }
        }
    }
    let mut counts = json!({
        "responses": responses_n,
        "recordings": recordings_n,
        "recording_chunks": chunks_n,
    });
    // Heatmap aggregates are keyed by the page's URL: those of a purged URL go whole.
    let heatmap_pages = entity::heatmap_page::Entity::delete_many()
        .filter(entity::heatmap_page::Column::SiteId.eq(site.id))
        .filter(contains(entity::heatmap_page::Column::Page, pattern, b))
        .exec(&txn)
        .await?
        .rows_affected;
    if heatmap_pages > 0 {
        counts["heatmap_pages"] = heatmap_pages.into();
    }
    // A selector could hold it too (an id or class made from the URL).
    let pages_of_site = sea_orm::sea_query::Query::select()
        .column(entity::heatmap_page::Column::Id)
        .from(entity::heatmap_page::Entity)
        .and_where(entity::heatmap_page::Column::SiteId.eq(site.id))
        .to_owned();
    let heatmap_elements = entity::heatmap_element::Entity::delete_many()
        .filter(entity::heatmap_element::Column::PageId.in_subquery(pages_of_site))
        .filter(contains(
            entity::heatmap_element::Column::Selector,
            pattern,
            b,
        ))
        .exec(&txn)
        .await?
        .rows_affected;
    if heatmap_elements > 0 {
        counts["heatmap_elements"] = heatmap_elements.into();
    }
    audit::record(
        &txn,
        audit::Entry {
            organization_id: site.organization_id,
            by,
            action: Action::PurgeUrls,
            site_id: Some(site.id),
            subject_hash: None,
            counts: &counts,
            at: crate::domain::now(),
        },
    )
    .await?;
    txn.commit().await?;
    chunks::current().delete(&replaced).await;
    Ok(counts)
}

/// What a time-range purge deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    pub recordings: bool,
    pub responses: bool,
}

/// Deletes recordings started and/or responses submitted in `[from, to)`.
#[tracing::instrument(skip_all, fields(site_id = site.id))]
pub async fn purge_time_range(
    db: &DatabaseConnection,
    site: &site::Model,
    by: audit::By,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    kinds: Kinds,
) -> AppResult<Value> {
    if from >= to {
        return Err(AppError::bad_input("to", "`to` must be after `from`"));
    }
    if !kinds.recordings && !kinds.responses {
        return Err(AppError::bad_input(
            "kinds",
            "name at least one kind to purge",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut counts = json!({});
    let mut deleted = recordings::Deleted::default();
    if kinds.responses {
        let d = delete_responses(&txn, site.id, Some(from), to).await?;
        counts["responses"] = d.into();
    }
    if kinds.recordings {
        deleted =
            delete_recordings(&txn, site.id, recording::Column::StartedAt, Some(from), to).await?;
        counts["recordings"] = deleted.recordings.into();
        // Heatmaps count per UTC day: every day the window touches goes.
        let last = to - chrono::TimeDelta::milliseconds(1);
        let h = heatmaps::store::delete_days(
            &txn,
            site.id,
            Some(heatmaps::extract::day_of(from.timestamp_millis())),
            Some(heatmaps::extract::day_of(last.timestamp_millis())),
        )
        .await?;
        if h > 0 {
            counts["heatmap_pages"] = h.into();
        }
    }
    audit::record(
        &txn,
        audit::Entry {
            organization_id: site.organization_id,
            by,
            action: Action::PurgeTimeRange,
            site_id: Some(site.id),
            subject_hash: None,
            counts: &counts,
            at: crate::domain::now(),
        },
    )
    .await?;
    txn.commit().await?;
    deleted.delete_objects().await;
    Ok(counts)
}

/// Responses of a site submitted in `[from, to)` (from the start without `from`), with
/// their answers, choices and sentiment jobs, in batches.
async fn delete_responses(
    db: &impl ConnectionTrait,
    site_id: i64,
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
) -> AppResult<u64> {
    let mut total = 0;
    loop {
        let mut q = response::Entity::find()
            .filter(response::Column::SiteId.eq(site_id))
            .filter(response::Column::CreatedAt.lt(to));
        if let Some(from) = from {
            q = q.filter(response::Column::CreatedAt.gte(from));
        }
        let ids: Vec<i64> = q
            .select_only()
            .column(response::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            return Ok(total);
        }
        total += crate::domain::surveys::responses::delete_ids(db, &ids)
            .await?
            .3;
    }
}

/// Recordings of a site whose `at` (`StartedAt` for incidents; `CreatedAt`, when Loupe first
/// received them, for retention) lies in `[from, to)`, with their chunks, in batches.
async fn delete_recordings(
    db: &impl ConnectionTrait,
    site_id: i64,
    at: recording::Column,
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
) -> AppResult<recordings::Deleted> {
    let mut total = recordings::Deleted::default();
    loop {
        let mut q = recording::Entity::find()
            .filter(recording::Column::SiteId.eq(site_id))
            .filter(at.lt(to));
        if let Some(from) = from {
            q = q.filter(at.gte(from));
        }
        let ids: Vec<i64> = q
            .select_only()
            .column(recording::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            return Ok(total);
        }
        total.add(recordings::delete_ids(db, &ids).await?);
    }
}

/// What one retention run deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Retained {
    pub recordings: u64,
    pub responses: u64,
    /// Survey shown/dismissed events (visitor ids with times, kept for frequency rules).
    pub displays: u64,
}

/// Deletes recordings, responses and survey display events older than their site's retention
/// (`retention_days` before `at`), one site and one transaction at a time; a site with
/// deletions gets an audit entry.
#[tracing::instrument(skip(db))]
pub async fn apply_retention(db: &DatabaseConnection, at: DateTime<Utc>) -> AppResult<Retained> {
    let sites: Vec<(i64, i64, i32)> = site::Entity::find()
        .select_only()
        .column(site::Column::Id)
        .column(site::Column::OrganizationId)
        .column(site::Column::RetentionDays)
        .into_tuple()
        .all(db)
        .await?;
    let mut total = Retained::default();
    for (site_id, org_id, days) in sites {
        let cutoff = at - chrono::TimeDelta::days(i64::from(days));
        let txn = crate::db::begin_write(db).await?;
        let deleted =
            delete_recordings(&txn, site_id, recording::Column::CreatedAt, None, cutoff).await?;
        let recordings = deleted.recordings;
        let responses = delete_responses(&txn, site_id, None, cutoff).await?;
        let displays = survey_display::Entity::delete_many()
            .filter(survey_display::Column::SiteId.eq(site_id))
            .filter(survey_display::Column::CreatedAt.lt(cutoff))
            .exec(&txn)
            .await?
            .rows_affected;
        // Heatmap days wholly before the cutoff.
        let heatmap_pages = heatmaps::store::delete_days(
            &txn,
            site_id,
            None,
            Some(heatmaps::extract::day_of(cutoff.timestamp_millis()) - 1),
        )
        .await?;
        if recordings + responses + displays + heatmap_pages > 0 {
            let mut counts = json!({
                "recordings": recordings,
                "responses": responses,
                "displays": displays,
            });
            if heatmap_pages > 0 {
                counts["heatmap_pages"] = heatmap_pages.into();
            }
            audit::record(
                &txn,
                audit::Entry {
                    organization_id: org_id,
                    by: audit::By::LOUPE,
                    action: Action::Retention,
                    site_id: Some(site_id),
                    subject_hash: None,
                    counts: &counts,
                    at,
                },
            )
            .await?;
        }
        txn.commit().await?;
        deleted.delete_objects().await;
        total.recordings += recordings;
        total.responses += responses;
        total.displays += displays;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_every_string() {
        let mut v = json!({"type": 4, "data": {"href": "https://a.example/reset/jane", "x": ["/reset/jane", 3]}});
        assert!(scrub_json(&mut v, "/reset/jane"));
        assert_eq!(
            v,
            json!({"type": 4, "data": {"href": "https://a.example[purged]", "x": ["[purged]", 3]}})
        );
        assert!(!scrub_json(&mut v, "/reset/jane"));
    }

    #[test]
    fn rewrites_chunks() {
        let lines = b"{\"type\":4,\"data\":{\"href\":\"https://a.example/u/jane\"}}\n{\"type\":3,\"data\":{}}\n";
        let data = recordings::compress(lines).expect("compresses");
        assert!(scrub_chunk(&data, "/u/bob").expect("reads").is_none());
        let scrubbed = scrub_chunk(&data, "/u/jane")
            .expect("reads")
            .expect("the chunk names the URL");
        assert_eq!(
            String::from_utf8(recordings::decompress(&scrubbed).expect("decompresses"))
                .expect("utf-8"),
            "{\"data\":{\"href\":\"https://a.example[purged]\"},\"type\":4}\n{\"type\":3,\"data\":{}}\n"
        );
    }
}
