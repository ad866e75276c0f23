//! The token endpoint: the client credentials grant and every RFC 6749 §5.2 error.

use std::time::Duration;

use base64::Engine;
use reqwest::StatusCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{error_code, Creds, TestApp, JWT_SECRET};

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn client_credentials_in_body_or_basic_give_a_bearer_jwt() {
    let app = TestApp::spawn().await;
    let resp = app.token_response(&app.admin).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().expect("token");

    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["loupe-api"]);
    let data = jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(JWT_SECRET.as_bytes()),
        &validation,
    )
    .expect("a valid HS256 JWT");
    let claims = data.claims;
    for claim in ["key", "org", "role", "iat", "exp", "jti"] {
        assert!(!claims[claim].is_null(), "claim {claim} missing: {claims}");
    }
    assert_eq!(claims["role"], "ADMIN");
    assert_eq!(claims["org"], 1);

    let basic = app
        .http
        .post(app.url("/v1/oauth/token"))
        .basic_auth(&app.admin.client_id, Some(&app.admin.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("request");
    assert_eq!(
        basic.status(),
        StatusCode::OK,
        "HTTP Basic on the /v1 alias"
    );
}

#[tokio::test]
async fn rfc_errors() {
    let app = TestApp::spawn().await;
    let id = app.admin.client_id.as_str();
    let secret = app.admin.client_secret.as_str();

    let (s, b) = post_form(
        &app,
        "/oauth/token",
        &[("client_id", id), ("client_secret", secret)],
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "no grant_type"
    );

    let (s, b) = post_form(
        &app,
        "/oauth/token",
        &[
            ("grant_type", "password"),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );

    let (s, b) = post_form(
        &app,
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "repeated parameter"
    );

    let resp = app
        .http
        .post(app.url("/oauth/token"))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .expect("req");
    assert_eq!(
        resp.status(),
        StatusCode::BAD_REQUEST,
        "JSON is not form encoding"
    );
    assert_eq!(
        resp.json::<Value>().await.expect("json")["error"],
        "invalid_request"
    );

    let (s, b) = post_form(
        &app,
        "/oauth/token",
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client")),
        "no credentials"
    );

    let resp = app
        .http
        .post(app.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", "lps_wrong"),
        ])
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key("www-authenticate"));
    let b: Value = resp.json().await.expect("json");
    assert_eq!(b["error"], "invalid_client");
    assert!(b["error_description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));

    let (s, b) = post_form(
        &app,
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "lpk_nobody"),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client")),
        "unknown client"
    );

    let both = app
        .http
        .post(app.url("/oauth/token"))
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .expect("req");
    assert_eq!(
        both.status(),
        StatusCode::BAD_REQUEST,
        "two authentication methods"
    );

    let garbled = app
        .http
        .post(app.url("/oauth/token"))
        .header("Authorization", "Basic !!!not-base64")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("req");
    assert_eq!(garbled.status(), StatusCode::UNAUTHORIZED);

    let get = app
        .http
        .get(app.url("/oauth/token"))
        .send()
        .await
        .expect("req");
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get.headers()["allow"], "POST");

    // Empty parameters count as omitted (RFC 6749 §3.1).
    let (s, b) = post_form(
        &app,
        "/oauth/token",
        &[
            ("grant_type", ""),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "empty grant_type"
    );
    let (s, _) = post_form(
        &app,
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "empty scope is ignored");

    // Basic credentials plus the same client id repeated in the body is one method.
    let repeated = app
        .http
        .post(app.url("/oauth/token"))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials"), ("client_id", id)])
        .send()
        .await
        .expect("req");
    assert_eq!(repeated.status(), StatusCode::OK);
    // Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1).
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        id.replace('_', "%5F"),
        secret.replace('_', "%5F")
    ));
    let resp = app
        .http
        .post(app.url("/oauth/token"))
        .header("Authorization", format!("Basic {encoded}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("req");
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "percent-encoded Basic credentials"
    );
}

#[tokio::test]
async fn expired_key_is_refused_and_its_tokens_stop_working() {
    let app = TestApp::spawn().await;
    let creds = app.create_key(1, "READ").await;
    let token = app.token(&creds).await;
    let (status, _) = app.gql(&token, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::OK);

    let db = app.db_conn().await;
    entity::api_key::Entity::update_many()
        .set(entity::api_key::ActiveModel {
            expires_at: Set(chrono::Utc::now() - chrono::TimeDelta::days(1)),
            ..Default::default()
        })
        .filter(entity::api_key::Column::ClientId.eq(creds.client_id.as_str()))
        .exec(&db)
        .await
        .expect("expire key");

    let resp = app.token_response(&creds).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap_or("")
            .contains("expired"),
        "{body}"
    );

    // The key state is re-read within the auth cache lifetime (1 s by default).
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, body) = app.gql(&token, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn revoked_key_tokens_stop_working_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, created) = app
        .gql(&admin, r#"mutation { createApiKey(input: {name: "ci", role: READ}) { apiKey { id } clientId clientSecret } }"#, json!({}))
        .await;
    let created = &created["data"]["createApiKey"];
    let creds = Creds {
        client_id: created["clientId"].as_str().expect("id").to_owned(),
        client_secret: created["clientSecret"].as_str().expect("secret").to_owned(),
    };
    let token = app.token(&creds).await;
    assert_eq!(
        app.gql(&token, "{ viewer { role } }", json!({})).await.0,
        StatusCode::OK
    );

    let (_, revoked) = app
        .gql(
            &admin,
            "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }",
            json!({"id": created["apiKey"]["id"]}),
        )
        .await;
    assert!(
        revoked["data"]["revokeApiKey"]["revokedAt"].is_string(),
        "{revoked}"
    );

    let (status, body) = app.gql(&token, "{ viewer { role } }", json!({})).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "revoked key still works: {body}"
    );
    let resp = app.token_response(&creds).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = resp.json().await.expect("json");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap_or("")
            .contains("revoked"),
        "{body}"
    );
}

#[tokio::test]
async fn revocation_by_the_operator_cli_reaches_a_running_server() {
    let app = TestApp::spawn().await;
    let creds = app.create_key(1, "READ").await;
    let token = app.token(&creds).await;
    assert_eq!(
        app.gql(&token, "{ viewer { role } }", json!({})).await.0,
        StatusCode::OK
    );
    let keys = app
        .admin_cli(&["list-keys", "--org", "1"])
        .await
        .expect("list");
    let key_id = keys
        .as_array()
        .and_then(|ks| {
            ks.iter()
                .find(|k| k["client_id"] == creds.client_id.as_str())
        })
        .and_then(|k| k["id"].as_i64())
        .expect("key listed");
    assert!(
        keys.to_string().contains("client_id") && !keys.to_string().contains("lps_"),
        "no secrets listed"
    );
    app.admin_cli(&["revoke-key", "--id", &key_id.to_string()])
        .await
        .expect("revoke");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        app.gql(&token, "{ viewer { role } }", json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn repeated_failures_for_a_client_id_are_refused() {
    let app = TestApp::spawn().await;
    let wrong = Creds {
        client_id: app.admin.client_id.clone(),
        client_secret: "lps_guess".into(),
    };
    for _ in 0..10 {
        assert_eq!(
            app.token_response(&wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let resp = app.token_response(&app.admin).await;
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "even the right secret waits"
    );
    assert!(resp.headers().contains_key("retry-after"));
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap_or("")
            .contains("too many"),
        "{body}"
    );
    // Other clients are unaffected.
    let other = app.create_key(1, "READ").await;
    assert_eq!(app.token_response(&other).await.status(), StatusCode::OK);
}

/// A token request for `creds` that a proxy forwarded for `client` (`X-Forwarded-For`).
async fn token_via(app: &TestApp, creds: &Creds, client: &str) -> reqwest::Response {
    app.http
        .post(app.url("/oauth/token"))
        .header("X-Forwarded-For", client)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", creds.client_id.as_str()),
            ("client_secret", creds.client_secret.as_str()),
        ])
        .send()
        .await
        .expect("token request")
}

/// Behind a load balancer every request comes from the balancer's address. With the
/// balancer in `LOUPE_TRUSTED_PROXIES`, failures are counted per forwarded caller, so a
/// stranger's guesses do not lock the owner out; without it, a forged `X-Forwarded-For`
/// changes nothing (the negative control on a second server).
#[tokio::test]
async fn a_trusted_proxy_names_the_caller_the_token_throttle_counts() {
    let app = TestApp::spawn_with(&[("LOUPE_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1")]).await;
    let wrong = Creds {
        client_id: app.admin.client_id.clone(),
        client_secret: "lps_guess".into(),
    };
    // The stranger sits behind two proxies: an edge proxy saw 198.51.100.23 and prepends
    // nothing the stranger could forge past it; 1.1.1.1 is the stranger's own claim.
    for _ in 0..10 {
        let resp = token_via(&app, &wrong, "1.1.1.1, 198.51.100.23, 10.1.2.3").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = token_via(&app, &app.admin, "198.51.100.23").await;
    assert_eq!(
        locked.status(),
        StatusCode::UNAUTHORIZED,
        "the guesser is locked"
    );
    assert!(locked.headers().contains_key("retry-after"));
    // Claiming another address to the edge proxy does not help: it appends what it saw.
    let forged = token_via(&app, &app.admin, "203.0.113.50, 198.51.100.23").await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    // The owner, forwarded from elsewhere, is not.
    let owner = token_via(&app, &app.admin, "203.0.113.7").await;
    assert_eq!(owner.status(), StatusCode::OK);

    let untrusting = TestApp::spawn().await;
    let wrong = Creds {
        client_id: untrusting.admin.client_id.clone(),
        client_secret: "lps_guess".into(),
    };
    for _ in 0..10 {
        let resp = token_via(&untrusting, &wrong, "198.51.100.23").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    let owner = token_via(&untrusting, &untrusting.admin, "203.0.113.7").await;
    assert_eq!(
        owner.status(),
        StatusCode::UNAUTHORIZED,
        "an untrusted X-Forwarded-For is ignored"
    );
}
