//! Session recording benchmarks without HTTP (see bench/recordings.sh):
//!
//! - `recordings-bench bodies <dir> [events=50] [variants=32]`: writes the realistic
//!   batches the load script sends, split around the sequence number
//!   (`<dir>/first.{pre,post}` is a session's first batch, `<dir>/N.{pre,post}` the others).
//! - `recordings-bench ingest <database_url> [batches=4000] [group=64] [events=50]`: times
//!   `recordings::prepare` (parse + mask + compress) and `recordings::store_all` groups on
//!   the same batches, and prints the compression ratio.
//! - `recordings-bench list <database_url> [sessions=100000] [runs=30]`: seeds that many
//!   recording rows with multi-row inserts, then times `recordings::list` (filtered,
//!   newest first, first 20, with the total count).

use std::time::{Duration, Instant};

use api::domain::recordings::{self, Order, Prepared, RecordingFilter};
use api::domain::visitor::ClientContext;
use api::domain::{organizations, sites};
use chrono::{TimeDelta, TimeZone, Utc};
use entity::recording;
use loupe_bench::rrweb_fixtures::{batch_body, split_body, Rng};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

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

async fn site(db: &DatabaseConnection) -> Res<entity::site::Model> {
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
    Ok(site)
}

fn bodies(dir: &str, events: usize, variants: usize) -> Res<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(7);
    let mut sizes = Vec::new();
    for v in 0..=variants {
        let sequence = if v == 0 { 0 } else { 1 };
        let body = batch_body(&mut rng, "bench-visitor", sequence, events);
        sizes.push(body.len());
        let (pre, post) = split_body(&body, sequence).ok_or("no sequence in the body")?;
        let name = if v == 0 {
            "first".to_string()
        } else {
            v.to_string()
        };
        std::fs::write(format!("{dir}/{name}.pre"), pre)?;
        std::fs::write(format!("{dir}/{name}.post"), post)?;
    }
    eprintln!(
        "{} bodies of {events} events: first batch {} bytes, others {} bytes on average",
        variants + 1,
        sizes[0],
        sizes[1..].iter().sum::<usize>() / variants.max(1)
    );
    Ok(())
}

/// CPU time of a clock (this thread's, the process's): what a step costs, whatever else
/// the machine runs at the same time.
#[allow(unsafe_code)] // clock_gettime with a valid clock id and a timespec of our own
fn cpu(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock ids are Linux constants.
    let ok = unsafe { libc::clock_gettime(clock, &mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        ts.tv_sec.max(0) as u64,
        ts.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

fn cpu_now() -> Duration {
    cpu(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn process_cpu() -> Duration {
    cpu(libc::CLOCK_PROCESS_CPUTIME_ID)
}

async fn ingest(url: &str, batches: usize, group: usize, events: usize) -> Res<()> {
    let db = api::db::connect_and_migrate(url).await?;
    let site = site(&db).await?;
    // Sessions of 20 batches each, interleaved like concurrent visitors: batch i is
    // sequence i / sessions of session i % sessions.
    let sessions = group.max(1);
    let mut rng = Rng::new(11);
    let inputs: Vec<(String, Vec<u8>)> = (0..batches)
        .map(|i| {
            let round = i / sessions;
            let session = format!("s{}-{}", round / 20, i % sessions);
            let sequence = (round % 20) as i64;
            (
                session,
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
    let json_bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();

    let t = cpu_now();
    let prepared: Vec<Prepared> = inputs
        .iter()
        .map(|(s, b)| recordings::prepare(&site, s, b, &ctx))
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let prep = cpu_now() - t;
    let total_events: usize = prepared.iter().map(|p| p.events).sum();
    let raw: usize = prepared.iter().map(|p| p.raw_bytes).sum();
    let stored: usize = prepared.iter().map(|p| p.data.len()).sum();

    // Where prepare's time goes: the same steps one by one, next to what they replaced
    // (masking through parsed values, a fresh zstd context per batch) and zstd level 1.
    let urls = api::domain::visitor::url::UrlPolicy::for_site(&site);
    let mut t_parse = Duration::ZERO;
    let mut t_facts = Duration::ZERO;
    let mut t_raw = Duration::ZERO;
    let mut t_parsed = Duration::ZERO;
    let mut t_zstd = Duration::ZERO;
    let mut t_fresh = Duration::ZERO;
    let mut t_zstd1 = Duration::ZERO;
    let mut size1 = 0;
    for (_, b) in &inputs {
        let t = cpu_now();
        let batch = recordings::envelope::parse(b).map_err(fail)?;
        let events = batch.events();
        t_parse += cpu_now() - t;
        let t = cpu_now();
        std::hint::black_box(recordings::metadata::facts_with(
            &events,
            site.heatmaps_enabled,
        ));
        t_facts += cpu_now() - t;
        let t = cpu_now();
        let mut maps = Vec::new();
        let lines = recordings::to_ndjson_with(
            &events,
            site.mask_inputs,
            &urls,
            site.heatmaps_enabled.then_some(&mut maps),
        )
        .map_err(fail)?;
        t_raw += cpu_now() - t;
        let t = cpu_now();
        let mut maps = Vec::new();
        std::hint::black_box(
            recordings::to_ndjson_parsed(
                &events,
                site.mask_inputs,
                &urls,
                site.heatmaps_enabled.then_some(&mut maps),
            )
            .map_err(fail)?,
        );
        t_parsed += cpu_now() - t;
        let t = cpu_now();
        std::hint::black_box(recordings::compress(&lines).map_err(fail)?);
        t_zstd += cpu_now() - t;
        let t = cpu_now();
        std::hint::black_box(zstd::bulk::compress(&lines, 3)?);
        t_fresh += cpu_now() - t;
        let t = cpu_now();
        size1 += recordings::compress_at(&lines, 1).map_err(fail)?.len();
        t_zstd1 += cpu_now() - t;
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / batches as f64;

    eprintln!("storing {batches} batches");
    // Groups alternate between the group path (`store_all`) and the batch-by-batch path it
    // replaced (`store_each`, its fallback), so both see the same mix of first batches
    // (new sessions) and later ones, interleaved in time.
    let mut group_times = Vec::new();
    let (mut each, mut each_events) = (Duration::ZERO, 0);
    let (mut grouped, mut grouped_events) = (Duration::ZERO, 0);
    let mut grouped_cpu = Duration::ZERO;
    for (g, part) in prepared.chunks(group).enumerate() {
        let refs: Vec<&Prepared> = part.iter().collect();
        let events: usize = part.iter().map(|p| p.events).sum();
        let by_group = (g + g / 20) % 2 == 0;
        let tg = Instant::now();
        let cg = process_cpu();
        let results = if by_group {
            recordings::store_all(&db, &refs).await
        } else {
            recordings::store_each(&db, &refs).await
        }
        .map_err(fail)?;
        let d = tg.elapsed();
        let c = process_cpu() - cg;
        for r in results {
            let a = r.map_err(fail)?;
            if !a.new {
                return Err("a benchmark batch was a duplicate".into());
            }
        }
        if by_group {
            group_times.push(d);
            grouped += d;
            grouped_cpu += c;
            grouped_events += events;
        } else {
            each += d;
            each_events += events;
        }
    }
    let (g50, g95) = stats(group_times);

    // The floor under store_all's statements: one trivial round trip to the database.
    let round_trip = {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let txn = db.begin().await?;
        let t = Instant::now();
        for _ in 0..2000 {
            txn.execute_unprepared("SELECT 1").await?;
        }
        let d = t.elapsed();
        txn.commit().await?;
        d.as_secs_f64() * 1e6 / 2000.0
    };
    let rate = |d: Duration| total_events as f64 / d.as_secs_f64();
    println!(
        "{batches} batches, {total_events} events, {:.1} KB of JSON per batch on average",
        json_bytes as f64 / batches as f64 / 1024.0
    );
    println!(
        "prepare (parse+mask+compress), 1 core, thread CPU time: {:.0} events/s ({:.0} µs per batch)",
        rate(prep),
        prep.as_secs_f64() * 1e6 / batches as f64
    );
    println!(
        "  of which: envelope parse {:.0} µs, facts {:.0} µs, mask + links + NDJSON {:.0} µs (through parsed values: {:.0} µs), zstd {:.0} µs (a fresh context per batch: {:.0} µs; level 1: {:.0} µs) per batch",
        per(t_parse),
        per(t_facts),
        per(t_raw),
        per(t_parsed),
        per(t_zstd),
        per(t_fresh),
        per(t_zstd1)
    );
    let batch_us = |d: Duration, n: usize| d.as_secs_f64() * 1e6 * events as f64 / n as f64;
    println!(
        "store_all, groups of {group}: {:.0} events/s ({:.0} µs per batch; per group median {g50:.1} ms, p95 {g95:.1} ms)",
        grouped_events as f64 / grouped.as_secs_f64(),
        batch_us(grouped, grouped_events)
    );
    println!(
        "  CPU of this process (the bench and, on SQLite, the database itself): {:.0} µs per batch",
        batch_us(grouped_cpu, grouped_events)
    );
    println!(
        "  batch by batch with savepoints (store_each, the old path), alternate groups: {:.0} events/s ({:.0} µs per batch)",
        each_events as f64 / each.as_secs_f64(),
        batch_us(each, each_events)
    );
    println!("  (one trivial statement round trip: {round_trip:.0} µs)");
    let store_per_event = grouped.as_secs_f64() / grouped_events as f64;
    println!(
        "both, one after the other on one core: {:.0} events/s",
        1.0 / (prep.as_secs_f64() / total_events as f64 + store_per_event)
    );
    println!(
        "compression: raw NDJSON {raw} bytes -> zstd {stored} bytes, ratio {:.1}x (JSON bodies {json_bytes} bytes); level 1: {size1} bytes, ratio {:.1}x",
        raw as f64 / stored as f64,
        raw as f64 / size1 as f64
    );
    Ok(())
}

async fn list(url: &str, n: usize, runs: usize) -> Res<()> {
    let db = api::db::connect_and_migrate(url).await?;
    let site = site(&db).await?;
    let t = Instant::now();
    let base = Utc
        .timestamp_millis_opt(1_760_000_000_000)
        .single()
        .ok_or("time")?;
    let devices = ["desktop", "mobile", "tablet"];
    let countries = ["US", "DE", "FR", "GB", "IN", "BR"];
    let mut rng = Rng::new(3);
    for start in (0..n).step_by(500) {
        let rows: Vec<recording::ActiveModel> = (start..(start + 500).min(n))
            .map(|i| {
                let started = base + TimeDelta::seconds((i as i64) * 26); // 30 days / 100k
                let duration = rng.below(600_000) as i64 + 1_000;
                let device = devices[match rng.below(100) {
                    0..=59 => 0,
                    60..=94 => 1,
                    _ => 2,
                }];
                let rage = if rng.below(100) < 8 {
                    rng.below(3) as i64 + 1
                } else {
                    0
                };
                let pages = format!(
                    r#"[[{},"https://shop.example/"],[{},"https://shop.example/products/p{}"]]"#,
                    started.timestamp_millis(),
                    started.timestamp_millis() + 9_000,
                    i % 500
                );
                recording::ActiveModel {
                    organization_id: Set(site.organization_id),
                    site_id: Set(site.id),
                    session_id: Set(format!("seed-{i}")),
                    visitor_id: Set(Some(format!("v{}", i / 3))),
                    started_at: Set(started),
                    ended_at: Set(started + TimeDelta::milliseconds(duration)),
                    duration_ms: Set(duration),
                    page_views: Set(2),
                    entry_url: Set(Some("https://shop.example/".into())),
                    exit_url: Set(Some(format!("https://shop.example/products/p{}", i % 500))),
                    pages: Set(pages),
                    clicks: Set(rng.below(40) as i64),
                    rage_clicks: Set(rage),
                    u_turns: Set(i64::from(rng.below(100) < 5)),
                    device: Set(Some(device.into())),
                    browser: Set(Some("Chrome".into())),
                    os: Set(Some("Windows".into())),
                    country: Set(Some(countries[i % countries.len()].into())),
                    viewport_width: Set(Some(1440)),
                    viewport_height: Set(Some(900)),
                    viewport_at: Set(Some(started.timestamp_millis())),
                    event_count: Set(rng.below(3000) as i64 + 50),
                    chunk_count: Set(rng.below(60) as i64 + 1),
                    raw_bytes: Set(1_000_000),
                    stored_bytes: Set(120_000),
                    created_at: Set(started),
                    updated_at: Set(started),
                    ..Default::default()
                }
            })
            .collect();
        recording::Entity::insert_many(rows)
            .exec_without_returning(&db)
            .await?;
    }
    eprintln!(
        "seeded {n} recordings in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    if url.starts_with("postgres") {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("ANALYZE recording").await?;
    }

    let cases = [
        ("no filter", RecordingFilter::default(), Order::Newest),
        (
            "rage clicks + device = mobile",
            RecordingFilter {
                has_rage_clicks: Some(true),
                device: Some("mobile".into()),
                ..Default::default()
            },
            Order::Newest,
        ),
        (
            "rage clicks + device = mobile, longest",
            RecordingFilter {
                has_rage_clicks: Some(true),
                device: Some("mobile".into()),
                ..Default::default()
            },
            Order::Longest,
        ),
        (
            "url contains products/p42",
            RecordingFilter {
                url_contains: Some("products/p42".into()),
                ..Default::default()
            },
            Order::Newest,
        ),
    ];
    for (label, filter, order) in cases {
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            let t = Instant::now();
            last = Some(
                recordings::list(&db, site.id, &filter, order, 20, None)
                    .await
                    .map_err(fail)?,
            );
            times.push(t.elapsed());
        }
        let page = last.ok_or("no runs")?;
        let (p50, p95) = stats(times);
        println!(
            "list {label} ({order:?}, first 20 + total count {} of {n}): median {p50:.1} ms, p95 {p95:.1} ms",
            page.total_count
        );
    }
    Ok(())
}

/// The server's allocator: the probe measures what `loupe` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `prepare` alone, `rounds` times over the same batches (for a profiler).
async fn prepare_only(url: &str, batches: usize, rounds: usize) -> Res<()> {
    let db = api::db::connect_and_migrate(url).await?;
    let site = site(&db).await?;
    let mut rng = Rng::new(11);
    let inputs: Vec<Vec<u8>> = (0..batches)
        .map(|i| batch_body(&mut rng, "v", (i % 20) as i64, 50))
        .collect();
    let ctx = ClientContext::default();
    let t = cpu_now();
    for _ in 0..rounds {
        for b in &inputs {
            std::hint::black_box(recordings::prepare(&site, "s", b, &ctx).map_err(fail)?);
        }
    }
    let n = (batches * rounds) as f64;
    println!(
        "prepare: {:.0} µs of thread CPU per batch ({n} batches)",
        (cpu_now() - t).as_secs_f64() * 1e6 / n
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: recordings-bench bodies <dir> [events] [variants] | ingest <database_url> [batches] [group] [events] | list <database_url> [sessions] [runs] | prepare <database_url> [batches] [rounds]";
    let (Some(mode), Some(target)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    match mode.as_str() {
        "bodies" => bodies(target, arg(&args, 2, 50), arg(&args, 3, 32)),
        "ingest" => {
            ingest(
                target,
                arg(&args, 2, 4000),
                arg(&args, 3, 64),
                arg(&args, 4, 50),
            )
            .await
        }
        "list" => list(target, arg(&args, 2, 100_000), arg(&args, 3, 30)).await,
        "prepare" => prepare_only(target, arg(&args, 2, 200), arg(&args, 3, 20)).await,
        _ => Err(usage.into()),
    }
}
