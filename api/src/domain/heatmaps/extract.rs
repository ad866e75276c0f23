//! Heatmap facts from one batch of rrweb events, applied to the recording's state (the
//! current page view, carried from batch to batch) to give the aggregate increments.
//! Everything here is pure: `recordings::prepare` collects the events in the pass it makes
//! for the session's metadata, `store` applies them inside the batch's transaction.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::selector::NodeMap;
use super::{Device, Kind, BIN_PX, MOVE_BIN_PX, SCROLL_STEPS};
use crate::domain::recordings::metadata::{self, HeatEvent};

/// No DOM change within this long after a click: a dead click.
pub const DEAD_WINDOW_MS: i64 = 1_000;
/// Mouse positions kept: at most one per this many milliseconds.
pub const MOVE_SAMPLE_MS: i64 = 250;
/// rrweb's usual id of the document node, when no snapshot told it.
const DEFAULT_DOCUMENT_ID: i64 = 1;

/// What `prepare` hands over: the batch's heatmap events, page URLs already normalised,
/// and the element map of each full snapshot in it (in order; the last one also encoded).
#[derive(Debug, Clone, Default)]
pub struct HeatBatch {
    pub events: Vec<(i64, HeatEvent)>,
    pub last_ts: i64,
    pub sequence: i64,
    pub snapshots: Vec<NodeMap>,
    pub last_snapshot: Option<Vec<u8>>,
}

impl HeatBatch {
    /// Whether a click comes before the batch's first full snapshot: it needs the map the
    /// recording kept from an earlier batch.
    pub fn needs_stored_nodes(&self) -> bool {
        for (_, e) in &self.events {
            match e {
                HeatEvent::FullSnapshot => return false,
                HeatEvent::Click { .. } => return true,
                _ => {}
            }
        }
        false
    }
}

/// The page view a recording is in, kept between its batches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub page: Option<String>,
    pub device: Device,
    pub day: i32,
    /// Viewport and document size (0: unknown), scroll offset, in CSS px.
    pub vw: f64,
    pub vh: f64,
    pub dw: f64,
    pub dh: f64,
    pub sx: f64,
    pub sy: f64,
    pub document: Option<i64>,
    /// Deepest viewport bottom of this page view, in document px.
    pub bottom: f64,
    /// Scroll steps already counted for this page view; -1: not in the scroll map yet.
    pub reached: i32,
    pub last_move: i64,
    /// The batch whose full snapshot gave the stored element map.
    #[serde(default)]
    pub nodes_seq: Option<i64>,
}

impl Default for State {
    fn default() -> Self {
        State {
            page: None,
            device: Device::Desktop,
            day: 0,
            vw: 0.0,
            vh: 0.0,
            dw: 0.0,
            dh: 0.0,
            sx: 0.0,
            sy: 0.0,
            document: None,
            bottom: 0.0,
            reached: -1,
            last_move: i64::MIN,
            nodes_seq: None,
        }
    }
}

/// Increments of one (page, device, day) row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageDelta {
    pub page_views: i64,
    pub clicks: i64,
    pub rage_clicks: i64,
    pub dead_clicks: i64,
    pub moves: i64,
    pub document_width: i64,
    pub document_height: i64,
    pub scroll_views: i64,
    pub fold_sum: i64,
    /// (recording, chunk sequence, timestamp) of the newest full snapshot.
    pub snapshot: Option<(i64, i64, i64)>,
    pub cells: HashMap<(Kind, i32, i32), i64>,
    /// selector → [clicks, rage clicks, dead clicks]
    pub elements: HashMap<String, [i64; 3]>,
}

/// (site, page, device, day)
pub type PageKey = (i64, String, Device, i32);

/// Increments for any number of rows, merged across the batches of a group commit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deltas(pub HashMap<PageKey, PageDelta>);

impl Deltas {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn merge(&mut self, other: Deltas) {
        for (k, d) in other.0 {
            self.0.entry(k).or_default().add(d);
        }
    }
}

impl PageDelta {
    /// Adds `d`'s increments to these.
    pub fn add(&mut self, d: PageDelta) {
        let t = self;
        t.page_views += d.page_views;
        t.clicks += d.clicks;
        t.rage_clicks += d.rage_clicks;
        t.dead_clicks += d.dead_clicks;
        t.moves += d.moves;
        t.document_width = t.document_width.max(d.document_width);
        t.document_height = t.document_height.max(d.document_height);
        t.scroll_views += d.scroll_views;
        t.fold_sum += d.fold_sum;
        if d.snapshot
            .is_some_and(|s| t.snapshot.is_none_or(|o| s.2 >= o.2))
        {
            t.snapshot = d.snapshot;
        }
        for (c, n) in d.cells {
            *t.cells.entry(c).or_default() += n;
        }
        for (s, n) in d.elements {
            let e = t.elements.entry(s).or_default();
            for i in 0..3 {
                e[i] += n[i];
            }
        }
    }
}

/// Days since 1970-01-01 (UTC) of a millisecond timestamp.
pub fn day_of(ts: i64) -> i32 {
    ts.div_euclid(86_400_000) as i32
}

fn bin_of(v: f64, px: i32) -> i32 {
    ((v.max(0.0) / f64::from(px)).floor() as i64).clamp(0, i64::from(i32::MAX)) as i32
}

fn bin(v: f64) -> i32 {
    bin_of(v, BIN_PX)
}

struct Click {
    ts: i64,
    x: f64,
    y: f64,
    key: Option<PageKey>,
    cell: (i32, i32),
    selector: Option<String>,
}

impl State {
    fn scale(&self) -> f64 {
        if self.vw > 0.0 {
            f64::from(self.device.reference_width()) / self.vw
        } else {
            1.0
        }
    }

    fn key(&self, site_id: i64) -> Option<PageKey> {
        self.page
            .as_ref()
            .map(|p| (site_id, p.clone(), self.device, self.day))
    }

    /// Counts the page view in the scroll map once its document height is known, and
    /// every 5 % step its viewport has reached since.
    fn scroll(&mut self, d: &mut PageDelta) {
        let scale = self.scale();
        d.document_height = d
            .document_height
            .max((self.dh.max(self.bottom) * scale).round() as i64);
        if self.dh <= 0.0 {
            return;
        }
        let height = self.dh.max(self.bottom);
        if self.reached < 0 {
            d.scroll_views += 1;
            d.fold_sum += (self.vh * scale).round() as i64;
            self.reached = 0;
        }
        let steps =
            ((self.bottom / height).min(1.0) * f64::from(SCROLL_STEPS) + 1e-9).floor() as i32;
        for k in (self.reached + 1)..=steps {
            *d.cells.entry((Kind::Scroll, 0, k)).or_default() += 1;
        }
        self.reached = self.reached.max(steps);
    }
}

/// Applies one batch to the recording's state; `stored` is the element map kept from an
/// earlier batch (needed only when [`HeatBatch::needs_stored_nodes`]).
pub fn apply(
    state: &mut State,
    stored: Option<&NodeMap>,
    batch: &HeatBatch,
    site_id: i64,
    recording_id: i64,
) -> Deltas {
    let mut out = Deltas::default();
    let mut nodes: Option<&NodeMap> = stored;
    let mut snapshots = batch.snapshots.iter();
    let mut clicks: Vec<Click> = Vec::new();
    let mut changes: Vec<i64> = Vec::new();
    for (ts, e) in &batch.events {
        let ts = *ts;
        match e {
            HeatEvent::Page {
                href,
                width,
                height,
            } => {
                changes.push(ts);
                *state = State {
                    page: Some(href.clone()).filter(|p| !p.is_empty()),
                    device: Device::of_width(*width),
                    day: day_of(ts),
                    vw: *width,
                    vh: *height,
                    bottom: *height,
                    document: state.document,
                    last_move: state.last_move,
                    nodes_seq: state.nodes_seq,
                    ..State::default()
                };
                if let Some(k) = state.key(site_id) {
                    let d = out.0.entry(k).or_default();
                    d.page_views += 1;
                    d.document_width = d
                        .document_width
                        .max(i64::from(state.device.reference_width()));
                    state.scroll(d);
                }
            }
            HeatEvent::FullSnapshot => {
                changes.push(ts);
                nodes = snapshots.next().or(nodes);
                if let Some(n) = nodes {
                    state.document = n.document;
                }
                if let Some(k) = state.key(site_id) {
                    let d = out.0.entry(k).or_default();
                    d.snapshot = Some((recording_id, batch.sequence, ts));
                }
            }
            HeatEvent::Mutation => changes.push(ts),
            HeatEvent::Viewport { width, height } => {
                state.vw = *width;
                state.vh = *height;
                state.bottom = state.bottom.max(state.sy + state.vh);
                if let Some(k) = state.key(site_id) {
                    state.scroll(out.0.entry(k).or_default());
                }
            }
            HeatEvent::DocumentSize { width, height } => {
                state.dw = *width;
                state.dh = *height;
                if let Some(k) = state.key(site_id) {
                    let scale = state.scale();
                    let d = out.0.entry(k).or_default();
                    d.document_width = d.document_width.max((width * scale).round() as i64);
                    state.scroll(d);
                }
            }
            HeatEvent::Scroll { node, x, y } => {
                if *node == state.document.unwrap_or(DEFAULT_DOCUMENT_ID) {
                    state.sx = *x;
                    state.sy = *y;
                    state.bottom = state.bottom.max(state.sy + state.vh);
                    if let Some(k) = state.key(site_id) {
                        state.scroll(out.0.entry(k).or_default());
                    }
                }
            }
            HeatEvent::Move { x, y } => {
                let Some(k) = state.key(site_id) else {
                    continue;
                };
                if ts.saturating_sub(state.last_move) < MOVE_SAMPLE_MS {
                    continue;
                }
                state.last_move = ts;
                let scale = state.scale();
                let cell = (
                    bin_of((x + state.sx) * scale, MOVE_BIN_PX),
                    bin_of((y + state.sy) * scale, MOVE_BIN_PX),
                );
                let d = out.0.entry(k).or_default();
                d.moves += 1;
                *d.cells.entry((Kind::Move, cell.0, cell.1)).or_default() += 1;
            }
            HeatEvent::Click { x, y, node } => {
                let scale = state.scale();
                let (dx, dy) = ((x + state.sx) * scale, (y + state.sy) * scale);
                let key = state.key(site_id);
                let selector = node.and_then(|n| nodes.and_then(|m| m.selector(n)));
                let cell = (bin(dx), bin(dy));
                if let Some(k) = &key {
                    let d = out.0.entry(k.clone()).or_default();
                    d.clicks += 1;
                    d.document_height = d.document_height.max(dy.round() as i64);
                    *d.cells.entry((Kind::Click, cell.0, cell.1)).or_default() += 1;
                    if let Some(s) = &selector {
                        d.elements.entry(s.clone()).or_default()[0] += 1;
                    }
                }
                clicks.push(Click {
                    ts,
                    x: *x,
                    y: *y,
                    key,
                    cell,
                    selector,
                });
            }
        }
    }
    // Rage clicks: the recording's rule, each run counted at its first click.
    let positions: Vec<(i64, f64, f64)> = clicks.iter().map(|c| (c.ts, c.x, c.y)).collect();
    for i in metadata::rage_runs(&positions) {
        count(&mut out, &clicks[i], Kind::RageClick, 1);
    }
    // Dead clicks: nothing changed in the page within the window, and the batch reaches
    // past it (a click near the batch's end is not judged).
    for c in &clicks {
        let end = c.ts + DEAD_WINDOW_MS;
        if batch.last_ts >= end && !changes.iter().any(|t| *t > c.ts && *t <= end) {
            count(&mut out, c, Kind::DeadClick, 2);
        }
    }
    out
}

fn count(out: &mut Deltas, c: &Click, kind: Kind, element_slot: usize) {
    let Some(k) = &c.key else { return };
    let d = out.0.entry(k.clone()).or_default();
    match kind {
        Kind::RageClick => d.rage_clicks += 1,
        _ => d.dead_clicks += 1,
    }
    *d.cells.entry((kind, c.cell.0, c.cell.1)).or_default() += 1;
    if let Some(s) = &c.selector {
        d.elements.entry(s.clone()).or_default()[element_slot] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(events: Vec<(i64, HeatEvent)>) -> HeatBatch {
        HeatBatch {
            last_ts: events.last().map_or(0, |e| e.0),
            events,
            ..Default::default()
        }
    }

    fn page(width: f64) -> HeatEvent {
        HeatEvent::Page {
            href: "https://a.example/p".into(),
            width,
            height: 800.0,
        }
    }

    #[test]
    fn positions_are_scaled_to_the_reference_width_and_binned() {
        // A 1920 px desktop: x scaled by 1280/1920; scrolled by 300 px.
        let mut state = State::default();
        let d = apply(
            &mut state,
            None,
            &batch(vec![
                (0, page(1920.0)),
                (
                    10,
                    HeatEvent::Scroll {
                        node: 1,
                        x: 0.0,
                        y: 300.0,
                    },
                ),
                (
                    20,
                    HeatEvent::Click {
                        x: 960.0,
                        y: 100.0,
                        node: None,
                    },
                ),
                (
                    30,
                    HeatEvent::Click {
                        x: 19.0,
                        y: 0.0,
                        node: None,
                    },
                ),
            ]),
            7,
            1,
        );
        let row = &d.0[&(7, "https://a.example/p".to_owned(), Device::Desktop, 0)];
        // (960 * 2/3, 400 * 2/3) = (640, 266.7) → bin (32, 13); (12.7, 200) → (0, 10).
        assert_eq!(row.cells.get(&(Kind::Click, 32, 13)), Some(&1));
        assert_eq!(row.cells.get(&(Kind::Click, 0, 10)), Some(&1));
        assert_eq!((row.page_views, row.clicks), (1, 2));
        assert_eq!(row.elements.len(), 0, "no snapshot, no selectors");
    }

    #[test]
    fn scroll_steps_count_once_per_page_view_across_batches() {
        let mut state = State::default();
        let key = (1, "https://a.example/p".to_owned(), Device::Mobile, 0);
        let first = apply(
            &mut state,
            None,
            &batch(vec![
                (0, page(400.0)),
                (
                    1,
                    HeatEvent::DocumentSize {
                        width: 400.0,
                        height: 4000.0,
                    },
                ),
            ]),
            1,
            1,
        );
        // 800 of 4000 px: steps 1–4 (5 % … 20 %).
        let steps = |d: &Deltas| {
            let mut s: Vec<i32> = d.0[&key].cells.keys().map(|(_, _, y)| *y).collect();
            s.sort();
            s
        };
        assert_eq!(steps(&first), vec![1, 2, 3, 4]);
        assert_eq!(
            (first.0[&key].scroll_views, first.0[&key].fold_sum),
            (1, 750)
        );
        // Later, scrolled to 1200 (bottom 2000 = 50 %), then back up: only the new steps.
        let second = apply(
            &mut state,
            None,
            &batch(vec![
                (
                    5_000,
                    HeatEvent::Scroll {
                        node: 1,
                        x: 0.0,
                        y: 1200.0,
                    },
                ),
                (
                    6_000,
                    HeatEvent::Scroll {
                        node: 1,
                        x: 0.0,
                        y: 0.0,
                    },
                ),
            ]),
            1,
            1,
        );
        assert_eq!(steps(&second), vec![5, 6, 7, 8, 9, 10]);
        assert_eq!(second.0[&key].scroll_views, 0, "the same page view");
    }
}
