//! A response linked to the recording of the visit that produced it: the session id the
//! tag sends, `Response.recording` in GraphQL, `recording_url` in REST, the recordings
//! filters, and no link under DNT/GPC.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const T0: i64 = 1_760_000_000_000;

async fn record(app: &TestApp, session: &str) {
    let body = json!({"visitor_id": "v1", "sequence": 0, "events": [
        {"type": 4, "timestamp": T0, "data": {"href": "https://shop.example/", "width": 1280, "height": 720}}]});
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/recordings/{session}/events")))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("record");
    assert_eq!(resp.status(), StatusCode::OK);
}

async fn respond(
    app: &TestApp,
    survey: &str,
    question: i64,
    session: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
        .json(&json!({"visitor_id": "v1", "session_id": session,
                      "answers": [{"question_id": question, "value": format!("from {session}")}]}));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("respond");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn sessions(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let (_, b) = app
        .gql(
            token,
            "query($f: RecordingFilterInput) { recordings(siteId: \"1\", filter: $f) { edges { node { sessionId } } } }",
            json!({"f": filter}),
        )
        .await;
    let mut out: Vec<String> = b["data"]["recordings"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| e["node"]["sessionId"].as_str().expect("session").to_owned())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn responses_link_to_their_recording_unless_the_visitor_opts_out() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let input = json!({"name": "Linked", "questions": [{"type": "SHORT_TEXT", "prompt": "Say"}]});
    let (survey, q) = app.active_survey(&token, input.clone()).await;
    let (other_survey, _) = app.active_survey(&token, input).await;
    for s in ["sess-linked", "sess-dnt", "sess-gpc", "sess-alone"] {
        record(&app, s).await;
    }

    let (s, b) = respond(&app, &survey, q[0], "sess-linked", &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = respond(&app, &survey, q[0], "sess-dnt", &[("DNT", "1")]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = respond(&app, &survey, q[0], "sess-gpc", &[("Sec-GPC", "1")]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = respond(&app, &survey, q[0], "never-recorded", &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = respond(&app, &survey, q[0], "bad id!", &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["field"], "session_id", "{b}");
    let (s, b) = respond(&app, &survey, q[0], &"x".repeat(71), &[]).await;
    assert_eq!(
        (s, &b["field"]),
        (StatusCode::BAD_REQUEST, &json!("session_id"))
    );

    // GraphQL: each response's recording, one query for the page (DataLoader).
    let (_, b) = app
        .gql(
            &token,
            "query($s: ID!) { responses(surveyId: $s) { edges { node {
               answers { value } recording { id sessionId } } } } }",
            json!({"s": survey}),
        )
        .await;
    let linked: Vec<(String, Value)> = b["data"]["responses"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| {
            (
                e["node"]["answers"][0]["value"]
                    .as_str()
                    .expect("text")
                    .to_owned(),
                e["node"]["recording"]["sessionId"].clone(),
            )
        })
        .collect();
    assert_eq!(
        linked,
        [
            ("from never-recorded".to_owned(), Value::Null),
            ("from sess-gpc".to_owned(), Value::Null),
            ("from sess-dnt".to_owned(), Value::Null),
            ("from sess-linked".to_owned(), json!("sess-linked")),
        ],
        "{b}"
    );
    let recording_id = b["data"]["responses"]["edges"][3]["node"]["recording"]["id"]
        .as_str()
        .expect("recording id")
        .to_owned();

    // REST: the recording's API URL, which serves its events.
    let path = format!("/v1/sites/1/surveys/{survey}/responses");
    let rest: Value = app
        .http
        .get(app.url(&path))
        .bearer_auth(&token)
        .send()
        .await
        .expect("rest")
        .json()
        .await
        .expect("json");
    crate::rest::assert_hotjar_answer(&path, &rest);
    let urls: Vec<&Value> = rest["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["recording_url"])
        .collect();
    let want = app.url(&format!("/v1/sites/1/recordings/{recording_id}/events"));
    assert_eq!(
        urls,
        [&Value::Null, &Value::Null, &Value::Null, &json!(want)]
    );
    let events = app
        .http
        .get(&want)
        .bearer_auth(&token)
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), StatusCode::OK);

    // Recordings filters: with or without a response, and responded to a given survey.
    assert_eq!(
        sessions(&app, &token, json!({"hasResponse": true})).await,
        ["sess-linked"]
    );
    assert_eq!(
        sessions(&app, &token, json!({"hasResponse": false})).await,
        ["sess-alone", "sess-dnt", "sess-gpc"]
    );
    assert_eq!(
        sessions(&app, &token, json!({"respondedToSurvey": survey})).await,
        ["sess-linked"]
    );
    assert!(
        sessions(&app, &token, json!({"respondedToSurvey": other_survey}))
            .await
            .is_empty()
    );
    let (_, b) = app
        .gql(
            &token,
            "{ recordings(siteId: \"1\", filter: {respondedToSurvey: \"x\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");

    // Another organization sees none of it.
    let (_, _, other) = app.other_org("SCALE").await;
    let other = app.token(&other).await;
    let (_, b) = app
        .gql(
            &other,
            "{ recordings(siteId: \"1\", filter: {hasResponse: true}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
}
