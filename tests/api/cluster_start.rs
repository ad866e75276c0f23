//! Several nodes starting at once on one empty database (SQLite file or PostgreSQL): the
//! migrations and the first-start bootstrap happen exactly once, every node comes up, and
//! a token issued by one node works on the others (one shared signing secret).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{client, Creds, Server, TestDb};

#[tokio::test]
async fn nodes_starting_together_on_an_empty_database_migrate_and_bootstrap_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::fresh(dir.path()).await;
    let dirs: Vec<std::path::PathBuf> = (0..3)
        .map(|i| {
            let d = dir.path().join(format!("node-{i}"));
            std::fs::create_dir_all(&d).expect("node dir");
            d
        })
        .collect();
    // All three at once, each blocked until it listens (or failed to start).
    let servers: Vec<Server> = std::thread::scope(|s| {
        let started: Vec<_> = dirs
            .iter()
            .map(|d| s.spawn(|| Server::start(d, &db.url, &[])))
            .collect();
        started
            .into_iter()
            .map(|h| h.join().expect("a node failed to start"))
            .collect()
    });
    let creds: Vec<Creds> = servers.iter().filter_map(Server::credentials).collect();
    assert_eq!(creds.len(), 1, "exactly one node bootstrapped");
    let http = client();
    let issuer = servers
        .iter()
        .find(|s| s.credentials().is_some())
        .expect("the bootstrapping node");
    let resp = http
        .post(format!("{}/oauth/token", issuer.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", creds[0].client_id.as_str()),
            ("client_secret", creds[0].client_secret.as_str()),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(resp.status(), StatusCode::OK);
    let token = resp.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    for s in &servers {
        let resp = http
            .post(format!("{}/graphql", s.base))
            .bearer_auth(&token)
            .json(&json!({"query": "{ viewer { organization { name sites(first: 10) { edges { node { id } } } } } }"}))
            .send()
            .await
            .expect("graphql");
        assert_eq!(resp.status(), StatusCode::OK);
        let b: Value = resp.json().await.expect("json");
        assert!(b["errors"].is_null(), "{}: {b}", s.base);
        assert_eq!(
            b["data"]["viewer"]["organization"]["sites"]["edges"]
                .as_array()
                .map(Vec::len),
            Some(1),
            "one organization with its one default site, seen by every node: {b}"
        );
    }
}
