//! READ keys only query; WRITE keys also change content; ADMIN keys manage sites, keys
//! and settings.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const ADMIN_MUTATIONS: &[&str] = &[
    r#"mutation { createSite(input: {name: "x"}) { id } }"#,
    r#"mutation { updateSite(id: "1", input: {name: "y"}) { id } }"#,
    r#"mutation { acceptDataProcessingAgreement { id } }"#,
    r#"mutation { createApiKey(input: {name: "k", role: READ}) { clientSecret } }"#,
    r#"mutation { revokeApiKey(id: "1") { id } }"#,
    r#"{ viewer { organization { apiKeys { totalCount } } } }"#,
];

async fn check_forbidden(app: &TestApp, role: &str) {
    let creds = app.create_key(1, role).await;
    let token = app.token(&creds).await;
    let (status, body) = app
        .gql(
            &token,
            "{ viewer { role apiKey { role } } sites { totalCount } site(id: \"1\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["viewer"]["role"], role);
    assert_eq!(body["data"]["sites"]["totalCount"], 1);
    for m in ADMIN_MUTATIONS {
        let (status, body) = app.gql(&token, m, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{m}");
        assert_eq!(error_code(&body), "FORBIDDEN", "{role} ran {m}: {body}");
    }
    // Nothing changed.
    let admin = app.admin_token().await;
    let (_, body) = app.gql(&admin, "{ site(id: \"1\") { name } viewer { organization { dpaAcceptedAt apiKeys { totalCount } } } }", json!({})).await;
    assert_eq!(body["data"]["site"]["name"], "Default site");
    assert!(body["data"]["viewer"]["organization"]["dpaAcceptedAt"].is_null());
}

#[tokio::test]
async fn read_keys_may_only_query() {
    let app = TestApp::spawn().await;
    check_forbidden(&app, "READ").await;
}

#[tokio::test]
async fn write_keys_cannot_manage_sites_keys_or_settings() {
    let app = TestApp::spawn().await;
    check_forbidden(&app, "WRITE").await;
}

#[tokio::test]
async fn admin_keys_manage_keys_and_the_secret_is_shown_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, body) = app
        .gql(&admin, r#"mutation { createApiKey(input: {name: "reporting", role: WRITE}) { apiKey { id name role expiresAt createdAt revokedAt } clientId clientSecret } }"#, json!({}))
        .await;
    let created = &body["data"]["createApiKey"];
    assert_eq!(created["apiKey"]["role"], "WRITE");
    let secret = created["clientSecret"].as_str().expect("secret");
    let created_at = chrono::DateTime::parse_from_rfc3339(
        created["apiKey"]["createdAt"].as_str().expect("createdAt"),
    )
    .expect("date");
    let expires_at = chrono::DateTime::parse_from_rfc3339(
        created["apiKey"]["expiresAt"].as_str().expect("expiresAt"),
    )
    .expect("date");
    assert_eq!(
        (expires_at - created_at).num_days(),
        365,
        "keys expire after one year"
    );

    // Listing never shows a secret, and ApiKey has no field that could.
    let (_, list) = app.gql(&admin, "{ viewer { organization { apiKeys(first: 10) { totalCount edges { node { clientId name lastUsedAt } } } } } }", json!({})).await;
    assert_eq!(
        list["data"]["viewer"]["organization"]["apiKeys"]["totalCount"],
        2
    );
    assert!(!list.to_string().contains(secret));
    let (status, body) = app
        .gql(&admin, "{ viewer { apiKey { clientSecret } } }", json!({}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "BAD_USER_INPUT");

    let (_, bad) = app
        .gql(
            &admin,
            r#"mutation { createApiKey(input: {name: "  ", role: READ}) { clientId } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "name");
    let (_, bad) = app
        .gql(
            &admin,
            r#"mutation { revokeApiKey(id: "999") { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad), "NOT_FOUND");
    let _: Value = list;
}
