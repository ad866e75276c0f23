//! Heatmap benchmarks without HTTP (see bench/heatmaps.sh):
//!
//! - `heatmaps-bench ingest <database_url> [batches=4000] [group=64] [events=50]`: the same
//!   realistic batches through `recordings::prepare` + `store_all` for a site with heatmaps
//!   off and one with them on, interleaved in one run; prints µs per batch for each and the
//!   added share.
//! - `heatmaps-bench query <database_url> [page_views=100000] [days=30] [runs=30]`: seeds a
//!   month of aggregates for one page (written through `heatmaps::store::flush`), then
//!   times the `heatmap` query for CLICK, MOVE and SCROLL over the whole range.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use api::domain::heatmaps::extract::{Deltas, PageDelta};
use api::domain::heatmaps::{query, store, Device, Kind};
use api::domain::recordings::{self, Prepared};
use api::domain::visitor::ClientContext;
use api::domain::{organizations, sites};
use loupe_bench::rrweb_fixtures::{batch_body, Rng};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn fail(e: api::error::AppError) -> String {
    format!("{e:?}")
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn stats(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(times[times.len() / 2]),
        ms(times[(times.len() * 95 / 100).min(times.len() - 1)]),
    )
}

async fn site(db: &DatabaseConnection, heatmaps: bool) -> Res<entity::site::Model> {
    let org = organizations::create(db, "bench", entity::organization::Plan::Scale)
        .await
        .map_err(fail)?;
    let site = sites::create(
        db,
        org.id,
        sites::NewSite {
            name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let mut active: entity::site::ActiveModel = site.into();
    active.heatmaps_enabled = Set(heatmaps);
    Ok(active.update(db).await?)
}

async fn ingest(url: &str, batches: usize, group: usize, events: usize) -> Res<()> {
    let db = api::db::connect_and_migrate(url).await?;
    let off = site(&db, false).await?;
    let on = site(&db, true).await?;
    let sessions = group.max(1);
    let mut rng = Rng::new(11);
    // Sessions of 20 batches, interleaved like concurrent visitors (as recordings-bench).
    let inputs: Vec<(usize, i64, Vec<u8>)> = (0..batches)
        .map(|i| {
            let round = i / sessions;
            let sequence = (round % 20) as i64;
            (
                i,
                sequence,
                batch_body(&mut rng, &format!("v{}", i % sessions), sequence, events),
            )
        })
        .collect();
    let ctx = ClientContext {
        device: Some("desktop"),
        browser: Some("Firefox"),
        os: Some("Linux"),
        ..Default::default()
    };
    let mut prep = [Duration::ZERO; 2];
    let mut stored = [Duration::ZERO; 2];
    // The roll-up job's work (it runs about once a second in the server): here once every
    // ROLL_UP_GROUPS groups of the heatmap site, timed apart.
    const ROLL_UP_GROUPS: usize = 6;
    let mut rolled = Duration::ZERO;
    // Alternate off/on by group, so drift (WAL growth, caches) hits both alike.
    for (g, chunk) in inputs.chunks(group).enumerate() {
        for mode in [g % 2, 1 - g % 2] {
            let s = if mode == 1 { &on } else { &off };
            let t = Instant::now();
            let prepared: Vec<Prepared> = chunk
                .iter()
                .map(|(i, _, b)| {
                    let round = i / sessions;
                    let session = format!("s{}-{}", round / 20, i % sessions);
                    recordings::prepare(s, &session, b, &ctx)
                })
                .collect::<Result<_, _>>()
                .map_err(fail)?;
            prep[mode] += t.elapsed();
            let refs: Vec<&Prepared> = prepared.iter().collect();
            let t = Instant::now();
            for r in recordings::store_all(&db, &refs).await.map_err(fail)? {
                r.map_err(fail)?;
            }
            stored[mode] += t.elapsed();
        }
        if g % ROLL_UP_GROUPS == ROLL_UP_GROUPS - 1 {
            let t = Instant::now();
            store::roll_up(&db).await.map_err(fail)?;
            rolled += t.elapsed();
        }
    }
    let t = Instant::now();
    store::roll_up(&db).await.map_err(fail)?;
    rolled += t.elapsed();
    let per = |d: Duration| d.as_secs_f64() * 1e6 / batches as f64;
    let total = |m: usize| per(prep[m]) + per(stored[m]);
    println!("{batches} batches of {events} events, groups of {group}");
    for (m, name) in [(0, "heatmaps off"), (1, "heatmaps on ")] {
        println!(
            "{name}: prepare {:.0} µs + store {:.0} µs = {:.0} µs per batch",
            per(prep[m]),
            per(stored[m]),
            total(m)
        );
    }
    println!(
        "added by extraction: prepare {:+.1} %, store {:+.1} %, total {:+.1} %",
        (per(prep[1]) / per(prep[0]) - 1.0) * 100.0,
        (per(stored[1]) / per(stored[0]) - 1.0) * 100.0,
        (total(1) / total(0) - 1.0) * 100.0
    );
    println!(
        "roll-up (background job, every {ROLL_UP_GROUPS} groups here): {:.0} µs per batch; total with it {:+.1} %",
        per(rolled),
        ((total(1) + per(rolled)) / total(0) - 1.0) * 100.0
    );
    Ok(())
}

const PAGE: &str = "https://shop.example/products/organic-crew-neck";

async fn query_bench(url: &str, page_views: i64, days: i32, runs: usize) -> Res<()> {
    let db = api::db::connect_and_migrate(url).await?;
    let site = site(&db, true).await?;
    let mut rng = Rng::new(5);
    // 40 clickable elements with jitter (20 px grid); moves anywhere on a 1280 × 4000 px page.
    let targets: Vec<(i32, i32)> = (0..40)
        .map(|_| (rng.below(60) as i32 + 2, rng.below(180) as i32 + 2))
        .collect();
    let first_day = 20_400;
    let per_day = page_views / i64::from(days);
    let t = Instant::now();
    let (mut cells, mut elements) = (0usize, 0usize);
    for day in 0..days {
        let mut d = PageDelta {
            page_views: per_day,
            document_width: 1280,
            document_height: 4000,
            scroll_views: per_day,
            fold_sum: per_day * 800,
            ..Default::default()
        };
        for _ in 0..per_day {
            // One click and ~15 sampled moves per page view, a scroll reach.
            let (tx, ty) = targets[rng.below(40) as usize];
            let cell = (tx + rng.below(5) as i32 - 2, ty + rng.below(5) as i32 - 2);
            *d.cells.entry((Kind::Click, cell.0, cell.1)).or_default() += 1;
            d.clicks += 1;
            let sel = format!("body > main > div.product:nth-child({tx}) > button.btn");
            d.elements.entry(sel).or_default()[0] += 1;
            for _ in 0..15 {
                // 40 px move grid over 1280 × 4000 px.
                let m = (rng.below(32) as i32, rng.below(100) as i32);
                *d.cells.entry((Kind::Move, m.0, m.1)).or_default() += 1;
                d.moves += 1;
            }
            for k in 1..=(rng.below(20) as i32 + 1) {
                *d.cells.entry((Kind::Scroll, 0, k)).or_default() += 1;
            }
        }
        cells += d.cells.len();
        elements += d.elements.len();
        let mut rows = HashMap::new();
        rows.insert(
            (site.id, PAGE.to_owned(), Device::Desktop, first_day + day),
            d,
        );
        store::flush(&db, Deltas(rows)).await.map_err(fail)?;
    }
    // As the roll-up job would have done long before: the month is in the aggregates.
    store::roll_up(&db).await.map_err(fail)?;
    println!(
        "seeded {page_views} page views of one page over {days} days: {} page rows, {cells} cells, {elements} element rows in {:.1} s",
        days,
        t.elapsed().as_secs_f64()
    );
    let filter = query::Filter {
        site_id: site.id,
        page: PAGE.into(),
        device: Device::Desktop,
        from_day: Some(first_day),
        to_day: Some(first_day + days - 1),
    };
    for kind in [Kind::Click, Kind::Move, Kind::Scroll] {
        let mut times = Vec::new();
        let mut points = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let h = query::heatmap(&db, &filter, kind).await.map_err(fail)?;
            times.push(t.elapsed());
            points = h.points.len() + h.scroll.len();
            if h.page_views < page_views - i64::from(days) {
                return Err("the query missed page views".into());
            }
        }
        let (p50, p95) = stats(times);
        println!(
            "heatmap {:<6} over {days} days: median {p50:.1} ms, p95 {p95:.1} ms ({points} points/steps)",
            kind.as_str()
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("ingest") => {
            ingest(
                args.get(2).ok_or("database url")?,
                arg(&args, 3, 4000),
                arg(&args, 4, 64),
                arg(&args, 5, 50),
            )
            .await
        }
        Some("query") => {
            query_bench(
                args.get(2).ok_or("database url")?,
                arg(&args, 3, 100_000),
                arg(&args, 4, 30),
                arg(&args, 5, 30),
            )
            .await
        }
        _ => Err("usage: heatmaps-bench ingest|query <database_url> …".into()),
    }
}
