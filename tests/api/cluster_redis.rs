//! Two `loupe serve` nodes on one database, sharing a real `redis-server` started per test
//! (`LOUPE_REDIS_URL`): the rate limit is exact across nodes, a revocation on one node is
//! refused by the other at once, a site setting changed on one node applies on the other
//! within 100 ms (pub/sub), and when Redis goes away the nodes fail open and rebuild the
//! revocation markers when it returns. The negative control shows what happens without
//! Redis: each node counts alone.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{Creds, Server, TestApp};

/// A throwaway `redis-server` on a free loopback port, killed on drop.
struct Redis {
    port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Redis {
    fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut redis = Redis {
            port,
            child: None,
            dir: tempfile::tempdir().expect("tempdir"),
        };
        redis.run();
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Starts the server (again) on the same port, empty: no persistence.
    fn run(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.cli(&["PING"]) != "PONG" {
            assert!(Instant::now() < deadline, "redis-server did not answer");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn cli(&self, args: &[&str]) -> String {
        Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Node A (the `TestApp`) and node B on the same database, with `env` on both.
async fn two_nodes(env: &[(&str, &str)]) -> (TestApp, Server) {
    let a = TestApp::spawn_with(env).await;
    let b = a.node(env);
    (a, b)
}

/// A new key of organization 1: its id and credentials.
async fn new_key(app: &TestApp, role: &str) -> (i64, Creds) {
    let key = app
        .admin_cli(&["create-key", "--org", "1", "--role", role])
        .await
        .expect("create key");
    let id = key["id"].as_i64().expect("key id");
    let creds = Creds {
        client_id: key["client_id"].as_str().expect("client_id").to_owned(),
        client_secret: key["client_secret"]
            .as_str()
            .expect("client_secret")
            .to_owned(),
    };
    (id, creds)
}

async fn typename(http: &reqwest::Client, base: &str, token: &str) -> reqwest::Response {
    http.post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .expect("graphql request")
}

/// 900 requests of one key, alternately on each node, 16 at a time: how many succeeded.
async fn spread_900(app: &TestApp, b: &Server, token: &str) -> usize {
    let bases = [app.base.as_str(), b.base.as_str()];
    let answers: Vec<(StatusCode, reqwest::header::HeaderMap)> = stream::iter(0..900)
        .map(|i| {
            let (http, base) = (&app.http, bases[i % 2]);
            async move {
                let r = typename(http, base, token).await;
                (r.status(), r.headers().clone())
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    for (status, h) in &answers {
        assert!(
            *status == StatusCode::OK || *status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
        assert_eq!(h["ratelimit-limit"], "300");
        if *status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(h["ratelimit-remaining"], "0");
            let retry: u64 = h["retry-after"]
                .to_str()
                .expect("ascii")
                .parse()
                .expect("seconds");
            assert!((1..=60).contains(&retry), "{retry}");
            assert!(h.contains_key("ratelimit-reset"));
        }
    }
    answers.iter().filter(|(s, _)| *s == StatusCode::OK).count()
}

async fn metric(http: &reqwest::Client, base: &str, name: &str) -> Option<f64> {
    let text = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

/// Waits (up to 10 s) until `/metrics` of `base` shows `loupe_redis_up` = `up`.
async fn wait_redis_up(http: &reqwest::Client, base: &str, up: bool) {
    let want = if up { 1.0 } else { 0.0 };
    let deadline = Instant::now() + Duration::from_secs(10);
    while metric(http, base, "loupe_redis_up").await != Some(want) {
        assert!(
            Instant::now() < deadline,
            "{base}: loupe_redis_up never became {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[cfg_attr(
    not(redis_ready),
    ignore = "needs redis-server and redis-cli (Debian's redis-server package; .ci/run installs it)"
)]
async fn redis_makes_the_rate_limit_exact_across_nodes() {
    let redis = Redis::start();
    let url = redis.url();
    let (app, b) = two_nodes(&[("LOUPE_REDIS_URL", &url), ("LOUPE_RATE_LIMIT", "300")]).await;
    let (_, creds) = new_key(&app, "READ").await;
    let token = app.token(&creds).await;

    let ok = spread_900(&app, &b, &token).await;
    assert_eq!(ok, 300, "exactly the limit, whichever node answered");

    // Console accounts and other keys have windows of their own.
    let other = app.admin_token().await;
    assert_eq!(
        typename(&app.http, &b.base, &other).await.status(),
        StatusCode::OK
    );
}

/// The negative control: without Redis each node keeps its own window, so a key spread
/// over two nodes gets up to twice the limit (here each node sees 450 requests and
/// allows 300 of them: about 600 in all).
#[tokio::test]
async fn without_redis_each_node_counts_alone() {
    let (app, b) = two_nodes(&[("LOUPE_RATE_LIMIT", "300")]).await;
    let (_, creds) = new_key(&app, "READ").await;
    let token = app.token(&creds).await;

    let ok = spread_900(&app, &b, &token).await;
    assert!(ok > 300 && ok <= 600, "{ok} succeeded");
}

#[tokio::test]
#[cfg_attr(
    not(redis_ready),
    ignore = "needs redis-server and redis-cli (Debian's redis-server package; .ci/run installs it)"
)]
async fn a_key_revoked_on_one_node_is_refused_by_the_other_at_once() {
    let redis = Redis::start();
    let url = redis.url();
    // A long key cache and no change poll: only Redis can tell node B in time.
    let env = [
        ("LOUPE_REDIS_URL", url.as_str()),
        ("LOUPE_AUTH_CACHE_MS", "60000"),
        ("LOUPE_CHANGES_POLL_MS", "0"),
    ];
    let (app, b) = two_nodes(&env).await;
    let admin = app.admin_token().await;
    let (id, creds) = new_key(&app, "READ").await;
    let token = app.token(&creds).await;
    // Node B has the key cached as valid.
    assert_eq!(
        typename(&app.http, &b.base, &token).await.status(),
        StatusCode::OK
    );

    let (status, body) = app
        .gql(
            &admin,
            "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }",
            json!({"id": id.to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body["data"]["revokeApiKey"]["revokedAt"].is_string(),
        "{body}"
    );

    let refused: Vec<StatusCode> = stream::iter(0..50)
        .map(|_| {
            let (http, base, token) = (&app.http, b.base.as_str(), token.as_str());
            async move { typename(http, base, token).await.status() }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(
        refused.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
        "{refused:?}"
    );
    let body: Value = typename(&app.http, &b.base, &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );

    // The operator's CLI, given the same Redis, is heard at once too.
    let (id, creds) = new_key(&app, "READ").await;
    let token = app.token(&creds).await;
    assert_eq!(
        typename(&app.http, &b.base, &token).await.status(),
        StatusCode::OK
    );
    let out = tokio::process::Command::new(crate::helpers::BIN)
        .args(["admin", "--json", "revoke-key", "--id", &id.to_string()])
        .env("LOUPE_DATA_DIR", app.dir.path())
        .env("DATABASE_URL", &app.db.url)
        .env("LOUPE_REDIS_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run loupe admin");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for base in [&app.base, &b.base] {
        assert_eq!(
            typename(&app.http, base, &token).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
#[cfg_attr(
    not(redis_ready),
    ignore = "needs redis-server and redis-cli (Debian's redis-server package; .ci/run installs it)"
)]
async fn a_site_setting_changed_on_one_node_applies_on_the_other_within_100_ms() {
    let redis = Redis::start();
    let url = redis.url();
    // Site settings cached for a minute and no change poll: only pub/sub reaches node B.
    let env = [
        ("LOUPE_REDIS_URL", url.as_str()),
        ("LOUPE_AUTH_CACHE_MS", "60000"),
        ("LOUPE_CHANGES_POLL_MS", "0"),
    ];
    let (app, b) = two_nodes(&env).await;
    let admin = app.admin_token().await;
    let config = |base: String| {
        let http = app.http.clone();
        async move {
            let c: Value = http
                .get(format!("{base}/v1/sites/1/config"))
                .send()
                .await
                .expect("config")
                .json()
                .await
                .expect("json");
            c["recording"]["enabled"]
                .as_bool()
                .expect("recording.enabled")
        }
    };
    assert!(!config(b.base.clone()).await, "cached on node B: off");

    let (_, body) = app
        .gql(
            &admin,
            "mutation { updateSite(id: \"1\", input: {recordingEnabled: true}) { recordingEnabled } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["updateSite"]["recordingEnabled"], true,
        "{body}"
    );
    let changed = Instant::now();
    while !config(b.base.clone()).await {
        assert!(
            changed.elapsed() < Duration::from_millis(100),
            "node B still served the old setting after 100 ms"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(changed.elapsed() < Duration::from_millis(100));
}

#[tokio::test]
#[cfg_attr(
    not(redis_ready),
    ignore = "needs redis-server and redis-cli (Debian's redis-server package; .ci/run installs it)"
)]
async fn without_redis_nodes_fail_open_and_rebuild_revocations_when_it_returns() {
    let mut redis = Redis::start();
    let url = redis.url();
    let env = [
        ("LOUPE_REDIS_URL", url.as_str()),
        ("LOUPE_AUTH_CACHE_MS", "60000"),
        ("LOUPE_CHANGES_POLL_MS", "0"),
        ("LOUPE_RATE_LIMIT", "1000"),
    ];
    let (app, b) = two_nodes(&env).await;
    let http = &app.http;
    let admin = app.admin_token().await;
    let (id, creds) = new_key(&app, "READ").await;
    let token = app.token(&creds).await;
    for base in [&app.base, &b.base] {
        wait_redis_up(http, base, true).await;
        assert_eq!(typename(http, base, &token).await.status(), StatusCode::OK);
    }
    let counted = typename(http, &b.base, &token).await;
    assert_eq!(
        counted.headers()["ratelimit-remaining"],
        "997",
        "one shared window"
    );

    redis.kill();
    for base in [&app.base, &b.base] {
        wait_redis_up(http, base, false).await;
    }
    // A node started while Redis is away starts all the same.
    let c = app.node(&env);
    assert_eq!(
        typename(http, &c.base, &token).await.status(),
        StatusCode::OK
    );
    // Fail open: every request still answered, by each node's own limiter.
    for i in 0..20 {
        let base = if i % 2 == 0 { &app.base } else { &b.base };
        let r = typename(http, base, &token).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["ratelimit-limit"], "1000");
    }
    let ready: Value = http
        .get(format!("{}/readyz", b.base))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(
        ready,
        json!({"status": "ready", "redis": "down"}),
        "still ready"
    );
    // Revoked while Redis is away: no marker can be written now.
    let (_, body) = app
        .gql(
            &admin,
            "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }",
            json!({"id": id.to_string()}),
        )
        .await;
    assert!(
        body["data"]["revokeApiKey"]["revokedAt"].is_string(),
        "{body}"
    );
    // Its reconnection attempts fail, and are counted.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !metric(http, &app.base, "loupe_redis_errors_total")
        .await
        .is_some_and(|n| n >= 1.0)
    {
        assert!(Instant::now() < deadline, "the failures are counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    redis.run();
    for base in [&app.base, &b.base, &c.base] {
        wait_redis_up(http, base, true).await;
    }
    assert_eq!(
        redis.cli(&["EXISTS", &format!("loupe:revoked:{{k{id}}}")]),
        "1",
        "the marker was rebuilt from the database"
    );
    for base in [&app.base, &b.base, &c.base] {
        for _ in 0..10 {
            assert_eq!(
                typename(http, base, &token).await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
    }
    let ready: Value = http
        .get(format!("{}/readyz", b.base))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready, json!({"status": "ready", "redis": "up"}));
}

/// A cluster needs one token secret: a node configured with Redis but without
/// `LOUPE_JWT_SECRET` refuses to start, saying why (nothing else is needed to see it).
#[test]
fn a_cluster_node_without_a_shared_token_secret_refuses_to_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(crate::helpers::BIN)
        .arg("serve")
        .env("LOUPE_BIND", "127.0.0.1:0")
        .env("LOUPE_DATA_DIR", dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/loupe.db?mode=rwc", dir.path().display()),
        )
        .env("LOUPE_REDIS_URL", "redis://127.0.0.1:1")
        .env_remove("LOUPE_JWT_SECRET")
        .stdin(Stdio::null())
        .output()
        .expect("run loupe");
    assert!(!out.status.success(), "it started");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("LOUPE_JWT_SECRET is required with LOUPE_REDIS_URL"),
        "{err}"
    );
}
