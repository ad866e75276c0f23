//! Heatmaps: clicks, moves and scroll depth of a page, and the snapshot to draw them over.

use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::recordings::RrwebEvent;
use crate::domain::heatmaps::{self, extract::day_of, query, Device, Kind};
use crate::domain::{sites, validation, visitor};
use crate::error::AppError;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "HeatmapDevice")]
pub enum HeatmapDevice {
    Desktop,
    Tablet,
    Mobile,
}

impl From<HeatmapDevice> for Device {
    fn from(d: HeatmapDevice) -> Device {
        match d {
            HeatmapDevice::Desktop => Device::Desktop,
            HeatmapDevice::Tablet => Device::Tablet,
            HeatmapDevice::Mobile => Device::Mobile,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum HeatmapKind {
    Click,
    RageClick,
    DeadClick,
    Move,
    Scroll,
}

impl From<HeatmapKind> for Kind {
    fn from(k: HeatmapKind) -> Kind {
        match k {
            HeatmapKind::Click => Kind::Click,
            HeatmapKind::RageClick => Kind::RageClick,
            HeatmapKind::DeadClick => Kind::DeadClick,
            HeatmapKind::Move => Kind::Move,
            HeatmapKind::Scroll => Kind::Scroll,
        }
    }
}

/// A bin of the grid: its top-left corner in CSS px at the reference width, and how many.
#[derive(SimpleObject)]
pub struct HeatmapPoint {
    pub x: i32,
    pub y: i32,
    pub count: i64,
}

#[derive(SimpleObject)]
pub struct HeatmapElement {
    /// A CSS selector of the element, built from the page's snapshot.
    pub selector: String,
    /// Clicks of the heatmap's kind (rage or dead clicks for those kinds).
    pub clicks: i64,
    /// Its share of all such clicks on the page, 0–1.
    pub share: f64,
}

#[derive(SimpleObject)]
pub struct HeatmapScrollStep {
    /// Percent of the document height: 5, 10, … 100.
    pub depth: i32,
    /// Share of page views whose viewport reached it, 0–1.
    pub share: f64,
}

#[derive(SimpleObject)]
pub struct Heatmap {
    /// The page as counted: scrubbed, without query or fragment.
    pub url: String,
    pub page_views: i64,
    pub clicks: i64,
    /// Largest document size seen, in CSS px at the reference width.
    pub document_width: i64,
    pub document_height: i64,
    /// The width positions are scaled to: desktop 1280, tablet 768, mobile 375.
    pub reference_width: i32,
    /// Grid size of the points, in CSS px at the reference width (20; 40 for MOVE).
    pub bin_size: i32,
    /// CLICK, RAGE_CLICK, DEAD_CLICK, MOVE: the densest bins first (at most 20,000).
    pub points: Vec<HeatmapPoint>,
    /// The most clicked elements (at most 50).
    pub elements: Vec<HeatmapElement>,
    /// SCROLL: the share of page views reaching each 5 % of the page.
    pub scroll: Vec<HeatmapScrollStep>,
    /// Mean fold (viewport height) in CSS px at the reference width.
    pub average_fold: Option<f64>,
    /// With a segment: the sessions the map was computed from (null without one).
    pub sample: Option<HeatmapSample>,
}

/// What a segment's heatmap was computed from: the aggregates hold no visitors, so it is
/// rebuilt from the newest recorded sessions of the segment that visited the page.
#[derive(SimpleObject)]
pub struct HeatmapSample {
    /// Sessions read (at most 500, newest first).
    pub recordings: i64,
    /// False when the bound on sessions or event bytes cut the sample short.
    pub complete: bool,
}

#[derive(SimpleObject)]
pub struct HeatmapPage {
    pub url: String,
    pub page_views: i64,
    pub clicks: i64,
}

/// The newest full snapshot of the page on the device, to rebuild it under the heat layer.
#[derive(SimpleObject)]
pub struct HeatmapSnapshot {
    pub recording_id: ID,
    pub timestamp: DateTime<Utc>,
    /// The rrweb full snapshot event (type 2), masked as stored.
    pub event: RrwebEvent,
}

fn days(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(Option<i32>, Option<i32>), AppError> {
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(AppError::bad_input("to", "`to` must be after `from`"));
        }
    }
    Ok((
        from.map(|f| day_of(f.timestamp_millis())),
        // `to` is exclusive; aggregates are per UTC day, so the day it falls in counts.
        to.map(|t| day_of(t.timestamp_millis() - 1)),
    ))
}

fn page(site: &entity::site::Model, url: &str) -> Result<String, AppError> {
    if url.chars().count() > 2_000 {
        return Err(AppError::bad_input("url", "at most 2,000 characters"));
    }
    heatmaps::page_of(&visitor::url::UrlPolicy::for_site(site), url)
        .ok_or_else(|| AppError::bad_input("url", "an http(s) URL of the site's pages"))
}

#[derive(Default)]
pub struct HeatmapQuery;

#[Object]
impl HeatmapQuery {
    /// A page's heatmap over `[from, to)` (counted per UTC day: the days these fall in).
    /// With a segment (`segmentId`, or an inline `rule`), the map is computed from the
    /// recorded sessions of the segment's visitors (see `sample`); page views counted
    /// without recording carry no visitor and are left out.
    #[allow(clippy::too_many_arguments)]
    async fn heatmap(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        url: String,
        device: HeatmapDevice,
        kind: HeatmapKind,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        segment_id: Option<ID>,
        rule: Option<async_graphql::Json<serde_json::Value>>,
    ) -> Result<Heatmap> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let segment = super::surveys::segment_choice(segment_id, rule)?;
        let (from_day, to_day) = days(from, to)?;
        let filter = query::Filter {
            site_id: site.id,
            page: page(&site, &url)?,
            device: device.into(),
            from_day,
            to_day,
        };
        let (h, sample) = match segment {
            None => (query::heatmap(db, &filter, kind.into()).await?, None),
            Some(choice) => {
                let (h, s) =
                    heatmaps::segmented::heatmap(db, &site, &filter, kind.into(), choice).await?;
                (
                    h,
                    Some(HeatmapSample {
                        recordings: s.recordings as i64,
                        complete: s.complete,
                    }),
                )
            }
        };
        Ok(Heatmap {
            url: filter.page,
            page_views: h.page_views,
            clicks: h.clicks,
            document_width: h.document_width,
            document_height: h.document_height,
            reference_width: h.reference_width,
            bin_size: Kind::from(kind).bin_px(),
            points: h
                .points
                .into_iter()
                .map(|p| HeatmapPoint {
                    x: p.x,
                    y: p.y,
                    count: p.count,
                })
                .collect(),
            elements: h
                .elements
                .into_iter()
                .map(|e| HeatmapElement {
                    selector: e.selector,
                    clicks: e.clicks,
                    share: e.share,
                })
                .collect(),
            scroll: h
                .scroll
                .into_iter()
                .map(|s| HeatmapScrollStep {
                    depth: s.depth,
                    share: s.share,
                })
                .collect(),
            average_fold: h.average_fold,
            sample,
        })
    }

    /// A site's pages with heatmap data over `[from, to)`, most visited first (1–100).
    async fn heatmap_pages(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default = 20)] first: i32,
    ) -> Result<Vec<HeatmapPage>> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        if !(1..=100).contains(&first) {
            return Err(AppError::bad_input("first", "`first` is 1–100").into());
        }
        let (from_day, to_day) = days(from, to)?;
        Ok(query::pages(db, site.id, from_day, to_day, first as u64)
            .await?
            .into_iter()
            .map(|p| HeatmapPage {
                url: p.page,
                page_views: p.page_views,
                clicks: p.clicks,
            })
            .collect())
    }

    /// The newest full snapshot of a page on a device (null when none is stored).
    async fn heatmap_snapshot(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        url: String,
        device: HeatmapDevice,
    ) -> Result<Option<HeatmapSnapshot>> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let page = page(&site, &url)?;
        let Some(s) = query::snapshot(db, site.id, &page, device.into()).await? else {
            return Ok(None);
        };
        Ok(Some(HeatmapSnapshot {
            recording_id: ID(s.recording_id.to_string()),
            timestamp: chrono::TimeZone::timestamp_millis_opt(&Utc, s.timestamp)
                .single()
                .unwrap_or_else(crate::domain::now),
            event: RrwebEvent::new(ctx, s.event),
        }))
    }
}
