//! HTTP load generator for the harness: per-route latency and a check of every answer.
//!
//! - `loadgen mix <base_url> <seconds> <connections> <route=weight>…`: closed-loop load,
//!   each request's route picked by weight; prints requests/s, p50/p90/p99/max per route.
//!   Routes: `recording` (a 50-event rrweb batch, 20 batches per session), `response` (a
//!   3-answer submission), `widgets`, `identify`, `graphql` (the authenticated reads below,
//!   in turn).
//! - `loadgen time <base_url> <runs> <queries_file>`: each GraphQL query of the file
//!   (`name<TAB>request body` per line) `runs` times, one at a time, the queries interleaved
//!   so that the machine's drift hits them alike; prints p50/p90/p99/max per query.
//!
//! Every answer is checked: a status other than the route's (200, 201 for a response), a
//! body that is not JSON, a GraphQL answer with `errors` or without `data`, a recording
//! batch reported as a duplicate, an identify call that stored nothing. Any failure makes
//! the command exit non-zero after printing the first ones.
//!
//! Environment: `TOKEN` (the bearer token of GraphQL reads), `SURVEY` and `QUESTIONS`
//! (`id,id,id`: an NPS, a single-choice Basic/Pro/Team and a short-text question) for the
//! `response` route and the reads, `LABEL` (a tag for the JSON lines), `JSON_OUT` (a file
//! the results are appended to as JSON lines), `WARMUP` (seconds of unmeasured load before
//! `mix`, default 2), `THREADS` (the generator's worker threads, default 1).

use std::sync::Arc;
use std::time::{Duration, Instant};

use loupe_bench::rrweb_fixtures::{batch_body, split_body, Rng};
use serde_json::{json, Value};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Route {
    Recording,
    Response,
    Widgets,
    Identify,
    Graphql,
}

impl Route {
    fn parse(s: &str) -> Option<Route> {
        Some(match s {
            "recording" => Route::Recording,
            "response" => Route::Response,
            "widgets" => Route::Widgets,
            "identify" => Route::Identify,
            "graphql" => Route::Graphql,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            Route::Recording => "recording",
            Route::Response => "response",
            Route::Widgets => "widgets",
            Route::Identify => "identify",
            Route::Graphql => "graphql",
        }
    }
}

struct Shared {
    http: reqwest::Client,
    base: String,
    token: String,
    survey: String,
    questions: Vec<i64>,
    /// Recording batches split around the sequence number: [0] a session's first batch.
    batches: Vec<(Vec<u8>, Vec<u8>)>,
    reads: Vec<(String, String)>,
    run: String,
}

#[derive(Default)]
struct RouteStats {
    micros: Vec<u32>,
    errors: u64,
    samples: Vec<String>,
}

impl RouteStats {
    fn record(&mut self, took: Duration, outcome: Result<(), String>) {
        self.micros
            .push(took.as_micros().min(u128::from(u32::MAX)) as u32);
        if let Err(e) = outcome {
            self.errors += 1;
            if self.samples.len() < 5 {
                self.samples.push(e);
            }
        }
    }
    fn merge(&mut self, other: RouteStats) {
        self.micros.extend(other.micros);
        self.errors += other.errors;
        for s in other.samples {
            if self.samples.len() < 5 {
                self.samples.push(s);
            }
        }
    }
}

/// p50, p90, p99 and max in milliseconds.
fn percentiles(micros: &mut [u32]) -> [f64; 4] {
    if micros.is_empty() {
        return [f64::NAN; 4];
    }
    micros.sort_unstable();
    let at = |q: f64| {
        let i = ((micros.len() as f64 * q).ceil() as usize).clamp(1, micros.len()) - 1;
        f64::from(micros[i]) / 1000.0
    };
    [at(0.50), at(0.90), at(0.99), at(1.0)]
}

fn check_json(status: u16, want: u16, body: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(body);
    if status != want {
        return Err(format!("status {status}: {}", truncate(&text)));
    }
    serde_json::from_slice(body).map_err(|e| format!("not JSON ({e}): {}", truncate(&text)))
}

fn check_graphql(status: u16, body: &[u8]) -> Result<(), String> {
    let v = check_json(status, 200, body)?;
    if v.get("errors").is_some_and(|e| !e.is_null()) || v.get("data").is_none_or(Value::is_null) {
        return Err(format!(
            "GraphQL errors: {}",
            truncate(&String::from_utf8_lossy(body))
        ));
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    s.chars().take(300).collect()
}

async fn send(req: reqwest::RequestBuilder) -> Result<(u16, Vec<u8>), String> {
    let resp = req
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| format!("reading the body failed: {e}"))?;
    Ok((status, body.to_vec()))
}

async fn one(
    shared: &Shared,
    route: Route,
    conn: usize,
    k: u64,
    rng: &mut Rng,
) -> Result<(), String> {
    let base = &shared.base;
    match route {
        Route::Recording => {
            let seq = (k % 20) as usize;
            let variant = if seq == 0 {
                0
            } else {
                1 + (k as usize % (shared.batches.len() - 1))
            };
            let (pre, post) = &shared.batches[variant];
            let mut body = Vec::with_capacity(pre.len() + post.len() + 4);
            body.extend_from_slice(pre);
            body.extend_from_slice(seq.to_string().as_bytes());
            body.extend_from_slice(post);
            let url = format!(
                "{base}/v1/sites/1/recordings/{}-{conn}-{}/events",
                shared.run,
                k / 20
            );
            let (status, bytes) = send(
                shared
                    .http
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await?;
            let v = check_json(status, 200, bytes.as_ref())?;
            if v["duplicate"] != false {
                return Err(format!("not stored as new: {v}"));
            }
            Ok(())
        }
        Route::Response => {
            let q = &shared.questions;
            if q.len() < 3 {
                return Err("QUESTIONS needs three question ids".into());
            }
            let plans = ["Basic", "Pro", "Team"];
            let body = json!({
                "visitor_id": format!("mix-{}-{conn}-{k}", shared.run),
                "page_url": "https://shop.example/pricing?utm_source=bench",
                "answers": [
                    {"question_id": q[0], "value": rng.below(11)},
                    {"question_id": q[1], "value": plans[rng.below(3) as usize]},
                    {"question_id": q[2], "value": "Fast and simple"},
                ]
            });
            let url = format!("{base}/v1/sites/1/surveys/{}/responses", shared.survey);
            let (status, bytes) = send(shared.http.post(url).json(&body)).await?;
            let v = check_json(status, 201, bytes.as_ref())?;
            if !v["response_id"].is_i64() {
                return Err(format!("no response_id: {v}"));
            }
            Ok(())
        }
        Route::Widgets => {
            let url = format!(
                "{base}/v1/sites/1/widgets?visitor_id=w-{conn}-{}&url=https://shop.example/pricing",
                rng.below(100_000)
            );
            let (status, bytes) = send(shared.http.get(url)).await?;
            check_json(status, 200, bytes.as_ref()).map(drop)
        }
        Route::Identify => {
            let user = rng.below(1_000_000);
            let plan = ["basic", "pro", "team"][(user % 3) as usize];
            let body = json!({
                "visitor_id": format!("iv-{user}"),
                // Not a seeded user id (bench/src/growth_seed.rs numbers those).
                "user_id": format!("id-{user}"),
                "attributes": {"plan": plan,
                               "spend": (user % 5000) as f64 / 2.0, "trial": user.is_multiple_of(7)}
            });
            let url = format!("{base}/v1/sites/1/identify");
            let (status, bytes) = send(shared.http.post(url).json(&body)).await?;
            let v = check_json(status, 200, bytes.as_ref())?;
            if v["stored"] != true {
                return Err(format!("not stored: {v}"));
            }
            Ok(())
        }
        Route::Graphql => {
            let (_, body) = &shared.reads[(k as usize) % shared.reads.len()];
            let (status, bytes) = send(
                shared
                    .http
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&shared.token)
                    .header("content-type", "application/json")
                    .body(body.clone()),
            )
            .await?;
            check_graphql(status, bytes.as_ref())
        }
    }
}

fn pick(weights: &[(Route, u64)], total: u64, rng: &mut Rng) -> Route {
    let mut x = rng.below(total);
    for (r, w) in weights {
        if x < *w {
            return *r;
        }
        x -= w;
    }
    weights[0].0
}

async fn load(
    shared: Arc<Shared>,
    weights: Arc<Vec<(Route, u64)>>,
    conns: usize,
    seconds: f64,
    phase: u64,
) -> (Vec<RouteStats>, Duration) {
    let total: u64 = weights.iter().map(|w| w.1).sum();
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::with_capacity(conns);
    for conn in 0..conns {
        let shared = shared.clone();
        let weights = weights.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng::new(1 + conn as u64 * 7919 + phase * 104_729);
            let mut stats: Vec<RouteStats> =
                weights.iter().map(|_| RouteStats::default()).collect();
            // Each route numbers its own requests (a recording session is 20 in a row).
            let mut counters = vec![0u64; weights.len()];
            let conn_id = conn + (phase as usize) * 100_000;
            while Instant::now() < deadline {
                let route = pick(&weights, total, &mut rng);
                let i = weights.iter().position(|w| w.0 == route).unwrap_or(0);
                let t = Instant::now();
                let outcome = one(&shared, route, conn_id, counters[i], &mut rng).await;
                stats[i].record(t.elapsed(), outcome);
                counters[i] += 1;
            }
            stats
        }));
    }
    let mut merged: Vec<RouteStats> = weights.iter().map(|_| RouteStats::default()).collect();
    for t in tasks {
        if let Ok(stats) = t.await {
            for (m, s) in merged.iter_mut().zip(stats) {
                m.merge(s);
            }
        }
    }
    (merged, start.elapsed())
}

fn append_json(line: Value) -> Res<()> {
    if let Some(path) = std::env::var("JSON_OUT").ok().filter(|p| !p.is_empty()) {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(f, "{line}")?;
    }
    Ok(())
}

fn reads(survey: &str) -> Vec<(String, String)> {
    let q = |name: &str, query: &str| {
        (
            name.to_owned(),
            json!({ "query": query, "variables": {"survey": survey} }).to_string(),
        )
    };
    vec![
        q(
            "recordings",
            "{ recordings(siteId: \"1\", first: 20, filter: {device: \"desktop\"}) { edges { node { sessionId durationMs } } } }",
        ),
        q(
            "responses",
            "query($survey: ID!) { responses(surveyId: $survey, first: 50) { edges { node { id answers { value } } } } }",
        ),
        q(
            "survey",
            "query($survey: ID!) { survey(id: $survey) { name questions { id prompt } } }",
        ),
        q(
            "viewer",
            "{ viewer { organization { name } } }",
        ),
    ]
}

async fn mix(args: &[String]) -> Res<bool> {
    let base = args
        .first()
        .ok_or("base url")?
        .trim_end_matches('/')
        .to_owned();
    let seconds: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10.0);
    let conns: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(32);
    let mut weights = Vec::new();
    for spec in &args[3.min(args.len())..] {
        let (name, w) = spec.split_once('=').ok_or("route=weight")?;
        let route = Route::parse(name).ok_or_else(|| format!("unknown route {name}"))?;
        weights.push((route, w.parse::<u64>()?));
    }
    weights.retain(|w| w.1 > 0);
    if weights.is_empty() {
        return Err("no route with a weight".into());
    }
    let survey = std::env::var("SURVEY").unwrap_or_default();
    let questions = std::env::var("QUESTIONS")
        .unwrap_or_default()
        .split(',')
        .filter_map(|q| q.trim().parse().ok())
        .collect();
    let mut rng = Rng::new(7);
    let mut batches = Vec::new();
    for v in 0..=16 {
        let seq = i64::from(v != 0);
        let body = batch_body(&mut rng, "bench-visitor", seq, 50);
        batches.push(split_body(&body, seq).ok_or("no sequence in the body")?);
    }
    let shared = Arc::new(Shared {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(conns)
            .tcp_nodelay(true)
            .timeout(Duration::from_secs(30))
            .build()?,
        base,
        token: std::env::var("TOKEN").unwrap_or_default(),
        reads: reads(&survey),
        survey,
        questions,
        batches,
        run: format!(
            "{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_millis()
        ),
    });
    let weights = Arc::new(weights);
    let warmup: f64 = std::env::var("WARMUP")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(2.0);
    if warmup > 0.0 {
        let (stats, _) = load(shared.clone(), weights.clone(), conns, warmup, 1).await;
        for (w, s) in weights.iter().zip(&stats) {
            if s.errors > 0 {
                eprintln!(
                    "warm-up: {} errors on {}: {:?}",
                    s.errors,
                    w.0.name(),
                    s.samples
                );
            }
        }
    }
    let (stats, took) = load(shared.clone(), weights.clone(), conns, seconds, 2).await;
    let secs = took.as_secs_f64();
    let label = std::env::var("LABEL").unwrap_or_default();
    let all: usize = stats.iter().map(|s| s.micros.len()).sum();
    let errors: u64 = stats.iter().map(|s| s.errors).sum();
    println!(
        "mix {label}: {:.1} s, {conns} connections, {all} requests, {:.0} requests/s, {errors} errors",
        secs,
        all as f64 / secs
    );
    println!(
        "{:<10} {:>6} {:>9} {:>10} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "route", "share", "requests", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"
    );
    let mut ok = errors == 0;
    for ((route, _), mut s) in weights.iter().zip(stats) {
        let n = s.micros.len();
        let [p50, p90, p99, max] = percentiles(&mut s.micros);
        println!(
            "{:<10} {:>5.1}% {:>9} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7}",
            route.name(),
            100.0 * n as f64 / all.max(1) as f64,
            n,
            n as f64 / secs,
            p50,
            p90,
            p99,
            max,
            s.errors
        );
        for e in &s.samples {
            println!("  error on {}: {e}", route.name());
        }
        if n == 0 {
            ok = false;
        }
        append_json(json!({
            "kind": "route", "label": label, "route": route.name(), "requests": n,
            "per_s": n as f64 / secs, "p50_ms": p50, "p90_ms": p90, "p99_ms": p99,
            "max_ms": max, "errors": s.errors, "seconds": secs, "connections": conns,
        }))?;
    }
    println!(
        "check: {}",
        if ok {
            "every answer checked, no error"
        } else {
            "FAILED (errors above)"
        }
    );
    Ok(ok)
}

async fn time(args: &[String]) -> Res<bool> {
    let base = args
        .first()
        .ok_or("base url")?
        .trim_end_matches('/')
        .to_owned();
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let file = args.get(2).ok_or("queries file")?;
    let queries: Vec<(String, String)> = std::fs::read_to_string(file)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (n, b) = l.split_once('\t').unwrap_or((l, ""));
            (n.to_owned(), b.to_owned())
        })
        .collect();
    let token = std::env::var("TOKEN").unwrap_or_default();
    let http = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let label = std::env::var("LABEL").unwrap_or_default();
    let mut stats: Vec<RouteStats> = queries.iter().map(|_| RouteStats::default()).collect();
    // Two unmeasured rounds fill the caches a user's second look would find warm.
    for run in 0..runs + 2 {
        for (i, (_, body)) in queries.iter().enumerate() {
            let t = Instant::now();
            let outcome = send(
                http.post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.clone()),
            )
            .await
            .and_then(|(status, bytes)| check_graphql(status, bytes.as_ref()));
            let took = t.elapsed();
            if run >= 2 || outcome.is_err() {
                stats[i].record(took, outcome);
            }
        }
    }
    let mut ok = true;
    for ((name, _), mut s) in queries.iter().zip(stats) {
        let [p50, p90, p99, max] = percentiles(&mut s.micros);
        println!(
            "query {label} {name}: p50 {p50:.2} ms  p90 {p90:.2} ms  p99 {p99:.2} ms  max {max:.2} ms  ({runs} runs, {} errors)",
            s.errors
        );
        for e in &s.samples {
            println!("  error: {e}");
        }
        ok &= s.errors == 0;
        append_json(json!({
            "kind": "query", "label": label, "query": name, "runs": runs, "p50_ms": p50,
            "p90_ms": p90, "p99_ms": p99, "max_ms": max, "errors": s.errors,
        }))?;
    }
    Ok(ok)
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let threads: usize = std::env::var("THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()?;
    let ok = rt.block_on(async {
        match args.first().map(String::as_str) {
            Some("mix") => mix(&args[1..]).await,
            Some("time") => time(&args[1..]).await,
            _ => Err("usage: loadgen mix <url> <seconds> <conns> <route=weight>… | loadgen time <url> <runs> <file>".into()),
        }
    })?;
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}
