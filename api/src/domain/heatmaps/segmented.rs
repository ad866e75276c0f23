//! Heatmaps of a segment's visitors. The aggregates hold no visitors, so a segment's map is
//! computed from its sessions' stored recordings instead: the newest [`MAX_RECORDINGS`]
//! sessions of the segment that visited the page in the range are read chunk by chunk and
//! run through the same extraction as ingestion ([`super::extract::apply`]), bounded by
//! [`MAX_BYTES`] of events. Page views counted without a recording (heatmap-only mode)
//! carry no visitor and are not in a segment's map.

use std::sync::LazyLock;

use tokio::sync::Semaphore;

use super::extract::{self, Deltas, HeatBatch, PageDelta, State};
use super::query::{self, Filter, Heatmap};
use super::selector::{self, NodeMap};
use super::{page_of, Kind};
use crate::domain::recordings::{self, envelope, metadata, Order, RecordingFilter};
use crate::domain::segments::SegmentChoice;
use crate::domain::visitor::url::UrlPolicy;
use crate::error::{AppError, AppResult};

/// Sessions read at most, newest first.
pub const MAX_RECORDINGS: u64 = 500;
/// Decompressed event bytes read at most.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
/// Segment maps computed at once across the process; more get 503 with `Retry-After`.
const CONCURRENT: usize = 2;

static RUNNING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(CONCURRENT));

/// What a segment's map was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Sessions read.
    pub recordings: u64,
    /// False when [`MAX_RECORDINGS`] or [`MAX_BYTES`] cut the sample short.
    pub complete: bool,
}

/// The heatmap of `kind` over the sessions of `segment`'s visitors.
#[tracing::instrument(skip(db, site, segment), fields(site_id = site.id))]
pub async fn heatmap(
    db: &impl sea_orm::ConnectionTrait,
    site: &entity::site::Model,
    f: &Filter,
    kind: Kind,
    segment: SegmentChoice,
) -> AppResult<(Heatmap, Sample)> {
    let segment = segment.resolve(db, site.id).await?;
    let _slot = RUNNING.try_acquire().map_err(|_| AppError::at_capacity())?;
    let day_ms = 86_400_000i64;
    let ms = |d: i32| chrono::DateTime::from_timestamp_millis(i64::from(d) * day_ms);
    // A session that started the day before can still be on the page in the range.
    let rf = RecordingFilter {
        from: f.from_day.and_then(|d| ms(d - 1)),
        to: f.to_day.and_then(|d| ms(d + 1)),
        url_contains: Some(f.page.clone()),
        segment: Some(SegmentChoice::Resolved(segment)),
        ..RecordingFilter::default()
    };
    let page =
        recordings::list_page(db, site.id, &rf, Order::Newest, MAX_RECORDINGS, None, false).await?;
    let mut sample = Sample {
        recordings: 0,
        complete: !page.has_next_page,
    };
    let urls = UrlPolicy::for_site(site);
    let mut total = PageDelta::default();
    let mut bytes = 0usize;
    'sessions: for rec in &page.items {
        let mut state = State::default();
        let mut nodes: Option<NodeMap> = None;
        let mut after = None;
        sample.recordings += 1;
        while let Some((seq, data)) = recordings::next_chunk(db, rec.id, after).await? {
            after = Some(seq);
            bytes += data.len();
            if bytes > MAX_BYTES {
                // This session counts with what was read of it.
                sample.complete = false;
                break 'sessions;
            }
            // Parsing is CPU work: off the async workers.
            let (urls, stored, site_id, rec_id) = (urls.clone(), nodes.take(), site.id, rec.id);
            let (deltas, last, s) = tokio::task::spawn_blocking(move || {
                let mut state = state;
                let (d, last) = chunk_deltas(
                    &mut state,
                    stored.as_ref(),
                    &urls,
                    &data,
                    seq,
                    site_id,
                    rec_id,
                );
                (d, last.or(stored), state)
            })
            .await
            .map_err(AppError::internal)?;
            state = s;
            nodes = last;
            for ((_, p, device, day), d) in deltas.0 {
                if p == f.page
                    && device == f.device
                    && f.from_day.is_none_or(|x| day >= x)
                    && f.to_day.is_none_or(|x| day <= x)
                {
                    total.add(d);
                }
            }
        }
    }
    Ok((query::from_delta(&total, f.device, kind), sample))
}

/// The increments of one stored chunk (NDJSON, as stored), and the element map of its
/// last full snapshot.
fn chunk_deltas(
    state: &mut State,
    stored: Option<&NodeMap>,
    urls: &UrlPolicy,
    data: &[u8],
    sequence: i64,
    site_id: i64,
    recording_id: i64,
) -> (Deltas, Option<NodeMap>) {
    // Stored events were accepted once: rebuild the batch they came in and parse it again.
    let mut body = Vec::with_capacity(data.len() + 64);
    body.extend_from_slice(format!("{{\"sequence\":{sequence},\"events\":[").as_bytes());
    let mut first = true;
    for line in data.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        if !first {
            body.push(b',');
        }
        first = false;
        body.extend_from_slice(line);
    }
    body.extend_from_slice(b"]}");
    let Ok(batch) = envelope::parse(&body) else {
        return (Deltas::default(), None);
    };
    let events = batch.events();
    let mut facts = metadata::facts_with(&events, true);
    let snapshots: Vec<NodeMap> = events
        .iter()
        .filter(|e| e.kind == metadata::FULL_SNAPSHOT)
        .filter_map(|e| e.data.get("node"))
        .map(selector::from_snapshot)
        .collect();
    for (_, e) in &mut facts.heat {
        if let metadata::HeatEvent::Page { href, .. } = e {
            *href = page_of(urls, href).unwrap_or_default();
        }
    }
    let heat = HeatBatch {
        events: std::mem::take(&mut facts.heat),
        last_ts: facts.last_ts,
        sequence,
        last_snapshot: None,
        snapshots,
    };
    let deltas = extract::apply(state, stored, &heat, site_id, recording_id);
    (deltas, heat.snapshots.last().cloned())
}
