//! Heatmaps without recording: what the browser tag itself sends from a page view
//! (clicks with their selectors, sampled moves, the deepest scroll, page sizes), checked
//! and turned into the same aggregate increments the recording extraction gives
//! ([`super::store::flush`] writes both).
//!
//! The tag applies the recording's rules before sending: selectors built like
//! [`super::selector`], rage runs like `metadata::rage_runs` (flagged on the run's first
//! click), dead clicks after [`super::extract::DEAD_WINDOW_MS`] without a DOM change,
//! moves at most one per [`super::extract::MOVE_SAMPLE_MS`].

use serde::Deserialize;

use super::extract::{day_of, Deltas, PageDelta};
use super::selector::MAX_SELECTOR_CHARS;
use super::{Device, Kind, BIN_PX, SCROLL_STEPS};
use crate::domain::visitor::url::UrlPolicy;
use crate::error::{AppError, AppResult};

/// Most clicks and moves one request may carry (the tag sends every ~10 s).
pub const MAX_CLICKS: usize = 500;
pub const MAX_MOVES: usize = 2_000;
/// Largest body accepted, in bytes.
pub const MAX_HEAT_BODY: usize = 256 * 1024;
/// Largest page size or coordinate accepted, in CSS px.
pub const MAX_PX: f64 = 1_000_000.0;
const MAX_URL_CHARS: usize = 4_096;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageInfo {
    pub url: String,
    pub viewport_width: f64,
    pub viewport_height: f64,
    pub doc_width: f64,
    pub doc_height: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeatClick {
    /// Document coordinates (viewport position plus scroll), CSS px.
    pub x: f64,
    pub y: f64,
    #[serde(default)]
    pub selector: Option<String>,
    /// Milliseconds since the page view started.
    pub t: f64,
    /// The first click of a rage run.
    #[serde(default)]
    pub rage: bool,
    #[serde(default)]
    pub dead: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeatMove {
    pub x: f64,
    pub y: f64,
}

/// One batch of a page view, as the tag sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeatBody {
    pub page: PageInfo,
    /// The batch's number within its page view: 0 counts the page view (and its fold).
    #[serde(default)]
    pub seq: u32,
    #[serde(default)]
    pub clicks: Vec<HeatClick>,
    #[serde(default)]
    pub moves: Vec<HeatMove>,
    /// Deepest viewport bottom reached so far, as a share of the document height.
    #[serde(default)]
    pub max_scroll: f64,
    /// What an earlier batch of this page view already reported (0 on the first).
    #[serde(default)]
    pub prev_scroll: f64,
}

fn px(field: &str, v: f64, min: f64) -> AppResult<f64> {
    if v.is_finite() && (min..=MAX_PX).contains(&v) {
        Ok(v)
    } else {
        Err(AppError::bad_input(
            field,
            format!("{v} is not a size in CSS px between {min} and {MAX_PX}"),
        ))
    }
}

fn share(field: &str, v: f64) -> AppResult<f64> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(AppError::bad_input(
            field,
            format!("{v} is not a share between 0 and 1"),
        ))
    }
}

/// Whether `s` has the shape [`super::selector`] builds: steps of a tag, `#id` or
/// `.class`es and `:nth-child(n)`, joined by ` > `. Nothing else (no text, no attribute
/// values) can travel in a selector.
pub fn valid_selector(s: &str) -> bool {
    let word = |w: &str| {
        !w.is_empty()
            && w.len() <= 64
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    !s.is_empty()
        && s.len() <= MAX_SELECTOR_CHARS
        && s.split(" > ").all(|step| {
            let (rest, nth) = match step.split_once(":nth-child(") {
                Some((r, n)) => (r, Some(n)),
                None => (step, None),
            };
            let nth_ok = nth.is_none_or(|n| {
                n.strip_suffix(')').is_some_and(|d| {
                    !d.is_empty() && d.len() <= 6 && d.bytes().all(|b| b.is_ascii_digit())
                })
            });
            let (tag, id) = match rest.split_once('#') {
                Some((t, id)) => (t, Some(id)),
                None => (rest, None),
            };
            let mut parts = tag.split('.');
            let tag_ok = parts.next().is_some_and(word);
            let classes_ok = parts.all(word);
            nth_ok && tag_ok && classes_ok && id.is_none_or(word)
        })
}

fn bin(v: f64) -> i32 {
    ((v.max(0.0) / f64::from(BIN_PX)).floor() as i64).clamp(0, i64::from(i32::MAX)) as i32
}

/// Checks a batch and gives its increments for `(site, page, device, day of now_ms)`.
/// None when the URL is not an http(s) page (nothing to count).
pub fn deltas(
    site_id: i64,
    urls: &UrlPolicy,
    body: &HeatBody,
    now_ms: i64,
) -> AppResult<Option<Deltas>> {
    let p = &body.page;
    if p.url.len() > MAX_URL_CHARS {
        return Err(AppError::bad_input(
            "page.url",
            format!("a page URL has at most {MAX_URL_CHARS} characters"),
        ));
    }
    let vw = px("page.viewport_width", p.viewport_width, 1.0)?;
    let vh = px("page.viewport_height", p.viewport_height, 1.0)?;
    let dw = px("page.doc_width", p.doc_width, 0.0)?;
    let dh = px("page.doc_height", p.doc_height, 0.0)?;
    let max_scroll = share("max_scroll", body.max_scroll)?;
    let prev_scroll = share("prev_scroll", body.prev_scroll)?;
    if body.clicks.len() > MAX_CLICKS {
        return Err(AppError::bad_input(
            "clicks",
            format!("at most {MAX_CLICKS} clicks per request"),
        ));
    }
    if body.moves.len() > MAX_MOVES {
        return Err(AppError::bad_input(
            "moves",
            format!("at most {MAX_MOVES} moves per request"),
        ));
    }
    for (i, c) in body.clicks.iter().enumerate() {
        px(&format!("clicks.{i}.x"), c.x, 0.0)?;
        px(&format!("clicks.{i}.y"), c.y, 0.0)?;
        if !(c.t.is_finite() && c.t >= 0.0) {
            return Err(AppError::bad_input(
                format!("clicks.{i}.t"),
                "t is the milliseconds since the page view started (≥ 0)",
            ));
        }
        if let Some(s) = &c.selector {
            if !valid_selector(s) {
                return Err(AppError::bad_input(
                    format!("clicks.{i}.selector"),
                    "a selector is `tag#id` or `tag.class:nth-child(n)` steps joined by ` > ` (at most 512 characters)",
                ));
            }
        }
    }
    for (i, m) in body.moves.iter().enumerate() {
        px(&format!("moves.{i}.x"), m.x, 0.0)?;
        px(&format!("moves.{i}.y"), m.y, 0.0)?;
    }
    let Some(page) = super::page_of(urls, &p.url).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let device = Device::of_width(vw);
    let scale = f64::from(device.reference_width()) / vw;
    let mut d = PageDelta {
        document_width: (dw * scale)
            .round()
            .max(f64::from(device.reference_width())) as i64,
        document_height: (dh.max(vh) * scale).round() as i64,
        ..PageDelta::default()
    };
    if body.seq == 0 {
        d.page_views = 1;
        if dh > 0.0 {
            d.scroll_views = 1;
            d.fold_sum = (vh * scale).round() as i64;
        }
    }
    if dh > 0.0 {
        let step = |s: f64| (s * f64::from(SCROLL_STEPS) + 1e-9).floor() as i32;
        // The fold counts from the first batch on, like the recording's first viewport.
        let from = if body.seq == 0 { 0 } else { step(prev_scroll) };
        let reached = step(max_scroll.max((vh / dh).min(1.0)));
        for k in (from + 1)..=reached {
            *d.cells.entry((Kind::Scroll, 0, k)).or_default() += 1;
        }
    }
    for c in &body.clicks {
        let (x, y) = (c.x * scale, c.y * scale);
        let cell = (bin(x), bin(y));
        d.clicks += 1;
        d.document_height = d.document_height.max(y.round() as i64);
        *d.cells.entry((Kind::Click, cell.0, cell.1)).or_default() += 1;
        if c.rage {
            d.rage_clicks += 1;
            *d.cells
                .entry((Kind::RageClick, cell.0, cell.1))
                .or_default() += 1;
        }
        if c.dead {
            d.dead_clicks += 1;
            *d.cells
                .entry((Kind::DeadClick, cell.0, cell.1))
                .or_default() += 1;
        }
        if let Some(s) = &c.selector {
            let e = d.elements.entry(s.clone()).or_default();
            e[0] += 1;
            e[1] += i64::from(c.rage);
            e[2] += i64::from(c.dead);
        }
    }
    for m in &body.moves {
        d.moves += 1;
        *d.cells
            .entry((Kind::Move, bin(m.x * scale), bin(m.y * scale)))
            .or_default() += 1;
    }
    let mut out = Deltas::default();
    out.0.insert((site_id, page, device, day_of(now_ms)), d);
    Ok(Some(out))
}

/// Stores one batch of a page view for `site`: 403 `HEATMAPS_DISABLED` while the site has
/// heatmaps off; the increments are written in one transaction (a 2xx means committed).
/// Returns whether anything was counted.
#[tracing::instrument(skip(db, site, body), fields(site_id = site.id))]
pub async fn record(
    db: &sea_orm::DatabaseConnection,
    site: &entity::site::Model,
    body: &HeatBody,
) -> AppResult<bool> {
    use sea_orm::TransactionTrait;
    if !site.heatmaps_enabled {
        return Err(AppError::FeatureDisabled {
            code: "HEATMAPS_DISABLED",
            message: format!("site {} has heatmaps off (heatmapsEnabled)", site.id),
        });
    }
    let urls = UrlPolicy::for_site(site);
    let now = crate::domain::now().timestamp_millis();
    let Some(deltas) = deltas(site.id, &urls, body, now)? else {
        return Ok(false);
    };
    let txn = db.begin().await?;
    super::store::flush(&txn, deltas).await?;
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: serde_json::Value) -> HeatBody {
        serde_json::from_value(v).expect("body")
    }

    fn page() -> serde_json::Value {
        json!({"url": "https://a.example/p?email=ann@example.com#x", "viewport_width": 1920,
               "viewport_height": 800, "doc_width": 1920, "doc_height": 4000})
    }

    #[test]
    fn selectors_have_the_server_shape() {
        for (s, ok) in [
            ("body.page > main > button.btn.buy", true),
            ("nav#menu > a.link:nth-child(1)", true),
            ("button#rage", true),
            ("my-widget > span", true),
            ("", false),
            ("body > a[href=x]", false),
            ("body > p:contains(secret)", false),
            ("body >  a", false),
            ("body > a:nth-child()", false),
            ("body > a.b c", false),
        ] {
            assert_eq!(valid_selector(s), ok, "{s}");
        }
        assert!(!valid_selector(&"a > ".repeat(200)));
    }

    #[test]
    fn a_batch_is_scaled_binned_and_counted_once_per_page_view() {
        let urls = UrlPolicy::default();
        let b = body(json!({"page": page(), "seq": 0, "max_scroll": 0.5,
            "clicks": [{"x": 960, "y": 400, "selector": "body > button#go", "t": 5},
                       {"x": 30, "y": 30, "t": 9, "rage": true, "dead": true}],
            "moves": [{"x": 0, "y": 0}]}));
        let d = deltas(3, &urls, &b, 0).expect("valid").expect("a page");
        let row = &d.0[&(3, "https://a.example/p".to_owned(), Device::Desktop, 0)];
        assert_eq!(
            (
                row.page_views,
                row.clicks,
                row.rage_clicks,
                row.dead_clicks,
                row.moves
            ),
            (1, 2, 1, 1, 1)
        );
        // 1920 → 1280: (960, 400) * 2/3 = (640, 266.7) → bin (32, 13).
        assert_eq!(row.cells.get(&(Kind::Click, 32, 13)), Some(&1));
        assert_eq!(row.cells.get(&(Kind::RageClick, 1, 1)), Some(&1));
        assert_eq!(row.elements["body > button#go"], [1, 0, 0]);
        let steps: Vec<i32> = {
            let mut s: Vec<_> = row
                .cells
                .keys()
                .filter(|k| k.0 == Kind::Scroll)
                .map(|k| k.2)
                .collect();
            s.sort();
            s
        };
        assert_eq!(steps, (1..=10).collect::<Vec<_>>());
        assert_eq!(
            (row.scroll_views, row.fold_sum, row.document_width),
            (1, 533, 1280)
        );
        // A later batch: no second page view, only the new scroll steps.
        let b2 = body(json!({"page": page(), "seq": 1, "max_scroll": 0.6, "prev_scroll": 0.5}));
        let d2 = deltas(3, &urls, &b2, 0).expect("valid").expect("a page");
        let row2 = &d2.0[&(3, "https://a.example/p".to_owned(), Device::Desktop, 0)];
        assert_eq!((row2.page_views, row2.scroll_views), (0, 0));
        assert_eq!(row2.cells.len(), 2, "steps 11 and 12");
    }

    #[test]
    fn bad_input_names_its_field() {
        let urls = UrlPolicy::default();
        let field = |v: serde_json::Value| match deltas(1, &urls, &body(v), 0) {
            Err(AppError::BadInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let mut p = page();
        p["viewport_width"] = json!(0);
        assert_eq!(
            field(json!({"page": p})).as_deref(),
            Some("page.viewport_width")
        );
        assert_eq!(
            field(json!({"page": page(), "max_scroll": 1.5})).as_deref(),
            Some("max_scroll")
        );
        assert_eq!(
            field(json!({"page": page(), "clicks": [{"x": -1, "y": 0, "t": 0}]})).as_deref(),
            Some("clicks.0.x")
        );
        assert_eq!(
            field(
                json!({"page": page(), "clicks": [{"x": 1, "y": 0, "t": 0, "selector": "a <b>"}]})
            )
            .as_deref(),
            Some("clicks.0.selector")
        );
        let many: Vec<_> = (0..=MAX_CLICKS)
            .map(|_| json!({"x": 1, "y": 1, "t": 0}))
            .collect();
        assert_eq!(
            field(json!({"page": page(), "clicks": many})).as_deref(),
            Some("clicks")
        );
        // Not a web page: nothing to count, no error.
        let mut p = page();
        p["url"] = json!("about:blank");
        assert!(deltas(1, &urls, &body(json!({"page": p})), 0)
            .expect("valid")
            .is_none());
    }
}
