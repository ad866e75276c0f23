//! Bearer token validation: tampered, forged and expired tokens are all 401.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp, JWT_SECRET};

fn claims(exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": "", "key": 1, "org": 1, "role": "ADMIN", "iat": now, "exp": now + exp_offset,
        "jti": "t", "iss": "loupe", "aud": "loupe-api",
    })
}

async fn assert_unauthorized(app: &TestApp, token: &str, what: &str) {
    let (status, body) = app.gql(token, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{what}");
}

#[tokio::test]
async fn tampered_and_forged_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let good = app.admin_token().await;
    let parts: Vec<&str> = good.split('.').collect();
    let mut real_claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");

    // alg: none, with valid claims and no signature.
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    assert_unauthorized(&app, &format!("{none_header}.{}.", parts[1]), "alg none").await;

    // Wrong signature.
    let sig = parts[2];
    let flipped = match sig.strip_suffix('A') {
        Some(rest) => format!("{rest}B"),
        None => format!("{}A", &sig[..sig.len() - 1]),
    };
    assert_unauthorized(
        &app,
        &format!("{}.{}.{flipped}", parts[0], parts[1]),
        "wrong signature",
    )
    .await;

    // Changed claims under the old signature.
    real_claims["role"] = "ADMIN".into();
    real_claims["org"] = 2.into();
    let edited = URL_SAFE_NO_PAD.encode(real_claims.to_string());
    assert_unauthorized(
        &app,
        &format!("{}.{edited}.{}", parts[0], parts[2]),
        "edited claims",
    )
    .await;

    // Expired, correctly signed.
    let mut c = claims(-10);
    c["sub"] = app.admin.client_id.clone().into();
    let expired = encode(
        &Header::new(Algorithm::HS256),
        &c,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("encode");
    assert_unauthorized(&app, &expired, "expired").await;

    // Signed with another secret.
    let mut c = claims(600);
    c["sub"] = app.admin.client_id.clone().into();
    let other = encode(
        &Header::new(Algorithm::HS256),
        &c,
        &EncodingKey::from_secret(b"another-secret-another-secret-another"),
    )
    .expect("encode");
    assert_unauthorized(&app, &other, "other secret").await;

    // Same secret, another algorithm: the algorithm is pinned.
    let hs512 = encode(
        &Header::new(Algorithm::HS512),
        &c,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("encode");
    assert_unauthorized(&app, &hs512, "HS512").await;

    // Correctly signed but claiming another organization for the key.
    let mut c = claims(600);
    c["sub"] = app.admin.client_id.clone().into();
    c["org"] = 2.into();
    let wrong_org = encode(
        &Header::new(Algorithm::HS256),
        &c,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("encode");
    assert_unauthorized(&app, &wrong_org, "org mismatch").await;

    // Sanity: the same construction with the right claims is accepted.
    let c = {
        let mut c = claims(600);
        c["sub"] = app.admin.client_id.clone().into();
        c
    };
    let ok = encode(
        &Header::new(Algorithm::HS256),
        &c,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("encode");
    assert_eq!(
        app.gql(&ok, "{ viewer { role } }", json!({})).await.0,
        StatusCode::OK
    );

    assert_unauthorized(&app, "not-a-jwt", "garbage").await;
}

#[tokio::test]
async fn every_operation_needs_a_bearer_token() {
    let app = TestApp::spawn().await;
    for (auth, what) in [
        (None, "no header"),
        (Some("Basic Zm9vOmJhcg=="), "basic"),
        (Some("Bearer"), "empty bearer"),
    ] {
        let mut req = app
            .http
            .post(app.url("/graphql"))
            .json(&json!({"query": "{ __typename }"}));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let resp = req.send().await.expect("req");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{what}");
        let challenge = resp.headers()["www-authenticate"]
            .to_str()
            .unwrap_or("")
            .to_owned();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
        // RFC 6750 §3.1: no error code when no credentials were sent.
        assert_eq!(
            auth.is_none(),
            !challenge.contains("error="),
            "{what}: {challenge}"
        );
        let body: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let get = app
        .http
        .get(app.url("/graphql?query=%7B__typename%7D"))
        .send()
        .await
        .expect("req");
    assert_eq!(get.status(), StatusCode::UNAUTHORIZED, "GET too");
}
