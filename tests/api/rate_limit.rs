//! 3000 requests per minute per key; the next one is 429 with Retry-After.

use futures_util::stream::{self, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

#[tokio::test]
async fn the_3001st_request_in_a_minute_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;

    let first = app.gql_raw(&token, "{ __typename }", json!({})).await;
    assert_eq!(first.headers()["ratelimit-limit"], "3000");
    assert_eq!(first.headers()["ratelimit-remaining"], "2999");
    assert!(first.headers().contains_key("ratelimit-reset"));

    let statuses: Vec<StatusCode> = stream::iter(0..2999)
        .map(|_| {
            let (app, token) = (&app, &token);
            async move {
                app.gql_raw(token, "{ __typename }", json!({}))
                    .await
                    .status()
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "all 3000 allowed"
    );

    let refused = app.gql_raw(&token, "{ __typename }", json!({})).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let h = refused.headers();
    let retry: u64 = h["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(h["ratelimit-limit"], "3000");
    assert_eq!(h["ratelimit-remaining"], "0");
    assert!(h.contains_key("ratelimit-reset"));
    let body: Value = refused.json().await.expect("json");
    assert_eq!(error_code(&body), "RATE_LIMITED");

    // GET counts against the same key, and other keys are unaffected.
    let get = app
        .http
        .get(app.url("/graphql?query=%7B__typename%7D"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("req");
    assert_eq!(get.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = app.create_key(1, "READ").await;
    let other = app.token(&other).await;
    assert_eq!(
        app.gql_raw(&other, "{ __typename }", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
}
