//! First start on an empty database prints credentials exactly once.

use std::os::unix::fs::PermissionsExt;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Server, TestApp, TestDb};

#[tokio::test]
async fn first_start_prints_credentials_exactly_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::fresh(dir.path()).await;
    // No LOUPE_JWT_SECRET: one is generated into the data dir.
    let mut first = Server::start(dir.path(), &db.url, &[("LOUPE_JWT_SECRET", "")]);
    let creds = first.credentials().expect("credentials on first start");
    let printed = first.stdout.join("\n");
    assert_eq!(
        printed.matches(&creds.client_secret).count(),
        2,
        "in the listing and in the ready-to-paste command"
    );
    assert!(
        printed.contains("/oauth/token") && printed.contains("/graphql"),
        "{printed}"
    );
    let mode = std::fs::metadata(dir.path().join("jwt_secret"))
        .expect("jwt_secret")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let http = reqwest::Client::new();
    let token = http
        .post(format!("{}/oauth/token", first.base))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(token.status(), StatusCode::OK);
    first.stop();

    let second = Server::start(dir.path(), &db.url, &[("LOUPE_JWT_SECRET", "")]);
    let again = second.stdout.join("\n");
    assert!(
        second.credentials().is_none(),
        "second start printed: {again}"
    );
    assert!(!again.contains(&creds.client_secret));
    // Same generated signing secret, same key: the credentials still work.
    let token = http
        .post(format!("{}/oauth/token", second.base))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(token.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_bootstrap_organization_is_default_on_scale_with_one_site() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app
        .gql(&token, "{ viewer { role apiKey { name role } organization { name plan sites { totalCount } } } }", json!({}))
        .await;
    let v = &b["data"]["viewer"];
    assert_eq!(v["role"], "ADMIN");
    assert_eq!(v["organization"]["name"], "Default");
    assert_eq!(v["organization"]["plan"], "SCALE");
    assert_eq!(v["organization"]["sites"]["totalCount"], 1);
}

/// Behind a balancer or proxy the first-start links name `LOUPE_PUBLIC_URL`, the address
/// browsers reach, not the node's own.
#[tokio::test]
async fn the_first_start_links_name_the_public_url() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::fresh(dir.path()).await;
    let server = Server::start(
        dir.path(),
        &db.url,
        &[("LOUPE_PUBLIC_URL", "https://loupe.example.test/")],
    );
    let printed = server.stdout.join("\n");
    let setup = server.setup_path().expect("setup link");
    assert!(
        printed.contains(&format!("https://loupe.example.test{setup}")),
        "{printed}"
    );
    assert!(
        printed.contains("https://loupe.example.test/oauth/token")
            && printed.contains("https://loupe.example.test/graphql"),
        "{printed}"
    );
    assert!(
        !printed.contains(&format!("{}/setup", server.base)),
        "{printed}"
    );
}
