//! Session facts from rrweb events: page views (Meta events), clicks, rage clicks,
//! U-turns and the viewport. Only the events that carry these are looked into, on the
//! batch's tape (no second parse), and only the members needed.

use super::envelope::Event;
use crate::domain::tape::{Kind, Val};

/// rrweb event types.
pub const FULL_SNAPSHOT: u8 = 2;
pub const INCREMENTAL: u8 = 3;
pub const META: u8 = 4;
pub const CUSTOM: u8 = 5;
/// Incremental sources.
pub const SOURCE_MUTATION: u8 = 0;
pub const SOURCE_MOUSE_MOVE: u8 = 1;
pub const SOURCE_MOUSE_INTERACTION: u8 = 2;
pub const SOURCE_SCROLL: u8 = 3;
pub const SOURCE_VIEWPORT: u8 = 4;
pub const SOURCE_INPUT: u8 = 5;
pub const SOURCE_TOUCH_MOVE: u8 = 6;
pub const SOURCE_DRAG: u8 = 12;
/// The custom event (type 5) tag under which the browser tag reports the document's size:
/// `{"tag": "loupe-page-size", "payload": {"width": …, "height": …}}` (scrollWidth/Height).
pub const PAGE_SIZE_TAG: &str = "loupe-page-size";
/// Mouse interaction type of a click.
const CLICK: u8 = 2;

pub const RAGE_WINDOW_MS: i64 = 1_000;
pub const RAGE_RADIUS_PX: f64 = 30.0;
pub const RAGE_MIN_CLICKS: usize = 3;
pub const U_TURN_MS: i64 = 10_000;

/// A member that must be a number when present (`Err`: another kind of value, and the
/// event is not read, as a typed parse of it would fail).
fn num(data: Val<'_, '_>, key: &str) -> Result<Option<f64>, ()> {
    match data.get(key) {
        None => Ok(None),
        Some(v) if v.raw() == "null" => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or(()),
    }
}

/// [`num`] for an integer.
fn int(data: Val<'_, '_>, key: &str) -> Result<Option<i64>, ()> {
    match data.get(key) {
        None => Ok(None),
        Some(v) if v.raw() == "null" => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or(()),
    }
}

/// Reads an event's `data` once for its source (and interaction type).
fn small(data: Val<'_, '_>, key: &str) -> Result<Option<u8>, ()> {
    int(data, key)?
        .map(|n| u8::try_from(n).map_err(|_| ()))
        .transpose()
}

/// What heatmaps need from a batch, in event order (see `domain::heatmaps::extract`).
#[derive(Debug, Clone, PartialEq)]
pub enum HeatEvent {
    /// A page view (Meta): URL as sent, viewport.
    Page {
        href: String,
        width: f64,
        height: f64,
    },
    FullSnapshot,
    Click {
        x: f64,
        y: f64,
        node: Option<i64>,
    },
    Move {
        x: f64,
        y: f64,
    },
    /// A node scrolled to (x, y); the document's node for page scrolls.
    Scroll {
        node: i64,
        x: f64,
        y: f64,
    },
    Viewport {
        width: f64,
        height: f64,
    },
    /// The document's size, from the tag's custom event.
    DocumentSize {
        width: f64,
        height: f64,
    },
    /// The DOM changed (dead-click detection).
    Mutation,
}

/// What one batch tells about its session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchFacts {
    pub first_ts: i64,
    pub last_ts: i64,
    pub events: usize,
    /// (timestamp, URL as sent): scrubbed by the caller before storage.
    pub pages: Vec<(i64, String)>,
    pub clicks: Vec<(i64, f64, f64)>,
    /// Latest (timestamp, width, height).
    pub viewport: Option<(i64, i32, i32)>,
    /// Heatmap facts by timestamp (event order within one), when asked for.
    pub heat: Vec<(i64, HeatEvent)>,
}

pub fn facts(events: &[Event<'_, '_>]) -> BatchFacts {
    facts_with(events, false)
}

/// [`facts`], and with `heat` the heatmap facts too, in the same pass over the events.
pub fn facts_with(events: &[Event<'_, '_>], heat: bool) -> BatchFacts {
    let mut f = BatchFacts {
        first_ts: i64::MAX,
        last_ts: i64::MIN,
        events: events.len(),
        ..Default::default()
    };
    let viewport = |ts: i64, w: Option<f64>, h: Option<f64>, f: &mut BatchFacts| {
        if let (Some(w), Some(h)) = (w, h) {
            if f.viewport.is_none_or(|(at, _, _)| ts >= at) {
                f.viewport = Some((ts, w as i32, h as i32));
            }
        }
    };
    for e in events {
        f.first_ts = f.first_ts.min(e.timestamp);
        f.last_ts = f.last_ts.max(e.timestamp);
        let d = e.data;
        match e.kind {
            META => {
                let href = match d.get("href") {
                    None => Ok(None),
                    Some(v) if v.raw() == "null" => Ok(None),
                    Some(v) => v.str().map(|h| Some(h.into_owned())).ok_or(()),
                };
                let (Ok(href), Ok(width), Ok(height)) = (href, num(d, "width"), num(d, "height"))
                else {
                    continue;
                };
                if let Some(href) = href {
                    if heat {
                        f.heat.push((
                            e.timestamp,
                            HeatEvent::Page {
                                href: href.clone(),
                                width: width.unwrap_or(0.0),
                                height: height.unwrap_or(0.0),
                            },
                        ));
                    }
                    f.pages.push((e.timestamp, href));
                }
                viewport(e.timestamp, width, height, &mut f);
            }
            FULL_SNAPSHOT if heat => f.heat.push((e.timestamp, HeatEvent::FullSnapshot)),
            CUSTOM if heat => {
                let size = d.get("payload").filter(|p| p.kind() == Kind::Object);
                if let (true, Some(size)) =
                    (d.get("tag").is_some_and(|t| t.is_str(PAGE_SIZE_TAG)), size)
                {
                    if let (Ok(Some(width)), Ok(Some(height))) =
                        (num(size, "width"), num(size, "height"))
                    {
                        f.heat
                            .push((e.timestamp, HeatEvent::DocumentSize { width, height }));
                    }
                }
            }
            INCREMENTAL => {
                let Ok(source) = small(d, "source") else {
                    continue;
                };
                match source {
                    Some(SOURCE_MOUSE_INTERACTION) => {
                        let (Ok(Some(CLICK)), Ok(x), Ok(y), Ok(id)) =
                            (small(d, "type"), num(d, "x"), num(d, "y"), int(d, "id"))
                        else {
                            continue;
                        };
                        let (x, y) = (x.unwrap_or(0.0), y.unwrap_or(0.0));
                        f.clicks.push((e.timestamp, x, y));
                        if heat {
                            f.heat
                                .push((e.timestamp, HeatEvent::Click { x, y, node: id }));
                        }
                    }
                    Some(SOURCE_VIEWPORT) => {
                        let (Ok(width), Ok(height)) = (num(d, "width"), num(d, "height")) else {
                            continue;
                        };
                        viewport(e.timestamp, width, height, &mut f);
                        if let (true, Some(width), Some(height)) = (heat, width, height) {
                            f.heat
                                .push((e.timestamp, HeatEvent::Viewport { width, height }));
                        }
                    }
                    Some(SOURCE_MOUSE_MOVE | SOURCE_TOUCH_MOVE | SOURCE_DRAG) if heat => {
                        let Some(positions) = d.get("positions") else {
                            continue;
                        };
                        for p in positions.elements().filter(|p| p.kind() == Kind::Object) {
                            if let (Ok(Some(x)), Ok(Some(y)), Ok(offset)) =
                                (num(p, "x"), num(p, "y"), int(p, "timeOffset"))
                            {
                                let at = e.timestamp + offset.unwrap_or(0).min(0);
                                f.heat.push((at, HeatEvent::Move { x, y }));
                            }
                        }
                    }
                    Some(SOURCE_SCROLL) if heat => {
                        if let (Ok(Some(node)), Ok(Some(x)), Ok(Some(y))) =
                            (int(d, "id"), num(d, "x"), num(d, "y"))
                        {
                            f.heat.push((e.timestamp, HeatEvent::Scroll { node, x, y }));
                        }
                    }
                    Some(SOURCE_MUTATION) if heat => {
                        f.heat.push((e.timestamp, HeatEvent::Mutation));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    f.pages.sort_by_key(|(t, _)| *t);
    f.clicks.sort_by_key(|c| c.0);
    // Stable: events of one millisecond keep their order (a Meta before its snapshot).
    f.heat.sort_by_key(|(t, _)| *t);
    f
}

/// Rage clicks: runs of 3 or more clicks within 1 s of the run's first click and within
/// 30 px of it. Each run counts once.
pub fn rage_clicks(clicks: &[(i64, f64, f64)]) -> usize {
    rage_runs(clicks).len()
}

/// The index of each rage run's first click (see [`rage_clicks`]).
pub fn rage_runs(clicks: &[(i64, f64, f64)]) -> Vec<usize> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < clicks.len() {
        let (t0, x0, y0) = clicks[i];
        let mut j = i + 1;
        while j < clicks.len() {
            let (t, x, y) = clicks[j];
            if t - t0 > RAGE_WINDOW_MS || (x - x0).hypot(y - y0) > RAGE_RADIUS_PX {
                break;
            }
            j += 1;
        }
        if j - i >= RAGE_MIN_CLICKS {
            runs.push(i);
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

/// U-turns: a page left for another and come back to within 10 s.
/// A page is its URL without query or fragment.
pub fn u_turns(pages: &[(i64, String)]) -> usize {
    let page = |u: &str| u.split(['?', '#']).next().unwrap_or("").to_owned();
    pages
        .windows(3)
        .filter(|w| {
            let (a, b, c) = (page(&w[0].1), page(&w[1].1), page(&w[2].1));
            a == c && a != b && w[2].0 - w[1].0 <= U_TURN_MS
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rage_click_runs() {
        let c = |t: i64, x: f64| (t, x, 100.0);
        assert_eq!(rage_clicks(&[c(0, 10.0), c(300, 12.0), c(600, 15.0)]), 1);
        assert_eq!(
            rage_clicks(&[c(0, 10.0), c(300, 12.0)]),
            0,
            "two clicks are not rage"
        );
        assert_eq!(
            rage_clicks(&[c(0, 10.0), c(600, 12.0), c(1200, 15.0)]),
            0,
            "spread over more than 1 s"
        );
        assert_eq!(
            rage_clicks(&[c(0, 10.0), c(100, 80.0), c(200, 150.0)]),
            0,
            "farther than 30 px"
        );
        let burst: Vec<_> = (0..7).map(|i| c(i * 100, 10.0)).collect();
        assert_eq!(rage_clicks(&burst), 1, "one run counts once");
        let two: Vec<_> = (0..3)
            .map(|i| c(i * 100, 10.0))
            .chain((0..3).map(|i| c(5_000 + i * 100, 500.0)))
            .collect();
        assert_eq!(rage_clicks(&two), 2);
    }

    #[test]
    fn u_turn_pages() {
        let p = |t: i64, u: &str| (t, u.to_owned());
        assert_eq!(u_turns(&[p(0, "/a"), p(5_000, "/b"), p(12_000, "/a")]), 1);
        assert_eq!(
            u_turns(&[p(0, "/a"), p(5_000, "/b"), p(16_000, "/a")]),
            0,
            "back after more than 10 s"
        );
        assert_eq!(u_turns(&[p(0, "/a"), p(5_000, "/b"), p(8_000, "/c")]), 0);
        assert_eq!(
            u_turns(&[p(0, "/a"), p(1_000, "/a"), p(2_000, "/a")]),
            0,
            "a reload is not a U-turn"
        );
    }
}
