//! A rolling restart behind a real load balancer: two `loupe serve` nodes on one database
//! behind Debian's haproxy (health checks on `/readyz`), under constant load of reads and
//! writes; each node in turn gets SIGTERM, drains (`LOUPE_DRAIN_MS`: readiness fails first,
//! requests are still served), exits, and a new node starts on its port. Not one request
//! may fail.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::{client, Server, TestApp};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn haproxy_bin() -> &'static str {
    if std::path::Path::new("/usr/sbin/haproxy").is_file() {
        "/usr/sbin/haproxy"
    } else {
        "haproxy"
    }
}

/// The load balancer of the deployment example (deploy/haproxy.cfg), on test ports.
struct Haproxy {
    child: Child,
}

impl Haproxy {
    fn start(dir: &std::path::Path, front: u16, nodes: &[u16]) -> Haproxy {
        let servers: String = nodes
            .iter()
            .enumerate()
            .map(|(i, p)| format!("    server node{i} 127.0.0.1:{p} check\n"))
            .collect();
        let template = include_str!("../../deploy/haproxy.cfg");
        let cfg = template
            .replace("bind *:8080", &format!("bind 127.0.0.1:{front}"))
            .split("    server ")
            .next()
            .unwrap_or_default()
            .to_owned()
            + &servers;
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, cfg).expect("write haproxy.cfg");
        let child = Command::new(haproxy_bin())
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        Haproxy { child }
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn node(app: &TestApp, port: u16) -> Server {
    app.node(&[
        ("LOUPE_BIND", &format!("127.0.0.1:{port}")),
        ("LOUPE_DRAIN_MS", "1500"),
    ])
}

async fn wait_for(what: &str, mut ok: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ok().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[cfg_attr(
    not(haproxy_ready),
    ignore = "needs haproxy (Debian's haproxy package; .ci/run installs it)"
)]
async fn a_rolling_restart_behind_haproxy_fails_no_request() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let ports = [free_port(), free_port()];
    let mut nodes: Vec<Server> = ports.iter().map(|p| node(&app, *p)).collect();
    let front = free_port();
    let dir = tempfile::tempdir().expect("tempdir");
    let _lb = Haproxy::start(dir.path(), front, &ports);
    let base = format!("http://127.0.0.1:{front}");
    let http = client();
    wait_for("haproxy", async || {
        http.get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
    })
    .await;

    // Constant load: GraphQL reads and recording batches (writes), 4 at a time.
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut load = Vec::new();
    for w in 0..4 {
        let (stop, ok, failed, failures) =
            (stop.clone(), ok.clone(), failed.clone(), failures.clone());
        let (http, base, token) = (client(), base.clone(), token.clone());
        load.push(tokio::spawn(async move {
            let mut seq = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let resp = if seq % 2 == 0 {
                    http.post(format!("{base}/graphql"))
                        .bearer_auth(&token)
                        .json(&json!({"query": "{ viewer { role } }"}))
                        .send()
                        .await
                } else {
                    let t = chrono::Utc::now().timestamp_millis();
                    http.post(format!("{base}/v1/sites/1/recordings/roll-{w}/events"))
                        .header("Content-Type", "application/json")
                        .body(
                            json!({"visitor_id": format!("v{w}"), "sequence": seq / 2,
                                   "events": [{"type": 3, "timestamp": t,
                                   "data": {"source": 2, "type": 2, "id": 1, "x": 1, "y": 1}}]})
                            .to_string(),
                        )
                        .send()
                        .await
                };
                seq += 1;
                match resp {
                    Ok(r) if r.status().is_success() => {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        let s = r.status();
                        let body = r.text().await.unwrap_or_default();
                        failures.lock().expect("lock").push(format!("{s}: {body}"));
                    }
                    Err(e) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        failures.lock().expect("lock").push(e.to_string());
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (i, port) in ports.iter().enumerate() {
        let before = ok.load(Ordering::Relaxed);
        let pid = nodes[i].child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        while nodes[i].child.try_wait().expect("wait").is_none() {
            assert!(Instant::now() < deadline, "node {i} still running");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        nodes[i] = node(&app, *port);
        // haproxy takes it back after two good checks.
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert!(
            ok.load(Ordering::Relaxed) > before,
            "requests kept succeeding while node {i} restarted"
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    for l in load {
        l.await.expect("load task");
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    assert_eq!(
        failed,
        0,
        "{failed} of {} requests failed: {:?}",
        ok + failed,
        failures
            .lock()
            .expect("lock")
            .iter()
            .take(5)
            .collect::<Vec<_>>()
    );
    assert!(ok > 200, "only {ok} requests");
}
