//! A group commit's batches stored with a few statements per group, not per batch: one
//! multi-row upsert of the group's sessions, one select of their rows (locked, in id
//! order, on PostgreSQL), one multi-row chunk insert that answers which chunks were new,
//! then one multi-row update of the sessions that grew and one outbox write. Batches of one session
//! apply in the group's order, exactly as one after the other would.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{recording, recording_chunk};
use sea_orm::sea_query::{Expr, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use super::{metadata, ms, Accepted, Prepared, MAX_PAGES};
use crate::domain::heatmaps;
use crate::domain::webhooks::events::EventType;
use crate::domain::webhooks::outbox;
use crate::error::{AppError, AppResult};

/// Rows per multi-row statement (well under SQLite's bound-parameter limit).
const ROWS: usize = 200;

/// A session's row as batches change it, kept in memory until it is written once.
pub(super) struct Session {
    pub rec: recording::Model,
    pages: Vec<(i64, String)>,
    /// The row had no chunk before: its first stored batch starts the recording.
    pub was_empty: bool,
    /// A batch of this group added to it.
    grown: bool,
}

impl Session {
    pub fn new(rec: recording::Model) -> Session {
        Session {
            pages: serde_json::from_str(&rec.pages).unwrap_or_default(),
            was_empty: rec.chunk_count == 0,
            grown: false,
            rec,
        }
    }

    /// Adds one newly stored batch to the row (its heatmap state is the caller's).
    pub fn apply(&mut self, p: &Prepared, at: DateTime<Utc>) {
        let rec = &mut self.rec;
        self.pages.extend(p.pages.iter().cloned());
        self.pages.sort_by_key(|page| page.0);
        self.pages.truncate(MAX_PAGES);
        let started = rec.started_at.min(ms(p.first_ts));
        let ended = if rec.chunk_count == 0 {
            ms(p.last_ts)
        } else {
            rec.ended_at.max(ms(p.last_ts))
        };
        rec.started_at = started;
        rec.ended_at = ended;
        rec.duration_ms = (ended - started).num_milliseconds().max(0);
        rec.page_views = self.pages.len() as i64;
        rec.entry_url = self.pages.first().map(|(_, u)| u.clone());
        rec.exit_url = self.pages.last().map(|(_, u)| u.clone());
        rec.u_turns = metadata::u_turns(&self.pages) as i64;
        rec.clicks += p.clicks as i64;
        rec.rage_clicks += p.rage_clicks;
        if let Some((t, w, h)) = p.viewport {
            if rec.viewport_at.is_none_or(|old| t >= old) {
                rec.viewport_at = Some(t);
                rec.viewport_width = Some(w);
                rec.viewport_height = Some(h);
            }
        }
        if rec.visitor_id.is_none() && p.visitor_id.is_some() {
            rec.visitor_id = p.visitor_id.clone();
        }
        rec.event_count += p.events as i64;
        rec.chunk_count += 1;
        rec.raw_bytes += p.raw_bytes as i64;
        rec.stored_bytes += p.data.len() as i64;
        rec.updated_at = at;
    }

    /// Writes the columns batches change (the group path's statement, for one session).
    pub async fn write(&self, txn: &impl ConnectionTrait) -> AppResult<()> {
        write_all(txn, &[self]).await
    }
}

/// The columns batches change.
const GROWN: [recording::Column; 20] = [
    recording::Column::StartedAt,
    recording::Column::EndedAt,
    recording::Column::DurationMs,
    recording::Column::PageViews,
    recording::Column::EntryUrl,
    recording::Column::ExitUrl,
    recording::Column::UTurns,
    recording::Column::Pages,
    recording::Column::Clicks,
    recording::Column::RageClicks,
    recording::Column::ViewportAt,
    recording::Column::ViewportWidth,
    recording::Column::ViewportHeight,
    recording::Column::VisitorId,
    recording::Column::EventCount,
    recording::Column::ChunkCount,
    recording::Column::RawBytes,
    recording::Column::StoredBytes,
    recording::Column::UpdatedAt,
    recording::Column::HeatmapState,
];

/// Sessions per multi-row update (each row binds every column of `recording`).
const UPDATE_ROWS: usize = 100;

/// Writes the grown sessions' rows, many per statement: an upsert of the whole row on its
/// id that always meets its (locked) row, so it updates [`GROWN`] and nothing else.
async fn write_all(txn: &impl ConnectionTrait, sessions: &[&Session]) -> AppResult<()> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    for part in sessions.chunks(UPDATE_ROWS) {
        let mut rows = Vec::with_capacity(part.len());
        for s in part {
            let mut row = s.rec.clone();
            row.pages = serde_json::to_string(&s.pages).map_err(AppError::internal)?;
            rows.push(row.into_active_model().reset_all());
        }
        recording::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(recording::Column::Id)
                    .update_columns(GROWN)
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// The row a session's first batch inserts (the batches then fill it in).
pub(super) fn new_row(p: &Prepared, at: DateTime<Utc>) -> recording::ActiveModel {
    recording::ActiveModel {
        organization_id: Set(p.organization_id),
        site_id: Set(p.site_id),
        session_id: Set(p.session_id.clone()),
        visitor_id: Set(p.visitor_id.clone()),
        started_at: Set(ms(p.first_ts)),
        ended_at: Set(ms(p.first_ts)),
        duration_ms: Set(0),
        page_views: Set(0),
        entry_url: Set(None),
        exit_url: Set(None),
        pages: Set("[]".into()),
        clicks: Set(0),
        rage_clicks: Set(0),
        u_turns: Set(0),
        device: Set(p.device.map(str::to_owned)),
        browser: Set(p.browser.map(str::to_owned)),
        os: Set(p.os.map(str::to_owned)),
        country: Set(p.country.clone()),
        viewport_width: Set(None),
        viewport_height: Set(None),
        viewport_at: Set(None),
        event_count: Set(0),
        chunk_count: Set(0),
        raw_bytes: Set(0),
        stored_bytes: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        heatmap_state: Set(None),
        ..Default::default()
    }
}

/// What a group stored: an answer per batch and the heatmap increments.
pub(super) struct Stored {
    pub results: Vec<AppResult<Accepted>>,
    pub heat: heatmaps::extract::Deltas,
}

/// Stores the group's batches (chunks in the database) inside `txn`. Any failure fails
/// the whole group: the caller rolls back and stores the batches one by one.
pub(super) async fn store_group(
    txn: &impl ConnectionTrait,
    batch: &[&Prepared],
) -> AppResult<Stored> {
    let at = crate::domain::now();
    // The group's sessions, each with its first batch, in key order (so two nodes insert
    // the same new sessions in the same order and never wait on each other in a cycle).
    let mut sessions: BTreeMap<(i64, &str), &Prepared> = BTreeMap::new();
    for p in batch {
        sessions
            .entry((p.site_id, p.session_id.as_str()))
            .or_insert(p);
    }
    let firsts: Vec<&Prepared> = sessions.values().copied().collect();
    for rows in firsts.chunks(ROWS) {
        recording::Entity::insert_many(rows.iter().map(|p| new_row(p, at)))
            .on_conflict(
                OnConflict::columns([recording::Column::SiteId, recording::Column::SessionId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }

    // Their rows, locked in id order on PostgreSQL: batches of one session are serialised
    // across nodes (SQLite's write lock already does it).
    let mut rows: HashMap<(i64, String), Session> = HashMap::with_capacity(sessions.len());
    let keys: Vec<(i64, &str)> = sessions.keys().copied().collect();
    for part in keys.chunks(ROWS) {
        let mut find = recording::Entity::find()
            .filter(one_of_sessions(part))
            .order_by_asc(recording::Column::Id);
        if txn.get_database_backend() == DbBackend::Postgres {
            find = find.lock_exclusive();
        }
        for rec in find.all(txn).await? {
            rows.insert((rec.site_id, rec.session_id.clone()), Session::new(rec));
        }
    }

    // Each (session, sequence) once, its first batch in the group; chunks already stored
    // are duplicates, which the insert reports by not returning them.
    let mut claimed: HashSet<(i64, i64)> = HashSet::with_capacity(batch.len());
    let mut chunk_rows = Vec::with_capacity(batch.len());
    for p in batch {
        if let Some(s) = rows.get(&(p.site_id, p.session_id.clone())) {
            if claimed.insert((s.rec.id, p.sequence)) {
                chunk_rows.push(recording_chunk::ActiveModel {
                    recording_id: Set(s.rec.id),
                    sequence: Set(p.sequence),
                    first_ts: Set(p.first_ts),
                    last_ts: Set(p.last_ts),
                    event_count: Set(p.events as i64),
                    rage_clicks: Set(p.rage_clicks),
                    data: Set(p.data.clone()),
                    object_key: Set(None),
                    created_at: Set(at),
                    ..Default::default()
                });
            }
        }
    }
    let mut new: HashSet<(i64, i64)> = HashSet::with_capacity(chunk_rows.len());
    while !chunk_rows.is_empty() {
        let rest = chunk_rows.split_off(chunk_rows.len().min(ROWS));
        let mut insert =
            recording_chunk::Entity::insert_many(std::mem::replace(&mut chunk_rows, rest))
                .on_conflict(
                    OnConflict::columns([
                        recording_chunk::Column::RecordingId,
                        recording_chunk::Column::Sequence,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .into_query();
        insert.returning(Query::returning().columns([
            recording_chunk::Column::RecordingId,
            recording_chunk::Column::Sequence,
        ]));
        let backend = txn.get_database_backend();
        for row in txn.query_all(backend.build(&insert)).await? {
            new.insert((
                row.try_get::<i64>("", "recording_id")?,
                row.try_get::<i64>("", "sequence")?,
            ));
        }
    }

    // The sessions grow, batch by batch in the group's order.
    let mut heat = heatmaps::extract::Deltas::default();
    let mut results = Vec::with_capacity(batch.len());
    let mut grown: Vec<(i64, String)> = Vec::new();
    for p in batch {
        let key = (p.site_id, p.session_id.clone());
        let Some(s) = rows.get_mut(&key) else {
            return Err(AppError::internal(anyhow::anyhow!("recording vanished")));
        };
        let fresh = new.remove(&(s.rec.id, p.sequence));
        if fresh {
            if let Some(h) = &p.heat {
                let (deltas, state) = heatmaps::store::ingest(txn, &s.rec, h).await?;
                heat.merge(deltas);
                if state.is_some() {
                    s.rec.heatmap_state = state;
                }
            }
            if !s.grown {
                s.grown = true;
                grown.push(key.clone());
            }
            s.apply(p, at);
        }
        results.push(Ok(Accepted {
            recording_id: s.rec.id,
            events: p.events,
            new: fresh,
            announced: false,
        }));
    }
    let grown: Vec<&Session> = grown.iter().filter_map(|k| rows.get(k)).collect();
    write_all(txn, &grown).await?;
    let started: Vec<outbox::Event> = grown
        .iter()
        .filter(|s| s.was_empty)
        .map(|s| outbox::Event {
            site_id: s.rec.site_id,
            kind: EventType::RecordingStarted,
            subject_id: s.rec.id,
        })
        .collect();
    // The first batch stored for a session: the recording has started.
    if outbox::emit(txn, &started).await? > 0 {
        if let Some(Ok(a)) = results.iter_mut().find(|r| r.as_ref().is_ok_and(|a| a.new)) {
            a.announced = true;
        }
    }
    Ok(Stored { results, heat })
}

/// `(site_id, session_id) IN ((…), …)`.
fn one_of_sessions(keys: &[(i64, &str)]) -> SimpleExpr {
    use sea_orm::sea_query::ValueTuple;
    Expr::tuple([
        Expr::col(recording::Column::SiteId).into(),
        Expr::col(recording::Column::SessionId).into(),
    ])
    .in_tuples(
        keys.iter()
            .map(|(site, session)| ValueTuple::Two((*site).into(), (*session).to_owned().into())),
    )
}
