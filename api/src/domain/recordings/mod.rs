//! Session recordings: batches of rrweb events from the site's pages, stored as
//! zstd-compressed chunks of the raw events (inputs masked), and a metadata row per
//! session for finding them.

pub mod chunks;
pub mod envelope;
mod group;
pub mod mask;
pub mod metadata;
pub mod writer;

use std::io::Read;

use chrono::{DateTime, TimeZone, Utc};
use entity::{recording, recording_chunk, site};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use self::envelope::{valid_session_id, Event};
use super::heatmaps;
use super::nesting;
use super::now;
use super::visitor;
use super::visitor::{valid_visitor_id, ClientContext};
use crate::budget::Reservation;
use crate::domain::webhooks::events::EventType;
use crate::domain::webhooks::outbox;
use crate::error::{AppError, AppResult};

/// zstd level: on rrweb NDJSON level 1 is about 30 % faster than 3 and no larger (23.71
/// vs 23.97 MB for the benchmark's 163 MB; BENCHMARKS.md).
const ZSTD_LEVEL: i32 = 1;
/// Page views kept per session (for the URL filter and U-turns).
pub const MAX_PAGES: usize = 500;

pub struct Accepted {
    pub recording_id: i64,
    pub events: usize,
    /// False when this `(session, sequence)` was already stored (an idempotent retry).
    pub new: bool,
    /// A `recording.started` webhook event was recorded (wake the worker after the commit).
    pub announced: bool,
}

/// Events as NDJSON (one event per line), masked when the site asks for it.
pub fn to_ndjson(
    events: &[Event<'_, '_>],
    mask_inputs: bool,
    urls: &visitor::url::UrlPolicy,
) -> AppResult<Vec<u8>> {
    to_ndjson_with(events, mask_inputs, urls, None)
}

/// [`to_ndjson`]; with `snapshots`, the element selectors of each full snapshot (as
/// stored, masked) are collected from the tree the masking walked anyway.
///
/// Masking and link scrubbing work on each event's raw text ([`mask::RawCleaner`]): the
/// text is copied through as sent and only the strings that change are rewritten. An
/// event the raw reader cannot follow (a string escape that does not decode) takes the
/// parsing path ([`to_ndjson_parsed`]'s), which reports it.
pub fn to_ndjson_with(
    events: &[Event<'_, '_>],
    mask_inputs: bool,
    urls: &visitor::url::UrlPolicy,
    mut snapshots: Option<&mut Vec<heatmaps::selector::NodeMap>>,
) -> AppResult<Vec<u8>> {
    let mut out = Vec::with_capacity(events.iter().map(|e| e.raw.len() + 1).sum());
    let clean = mask::Clean { mask_inputs, urls };
    let mut edits = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let raw = e.raw;
        if e.kind == metadata::META || mask::needs_mask(e) {
            let snapshots = snapshots.as_deref_mut();
            edits.clear();
            match clean_raw(e, clean, &mut edits, snapshots) {
                Some(()) => mask::write_edited(raw, &mut edits, &mut out),
                None => parsed_event(i, e, clean, &mut out, None)?,
            }
        } else {
            mask::write_edited(raw, &mut [], &mut out);
        }
        out.push(b'\n');
    }
    Ok(out)
}

/// The edits that clean one event, read on the batch's tape; with `snapshots`, a full
/// snapshot's element selectors too. `None`: the event needs the parsing path.
fn clean_raw(
    e: &Event<'_, '_>,
    clean: mask::Clean<'_>,
    edits: &mut Vec<mask::Edit>,
    snapshots: Option<&mut Vec<heatmaps::selector::NodeMap>>,
) -> Option<()> {
    let mut cleaner = mask::RawCleaner {
        clean,
        origin: e.origin,
        edits: std::mem::take(edits),
    };
    let done = cleaner.data(e.kind, e.data);
    *edits = cleaner.edits;
    done?;
    if let (metadata::FULL_SNAPSHOT, Some(maps)) = (e.kind, snapshots) {
        // Masking changes no attribute a selector reads (tag, id, class).
        if let Some(node) = e.data.get("node") {
            maps.push(heatmaps::selector::from_snapshot(node));
        }
    }
    Some(())
}

/// One event cleaned through a parsed `serde_json::Value` (the reference behaviour of
/// the raw path, kept for what the raw reader cannot follow).
fn parsed_event(
    i: usize,
    e: &Event<'_, '_>,
    clean: mask::Clean<'_>,
    out: &mut Vec<u8>,
    snapshots: Option<&mut Vec<heatmaps::selector::NodeMap>>,
) -> AppResult<()> {
    let meta = e.kind == metadata::META;
    // The batch's depth was bounded before parsing (MAX_EVENT_DEPTH).
    nesting::edit_json(e.raw, out, |v| {
        if meta {
            mask::scrub_href(v, clean.urls);
        }
        mask::clean_event(v, clean);
        if let (true, Some(maps)) = (e.kind == metadata::FULL_SNAPSHOT, snapshots) {
            if let Some(node) = v.pointer("/data/node") {
                maps.push(heatmaps::selector::from_snapshot(node));
            }
        }
        true
    })
    .map_err(|err| {
        AppError::bad_input(
            format!("events[{i}]"),
            format!("the event is not valid JSON: {err}"),
        )
    })?;
    Ok(())
}

/// [`to_ndjson_with`] through parsed values for every event that is looked into: the
/// reference the raw path is tested against.
pub fn to_ndjson_parsed(
    events: &[Event<'_, '_>],
    mask_inputs: bool,
    urls: &visitor::url::UrlPolicy,
    mut snapshots: Option<&mut Vec<heatmaps::selector::NodeMap>>,
) -> AppResult<Vec<u8>> {
    let mut out = Vec::with_capacity(events.iter().map(|e| e.raw.len() + 1).sum());
    let clean = mask::Clean { mask_inputs, urls };
    for (i, e) in events.iter().enumerate() {
        let raw = e.raw;
        if e.kind == metadata::META || mask::needs_mask(e) || raw.contains(['\n', '\r']) {
            parsed_event(i, e, clean, &mut out, snapshots.as_deref_mut())?;
        } else {
            out.extend_from_slice(raw.as_bytes());
        }
        out.push(b'\n');
    }
    Ok(out)
}

thread_local! {
    /// One zstd context per thread, reused: creating one per batch costs more than
    /// compressing a small batch. The scratch buffer is sized for the worst case once.
    static ZSTD: std::cell::RefCell<Option<(zstd::bulk::Compressor<'static>, Vec<u8>)>> =
        const { std::cell::RefCell::new(None) };
}

pub fn compress(data: &[u8]) -> AppResult<Vec<u8>> {
    compress_at(data, ZSTD_LEVEL)
}

/// [`compress`] at another level (the benchmark compares them).
pub fn compress_at(data: &[u8], level: i32) -> AppResult<Vec<u8>> {
    ZSTD.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(AppError::internal)?;
        if slot.is_none() {
            *slot = Some((
                zstd::bulk::Compressor::new(level).map_err(AppError::internal)?,
                Vec::new(),
            ));
        }
        let Some((ctx, scratch)) = slot.as_mut() else {
            return Err(AppError::internal(anyhow::anyhow!("no zstd context")));
        };
        ctx.set_compression_level(level)
            .map_err(AppError::internal)?;
        let bound = zstd::zstd_safe::compress_bound(data.len());
        if scratch.len() < bound {
            scratch.resize(bound, 0);
        }
        let n = ctx
            .compress_to_buffer(data, scratch.as_mut_slice())
            .map_err(AppError::internal)?;
        let out = scratch[..n].to_vec();
        // A huge batch's scratch is not kept for the thread's life.
        if scratch.len() > 4 << 20 {
            *scratch = Vec::new();
        }
        Ok(out)
    })
}

/// Decompresses one stored chunk.
pub fn decompress(data: &[u8]) -> AppResult<Vec<u8>> {
    let mut out = Vec::new();
    zstd::stream::read::Decoder::new(data)
        .and_then(|mut d| d.read_to_end(&mut out))
        .map_err(AppError::internal)?;
    Ok(out)
}

/// Decodes a `Content-Encoding: gzip` body, refusing more than `limit` bytes of output.
/// The output's memory is reserved as it grows (503 when the budget is spent), so a
/// gzip bomb or many large batches at once cannot exhaust memory.
pub fn gunzip(body: &[u8], limit: usize, reservation: &mut Reservation) -> AppResult<Vec<u8>> {
    const STEP: usize = 256 * 1024;
    let bad = |_| AppError::BadInput {
        field: None,
        message: "the body is not valid gzip".into(),
    };
    let mut out: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut d = flate2::read::GzDecoder::new(body);
    loop {
        let n = d.read(&mut buf).map_err(bad)?;
        if n == 0 {
            return Ok(out);
        }
        if out.len() + n > limit {
            return Err(AppError::PayloadTooLarge(format!(
                "the decompressed body is larger than {limit} bytes"
            )));
        }
        if out.capacity() < out.len() + n {
            if !reservation.grow_to(body.len() + out.capacity() + STEP) {
                return Err(AppError::at_capacity());
            }
            out.reserve_exact(STEP);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

fn ms(t: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(t).single().unwrap_or_else(now)
}

/// A batch checked, masked, compressed and summarised, ready to be stored. All the CPU
/// work happens here, in the request's worker, before the batch joins a group commit.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub organization_id: i64,
    pub site_id: i64,
    pub session_id: String,
    pub visitor_id: Option<String>,
    pub sequence: i64,
    pub first_ts: i64,
    pub last_ts: i64,
    pub events: usize,
    pub pages: Vec<(i64, String)>,
    pub clicks: usize,
    pub rage_clicks: i64,
    pub viewport: Option<(i64, i32, i32)>,
    pub device: Option<&'static str>,
    pub browser: Option<&'static str>,
    pub os: Option<&'static str>,
    pub country: Option<String>,
    pub raw_bytes: usize,
    pub data: Vec<u8>,
    /// Heatmap facts, when the site has heatmaps on.
    pub heat: Option<heatmaps::extract::HeatBatch>,
}

pub fn prepare(
    site: &site::Model,
    session_id: &str,
    body: &[u8],
    ctx: &ClientContext,
) -> AppResult<Prepared> {
    if !valid_session_id(session_id) {
        return Err(AppError::bad_input(
            "session_id",
            "a session id is 1–70 letters, digits, - or _",
        ));
    }
    let batch = envelope::parse(body)?;
    let events = batch.events();
    let visitor_id = valid_visitor_id(batch.visitor_id.as_deref())?;
    let heat = site.heatmaps_enabled;
    let mut facts = metadata::facts_with(&events, heat);
    let urls = visitor::url::UrlPolicy::for_site(site);
    let mut snapshots = Vec::new();
    let ndjson = to_ndjson_with(
        &events,
        site.mask_inputs,
        &urls,
        heat.then_some(&mut snapshots),
    )?;
    let data = compress(&ndjson)?;
    let heat = heat.then(|| {
        for (_, e) in &mut facts.heat {
            if let metadata::HeatEvent::Page { href, .. } = e {
                *href = heatmaps::page_of(&urls, href).unwrap_or_default();
            }
        }
        heatmaps::extract::HeatBatch {
            events: std::mem::take(&mut facts.heat),
            last_ts: facts.last_ts,
            sequence: batch.sequence,
            last_snapshot: snapshots.last().map(heatmaps::selector::NodeMap::encode),
            snapshots,
        }
    });
    Ok(Prepared {
        organization_id: site.organization_id,
        site_id: site.id,
        session_id: session_id.to_owned(),
        visitor_id,
        sequence: batch.sequence,
        first_ts: facts.first_ts,
        last_ts: facts.last_ts,
        events: facts.events,
        pages: facts
            .pages
            .iter()
            .filter_map(|(t, u)| Some((*t, urls.scrub(u)?)))
            .collect(),
        clicks: facts.clicks.len(),
        rage_clicks: metadata::rage_clicks(&facts.clicks) as i64,
        viewport: facts.viewport,
        device: ctx.device,
        browser: ctx.browser,
        os: ctx.os,
        country: ctx.country.clone(),
        raw_bytes: ndjson.len(),
        data,
        heat,
    })
}

/// Stores one prepared batch inside `txn`, its heatmap facts included. A repeated
/// `(session, sequence)` changes nothing and answers the same; batches may arrive in any
/// order.
pub async fn store(txn: &impl ConnectionTrait, p: &Prepared) -> AppResult<Accepted> {
    let mut heat = heatmaps::extract::Deltas::default();
    let accepted = store_with(txn, p, &mut heat).await?;
    heatmaps::store::flush(txn, heat).await?;
    Ok(accepted)
}

/// [`store`], leaving the heatmap increments in `heat` for the caller to write (once for a
/// whole group commit).
pub async fn store_with(
    txn: &impl ConnectionTrait,
    p: &Prepared,
    heat: &mut heatmaps::extract::Deltas,
) -> AppResult<Accepted> {
    store_written(txn, p, heat, None).await
}

/// [`store_with`]; `written`: the key of this chunk's object, already written to the store
/// before the transaction (see [`write_objects_first`]).
async fn store_written(
    txn: &impl ConnectionTrait,
    p: &Prepared,
    heat: &mut heatmaps::extract::Deltas,
    written: Option<&str>,
) -> AppResult<Accepted> {
    let at = now();
    recording::Entity::insert(group::new_row(p, at))
        .on_conflict(
            OnConflict::columns([recording::Column::SiteId, recording::Column::SessionId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let mut find = recording::Entity::find()
        .filter(recording::Column::SiteId.eq(p.site_id))
        .filter(recording::Column::SessionId.eq(&p.session_id));
    if txn.get_database_backend() == DbBackend::Postgres {
        find = find.lock_exclusive(); // serialise batches of one session across instances
    }
    let rec = find
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("recording vanished")))?;
    let duplicate = || Accepted {
        recording_id: rec.id,
        events: p.events,
        new: false,
        announced: false,
    };
    let store = chunks::current();
    let object_key = if store.is_db() {
        None
    } else {
        // The object goes first, the row naming it second, so no committed row points to
        // a missing object (an object whose row never commits is the janitor's). The
        // session's row is locked (PostgreSQL) or the database is (SQLite): no other
        // batch of this session is between this check and the insert.
        let exists = recording_chunk::Entity::find()
            .filter(recording_chunk::Column::RecordingId.eq(rec.id))
            .filter(recording_chunk::Column::Sequence.eq(p.sequence))
            .select_only()
            .column(recording_chunk::Column::Id)
            .into_tuple::<i64>()
            .one(txn)
            .await?;
        if exists.is_some() {
            return Ok(duplicate());
        }
        let key = chunks::key(rec.site_id, rec.created_at, rec.id, p.sequence);
        // Written before the transaction unless the session's row was new (or replaced).
        if written != Some(key.as_str()) {
            store.put(&key, &p.data).await?;
        }
        Some(key)
    };
    let inserted = recording_chunk::Entity::insert(recording_chunk::ActiveModel {
        recording_id: Set(rec.id),
        sequence: Set(p.sequence),
        first_ts: Set(p.first_ts),
        last_ts: Set(p.last_ts),
        event_count: Set(p.events as i64),
        rage_clicks: Set(p.rage_clicks),
        data: Set(if object_key.is_some() {
            Vec::new()
        } else {
            p.data.clone()
        }),
        object_key: Set(object_key),
        created_at: Set(at),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            recording_chunk::Column::RecordingId,
            recording_chunk::Column::Sequence,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted == 0 {
        return Ok(duplicate());
    }
    let mut session = group::Session::new(rec.clone());
    if let Some(h) = &p.heat {
        let (deltas, state) = heatmaps::store::ingest(txn, &rec, h).await?;
        heat.merge(deltas);
        if state.is_some() {
            session.rec.heatmap_state = state;
        }
    }
    session.apply(p, at);
    session.write(txn).await?;
    // The first batch stored for this session: the recording has started.
    let announced = rec.chunk_count == 0
        && outbox::emit(
            txn,
            &[outbox::Event {
                site_id: rec.site_id,
                kind: EventType::RecordingStarted,
                subject_id: rec.id,
            }],
        )
        .await?
            > 0;
    Ok(Accepted {
        recording_id: rec.id,
        events: p.events,
        new: true,
        announced,
    })
}

/// Commits prepared batches together: one transaction (one disk flush) for whatever is
/// queued. With chunks in the database the group is stored with a few statements for all
/// its batches ([`group::store_group`]); should any of them fail, the transaction is
/// rolled back and the batches are stored one by one, each in its own savepoint, so a
/// failing batch does not fail the others (the path an object store always takes).
pub async fn store_all(
    db: &DatabaseConnection,
    batch: &[&Prepared],
) -> AppResult<Vec<AppResult<Accepted>>> {
    if chunks::current().is_db() {
        let turn = crate::db::group_writer_turn(db).await;
        let txn = crate::db::begin_write(db).await?;
        match group::store_group(&txn, batch).await {
            Ok(stored) => {
                heatmaps::store::flush(&txn, stored.heat).await?;
                txn.commit().await?;
                return Ok(woken(stored.results));
            }
            Err(e) => {
                tracing::warn!(error = ?e, batches = batch.len(), "group store failed; storing batch by batch");
                txn.rollback().await?;
            }
        }
        drop(turn);
    }
    store_each(db, batch).await
}

fn woken(results: Vec<AppResult<Accepted>>) -> Vec<AppResult<Accepted>> {
    if results
        .iter()
        .any(|r| r.as_ref().is_ok_and(|a| a.announced))
    {
        outbox::wake();
    }
    results
}

/// [`store_all`] batch by batch, each in a savepoint (the fallback; public so the
/// benchmark can compare both paths).
pub async fn store_each(
    db: &DatabaseConnection,
    batch: &[&Prepared],
) -> AppResult<Vec<AppResult<Accepted>>> {
    let written = write_objects_first(db, batch).await?;
    // The objects are written before the turn: other writers never wait for the store.
    let _turn = crate::db::group_writer_turn(db).await;
    let txn = crate::db::begin_write(db).await?;
    let mut results = Vec::with_capacity(batch.len());
    // The group's heatmap increments, written together (a batch that fails adds none).
    let mut heat = heatmaps::extract::Deltas::default();
    for (p, written) in batch.iter().zip(written) {
        let written = match written {
            Ok(w) => w,
            // Its object could not be written: nothing of it is stored.
            Err(e) => {
                results.push(Err(e));
                continue;
            }
        };
        let sp = txn.begin().await?;
        let mut mine = heatmaps::extract::Deltas::default();
        match store_written(&sp, p, &mut mine, written.as_deref()).await {
            Ok(a) => {
                sp.commit().await?;
                heat.merge(mine);
                results.push(Ok(a));
            }
            Err(e) => {
                sp.rollback().await?;
                results.push(Err(e));
            }
        }
    }
    heatmaps::store::flush(&txn, heat).await?;
    txn.commit().await?;
    Ok(woken(results))
}

/// With an object store, writes the objects of the group's batches whose session already
/// has its row, concurrently and before the group's transaction, so the write lock is not
/// held while they travel: per batch, the key written (`None`: none was, the batch's
/// transaction writes it — a new session, a chunk already stored, another object in the
/// way) or the store's failure. No row names these objects until the transaction commits;
/// one that never commits is the janitor's.
async fn write_objects_first(
    db: &DatabaseConnection,
    batch: &[&Prepared],
) -> AppResult<Vec<AppResult<Option<String>>>> {
    let store = chunks::current();
    if store.is_db() {
        return Ok(batch.iter().map(|_| Ok(None)).collect());
    }
    let mut keys: Vec<Option<String>> = Vec::with_capacity(batch.len());
    for p in batch {
        let rec: Option<(i64, DateTime<Utc>)> = recording::Entity::find()
            .filter(recording::Column::SiteId.eq(p.site_id))
            .filter(recording::Column::SessionId.eq(&p.session_id))
            .select_only()
            .column(recording::Column::Id)
            .column(recording::Column::CreatedAt)
            .into_tuple()
            .one(db)
            .await?;
        let Some((id, created)) = rec else {
            keys.push(None);
            continue;
        };
        let stored = recording_chunk::Entity::find()
            .filter(recording_chunk::Column::RecordingId.eq(id))
            .filter(recording_chunk::Column::Sequence.eq(p.sequence))
            .select_only()
            .column(recording_chunk::Column::Id)
            .into_tuple::<i64>()
            .one(db)
            .await?;
        keys.push(
            stored
                .is_none()
                .then(|| chunks::key(p.site_id, created, id, p.sequence)),
        );
    }
    let mut out = Vec::with_capacity(batch.len());
    for (ps, ks) in batch.chunks(16).zip(keys.chunks(16)) {
        let mut writes = Vec::with_capacity(ps.len());
        for (p, key) in ps.iter().zip(ks) {
            writes.push(write_first(store, key.clone(), &p.data));
        }
        out.extend(futures_util::future::join_all(writes).await);
    }
    Ok(out)
}

async fn write_first(
    store: &chunks::ChunkStore,
    key: Option<String>,
    data: &[u8],
) -> AppResult<Option<String>> {
    match key {
        None => Ok(None),
        Some(key) => Ok(store.put_new(&key, data).await?.then_some(key)),
    }
}

/// The ids of a site's recordings of these sessions, by session id (one query).
pub async fn ids_of_sessions(
    db: &impl ConnectionTrait,
    site_id: i64,
    sessions: &[String],
) -> AppResult<std::collections::HashMap<String, i64>> {
    let mut out = std::collections::HashMap::with_capacity(sessions.len());
    for chunk in sessions.chunks(1000) {
        let rows: Vec<(i64, String)> = recording::Entity::find()
            .select_only()
            .column(recording::Column::Id)
            .column(recording::Column::SessionId)
            .filter(recording::Column::SiteId.eq(site_id))
            .filter(recording::Column::SessionId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, s)| (s, id)));
    }
    Ok(out)
}

/// A site's recordings of these sessions, by session id (one query).
pub async fn of_sessions(
    db: &impl ConnectionTrait,
    site_id: i64,
    sessions: &[String],
) -> AppResult<std::collections::HashMap<String, recording::Model>> {
    let mut out = std::collections::HashMap::with_capacity(sessions.len());
    for chunk in sessions.chunks(1000) {
        for r in recording::Entity::find()
            .filter(recording::Column::SiteId.eq(site_id))
            .filter(recording::Column::SessionId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            out.insert(r.session_id.clone(), r);
        }
    }
    Ok(out)
}

/// A recording of `org_id`; another organization's is not found.
pub async fn get(db: &impl ConnectionTrait, org_id: i64, id: i64) -> AppResult<recording::Model> {
    recording::Entity::find_by_id(id)
        .filter(recording::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The next chunk of a recording after `after_sequence`, in sequence order, decompressed.
pub async fn next_chunk(
    db: &impl ConnectionTrait,
    recording_id: i64,
    after_sequence: Option<i64>,
) -> AppResult<Option<(i64, Vec<u8>)>> {
    let mut q = recording_chunk::Entity::find()
        .filter(recording_chunk::Column::RecordingId.eq(recording_id))
        .order_by_asc(recording_chunk::Column::Sequence)
        .limit(1);
    if let Some(s) = after_sequence {
        q = q.filter(recording_chunk::Column::Sequence.gt(s));
    }
    match q.one(db).await? {
        Some(c) => Ok(Some((c.sequence, decompress(&chunk_data(&c).await?)?))),
        None => Ok(None),
    }
}

/// A chunk's stored (compressed) bytes, from its row or from the store.
pub async fn chunk_data(c: &recording_chunk::Model) -> AppResult<std::borrow::Cow<'_, [u8]>> {
    match &c.object_key {
        Some(key) => Ok(chunks::current().get(key).await?.into()),
        None => Ok(c.data.as_slice().into()),
    }
}

/// Which recordings to list.
#[derive(Debug, Clone, Default)]
pub struct RecordingFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub min_duration_ms: Option<i64>,
    pub max_duration_ms: Option<i64>,
    pub device: Option<String>,
    pub country: Option<String>,
    /// A visited page URL contains this text.
    pub url_contains: Option<String>,
    pub has_rage_clicks: Option<bool>,
    pub has_u_turns: Option<bool>,
    pub user_id: Option<String>,
    pub segment: Option<super::segments::SegmentChoice>,
    /// The session has (true) or has no (false) survey response linked to it.
    pub has_response: Option<bool>,
    /// The session has a response to this survey.
    pub responded_to_survey: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Newest,
    Longest,
    MostClicks,
}

impl Order {
    fn tag(self) -> &'static str {
        match self {
            Order::Newest => "n",
            Order::Longest => "l",
            Order::MostClicks => "c",
        }
    }
}

pub fn encode_cursor(order: Order, r: &recording::Model) -> String {
    use base64::Engine;
    let key = match order {
        Order::Newest => r.started_at.timestamp_millis(),
        Order::Longest => r.duration_ms,
        Order::MostClicks => r.clicks,
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "r1:{}:{key}:{}",
        order.tag(),
        r.id
    ))
}

fn decode_cursor(order: Order, cursor: &str) -> AppResult<(i64, i64)> {
    use base64::Engine;
    let invalid =
        || AppError::bad_input("after", "`after` is not a cursor of this listing and order");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.split(':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("r1"), Some(tag), Some(key), Some(id), None) if tag == order.tag() => Ok((
            key.parse().map_err(|_| invalid())?,
            id.parse().map_err(|_| invalid())?,
        )),
        _ => Err(invalid()),
    }
}

pub struct RecordingPage {
    pub items: Vec<recording::Model>,
    pub has_next_page: bool,
    pub total_count: u64,
}

/// A page of a site's recordings in `order`, with keyset cursors (stable while sessions
/// arrive).
pub async fn list(
    db: &impl ConnectionTrait,
    site_id: i64,
    filter: &RecordingFilter,
    order: Order,
    first: u64,
    after: Option<&str>,
) -> AppResult<RecordingPage> {
    list_page(db, site_id, filter, order, first, after, true).await
}

/// Like [`list`]; the total count (a scan of the matching sessions) only when `count`.
pub async fn list_page(
    db: &impl ConnectionTrait,
    site_id: i64,
    filter: &RecordingFilter,
    order: Order,
    first: u64,
    after: Option<&str>,
    count: bool,
) -> AppResult<RecordingPage> {
    use entity::{site_user, visitor_link};
    use recording::Column as C;
    use sea_orm::sea_query::{Expr, Query};
    use sea_orm::PaginatorTrait;
    let mut q = recording::Entity::find().filter(C::SiteId.eq(site_id));
    if let Some(t) = filter.from {
        q = q.filter(C::StartedAt.gte(t));
    }
    if let Some(t) = filter.to {
        q = q.filter(C::StartedAt.lt(t));
    }
    if let Some(d) = filter.min_duration_ms {
        q = q.filter(C::DurationMs.gte(d));
    }
    if let Some(d) = filter.max_duration_ms {
        q = q.filter(C::DurationMs.lte(d));
    }
    if let Some(d) = &filter.device {
        q = q.filter(C::Device.eq(d.trim().to_ascii_lowercase()));
    }
    if let Some(c) = &filter.country {
        q = q.filter(C::Country.eq(c.trim().to_ascii_uppercase()));
    }
    if let Some(u) = filter
        .url_contains
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        let template = if db.get_database_backend() == DbBackend::Postgres {
            "strpos($1, $2) > 0"
        } else {
            "instr(?, ?) > 0"
        };
        let needle = serde_json::to_string(u).map_err(AppError::internal)?;
        let needle = needle.trim_matches('"').to_owned();
        q = q.filter(Expr::cust_with_exprs(
            template,
            [
                Expr::col((recording::Entity, C::Pages)).into(),
                Expr::value(needle),
            ],
        ));
    }
    match filter.has_rage_clicks {
        Some(true) => q = q.filter(C::RageClicks.gt(0)),
        Some(false) => q = q.filter(C::RageClicks.eq(0)),
        None => {}
    }
    match filter.has_u_turns {
        Some(true) => q = q.filter(C::UTurns.gt(0)),
        Some(false) => q = q.filter(C::UTurns.eq(0)),
        None => {}
    }
    if let Some(user) = &filter.user_id {
        let visitors = Query::select()
            .column((visitor_link::Entity, visitor_link::Column::VisitorId))
            .from(visitor_link::Entity)
            .inner_join(
                site_user::Entity,
                Expr::col((site_user::Entity, site_user::Column::Id))
                    .equals((visitor_link::Entity, visitor_link::Column::ProfileId)),
            )
            .and_where(Expr::col((visitor_link::Entity, visitor_link::Column::SiteId)).eq(site_id))
            .and_where(
                Expr::col((site_user::Entity, site_user::Column::UserKey)).eq(format!("u:{user}")),
            )
            .to_owned();
        q = q.filter(C::VisitorId.in_subquery(visitors));
    }
    if let Some(choice) = &filter.segment {
        let members = choice.clone().resolve(db, site_id).await?;
        q = q.filter(members.visitors_expr((recording::Entity, C::VisitorId)));
    }
    if filter.has_response.is_some() || filter.responded_to_survey.is_some() {
        // EXISTS on the response index (site_id, recording_session_id).
        use entity::response;
        let linked = |survey: Option<i64>| {
            let mut sub = Query::select();
            sub.expr(Expr::val(1))
                .from(response::Entity)
                .and_where(Expr::col((response::Entity, response::Column::SiteId)).eq(site_id))
                .and_where(
                    Expr::col((response::Entity, response::Column::RecordingSessionId))
                        .equals((recording::Entity, C::SessionId)),
                );
            if let Some(s) = survey {
                sub.and_where(Expr::col((response::Entity, response::Column::SurveyId)).eq(s));
            }
            sub.to_owned()
        };
        match filter.has_response {
            Some(true) => q = q.filter(Expr::exists(linked(None))),
            Some(false) => q = q.filter(Expr::exists(linked(None)).not()),
            None => {}
        }
        if let Some(s) = filter.responded_to_survey {
            q = q.filter(Expr::exists(linked(Some(s))));
        }
    }
    let total_count = if count { q.clone().count(db).await? } else { 0 };
    let col = match order {
        Order::Newest => C::StartedAt,
        Order::Longest => C::DurationMs,
        Order::MostClicks => C::Clicks,
    };
    if let Some(c) = after {
        let (key, id) = decode_cursor(order, c)?;
        let k: sea_orm::Value = match order {
            Order::Newest => ms(key).into(),
            _ => key.into(),
        };
        q = q.filter(
            Expr::col((recording::Entity, col))
                .lt(k.clone())
                .or(Expr::col((recording::Entity, col))
                    .eq(k)
                    .and(Expr::col((recording::Entity, C::Id)).lt(id))),
        );
    }
    let mut items = q
        .order_by_desc(col)
        .order_by_desc(C::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let has_next_page = items.len() as u64 > first;
    items.truncate(first as usize);
    Ok(RecordingPage {
        items,
        has_next_page,
        total_count,
    })
}

/// Events of a recording for replay, in order, from the position after `after`
/// (`sequence:index`), at most `first`.
/// A page of stored events, each the JSON text of one event as stored (never re-parsed,
/// so any event that was accepted can be served).
pub async fn events(
    db: &impl ConnectionTrait,
    recording_id: i64,
    first: usize,
    after: Option<(i64, usize)>,
) -> AppResult<(Vec<String>, Option<(i64, usize)>, bool)> {
    let mut out = Vec::new();
    let mut last = after;
    let mut chunk_after = after.map(|(s, _)| s - 1);
    while let Some((seq, lines)) = next_chunk(db, recording_id, chunk_after).await? {
        for (i, line) in lines
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            if after.is_some_and(|(s, idx)| s == seq && i <= idx) {
                continue;
            }
            if out.len() == first {
                return Ok((out, last, true));
            }
            out.push(String::from_utf8_lossy(line).into_owned());
            last = Some((seq, i));
        }
        chunk_after = Some(seq);
    }
    Ok((out, last, false))
}

/// Deletes recordings of a site: these ids, or every one the filter keeps. Each statement
/// commits on its own, and the chunks' objects (with an object store) are deleted after it.
#[tracing::instrument(skip(db, filter))]
pub async fn delete(
    db: &DatabaseConnection,
    site_id: i64,
    ids: Option<Vec<i64>>,
    filter: Option<&RecordingFilter>,
) -> AppResult<u64> {
    let mut total = 0;
    if let Some(ids) = ids {
        let mine: Vec<i64> = recording::Entity::find()
            .filter(recording::Column::SiteId.eq(site_id))
            .filter(recording::Column::Id.is_in(ids))
            .select_only()
            .column(recording::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        total += delete_ids_now(db, &mine).await?;
    }
    if let Some(f) = filter {
        // Page through the matches so a huge deletion never holds every id at once.
        loop {
            let page = list_page(db, site_id, f, Order::Newest, 500, None, false).await?;
            if page.items.is_empty() {
                break;
            }
            let ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
            total += delete_ids_now(db, &ids).await?;
            if !page.has_next_page {
                break;
            }
        }
    }
    Ok(total)
}

/// [`delete_ids`] in a transaction of its own, then the chunks' objects.
async fn delete_ids_now(db: &DatabaseConnection, ids: &[i64]) -> AppResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let txn = crate::db::begin_write(db).await?;
    let deleted = delete_ids(&txn, ids).await?;
    txn.commit().await?;
    deleted.delete_objects().await;
    Ok(deleted.recordings)
}

/// What [`delete_ids`] deleted; `objects` are the keys of the deleted chunks' objects,
/// for the caller to delete once its transaction committed ([`Deleted::delete_objects`]).
#[derive(Debug, Default)]
#[must_use = "delete the objects after the commit"]
pub struct Deleted {
    pub chunks: u64,
    pub recordings: u64,
    pub objects: Vec<String>,
}

impl Deleted {
    pub fn add(&mut self, other: Deleted) {
        self.chunks += other.chunks;
        self.recordings += other.recordings;
        self.objects.extend(other.objects);
    }

    /// Deletes the objects of the deleted rows (after their commit); a failure leaves
    /// orphans for the janitor, logged.
    pub async fn delete_objects(&self) {
        chunks::current().delete(&self.objects).await;
    }
}

/// Keys of the objects of these recordings' chunks (none with the database store).
async fn object_keys(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<String>> {
    if chunks::current().is_db() {
        return Ok(Vec::new());
    }
    let keys: Vec<Option<String>> = recording_chunk::Entity::find()
        .filter(recording_chunk::Column::RecordingId.is_in(ids.iter().copied()))
        .filter(recording_chunk::Column::ObjectKey.is_not_null())
        .select_only()
        .column(recording_chunk::Column::ObjectKey)
        .into_tuple()
        .all(db)
        .await?;
    Ok(keys.into_iter().flatten().collect())
}

/// Deletes these recordings with their chunks' rows; their objects are the caller's to
/// delete after its commit.
pub async fn delete_ids(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Deleted> {
    let mut out = Deleted::default();
    for chunk in ids.chunks(500) {
        outbox::forget_subjects(db, &[EventType::RecordingStarted], chunk).await?;
        out.objects.extend(object_keys(db, chunk).await?);
        out.chunks += recording_chunk::Entity::delete_many()
            .filter(recording_chunk::Column::RecordingId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?
            .rows_affected;
        out.recordings += recording::Entity::delete_many()
            .filter(recording::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(out)
}
