//! Sentiment end to end, with the real default model: which answers are scored and
//! when, the GraphQL and REST views, durability across a restart, and two workers
//! sharing one PostgreSQL queue.

use std::io::Read;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp, BIN};

const SET: &str = "mutation($id: ID!, $on: Boolean!) { setSurveySentiment(id: $id, enabled: $on) { sentimentEnabled sentimentEnabledAt } }";
const RESPONSES: &str =
    "query($id: ID!, $f: ResponseFilterInput) { responses(surveyId: $id, filter: $f, first: 100) {
  totalCount edges { node { id answers { questionId value sentiment { label score } } } } } }";

/// An active survey: short text, long text, email, rating, multiple choice.
async fn survey(app: &TestApp, token: &str) -> (String, Vec<i64>) {
    app.active_survey(
        token,
        json!({"name": "Feedback", "questions": [
            {"key": "short", "type": "SHORT_TEXT", "prompt": "In a few words?"},
            {"key": "long", "type": "LONG_TEXT", "prompt": "Tell us more"},
            {"key": "email", "type": "EMAIL", "prompt": "Email"},
            {"key": "rating", "type": "RATING", "prompt": "Rate us"},
            {"key": "pick", "type": "MULTIPLE_CHOICE", "prompt": "Which?", "options": ["Great", "Awful"]}]}),
    )
    .await
}

/// Turns sentiment on or off, expecting success.
async fn set_sentiment(app: &TestApp, token: &str, survey: &str, on: bool) {
    let (_, b) = app.gql(token, SET, json!({"id": survey, "on": on})).await;
    assert_eq!(
        b["data"]["setSurveySentiment"]["sentimentEnabled"], on,
        "{b}"
    );
}

async fn respond(app: &TestApp, survey: &str, q: &[i64], short: &str, long: &str) -> i64 {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
        .json(&json!({"visitor_id": "v1", "answers": [
            {"question_id": q[0], "value": short},
            {"question_id": q[1], "value": long},
            {"question_id": q[2], "value": "ann@example.org"},
            {"question_id": q[3], "value": 4},
            {"question_id": q[4], "value": ["Great"]}]}))
        .send()
        .await
        .expect("respond");
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.expect("json")["response_id"]
        .as_i64()
        .expect("id")
}

async fn pending_jobs(app: &TestApp) -> i64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let db = app.db_conn().await;
    let n = entity::sentiment_job::Entity::find()
        .count(&db)
        .await
        .expect("count") as i64;
    let _ = db.close().await;
    n
}

async fn drained(app: &TestApp) {
    for _ in 0..600 {
        if pending_jobs(app).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("sentiment jobs were not scored within a minute");
}

/// Response id → the answers' sentiment labels by question, `null` when unscored.
async fn labels(app: &TestApp, token: &str, survey: &str, filter: Value) -> Vec<(i64, Vec<Value>)> {
    let (_, b) = app
        .gql(token, RESPONSES, json!({"id": survey, "f": filter}))
        .await;
    let mut out: Vec<(i64, Vec<Value>)> = b["data"]["responses"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| {
            let mut answers: Vec<(i64, Value)> = e["node"]["answers"]
                .as_array()
                .expect("answers")
                .iter()
                .map(|a| {
                    (
                        a["questionId"].as_str().expect("q").parse().expect("n"),
                        a["sentiment"]["label"].clone(),
                    )
                })
                .collect();
            answers.sort_by_key(|(q, _)| *q);
            (
                e["node"]["id"].as_str().expect("id").parse().expect("n"),
                answers.into_iter().map(|(_, l)| l).collect(),
            )
        })
        .collect();
    out.sort_by_key(|(id, _)| *id);
    out
}

#[tokio::test]
async fn only_text_answers_after_enabling_are_scored() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    let before = respond(&app, &survey, &q, "I love it", "Absolutely wonderful").await;

    // Who may switch it on.
    let read = app.token(&app.create_key(1, "READ").await).await;
    let (_, b) = app.gql(&read, SET, json!({"id": survey, "on": true})).await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
    let (_, other_site, other_creds) = app.other_org("BUSINESS").await;
    let other = app.token(&other_creds).await;
    let (_, b) = app
        .gql(&other, SET, json!({"id": survey, "on": true}))
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let (theirs, _) = app
        .active_survey(
            &other,
            json!({"siteId": other_site.to_string(), "name": "S", "questions": [{"type": "SHORT_TEXT", "prompt": "?"}]}),
        )
        .await;
    let (_, b) = app
        .gql(&other, SET, json!({"id": theirs, "on": true}))
        .await;
    assert_eq!(error_code(&b), "PLAN_REQUIRED", "{b}");

    let write = app.token(&app.create_key(1, "WRITE").await).await;
    set_sentiment(&app, &write, &survey, true).await;
    let happy = respond(
        &app,
        &survey,
        &q,
        "I love this product, it works perfectly!",
        "Great support, fast delivery, I am very happy.",
    )
    .await;
    let angry = respond(
        &app,
        &survey,
        &q,
        "This is terrible, I want a refund.",
        "The worst experience I have ever had. Broken on arrival and nobody answers.",
    )
    .await;
    // Whitespace only: no answer at all, so nothing to score.
    let blank = respond(&app, &survey, &q, "   ", "Works well, thank you!").await;
    drained(&app).await;

    // Off: new responses are not scored; on again: the gap stays unscored.
    set_sentiment(&app, &write, &survey, false).await;
    let gap = respond(&app, &survey, &q, "I love it", "Wonderful").await;
    assert_eq!(pending_jobs(&app).await, 0, "nothing is queued while off");
    set_sentiment(&app, &write, &survey, true).await;
    let after = respond(
        &app,
        &survey,
        &q,
        "Awful, broken again",
        "Terrible, I am so disappointed",
    )
    .await;
    drained(&app).await;

    let all = labels(&app, &token, &survey, json!({})).await;
    let by_id = |id: i64| {
        all.iter()
            .find(|(r, _)| *r == id)
            .map(|(_, l)| l.clone())
            .expect("response")
    };
    let null = Value::Null;
    assert_eq!(
        by_id(before),
        [
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone()
        ],
        "before enabling"
    );
    assert_eq!(
        by_id(happy),
        [
            json!("POSITIVE"),
            json!("POSITIVE"),
            null.clone(),
            null.clone(),
            null.clone()
        ]
    );
    assert_eq!(
        by_id(angry),
        [
            json!("NEGATIVE"),
            json!("NEGATIVE"),
            null.clone(),
            null.clone(),
            null.clone()
        ]
    );
    assert_eq!(by_id(blank).len(), 4, "the blank answer is not stored");
    assert!(by_id(blank)[0].is_string(), "the long answer is scored");
    assert_eq!(
        by_id(gap),
        [
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone()
        ],
        "the gap"
    );
    assert_eq!(by_id(after)[0], "NEGATIVE");

    // Scores are probabilities.
    let (_, b) = app.gql(&token, RESPONSES, json!({"id": survey})).await;
    for e in b["data"]["responses"]["edges"].as_array().expect("edges") {
        for a in e["node"]["answers"].as_array().expect("answers") {
            if let Some(s) = a["sentiment"]["score"].as_f64() {
                assert!((0.0..=1.0).contains(&s), "{a}");
            }
        }
    }

    // The filter and the summary.
    let negative: Vec<i64> = labels(&app, &token, &survey, json!({"sentiment": ["NEGATIVE"]}))
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(negative, [angry, after]);
    let (_, b) = app
        .gql(
            &token,
            "query($id: ID!) { survey(id: $id) { sentimentEnabled summary { sentiment { positive neutral negative unscored }
               questions { question { type } sentiment { positive negative unscored } } } } }",
            json!({"id": survey}),
        )
        .await;
    let s = &b["data"]["survey"]["summary"];
    let total = &s["sentiment"];
    assert_eq!(
        total["positive"].as_u64().unwrap_or(0)
            + total["neutral"].as_u64().unwrap_or(0)
            + total["negative"].as_u64().unwrap_or(0),
        7,
        "{b}"
    );
    assert_eq!(total["unscored"], 4, "{b}");
    for qs in s["questions"].as_array().expect("questions") {
        let text = matches!(
            qs["question"]["type"].as_str(),
            Some("SHORT_TEXT" | "LONG_TEXT")
        );
        assert_eq!(qs["sentiment"].is_null(), !text, "{qs}");
    }

    // The Hotjar-compatible REST responses: lower-case label or null.
    let r: Value = app
        .http
        .get(app.url(&format!("/v1/sites/1/surveys/{survey}/responses?limit=100")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("rest")
        .json()
        .await
        .expect("json");
    let happy_rest = r["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|x| x["id"].as_str().and_then(|id| id.parse().ok()) == Some(happy))
        .expect("happy");
    let mut sentiments: Vec<Value> = happy_rest["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["sentiment"].clone())
        .collect();
    sentiments.sort_by_key(|v| v.to_string());
    // Sorted by their JSON text: strings first.
    assert_eq!(
        sentiments,
        [
            json!("positive"),
            json!("positive"),
            null.clone(),
            null.clone(),
            null
        ]
    );
}

#[tokio::test]
async fn queued_jobs_survive_a_restart() {
    let mut app = TestApp::spawn_with(&[("LOUPE_SENTIMENT_WORKER", "false")]).await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    for i in 0..5 {
        respond(
            &app,
            &survey,
            &q,
            &format!("I love it {i}"),
            "This is terrible",
        )
        .await;
    }
    assert_eq!(
        pending_jobs(&app).await,
        10,
        "two text answers per response, queued durably"
    );
    // Killed without a chance to do anything else, then started again with a worker.
    app.restart(&[]);
    let restarted = app;
    drained(&restarted).await;
    let all = labels(&restarted, &token, &survey, json!({})).await;
    assert_eq!(all.len(), 5);
    for (_, l) in all {
        assert_eq!(
            (l[0].clone(), l[1].clone()),
            (json!("POSITIVE"), json!("NEGATIVE"))
        );
    }
}

#[tokio::test]
async fn a_downgraded_plan_stops_scoring_new_responses() {
    let app = TestApp::spawn_with(&[("LOUPE_SENTIMENT_WORKER", "false")]).await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    let conn = app.db_conn().await;
    let set_plan = |plan: &'static str| {
        let conn = conn.clone();
        async move {
            use sea_orm::{EntityTrait, QueryFilter};
            entity::organization::Entity::update_many()
                .col_expr(
                    entity::organization::Column::Plan,
                    sea_orm::sea_query::Expr::value(plan),
                )
                .filter(sea_orm::ColumnTrait::eq(
                    &entity::organization::Column::Id,
                    1,
                ))
                .exec(&conn)
                .await
                .expect("plan");
        }
    };
    set_plan("BUSINESS").await;
    respond(&app, &survey, &q, "Great", "Awful").await;
    assert_eq!(pending_jobs(&app).await, 0, "no scoring off plan SCALE");
    set_plan("SCALE").await;
    respond(&app, &survey, &q, "Great", "Awful").await;
    assert_eq!(pending_jobs(&app).await, 2, "scoring resumes with the plan");
}

/// A model whose thread is gone, as after a crash of that thread.
struct Stopped;

impl api::jobs::sentiment::Scorer for Stopped {
    async fn score(&self, _: Vec<String>) -> anyhow::Result<Vec<api::jobs::sentiment::Stored>> {
        anyhow::bail!("the sentiment thread has stopped")
    }

    fn stopped(&self) -> bool {
        true
    }

    async fn restart(&self) -> anyhow::Result<Stopped> {
        Ok(Stopped)
    }
}

#[tokio::test]
async fn a_stopped_model_thread_costs_no_job_an_attempt() {
    let app = TestApp::spawn_with(&[("LOUPE_SENTIMENT_WORKER", "false")]).await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    respond(&app, &survey, &q, "Great", "Awful").await;
    let conn = app.db_conn().await;
    for _ in 0..5 {
        let round = api::jobs::sentiment::round(&conn, &Stopped, 256)
            .await
            .expect("round");
        assert_eq!(round, api::jobs::sentiment::Round::ModelStopped);
    }
    use sea_orm::EntityTrait;
    let jobs = entity::sentiment_job::Entity::find()
        .all(&conn)
        .await
        .expect("jobs");
    assert_eq!(
        jobs.iter().map(|j| j.attempts).collect::<Vec<_>>(),
        vec![0, 0],
        "jobs stay queued with no attempt counted"
    );
}

/// A separate `loupe worker` on the test's database, logging each committed batch.
fn start_worker(app: &TestApp, jobs: &str) -> std::process::Child {
    std::process::Command::new(BIN)
        .args(["worker", "--jobs", jobs, "--poll-ms", "50"])
        .env("LOUPE_DATA_DIR", app.dir.path())
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "api::jobs::sentiment=debug,warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("worker")
}

/// Stops a worker and adds up the jobs of the batches it logged as committed.
fn scored_jobs(w: &mut std::process::Child) -> u64 {
    let _ = w.kill();
    let _ = w.wait();
    let mut logs = String::new();
    w.stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logs)
        .expect("logs");
    logs.lines()
        .filter(|l| l.contains("sentiment batch scored"))
        .filter_map(|l| l.split("jobs=").nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test]
async fn two_workers_share_the_postgres_queue_without_double_work() {
    let mut app = TestApp::spawn_with(&[("LOUPE_SENTIMENT_WORKER", "false")]).await;
    if !app.db.url.starts_with("postgres") {
        return; // Several workers are a PostgreSQL deployment.
    }
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    let mut workers = [start_worker(&app, "8"), start_worker(&app, "8")];
    // Both have their model loaded and poll the queue before any job exists.
    for w in &mut workers {
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(w.stdout.as_mut().expect("stdout")),
            &mut line,
        )
        .expect("worker started");
        assert!(line.contains("worker running"), "{line}");
    }
    for i in 0..60 {
        respond(
            &app,
            &survey,
            &q,
            &format!("Nice {i}"),
            &format!("Not good at all {i}"),
        )
        .await;
    }
    drained(&app).await;
    let handled: Vec<u64> = workers.iter_mut().map(scored_jobs).collect();
    assert_eq!(
        handled.iter().sum::<u64>(),
        120,
        "every job scored exactly once: {handled:?}"
    );
    assert!(
        handled.iter().all(|n| *n > 0),
        "both workers took part: {handled:?}"
    );
    let all = labels(&app, &token, &survey, json!({})).await;
    assert!(all
        .iter()
        .all(|(_, l)| l[0].is_string() && l[1].is_string()));
    app.server().stop();
}

/// Issue 19's queue test: 2,000 answers to score, three workers, one SIGKILLed mid-run.
/// Its claimed-but-uncommitted batch is released when its connection drops; every answer
/// ends up scored exactly once (the committed batches the workers logged add up to the
/// jobs) and the queue is empty.
#[tokio::test]
async fn three_workers_one_killed_mid_run_score_every_answer_exactly_once() {
    let mut app = TestApp::spawn_with(&[("LOUPE_SENTIMENT_WORKER", "false")]).await;
    if !app.db.url.starts_with("postgres") {
        return; // Several workers are a PostgreSQL deployment.
    }
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    // The jobs first (two text answers per response), then the workers.
    use futures_util::StreamExt;
    futures_util::stream::iter(0..1_000)
        .for_each_concurrent(8, |i| {
            let (app, survey, q) = (&app, &survey, &q);
            async move {
                respond(
                    app,
                    survey,
                    q,
                    &format!("Lovely {i}"),
                    &format!("Slow and confusing {i}"),
                )
                .await;
            }
        })
        .await;
    assert_eq!(pending_jobs(&app).await, 2_000);
    let mut workers = [
        start_worker(&app, "32"),
        start_worker(&app, "32"),
        start_worker(&app, "32"),
    ];
    // Kill the first worker once a quarter of the queue is done.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while pending_jobs(&app).await > 1_500 {
        assert!(
            std::time::Instant::now() < deadline,
            "the workers did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = workers[0].kill();
    let _ = workers[0].wait();
    assert!(pending_jobs(&app).await > 0, "killed mid-run");
    drained(&app).await;
    let handled: Vec<u64> = workers.iter_mut().map(scored_jobs).collect();
    assert_eq!(
        handled.iter().sum::<u64>(),
        2_000,
        "every answer scored exactly once: {handled:?}"
    );
    assert_eq!(pending_jobs(&app).await, 0);
    // The newest 100 responses: both text answers labelled.
    let some = labels(&app, &token, &survey, json!({})).await;
    assert_eq!(some.len(), 100);
    assert!(some
        .iter()
        .all(|(_, l)| l[0].is_string() && l[1].is_string()));
    app.server().stop();
}

#[tokio::test]
async fn the_sentiment_command_prints_labels() {
    let out = tokio::process::Command::new(BIN)
        .args([
            "sentiment",
            "I love this product, it works perfectly!",
            "This is terrible, I want a refund.",
            "  ",
        ])
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("POSITIVE\t"), "{text}");
    assert!(lines[1].starts_with("NEGATIVE\t"), "{text}");
    assert!(lines[2].starts_with("-\t-"), "{text}");
}

/// Whether a process maps libtorch (its code, loaded with the model crate).
fn maps_libtorch(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .unwrap_or_else(|e| panic!("maps of {pid}: {e}"))
        .contains("libtorch_cpu")
}

/// The processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(child);
        }
    }
    out
}

/// Waits until `pid` has exactly one child (the sentiment worker) and returns it.
async fn worker_of(pid: u32) -> u32 {
    for _ in 0..300 {
        if let [worker] = children(pid)[..] {
            return worker;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no sentiment worker under {pid}: {:?}", children(pid));
}

async fn gone(pid: u32) -> bool {
    for _ in 0..100 {
        // A zombie has no maps left: it exited, only its parent has not reaped it yet.
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            !s.rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        });
        if !alive {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Issue 18: the server never maps libtorch (idle memory); the model runs in a child process
/// that the server starts once answers wait, restarts when it dies, and takes down with it.
#[tokio::test]
async fn the_model_runs_in_a_supervised_child_and_never_in_the_server() {
    let mut app = TestApp::spawn().await;
    let server = app.server().child.id();
    assert!(!maps_libtorch(server), "the server maps libtorch");
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    assert!(children(server).is_empty(), "no worker before any job");

    respond(&app, &survey, &q, "I love it", "This is terrible").await;
    drained(&app).await;
    let worker = worker_of(server).await;
    assert!(maps_libtorch(worker), "the child is the one with the model");
    assert!(!maps_libtorch(server), "the server still maps no libtorch");
    let all = labels(&app, &token, &survey, json!({})).await;
    assert_eq!(
        (all[0].1[0].clone(), all[0].1[1].clone()),
        (json!("POSITIVE"), json!("NEGATIVE"))
    );

    // A worker that dies is replaced, and the answers queued meanwhile are scored.
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &worker.to_string()])
        .status();
    assert!(gone(worker).await, "the worker was killed");
    respond(&app, &survey, &q, "I love it 2", "This is terrible").await;
    drained(&app).await;
    let replacement = worker_of(server).await;
    assert_ne!(replacement, worker);
    let all = labels(&app, &token, &survey, json!({})).await;
    assert_eq!(
        (all[1].1[0].clone(), all[1].1[1].clone()),
        (json!("POSITIVE"), json!("NEGATIVE"))
    );

    // A killed server leaves no worker behind: its stdin closes and it exits.
    app.server().stop();
    assert!(gone(replacement).await, "the worker outlived its server");
}

/// With `LOUPE_SENTIMENT_WORKER=false` the server starts no worker: jobs wait for
/// separate `loupe worker`s.
#[tokio::test]
async fn no_child_worker_when_turned_off() {
    let mut app = TestApp::spawn_with(&[
        ("LOUPE_SENTIMENT_WORKER", "false"),
        ("LOUPE_SENTIMENT_POLL_MS", "50"),
    ])
    .await;
    let server = app.server().child.id();
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    set_sentiment(&app, &token, &survey, true).await;
    respond(&app, &survey, &q, "Great", "Awful").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(children(server).is_empty());
    assert_eq!(pending_jobs(&app).await, 2);
}
