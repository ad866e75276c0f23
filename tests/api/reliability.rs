//! Hostile and unusual input never takes the server down: deep documents, deep pages,
//! memory pressure, slow clients, control characters, token edge cases, an unreachable
//! database. Each test failed before its fix.

use std::io::Write;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{error_code, TestApp};

async fn alive(app: &TestApp) {
    let resp = app.http.get(app.url("/healthz")).send().await;
    assert!(
        resp.is_ok_and(|r| r.status() == StatusCode::OK),
        "the server died"
    );
}

#[tokio::test]
async fn deeply_nested_graphql_documents_are_refused_not_fatal() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let lists = format!(
        "{{ survey(id: {}\"1\"{}) {{ id }} }}",
        "[".repeat(1500),
        "]".repeat(1500)
    );
    let objects = format!(
        "{{ survey(id: {}1{}) {{ id }} }}",
        "{a: ".repeat(1500),
        "}".repeat(1500)
    );
    for doc in [&lists, &objects] {
        let (status, body) = app.gql(&token, doc, json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert!(body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nests")));
        // Over GET too.
        let resp = app
            .http
            .get(app.url("/graphql"))
            .query(&[("query", doc.as_str())])
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    }
    // Variables nested past the JSON parser's bound: a clear 400 as well.
    let deep_vars = format!(
        "{{\"query\":\"query($v: JSON) {{ viewer {{ role }} }}\",\"variables\":{{\"v\":{}1{}}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let resp = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body(deep_vars)
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // A segment rule nested deeper than allowed is a field error, not a crash.
    let mut rule = json!({"attribute": "plan", "operator": "IS_SET"});
    for _ in 0..100 {
        rule = json!({ "and": [rule] });
    }
    let (_, body) = app
        .gql(
            &token,
            "mutation($r: JSON!) { createSegment(input: {siteId: \"1\", name: \"deep\", rule: $r}) { id } }",
            json!({ "r": rule }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    alive(&app).await;
    // Ordinary documents still run.
    let (status, body) = app.gql(&token, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["viewer"]["role"], "ADMIN");
}

/// A full snapshot of a page whose DOM is `levels` elements deep, as JSON text (built as
/// text: a `Value` this deep is not something to serialize on a test thread's stack).
fn deep_snapshot(t: i64, levels: usize) -> String {
    let mut s = format!(
        "{{\"type\":2,\"timestamp\":{t},\"data\":{{\"node\":{{\"type\":0,\"id\":1,\"childNodes\":["
    );
    for i in 0..levels {
        s.push_str(&format!(
            "{{\"type\":2,\"id\":{},\"tagName\":\"div\",\"attributes\":{{}},\"childNodes\":[",
            i + 2
        ));
    }
    s.push_str("{\"type\":3,\"id\":0,\"textContent\":\"bottom\"}");
    s.push_str(&"]}".repeat(levels));
    s.push_str("]},\"initialOffset\":{\"left\":0,\"top\":0}}}");
    s
}

/// Runs `f` on a thread with a stack big enough for very deep JSON values.
fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(512 * 1024 * 1024)
            .spawn_scoped(scope, f)
            .expect("thread")
            .join()
            .expect("join")
    })
}

fn parse_deep(text: &str) -> Value {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut de).expect("json")
}

fn depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

async fn post_batch(app: &TestApp, session: &str, body: String) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/{}/recordings/{session}/events", 1)))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn pages_a_thousand_elements_deep_are_recorded_and_replayed() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let t0 = 1_760_000_000_000i64;
    let meta = format!("{{\"type\":4,\"timestamp\":{t0},\"data\":{{\"href\":\"https://a.example/\",\"width\":800,\"height\":600}}}}");
    let snapshot = deep_snapshot(t0 + 1, 1000);
    let custom = format!(
        "{{\"type\":5,\"timestamp\":{},\"data\":{{\"tag\":\"deep\",\"payload\":{}1{}}}}}",
        t0 + 2,
        "{\"k\":".repeat(1500),
        "}".repeat(1500)
    );
    let body =
        format!("{{\"visitor_id\":\"v1\",\"sequence\":0,\"events\":[{meta},{snapshot},{custom}]}}");
    let (status, answer) = post_batch(&app, "deep-1", body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["events"], 3);

    // Replayed whole through GraphQL and REST.
    let id = answer["recording_id"].to_string();
    let resp = app
        .gql_raw(
            &token,
            "query($id: ID!) { recording(id: $id) { events(first: 10) { events } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.expect("text");
    on_big_stack(|| {
        let body = parse_deep(&text);
        let got = &body["data"]["recording"]["events"]["events"];
        assert_eq!(
            got.as_array().map(Vec::len),
            Some(3),
            "{}",
            &text[..text.len().min(300)]
        );
        assert_eq!(depth(&got[1]), depth(&parse_deep(&snapshot)));
        assert_eq!(got[2], parse_deep(&custom));
    });
    let resp = app
        .http
        .get(app.url(&format!("/v1/sites/1/recordings/{id}/events")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("rest");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.expect("ndjson").lines().count(), 3);

    // Past the documented bound: a clear 400, never a 500.
    let too_deep = format!(
        "{{\"sequence\":1,\"events\":[{}]}}",
        deep_snapshot(t0 + 5, 1100)
    );
    let (status, answer) = post_batch(&app, "deep-1", too_deep).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["field"], "events");
    let bomb = format!(
        "{{\"sequence\":2,\"events\":[{{\"type\":5,\"timestamp\":1,\"data\":{{\"x\":{}1{}}}}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (status, _) = post_batch(&app, "deep-1", bomb).await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::PAYLOAD_TOO_LARGE,
        "{status}"
    );
    alive(&app).await;
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

#[tokio::test]
async fn memory_for_bodies_in_flight_is_bounded_and_overload_is_shed() {
    let app = TestApp::spawn_with(&[("LOUPE_MEMORY_BUDGET_MIB", "16")]).await;
    // One batch that inflates to almost 8 MiB.
    let text = "x".repeat(7 * 1024 * 1024);
    let batch = json!({"sequence": 0, "events": [{"type": 5, "timestamp": 1, "data": {"tag": "t", "payload": text}}]});
    let compressed = gzip(batch.to_string().as_bytes());
    let mut tasks = Vec::new();
    for i in 0..12 {
        let http = app.http.clone();
        let url = app.url(&format!("/v1/sites/1/recordings/big-{i}/events"));
        let body = compressed.clone();
        tasks.push(tokio::spawn(async move {
            let resp = http
                .post(url)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .body(body)
                .send()
                .await
                .expect("send");
            (resp.status(), resp.headers().get("retry-after").is_some())
        }));
    }
    let (mut ok, mut shed) = (0, 0);
    for t in tasks {
        let (status, retry_after) = t.await.expect("task");
        match status {
            StatusCode::OK => ok += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(retry_after, "503 without Retry-After");
                shed += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(ok >= 1, "some batches fit (shed {shed})");
    alive(&app).await;

    // Bodies being read hold their declared size: past the budget, the next request is
    // answered 503 at once, without its body being read.
    let addr = app.base.trim_start_matches("http://").to_owned();
    let head = "POST /v1/sites/1/recordings/slow/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n";
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut s = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        s.write_all(head.as_bytes()).await.expect("head");
        s.write_all(&[b' '; 1000]).await.expect("part");
        held.push(s);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let answer = raw_exchange(&app, head, b"", Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after"),
        "{answer:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, _) = post_batch(
        &app,
        "small",
        json!({"sequence": 0, "events": [{"type": 4, "timestamp": 1, "data": {"href": "https://a.example/"}}]}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "capacity comes back");
}

/// Raw HTTP: what comes back within `wait` (empty when the connection stays silent).
async fn raw_exchange(app: &TestApp, head: &str, body_part: &[u8], wait: Duration) -> String {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(head.as_bytes()).await.expect("head");
    s.write_all(body_part).await.expect("body");
    let mut buf = vec![0u8; 4096];
    match tokio::time::timeout(wait, s.read(&mut buf)).await {
        Ok(Ok(n)) => String::from_utf8_lossy(&buf[..n]).into_owned(),
        _ => String::new(),
    }
}

#[tokio::test]
async fn slow_clients_are_timed_out() {
    let app = TestApp::spawn_with(&[("LOUPE_CLIENT_TIMEOUT_MS", "1000")]).await;
    let started = Instant::now();
    let head = "POST /v1/sites/1/identify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    let answer = raw_exchange(&app, head, b"{\"visitor", Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A head that never ends is closed too.
    let answer = raw_exchange(
        &app,
        "GET /healthz HTTP/1.1\r\nHost: x\r\n",
        b"",
        Duration::from_secs(10),
    )
    .await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer:?}"
    );
    alive(&app).await;
}

#[tokio::test]
async fn control_characters_are_refused_naming_the_field_on_every_database() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q) = app
        .active_survey(
            &token,
            json!({"kind": "SURVEY", "name": "S", "questions": [
                {"key": "c", "type": "SINGLE_CHOICE", "prompt": "Pick", "options": ["A", "B"], "allowOther": true},
                {"key": "t", "type": "SHORT_TEXT", "prompt": "Say"}
            ]}),
        )
        .await;
    let url = app.url(&format!("/v1/sites/1/surveys/{survey}/responses"));
    for (answers, field) in [
        (
            json!([{"question_id": q[1], "value": "a\u{0}b"}]),
            "answers.0.value",
        ),
        (
            json!([{"question_id": q[1], "value": "ok", "comment": "x\u{0}"}]),
            "answers.0.comment",
        ),
        (
            json!([{"question_id": q[0], "value": "other", "other": "\u{1b}[31m"}]),
            "answers.0.other",
        ),
    ] {
        let resp = app
            .http
            .post(&url)
            .json(&json!({"visitor_id": "v", "answers": answers}))
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let body: Value = resp.json().await.expect("json");
        assert_eq!(body["field"], field, "{body}");
    }
    // Identify attributes, GraphQL variables and literals, filters, query strings.
    app.enable_identify(&token, 1).await;
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .json(&json!({"visitor_id": "v", "user_id": "u\u{0}", "attributes": {}}))
        .send()
        .await
        .expect("identify");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let (status, body) = app
        .gql(
            &token,
            "query($s: ID!, $u: String!) { user(siteId: $s, userId: $u) { userId } }",
            json!({"s": "1", "u": "a\u{0}"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "variables.u");
    let (status, body) = app
        .gql(
            &token,
            &format!("{{ responses(surveyId: \"{survey}\", filter: {{answers: [{{questionId: \"{}\", operator: EQUALS, value: \"\\u0000\"}}]}}) {{ totalCount }} }}", q[1]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "query");
    let resp = app
        .http
        .get(app.url("/v1/sites/1/widgets?url=https%3A%2F%2Fa.example%2F&visitor_id=v%00"))
        .send()
        .await
        .expect("widgets");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["field"], "visitor_id");
    let resp = app
        .http
        .post(app.url("/v1/organizations/1/user-lookup"))
        .bearer_auth(&token)
        .json(&json!({"data_subject_email": "a@b.example", "data_subject_site_id_to_user_id_map": {"1": "x\u{0}"}}))
        .send()
        .await
        .expect("lookup");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // Tabs and line breaks are text.
    let resp = app
        .http
        .post(&url)
        .json(&json!({"visitor_id": "v", "answers": [{"question_id": q[1], "value": "a\tb\nc"}]}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_right_secret_is_never_locked_out_by_parallel_requests() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let http = app.http.clone();
        let url = app.url("/oauth/token");
        let creds = app.admin.clone();
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", creds.client_id.as_str()),
                    ("client_secret", creds.client_secret.as_str()),
                ])
                .send()
                .await
                .expect("token")
                .status()
        }));
    }
    for t in tasks {
        let status = t.await.expect("task");
        assert!(
            status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
        assert_ne!(status, StatusCode::UNAUTHORIZED);
    }
    // Wrong secrets still lock the pair out.
    let wrong = crate::helpers::Creds {
        client_id: app.admin.client_id.clone(),
        client_secret: "lps_wrong".into(),
    };
    let mut last = StatusCode::OK;
    for _ in 0..11 {
        last = app.token_response(&wrong).await.status();
    }
    assert_eq!(last, StatusCode::UNAUTHORIZED);
    let resp = app.token_response(&app.admin).await;
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "locked after 10 failures"
    );
    assert!(resp.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn an_unreachable_database_answers_503_quickly_and_recovers() {
    let mut app = TestApp::spawn_with(&[("LOUPE_REQUEST_TIMEOUT_MS", "1500")]).await;
    let token = app.admin_token().await;
    let (survey, q) = app
        .active_survey(
            &token,
            json!({"kind": "SURVEY", "name": "S", "questions": [{"key": "t", "type": "SHORT_TEXT", "prompt": "Say"}]}),
        )
        .await;
    let submit = |app: &TestApp| {
        app.http
            .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
            .json(&json!({"visitor_id": "v", "answers": [{"question_id": q[0], "value": "hi"}]}))
            .send()
    };
    // The outage: SQLite held by another writer; PostgreSQL with every backend of this
    // database terminated and new connections refused.
    let outage = Outage::begin(&app).await;
    let started = Instant::now();
    let resp = submit(&app).await.expect("submit");
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(resp.headers().get("retry-after").is_some());
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error"], "UNAVAILABLE", "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    if matches!(outage, Outage::Postgres) {
        let (status, body) = app
            .gql(
                &token,
                "{ surveys(siteId: \"1\") { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(error_code(&body), "UNAVAILABLE", "{body}");
    } else {
        // SQLite readers are not blocked by a writer; a write is.
        let resp = app
            .gql_raw(
                &token,
                "mutation { updateSite(id: \"1\", input: {name: \"X\"}) { name } }",
                json!({}),
            )
            .await;
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(resp.headers().get("retry-after").is_some());
    }
    let ready = Instant::now();
    let resp = app
        .http
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        assert!(ready.elapsed() < Duration::from_secs(3));
    }
    outage.end(&app).await;
    // Recovers by itself.
    let mut recovered = false;
    for _ in 0..50 {
        if submit(&app)
            .await
            .is_ok_and(|r| r.status() == StatusCode::CREATED)
        {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "the server did not recover");
    app.server().stop();
}

/// Makes the test database unusable for the server, then usable again.
enum Outage {
    Sqlite(sea_orm::DatabaseTransaction),
    Postgres,
}

impl Outage {
    async fn begin(app: &TestApp) -> Outage {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let conn = app.db_conn().await;
        if conn.get_database_backend() == sea_orm::DbBackend::Sqlite {
            let txn = conn.begin().await.expect("begin");
            // Holds the write lock until dropped.
            txn.execute_unprepared("UPDATE site SET id = id")
                .await
                .expect("lock");
            Outage::Sqlite(txn)
        } else {
            let name = app.db.url.rsplit('/').next().unwrap_or_default().to_owned();
            let admin = std::env::var("TEST_DATABASE_URL").expect("pg url");
            let admin = sea_orm::Database::connect(&admin).await.expect("admin");
            admin
                .execute_unprepared(&format!(
                    "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
                ))
                .await
                .expect("refuse connections");
            admin
                .execute_unprepared(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                ))
                .await
                .expect("terminate");
            Outage::Postgres
        }
    }

    async fn end(self, app: &TestApp) {
        use sea_orm::ConnectionTrait;
        match self {
            Outage::Sqlite(txn) => {
                let _ = txn.rollback().await;
            }
            Outage::Postgres => {
                let name = app.db.url.rsplit('/').next().unwrap_or_default().to_owned();
                let admin = std::env::var("TEST_DATABASE_URL").expect("pg url");
                let admin = sea_orm::Database::connect(&admin).await.expect("admin");
                admin
                    .execute_unprepared(&format!(
                        "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"
                    ))
                    .await
                    .expect("allow connections");
            }
        }
    }
}
