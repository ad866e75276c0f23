//! Reading heatmaps: a page's binned points, top elements and scroll reach over a range
//! of days, the most visited pages, and the page's newest full snapshot to draw over.

use entity::{heatmap_element, heatmap_page, recording};
use sea_orm::sea_query::{Alias, Expr, Order, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, QueryResult};

use super::extract::PageDelta;
use super::{Device, Kind, SCROLL_STEPS};
use crate::error::{AppError, AppResult};

/// Points returned at most (the densest bins).
pub const MAX_POINTS: u64 = 20_000;
/// Elements listed at most.
pub const MAX_ELEMENTS: u64 = 50;

#[derive(Debug, Clone)]
pub struct Filter {
    pub site_id: i64,
    /// As normalised by [`super::page_of`].
    pub page: String,
    pub device: Device,
    /// UTC days, both included.
    pub from_day: Option<i32>,
    pub to_day: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElementStat {
    pub selector: String,
    pub clicks: i64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScrollStep {
    /// Percent of the document height, 5–100.
    pub depth: i32,
    /// Share of page views (with a known document height) whose viewport reached it.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub page_views: i64,
    pub clicks: i64,
    pub document_width: i64,
    pub document_height: i64,
    pub reference_width: i32,
    pub points: Vec<Point>,
    pub elements: Vec<ElementStat>,
    pub scroll: Vec<ScrollStep>,
    /// Mean viewport height at reference width (px), over page views in the scroll map.
    pub average_fold: Option<f64>,
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((Alias::new(t), Alias::new(c)))
}

fn sum(t: &str, c: &str) -> sea_orm::sea_query::SimpleExpr {
    // SUM of a bigint is numeric on PostgreSQL: cast it back.
    Expr::cust(format!("CAST(COALESCE(SUM(\"{t}\".\"{c}\"), 0) AS BIGINT)"))
}

fn page_filter(q: &mut SelectStatement, f: &Filter) {
    q.and_where(col("heatmap_page", "site_id").eq(f.site_id))
        .and_where(col("heatmap_page", "page").eq(f.page.clone()))
        .and_where(col("heatmap_page", "device").eq(f.device.as_str()));
    day_filter(q, f.from_day, f.to_day);
}

fn day_filter(q: &mut SelectStatement, from: Option<i32>, to: Option<i32>) {
    if let Some(d) = from {
        q.and_where(col("heatmap_page", "day").gte(d));
    }
    if let Some(d) = to {
        q.and_where(col("heatmap_page", "day").lte(d));
    }
}

async fn rows(db: &impl ConnectionTrait, q: &SelectStatement) -> AppResult<Vec<QueryResult>> {
    Ok(db.query_all(db.get_database_backend().build(q)).await?)
}

fn get<T: sea_orm::TryGetable>(r: &QueryResult, c: &str) -> AppResult<T> {
    r.try_get::<T>("", c)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))
}

/// The share of the `views` in the scroll map whose viewport reached each 5 % step, from
/// how many reached step `k` (1..=SCROLL_STEPS).
fn scroll_steps(views: i64, reached: impl Fn(i32) -> i64) -> Vec<ScrollStep> {
    (1..=SCROLL_STEPS)
        .map(|k| ScrollStep {
            depth: k * 100 / SCROLL_STEPS,
            share: if views > 0 {
                reached(k) as f64 / views as f64
            } else {
                0.0
            },
        })
        .collect()
}

/// A page's heatmap of `kind`.
#[tracing::instrument(skip(db))]
pub async fn heatmap(db: &impl ConnectionTrait, f: &Filter, kind: Kind) -> AppResult<Heatmap> {
    let mut q = Query::select();
    q.from(heatmap_page::Entity)
        .expr_as(sum("heatmap_page", "page_views"), Alias::new("page_views"))
        .expr_as(sum("heatmap_page", "clicks"), Alias::new("clicks"))
        .expr_as(
            sum("heatmap_page", "rage_clicks"),
            Alias::new("rage_clicks"),
        )
        .expr_as(
            sum("heatmap_page", "dead_clicks"),
            Alias::new("dead_clicks"),
        )
        .expr_as(
            sum("heatmap_page", "scroll_views"),
            Alias::new("scroll_views"),
        )
        .expr_as(sum("heatmap_page", "fold_sum"), Alias::new("fold_sum"))
        .expr_as(
            Expr::cust("CAST(COALESCE(MAX(\"heatmap_page\".\"document_width\"), 0) AS BIGINT)"),
            Alias::new("document_width"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(MAX(\"heatmap_page\".\"document_height\"), 0) AS BIGINT)"),
            Alias::new("document_height"),
        );
    page_filter(&mut q, f);
    let totals = rows(db, &q).await?;
    let t = totals.first();
    let total = |c: &str| -> AppResult<i64> { t.map_or(Ok(0), |r| get::<i64>(r, c)) };
    let (page_views, clicks) = (total("page_views")?, total("clicks")?);
    let scroll_views = total("scroll_views")?;
    let mut out = Heatmap {
        page_views,
        clicks,
        document_width: total("document_width")?,
        document_height: total("document_height")?,
        reference_width: f.device.reference_width(),
        points: Vec::new(),
        elements: Vec::new(),
        scroll: Vec::new(),
        average_fold: (scroll_views > 0)
            .then(|| total("fold_sum").map(|s| s as f64 / scroll_views as f64))
            .transpose()?,
    };
    if page_views == 0 && clicks == 0 {
        return Ok(out);
    }
    // Bins (or scroll steps), summed over the days: the rolled-up cells and the increments
    // still staged (see `store::roll_up`), for the page rows of the filter.
    let mut ids = Query::select();
    ids.from(heatmap_page::Entity)
        .expr_as(col("heatmap_page", "id"), Alias::new("id"));
    page_filter(&mut ids, f);
    let ids: Vec<i64> = rows(db, &ids)
        .await?
        .iter()
        .map(|r| get::<i64>(r, "id"))
        .collect::<AppResult<_>>()?;
    let cells = |table: &str| {
        let mut q = Query::select();
        q.from(Alias::new(table))
            .columns(["x", "y", "count"].map(Alias::new))
            .and_where(Expr::col(Alias::new("page_id")).is_in(ids.iter().copied()))
            .and_where(Expr::col(Alias::new("kind")).eq(kind.as_str()));
        q
    };
    let mut union = cells("heatmap_cell");
    union.union(UnionType::All, cells("heatmap_cell_staged"));
    let mut q = Query::select();
    q.from_subquery(union, Alias::new("c"))
        .expr_as(col("c", "x"), Alias::new("x"))
        .expr_as(col("c", "y"), Alias::new("y"))
        .expr_as(sum("c", "count"), Alias::new("n"))
        .add_group_by([col("c", "x").into(), col("c", "y").into()]);
    if kind == Kind::Scroll {
        let mut reached = vec![0i64; SCROLL_STEPS as usize + 1];
        for r in rows(db, &q).await? {
            let y: i32 = get(&r, "y")?;
            if (1..=SCROLL_STEPS).contains(&y) {
                reached[y as usize] += get::<i64>(&r, "n")?;
            }
        }
        out.scroll = scroll_steps(scroll_views, |k| reached[k as usize]);
    } else {
        q.order_by_expr(Expr::cust("3"), Order::Desc)
            .order_by_expr(col("c", "y").into(), Order::Asc)
            .order_by_expr(col("c", "x").into(), Order::Asc)
            .limit(MAX_POINTS);
        for r in rows(db, &q).await? {
            out.points.push(Point {
                x: get(&r, "x")?,
                y: get(&r, "y")?,
                count: get(&r, "n")?,
            });
        }
        // Bins are cells of the grid: report their top-left corner in reference px.
        for p in &mut out.points {
            p.x *= kind.bin_px();
            p.y *= kind.bin_px();
        }
    }
    // The top elements, by the clicks of this kind.
    let (metric, total_of_kind) = match kind {
        Kind::RageClick => ("rage_clicks", total("rage_clicks")?),
        Kind::DeadClick => ("dead_clicks", total("dead_clicks")?),
        _ => ("clicks", clicks),
    };
    if total_of_kind > 0 {
        let mut q = Query::select();
        q.from(heatmap_element::Entity)
            .inner_join(
                heatmap_page::Entity,
                col("heatmap_page", "id")
                    .equals((Alias::new("heatmap_element"), Alias::new("page_id"))),
            )
            .expr_as(col("heatmap_element", "selector"), Alias::new("selector"))
            .expr_as(sum("heatmap_element", metric), Alias::new("n"))
            .add_group_by([col("heatmap_element", "selector").into()])
            .and_having(Expr::cust(format!(
                "SUM(\"heatmap_element\".\"{metric}\") > 0"
            )))
            .order_by_expr(Expr::cust("2"), Order::Desc)
            .order_by_expr(col("heatmap_element", "selector").into(), Order::Asc)
            .limit(MAX_ELEMENTS);
        page_filter(&mut q, f);
        for r in rows(db, &q).await? {
            let n: i64 = get(&r, "n")?;
            out.elements.push(ElementStat {
                selector: get(&r, "selector")?,
                clicks: n,
                share: n as f64 / total_of_kind as f64,
            });
        }
    }
    Ok(out)
}

/// A heatmap from increments computed in memory (a segment's, see [`super::segmented`]),
/// shaped exactly like [`heatmap`]'s.
pub fn from_delta(d: &PageDelta, device: Device, kind: Kind) -> Heatmap {
    let mut out = Heatmap {
        page_views: d.page_views,
        clicks: d.clicks,
        document_width: d.document_width,
        document_height: d.document_height,
        reference_width: device.reference_width(),
        points: Vec::new(),
        elements: Vec::new(),
        scroll: Vec::new(),
        average_fold: (d.scroll_views > 0).then(|| d.fold_sum as f64 / d.scroll_views as f64),
    };
    if d.page_views == 0 && d.clicks == 0 {
        return out;
    }
    if kind == Kind::Scroll {
        out.scroll = scroll_steps(d.scroll_views, |k| {
            d.cells.get(&(Kind::Scroll, 0, k)).copied().unwrap_or(0)
        });
    } else {
        let mut points: Vec<Point> = d
            .cells
            .iter()
            .filter(|((k, _, _), _)| *k == kind)
            .map(|((_, x, y), n)| Point {
                x: *x,
                y: *y,
                count: *n,
            })
            .collect();
        points.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.y.cmp(&b.y))
                .then(a.x.cmp(&b.x))
        });
        points.truncate(MAX_POINTS as usize);
        for p in &mut points {
            p.x *= kind.bin_px();
            p.y *= kind.bin_px();
        }
        out.points = points;
    }
    let (i, total) = match kind {
        Kind::RageClick => (1, d.rage_clicks),
        Kind::DeadClick => (2, d.dead_clicks),
        _ => (0, d.clicks),
    };
    if total > 0 {
        let mut elements: Vec<ElementStat> = d
            .elements
            .iter()
            .filter(|(_, n)| n[i] > 0)
            .map(|(s, n)| ElementStat {
                selector: s.clone(),
                clicks: n[i],
                share: n[i] as f64 / total as f64,
            })
            .collect();
        elements.sort_by(|a, b| b.clicks.cmp(&a.clicks).then(a.selector.cmp(&b.selector)));
        elements.truncate(MAX_ELEMENTS as usize);
        out.elements = elements;
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageStat {
    pub page: String,
    pub page_views: i64,
    pub clicks: i64,
}

/// A site's pages with heatmap data, most visited first.
#[tracing::instrument(skip(db))]
pub async fn pages(
    db: &impl ConnectionTrait,
    site_id: i64,
    from_day: Option<i32>,
    to_day: Option<i32>,
    first: u64,
) -> AppResult<Vec<PageStat>> {
    let mut q = Query::select();
    q.from(heatmap_page::Entity)
        .expr_as(col("heatmap_page", "page"), Alias::new("page"))
        .expr_as(sum("heatmap_page", "page_views"), Alias::new("page_views"))
        .expr_as(sum("heatmap_page", "clicks"), Alias::new("clicks"))
        .and_where(col("heatmap_page", "site_id").eq(site_id))
        .add_group_by([col("heatmap_page", "page").into()])
        .order_by_expr(Expr::cust("2"), Order::Desc)
        .order_by_expr(col("heatmap_page", "page").into(), Order::Asc)
        .limit(first);
    day_filter(&mut q, from_day, to_day);
    rows(db, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(PageStat {
                page: get(r, "page")?,
                page_views: get(r, "page_views")?,
                clicks: get(r, "clicks")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub recording_id: i64,
    pub timestamp: i64,
    /// The full snapshot event's JSON, exactly as stored (masked).
    pub event: String,
}

/// The newest full snapshot of a page on a device whose recording is still stored.
#[tracing::instrument(skip(db))]
pub async fn snapshot(
    db: &impl ConnectionTrait,
    site_id: i64,
    page: &str,
    device: Device,
) -> AppResult<Option<Snapshot>> {
    let mut q = Query::select();
    q.from(heatmap_page::Entity)
        .expr_as(
            col("heatmap_page", "snapshot_recording_id"),
            Alias::new("r"),
        )
        .expr_as(col("heatmap_page", "snapshot_sequence"), Alias::new("s"))
        .expr_as(col("heatmap_page", "snapshot_ts"), Alias::new("t"))
        .and_where(col("heatmap_page", "site_id").eq(site_id))
        .and_where(col("heatmap_page", "page").eq(page))
        .and_where(col("heatmap_page", "device").eq(device.as_str()))
        .and_where(col("heatmap_page", "snapshot_ts").is_not_null())
        // A deleted recording takes its snapshot along: fall back to an older one.
        .and_where(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(recording::Entity)
                .and_where(col("recording", "id").equals((
                    Alias::new("heatmap_page"),
                    Alias::new("snapshot_recording_id"),
                )))
                .and_where(col("recording", "site_id").eq(site_id))
                .to_owned(),
        ))
        .order_by_expr(col("heatmap_page", "snapshot_ts").into(), Order::Desc)
        .limit(5);
    for r in rows(db, &q).await? {
        let (rec, seq, ts): (i64, i64, i64) = (get(&r, "r")?, get(&r, "s")?, get(&r, "t")?);
        let Some((_, data)) = crate::domain::recordings::next_chunk(db, rec, Some(seq - 1)).await?
        else {
            continue;
        };
        for line in data.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            #[derive(serde::Deserialize)]
            struct Head {
                #[serde(rename = "type")]
                kind: Option<u8>,
                timestamp: Option<i64>,
            }
            let depth = crate::domain::nesting::json_within(line, usize::MAX).unwrap_or(0);
            let head = crate::domain::nesting::with_stack_for(depth, || {
                let mut de = serde_json::Deserializer::from_slice(line);
                de.disable_recursion_limit();
                <Head as serde::Deserialize>::deserialize(&mut de)
            });
            if let Ok(Head {
                kind: Some(crate::domain::recordings::metadata::FULL_SNAPSHOT),
                timestamp: Some(t),
            }) = head
            {
                if t == ts {
                    return Ok(Some(Snapshot {
                        recording_id: rec,
                        timestamp: ts,
                        event: String::from_utf8_lossy(line).into_owned(),
                    }));
                }
            }
        }
    }
    Ok(None)
}
