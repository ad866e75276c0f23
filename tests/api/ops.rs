//! Health, readiness, metrics, unknown routes, privacy of logs, graceful shutdown.

use std::io::Read;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{Server, TestApp, TestDb};

#[tokio::test]
async fn health_readiness_metrics_and_unknown_routes() {
    let app = TestApp::spawn().await;
    let health = app.http.get(app.url("/healthz")).send().await.expect("req");
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.http.get(app.url("/readyz")).send().await.expect("req");
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(
        ready.json::<Value>().await.expect("json")["status"],
        "ready"
    );

    let token = app.admin_token().await;
    app.gql(&token, "{ __typename }", json!({})).await;
    let metrics = app.metrics().await;
    assert!(
        metrics
            .contains(r#"loupe_http_requests_total{method="POST",route="/graphql",status="200"}"#),
        "{metrics}"
    );
    assert!(metrics.contains("loupe_http_request_duration_seconds_bucket"));

    let missing = app
        .http
        .get(app.url("/no/such/thing"))
        .send()
        .await
        .expect("req");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.json::<Value>().await.expect("json")["error"],
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn logs_never_hold_ips_user_agents_secrets_or_tokens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::fresh(dir.path()).await;
    let mut server = Server::start(
        dir.path(),
        &db.url,
        &[("CAPTURE_STDERR", "1"), ("RUST_LOG", "debug")],
    );
    let creds = server.credentials().expect("creds");
    let http = reqwest::Client::builder()
        .user_agent("SecretAgent/7.7")
        .build()
        .expect("client");
    let token: Value = http
        .post(format!("{}/oauth/token", server.base))
        .header("X-Forwarded-For", "203.0.113.77")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &creds.client_id),
            ("client_secret", &creds.client_secret),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = token["access_token"].as_str().expect("token").to_owned();
    for _ in 0..3 {
        http.post(format!("{}/graphql", server.base))
            .bearer_auth(&token)
            .header("X-Forwarded-For", "203.0.113.77")
            .json(&json!({"query": "{ viewer { role } }"}))
            .send()
            .await
            .expect("req");
    }
    http.post(format!("{}/oauth/token", server.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &creds.client_id),
            ("client_secret", "lps_wrong-secret"),
        ])
        .send()
        .await
        .expect("req");
    server.stop();
    let mut logs = String::new();
    server
        .child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logs)
        .expect("read");
    assert!(
        logs.contains("request"),
        "debug request logs were written: {logs}"
    );
    for secret in [
        "SecretAgent",
        "203.0.113.77",
        "127.0.0.1:",
        &creds.client_secret,
        &token,
        "lps_wrong-secret",
    ] {
        let leaked = if secret == "127.0.0.1:" {
            // The listen address is logged; a peer address would carry another port.
            logs.lines()
                .any(|l| l.contains("peer") || l.contains("remote"))
        } else {
            logs.contains(secret)
        };
        assert!(!leaked, "logs contain {secret:?}");
    }
}

#[tokio::test]
async fn sigterm_shuts_down_gracefully() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::fresh(dir.path()).await;
    let mut server = Server::start(dir.path(), &db.url, &[]);
    let pid = server.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            assert!(exit.success(), "exit status {exit}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn serve_is_the_default_subcommand_and_takes_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::fresh(dir.path()).await;
    // `LOUPE_BIND` says port 0 too, but the flag must win; it works without `serve`.
    let server = Server::start_args(
        dir.path(),
        &db.url,
        &[("LOUPE_BIND", "127.0.0.1:9")],
        &["--bind", "127.0.0.1:0"],
    );
    let health = reqwest::get(format!("{}/healthz", server.base))
        .await
        .expect("req");
    assert_eq!(health.status(), StatusCode::OK);
}
