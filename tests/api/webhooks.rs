//! Webhooks end to end: the real server sends to a local receiver that checks every
//! signature with the Standard Webhooks reference library (npm `standardwebhooks`,
//! tests/webhooks/receiver.mjs). Needs `npm ci --prefix tests/webhooks` (scripts/test does
//! it); without it these tests are compiled as ignored, never passed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{error_code, TestApp};

const ENDPOINT: &str = "mutation($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { secret endpoint { id url events format enabled } } }";
const DELIVERIES: &str = "query($id: ID!) { webhookEndpoint(id: $id) {
    enabled disabledReason consecutiveFailures
    deliveries(first: 50) { id messageId event status attempts lastStatusCode lastLatencyMs lastError nextAttemptAt } } }";
const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) LoupeWebhookTest/1.0";

/// A free local port (bound and released; the receiver binds it next).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

struct Receiver {
    _child: tokio::process::Child,
    port: u16,
    log: PathBuf,
    plan: PathBuf,
    _dir: tempfile::TempDir,
}

impl Receiver {
    async fn start(port: u16, secrets: &[&str]) -> Receiver {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("received.jsonl");
        let plan = dir.path().join("plan.json");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("webhooks/receiver.mjs");
        let mut cmd = tokio::process::Command::new("node");
        cmd.arg(script)
            .args(["--port", &port.to_string(), "--log"])
            .arg(&log)
            .arg("--plan")
            .arg(&plan)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true);
        for s in secrets {
            cmd.args(["--secret", s]);
        }
        let mut child = cmd.spawn().expect("start the webhook receiver (node)");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .expect("receiver started in time")
            .expect("read")
            .expect("a line");
        assert!(first.starts_with("LISTENING"), "{first}");
        Receiver {
            _child: child,
            port,
            log,
            plan,
            _dir: dir,
        }
    }

    fn plan(&self, plan: Value) {
        std::fs::write(&self.plan, plan.to_string()).expect("plan");
    }

    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits until `done` holds for what was received.
    async fn wait_for(&self, what: &str, secs: u64, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.received();
            if done(&got) {
                return got;
            }
            assert!(
                Instant::now() < until,
                "waited {secs}s for {what}; received: {}",
                serde_json::to_string_pretty(&got).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn of_type<'a>(got: &'a [Value], kind: &str) -> Vec<&'a Value> {
    got.iter().filter(|v| v["body"]["type"] == kind).collect()
}

async fn endpoint(
    app: &TestApp,
    token: &str,
    url: &str,
    events: Value,
    format: &str,
) -> (String, String) {
    let (_, b) = app
        .gql(
            token,
            ENDPOINT,
            json!({"input": {"siteId": "1", "url": url, "events": events, "format": format}}),
        )
        .await;
    let e = &b["data"]["createWebhookEndpoint"];
    (
        e["endpoint"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{b}"))
            .to_owned(),
        e["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("{b}"))
            .to_owned(),
    )
}

/// An endpoint of site 1 on a free local port, and the receiver listening there.
/// The endpoint's delivery log once no delivery is pending. The worker records an attempt
/// after the receiver has answered: the log catches up a moment after the receipt (more
/// than a moment on a loaded machine).
async fn settled_log(app: &TestApp, token: &str, endpoint: &str) -> Value {
    let mut b = Value::Null;
    for _ in 0..100 {
        b = app.gql(token, DELIVERIES, json!({"id": endpoint})).await.1;
        let settled = b["data"]["webhookEndpoint"]["deliveries"]
            .as_array()
            .is_some_and(|d| d.iter().all(|d| d["status"] != "PENDING"));
        if settled {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b
}

async fn subscribed(app: &TestApp, token: &str, events: Value) -> (String, String, Receiver) {
    let port = free_port();
    let (id, secret) = endpoint(
        app,
        token,
        &format!("http://127.0.0.1:{port}/"),
        events,
        "STANDARD",
    )
    .await;
    let rx = Receiver::start(port, &[&secret]).await;
    (id, secret, rx)
}

async fn nps(app: &TestApp, token: &str) -> (String, Vec<i64>) {
    app.active_survey(
        token,
        json!({"name": "NPS", "questions": [
            {"key": "score", "type": "NPS", "prompt": "How likely are you to recommend us?", "required": true},
            {"key": "why", "type": "LONG_TEXT", "prompt": "Why <that> score?"}
        ]}),
    )
    .await
}

async fn submit(app: &TestApp, survey: &str, body: Value) -> Value {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
        .header("User-Agent", UA)
        .json(&body)
        .send()
        .await
        .expect("submit");
    assert!(resp.status().is_success(), "{}", resp.status());
    resp.json().await.expect("json")
}

fn private_env(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut env = vec![("LOUPE_WEBHOOK_ALLOW_PRIVATE", "true")];
    env.extend_from_slice(extra);
    env
}

#[tokio::test]
#[cfg_attr(
    not(webhooks_ready),
    ignore = "needs node and `npm ci --prefix tests/webhooks` (scripts/test installs it)"
)]
async fn events_reach_endpoints_signed_per_standard_webhooks() {
    let app = TestApp::spawn_with(&private_env(&[])).await;
    let token = app.admin_token().await;
    let (survey, q) = nps(&app, &token).await;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hooks/loupe");
    let (id, secret) = endpoint(
        &app,
        &token,
        &url,
        json!([
            "SURVEY_RESPONSE_CREATED",
            "SURVEY_RESPONSE_COMPLETED",
            "RECORDING_STARTED",
            "TEST"
        ]),
        "STANDARD",
    )
    .await;
    assert!(secret.starts_with("whsec_"));
    let rx = Receiver::start(port, &[&secret]).await;

    // A complete response: created and completed, in that order.
    let done = submit(
        &app,
        &survey,
        json!({"visitor_id": "v-1", "page_url": "https://shop.example/pricing?email=ann@example.com",
               "answers": [{"question_id": q[0], "value": 3}, {"question_id": q[1], "value": "Too slow"}]}),
    )
    .await;
    let got = rx
        .wait_for("created and completed", 15, |g| {
            !of_type(g, "survey_response.created").is_empty()
                && !of_type(g, "survey_response.completed").is_empty()
        })
        .await;
    for v in &got {
        assert_eq!(v["verified"], true, "{v}");
        assert_eq!(v["path"], "/hooks/loupe");
        let text = v["body"].to_string();
        assert!(
            !text.contains("LoupeWebhookTest") && !text.contains("127.0.0.1"),
            "no agent or IP: {text}"
        );
        assert!(
            !text.contains("ann@example.com"),
            "the page URL is scrubbed: {text}"
        );
    }
    let created = of_type(&got, "survey_response.created")[0];
    let body = &created["body"];
    assert!(body["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(body["data"]["survey"]["id"], json!(survey));
    assert_eq!(body["data"]["survey"]["name"], "NPS");
    let response_id = done["response_id"].as_i64().or_else(|| done["id"].as_i64());
    if let Some(rid) = response_id {
        assert_eq!(
            body["data"]["response"]["id"].to_string().trim_matches('"'),
            rid.to_string()
        );
    }
    assert_eq!(
        body["data"]["response"]["answers"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    assert_ne!(
        created["id"],
        of_type(&got, "survey_response.completed")[0]["id"],
        "one webhook-id per event"
    );

    // A partial response: created now, completed when the visitor finishes.
    let partial = submit(
        &app,
        &survey,
        json!({"visitor_id": "v-2", "is_complete": false, "answers": [{"question_id": q[0], "value": 9}]}),
    )
    .await;
    let rid = partial["response_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{partial}"));
    rx.wait_for("the partial's created event", 15, |g| {
        of_type(g, "survey_response.created").len() == 2
    })
    .await;
    assert_eq!(
        of_type(&rx.received(), "survey_response.completed").len(),
        1
    );
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-2", "response_id": rid, "answers": [{"question_id": q[1], "value": "ok"}]}),
    )
    .await;
    rx.wait_for("the partial's completion", 15, |g| {
        of_type(g, "survey_response.completed").len() == 2
    })
    .await;

    // The first batch of a recording.
    let batch = json!({"visitor_id": "v-1", "sequence": 0, "events": [
        {"type": 4, "timestamp": 1_760_000_000_000i64, "data": {"href": "https://shop.example/", "width": 1280, "height": 800}}
    ]});
    let resp = app
        .http
        .post(app.url("/v1/sites/1/recordings/sess-hook/events"))
        .json(&batch)
        .send()
        .await
        .expect("batch");
    assert!(resp.status().is_success(), "{}", resp.status());
    let got = rx
        .wait_for("recording.started", 15, |g| {
            !of_type(g, "recording.started").is_empty()
        })
        .await;
    let rec = &of_type(&got, "recording.started")[0]["body"]["data"]["recording"];
    assert_eq!(rec["session_id"], "sess-hook");

    // A test event on demand, and the delivery log.
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { sendTestWebhook(id: $id) { id status event } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(b["data"]["sendTestWebhook"]["event"], "TEST", "{b}");
    rx.wait_for("the test event", 15, |g| !of_type(g, "test").is_empty())
        .await;
    let b = settled_log(&app, &token, &id).await;
    let deliveries = b["data"]["webhookEndpoint"]["deliveries"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .clone();
    assert_eq!(deliveries.len(), 6, "{b}");
    for d in &deliveries {
        assert_eq!(d["status"], "DELIVERED", "{d}");
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["lastStatusCode"], 204);
        assert!(d["lastLatencyMs"].as_i64().is_some());
        assert!(d["nextAttemptAt"].is_null());
    }

    // Rotation with an overlap: requests carry both signatures, so a receiver that knows
    // only the old secret or only the new one verifies them.
    let (_, b) = app
        .gql(&token, "mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapHours: 1) { secret endpoint { previousSecretExpiresAt } } }", json!({"id": id}))
        .await;
    let new_secret = b["data"]["rotateWebhookSecret"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    assert_ne!(new_secret, secret);
    assert!(b["data"]["rotateWebhookSecret"]["endpoint"]["previousSecretExpiresAt"].is_string());
    app.gql(
        &token,
        "mutation($id: ID!) { sendTestWebhook(id: $id) { id } }",
        json!({"id": id}),
    )
    .await;
    let got = rx
        .wait_for("the second test event", 15, |g| {
            of_type(g, "test").len() == 2
        })
        .await;
    let second = of_type(&got, "test")[1];
    assert_eq!(
        second["verified"], true,
        "the old secret still verifies: {second}"
    );
    let sig = second["headers"]["webhook-signature"]
        .as_str()
        .expect("signature");
    assert_eq!(sig.split(' ').count(), 2, "{sig}");
    drop(rx);
    let rx = Receiver::start(port, &[&new_secret]).await;
    app.gql(
        &token,
        "mutation($id: ID!) { sendTestWebhook(id: $id) { id } }",
        json!({"id": id}),
    )
    .await;
    let got = rx
        .wait_for("a test event for the new secret", 15, |g| {
            !of_type(g, "test").is_empty()
        })
        .await;
    assert_eq!(of_type(&got, "test")[0]["verified"], true);

    // Slack's format for response events.
    let slack_port = free_port();
    let (_, slack_secret) = endpoint(
        &app,
        &token,
        &format!("http://127.0.0.1:{slack_port}/slack"),
        json!(["SURVEY_RESPONSE_COMPLETED"]),
        "SLACK",
    )
    .await;
    let slack = Receiver::start(slack_port, &[&slack_secret]).await;
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-3", "answers": [{"question_id": q[0], "value": 10}]}),
    )
    .await;
    let got = slack
        .wait_for("a Slack message", 15, |g| !g.is_empty())
        .await;
    let text = got[0]["body"]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", got[0]));
    assert!(
        text.contains("New completed response") && text.contains("NPS"),
        "{text}"
    );
    assert!(got[0]["body"]["blocks"].is_array());
}

#[tokio::test]
#[cfg_attr(
    not(webhooks_ready),
    ignore = "needs node and `npm ci --prefix tests/webhooks` (scripts/test installs it)"
)]
async fn failures_are_retried_with_growing_intervals_and_a_failing_endpoint_is_disabled() {
    let app = TestApp::spawn_with(&private_env(&[
        ("LOUPE_WEBHOOK_RETRY_BASE_MS", "400"),
        ("LOUPE_WEBHOOK_TIMEOUT_MS", "700"),
        ("LOUPE_WEBHOOK_DISABLE_AFTER", "3"),
    ]))
    .await;
    let token = app.admin_token().await;
    let (survey, q) = nps(&app, &token).await;
    let (id, _, rx) = subscribed(&app, &token, json!(["SURVEY_RESPONSE_COMPLETED"])).await;
    // 500, 500, then a success.
    rx.plan(json!({"fail_first": 2, "status": 500}));
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-1", "answers": [{"question_id": q[0], "value": 8}]}),
    )
    .await;
    let got = rx
        .wait_for("a success after two 500s", 20, |g| {
            g.iter().any(|v| v["status"] == 204)
        })
        .await;
    let times: Vec<i64> = got
        .iter()
        .map(|v| v["received_at_ms"].as_i64().expect("time"))
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.iter().all(|v| v["id"] == got[0]["id"]),
        "the same webhook-id on every attempt"
    );
    let (gap1, gap2) = (times[1] - times[0], times[2] - times[1]);
    assert!(gap1 >= 250, "first retry after ~400 ms, not {gap1}");
    assert!(gap2 > gap1, "intervals grow: {gap1} then {gap2} ms");
    let b = settled_log(&app, &token, &id).await;
    let d = &b["data"]["webhookEndpoint"]["deliveries"][0];
    assert_eq!(d["status"], "DELIVERED", "{b}");
    assert_eq!(d["attempts"], 3);
    assert_eq!(
        b["data"]["webhookEndpoint"]["consecutiveFailures"], 0,
        "a success resets the run"
    );

    // A timeout counts as a failure and is retried.
    rx.plan(json!({"hang_first": 1, "delay_ms": 2000}));
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-2", "answers": [{"question_id": q[0], "value": 7}]}),
    )
    .await;
    let got = rx
        .wait_for("a success after a timeout", 20, |g| {
            g.iter().filter(|v| v["status"] == 204).count() == 2
        })
        .await;
    let last = got.last().expect("one");
    assert_eq!(last["attempt"], 2, "{last}");

    // A redirect is not followed: it counts as a failure and is retried.
    rx.plan(json!({"fail_first": 1, "status": 302}));
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-redirect", "answers": [{"question_id": q[0], "value": 6}]}),
    )
    .await;
    let got = rx
        .wait_for("a success after a redirect", 20, |g| {
            g.iter().filter(|v| v["status"] == 204).count() == 3
        })
        .await;
    let last = got.last().expect("one");
    assert_eq!(last["attempt"], 2, "{last}");
    assert!(
        got.iter()
            .any(|v| v["id"] == last["id"] && v["status"] == 302),
        "{got:?}"
    );

    // A manual redelivery sends the same message again.
    let (_, b) = app.gql(&token, DELIVERIES, json!({"id": id})).await;
    let delivery = b["data"]["webhookEndpoint"]["deliveries"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let msg = b["data"]["webhookEndpoint"]["deliveries"][0]["messageId"]
        .as_str()
        .expect("msg")
        .to_owned();
    rx.plan(json!({}));
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }",
            json!({"id": delivery}),
        )
        .await;
    assert_eq!(b["data"]["redeliverWebhook"]["status"], "PENDING", "{b}");
    rx.wait_for("the redelivery", 15, |g| {
        g.iter().filter(|v| v["id"] == msg.as_str()).count() == 3
    })
    .await;

    // An endpoint nobody answers on is disabled after 3 failed attempts in a row, and the
    // audit log says so.
    let dead = free_port();
    let (dead_id, _) = endpoint(
        &app,
        &token,
        &format!("http://127.0.0.1:{dead}/"),
        json!(["SURVEY_RESPONSE_COMPLETED"]),
        "STANDARD",
    )
    .await;
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-3", "answers": [{"question_id": q[0], "value": 1}]}),
    )
    .await;
    let until = Instant::now() + Duration::from_secs(20);
    let endpoint = loop {
        let (_, b) = app.gql(&token, DELIVERIES, json!({"id": dead_id})).await;
        let e = b["data"]["webhookEndpoint"].clone();
        if e["enabled"] == false {
            break e;
        }
        assert!(Instant::now() < until, "not disabled: {b}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(endpoint["consecutiveFailures"], 3, "{endpoint}");
    assert!(endpoint["disabledReason"]
        .as_str()
        .is_some_and(|r| r.contains("3 consecutive")));
    let d = &endpoint["deliveries"][0];
    assert_eq!(
        d["status"], "PENDING",
        "kept for when it is turned on again: {d}"
    );
    assert!(
        d["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("connect")),
        "{d}"
    );
    let (_, b) = app
        .gql(
            &token,
            "{ auditLog(first: 10) { edges { node { action counts } } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&Value> = b["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| &e["node"]["action"])
        .collect();
    assert!(actions.contains(&&json!("WEBHOOK_DISABLED")), "{b}");
}

#[tokio::test]
#[cfg_attr(
    not(webhooks_ready),
    ignore = "needs node and `npm ci --prefix tests/webhooks` (scripts/test installs it)"
)]
async fn a_kill_mid_delivery_loses_no_event() {
    let env = private_env(&[
        ("LOUPE_WEBHOOK_TIMEOUT_MS", "1000"),
        ("LOUPE_WEBHOOK_RETRY_BASE_MS", "200"),
        ("LOUPE_WEBHOOK_CONCURRENCY", "64"),
    ]);
    let mut app = TestApp::spawn_with(&env).await;
    let token = app.admin_token().await;
    let (survey, q) = nps(&app, &token).await;
    let (_, _, rx) = subscribed(&app, &token, json!(["SURVEY_RESPONSE_COMPLETED"])).await;
    // The receiver holds the first attempts (longer than Loupe waits), so Loupe is killed
    // while deliveries are in flight.
    rx.plan(json!({"hang_first": 1, "delay_ms": 5000}));
    let mut responses = vec![];
    for i in 0..20 {
        let r = submit(
            &app,
            &survey,
            json!({"visitor_id": format!("v-{i}"), "answers": [{"question_id": q[0], "value": i % 11}]}),
        )
        .await;
        responses.push(r["response_id"].as_i64().unwrap_or_else(|| panic!("{r}")));
    }
    rx.wait_for("deliveries in flight", 15, |g| g.len() >= 5)
        .await;
    app.restart(&env);
    rx.plan(json!({}));
    let got = rx
        .wait_for("every response delivered after the restart", 45, |g| {
            responses.iter().all(|rid| {
                g.iter().any(|v| {
                    v["status"] == 204
                        && v["verified"] == true
                        && v["body"]["data"]["response"]["id"]
                            .to_string()
                            .trim_matches('"')
                            == rid.to_string()
                })
            })
        })
        .await;
    let ids: std::collections::HashSet<&str> =
        got.iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(
        ids.len(),
        20,
        "one webhook-id per event, sent at least once"
    );
}

#[tokio::test]
async fn internal_targets_are_refused_and_other_organizations_endpoints_are_not_found() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0x7f000001/",
        "ftp://example.com/",
        "https://user:pass@93.184.216.34/",
    ] {
        let (_, b) = app
            .gql(
                &token,
                ENDPOINT,
                json!({"input": {"siteId": "1", "url": url, "events": ["TEST"]}}),
            )
            .await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{url}: {b}");
    }
    let (_, b) = app
        .gql(
            &token,
            ENDPOINT,
            json!({"input": {"siteId": "1", "url": "http://93.184.216.34/hook", "events": []}}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "no events: {b}");
    // A public address is fine.
    let (id, _) = endpoint(
        &app,
        &token,
        "http://93.184.216.34/hook",
        json!(["TEST"]),
        "STANDARD",
    )
    .await;

    // Only ADMIN keys change endpoints.
    let writer = app.create_key(1, "WRITE").await;
    let writer_token = app.token(&writer).await;
    let (_, b) = app
        .gql(
            &writer_token,
            ENDPOINT,
            json!({"input": {"siteId": "1", "url": "http://93.184.216.34/x", "events": ["TEST"]}}),
        )
        .await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");

    // Another organization sees none of it.
    let (_, other_site, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    let (_, b) = app.gql(&other, DELIVERIES, json!({"id": id})).await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let (_, b) = app
        .gql(
            &other,
            "{ webhookEndpoints(siteId: \"1\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    for m in [
        "mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: {enabled: false}) { id } }",
        "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }",
        "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }",
        "mutation($id: ID!) { sendTestWebhook(id: $id) { id } }",
    ] {
        let (_, b) = app.gql(&other, m, json!({"id": id})).await;
        assert_eq!(error_code(&b), "NOT_FOUND", "{m}: {b}");
    }
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { sendTestWebhook(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    let delivery = b["data"]["sendTestWebhook"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    let (_, b) = app
        .gql(
            &other,
            "mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }",
            json!({"id": delivery}),
        )
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let (_, b) = app
        .gql(
            &other,
            ENDPOINT,
            json!({"input": {"siteId": "1", "url": "http://93.184.216.34/x", "events": ["TEST"]}}),
        )
        .await;
    assert_eq!(
        error_code(&b),
        "NOT_FOUND",
        "another organization's site: {b}"
    );
    let (_, b) = app
        .gql(
            &other,
            "query($s: ID!) { webhookEndpoints(siteId: $s) { id } }",
            json!({"s": other_site.to_string()}),
        )
        .await;
    assert_eq!(b["data"]["webhookEndpoints"], json!([]), "{b}");
    let (_, b) = app
        .gql(
            &token,
            "{ webhookEndpoints(siteId: \"1\") { id url } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["webhookEndpoints"].as_array().map(Vec::len),
        Some(1),
        "{b}"
    );
}

#[tokio::test]
#[cfg_attr(
    not(webhooks_ready),
    ignore = "needs node and `npm ci --prefix tests/webhooks` (scripts/test installs it)"
)]
async fn two_nodes_share_the_postgres_outbox_without_sending_twice() {
    let env = private_env(&[]);
    let app = TestApp::spawn_with(&env).await;
    if !app.db.url.starts_with("postgres") {
        return; // Several nodes on one database are a PostgreSQL deployment.
    }
    let _second = crate::helpers::Server::start(app.dir.path(), &app.db.url, &env);
    let token = app.admin_token().await;
    let (survey, q) = nps(&app, &token).await;
    let (_, _, rx) = subscribed(
        &app,
        &token,
        json!(["SURVEY_RESPONSE_CREATED", "SURVEY_RESPONSE_COMPLETED"]),
    )
    .await;
    for i in 0..60 {
        submit(
            &app,
            &survey,
            json!({"visitor_id": format!("v-{i}"), "answers": [{"question_id": q[0], "value": i % 11}]}),
        )
        .await;
    }
    let got = rx.wait_for("120 events", 30, |g| g.len() >= 120).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got_after = rx.received();
    assert_eq!(got_after.len(), got.len(), "nothing sent twice later");
    let ids: std::collections::HashSet<&str> =
        got_after.iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(
        ids.len(),
        120,
        "each event once: {} requests",
        got_after.len()
    );
    assert!(got_after.iter().all(|v| v["verified"] == true));
}

#[tokio::test]
#[cfg_attr(
    not(webhooks_ready),
    ignore = "needs node and `npm ci --prefix tests/webhooks` (scripts/test installs it)"
)]
async fn scored_sentiment_is_announced_and_deleted_responses_are_never_sent() {
    let app = TestApp::spawn_with(&private_env(&[("LOUPE_SENTIMENT_POLL_MS", "50")])).await;
    let token = app.admin_token().await;
    let (survey, q) = nps(&app, &token).await;
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { setSurveySentiment(id: $id, enabled: true) { sentimentEnabled } }",
            json!({"id": survey}),
        )
        .await;
    assert_eq!(
        b["data"]["setSurveySentiment"]["sentimentEnabled"], true,
        "{b}"
    );
    let (id, secret, rx) = subscribed(
        &app,
        &token,
        json!([
            "SURVEY_RESPONSE_SENTIMENT_SCORED",
            "SURVEY_RESPONSE_COMPLETED"
        ]),
    )
    .await;
    submit(
        &app,
        &survey,
        json!({"visitor_id": "v-1", "answers": [{"question_id": q[0], "value": 2}, {"question_id": q[1], "value": "Terrible, it keeps crashing and I lost my work"}]}),
    )
    .await;
    let got = rx
        .wait_for("sentiment_scored", 60, |g| {
            !of_type(g, "survey_response.sentiment_scored").is_empty()
        })
        .await;
    let body = &of_type(&got, "survey_response.sentiment_scored")[0]["body"];
    let answers = body["data"]["response"]["answers"]
        .as_array()
        .expect("answers");
    assert!(
        answers.iter().any(|a| a["sentiment"] == "negative"),
        "the scored answer carries its label: {body}"
    );

    // A response deleted before its event is sent is never sent: the receiver is down,
    // the person's data is deleted, and nothing about them arrives later.
    let port = rx.port;
    drop(rx);
    let (contact, cq) = app
        .active_survey(
            &token,
            json!({"name": "Contact", "questions": [{"key": "email", "type": "EMAIL", "prompt": "Email"}]}),
        )
        .await;
    let r = submit(
        &app,
        &contact,
        json!({"visitor_id": "v-gone", "answers": [{"question_id": cq[0], "value": "gone@example.com"}]}),
    )
    .await;
    let rid = r["response_id"].as_i64().unwrap_or_else(|| panic!("{r}"));
    let (_, b) = app
        .gql(
            &token,
            "mutation { deletePersonalData(input: {email: \"gone@example.com\"}) }",
            json!({}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    let rx = Receiver::start(port, &[&secret]).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = rx.received();
    assert!(
        got.iter().all(|v| v["body"]["data"]["response"]["id"]
            .to_string()
            .trim_matches('"')
            != rid.to_string()),
        "{got:?}"
    );
    let (_, b) = app.gql(&token, DELIVERIES, json!({"id": id})).await;
    let deliveries = b["data"]["webhookEndpoint"]["deliveries"]
        .as_array()
        .expect("list");
    // Its delivery is gone, or (when the event was not yet fanned out) skipped unsent.
    assert!(
        deliveries.iter().all(|d| d["status"] == "DELIVERED"
            || (d["status"] == "SKIPPED" && d["lastStatusCode"].is_null())),
        "the deleted response's delivery was never sent: {b}"
    );
}
