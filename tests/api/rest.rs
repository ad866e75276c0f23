//! Hotjar-compatible REST: surveys, responses, export.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{Creds, TestApp};

async fn get(
    app: &TestApp,
    token: &str,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let resp = app
        .http
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("req");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.expect("text"))
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let (s, _, body) = get(app, token, path).await;
    (s, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// A survey on site 1 with two questions, active.
async fn setup(app: &TestApp, token: &str) -> (String, i64, i64) {
    let (_, b) = app
        .gql(
            token,
            "mutation { createSurvey(input: {siteId: \"1\", name: \"Feedback\", questions: [
                {type: SHORT_TEXT, prompt: \"Your thoughts, please\"},
                {type: MULTIPLE_CHOICE, prompt: \"Used, \\\"really\\\"\", options: [\"Reports\", \"Alerts\"], allowOther: true}]}) { id questions { id } } }",
            json!({}),
        )
        .await;
    let s = &b["data"]["createSurvey"];
    let id = s["id"].as_str().unwrap_or_else(|| panic!("{b}")).to_owned();
    let q1 = s["questions"][0]["id"]
        .as_str()
        .expect("q")
        .parse()
        .expect("n");
    let q2 = s["questions"][1]["id"]
        .as_str()
        .expect("q")
        .parse()
        .expect("n");
    app.gql(
        token,
        "mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { status } }",
        json!({"id": id}),
    )
    .await;
    (id, q1, q2)
}

async fn answer(app: &TestApp, survey: &str, body: Value) -> i64 {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
        .json(&body)
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.expect("json")["response_id"]
        .as_i64()
        .expect("id")
}

#[tokio::test]
async fn surveys_and_responses_with_cursor_pagination() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q1, _) = setup(&app, &token).await;
    setup(&app, &token).await;

    let (s, b) = get_json(&app, &token, "/v1/sites/1/surveys?limit=1").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["results"].as_array().map(Vec::len), Some(1));
    assert!(b["results"][0].get("questions").is_none());
    let next = b["next_cursor"].as_str().expect("next cursor").to_owned();
    let (_, b2) = get_json(
        &app,
        &token,
        &format!("/v1/sites/1/surveys?limit=1&with_questions=true&cursor={next}"),
    )
    .await;
    assert_eq!(
        b2["results"][0]["questions"][1]["possible_answers"],
        json!(["Reports", "Alerts"])
    );
    assert!(b2["next_cursor"].is_null());
    assert_ne!(b["results"][0]["id"], b2["results"][0]["id"]);
    let (s, b) = get_json(&app, &token, "/v1/sites/1/surveys?limit=101").await;
    assert_eq!(
        (s, b["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("limit"))
    );
    let (s, b) = get_json(&app, &token, "/v1/sites/1/surveys?cursor=zzz").await;
    assert_eq!(
        (s, b["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("cursor"))
    );

    let (s, b) = get_json(&app, &token, &format!("/v1/sites/1/surveys/{survey}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["name"], "Feedback");
    assert_eq!(b["is_enabled"], true);
    assert_eq!(b["questions"][0]["type"], "short_text");

    // Newest first, stable while responses arrive.
    for i in 0..3 {
        answer(&app, &survey, json!({"visitor_id": format!("v{i}"), "answers": [{"question_id": q1, "value": format!("r{i}")}]})).await;
    }
    let (s, h, body) = get(
        &app,
        &token,
        &format!("/v1/sites/1/surveys/{survey}/responses?limit=2"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h.contains_key("ratelimit-remaining"));
    let page1: Value = serde_json::from_str(&body).expect("json");
    let texts = |p: &Value| -> Vec<String> {
        p["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["answers"][0]["answer"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(texts(&page1), ["r2", "r1"]);
    let r = &page1["results"][0];
    for field in [
        "id",
        "created_time",
        "is_complete",
        "device",
        "browser",
        "os",
        "country",
        "user_id",
        "user_attributes",
        "response_origin_url",
        "answers",
    ] {
        assert!(r.get(field).is_some(), "missing {field}: {r}");
    }
    assert!(r["answers"][0]["sentiment"].is_null());
    answer(
        &app,
        &survey,
        json!({"visitor_id": "late", "answers": [{"question_id": q1, "value": "late"}]}),
    )
    .await;
    let (_, page2) = get_json(
        &app,
        &token,
        &format!(
            "/v1/sites/1/surveys/{survey}/responses?limit=2&cursor={}",
            page1["next_cursor"].as_str().expect("cursor")
        ),
    )
    .await;
    assert_eq!(texts(&page2), ["r0"], "no duplicates, nothing skipped");
    assert!(page2["next_cursor"].is_null());
}

#[tokio::test]
async fn rest_needs_a_token_and_respects_tenancy() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, _, _) = setup(&app, &token).await;
    let resp = app
        .http
        .get(app.url("/v1/sites/1/surveys"))
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        resp.json::<Value>().await.expect("json")["error"],
        "UNAUTHENTICATED"
    );
    let (_, other_site, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    for path in [
        "/v1/sites/1/surveys".to_owned(),
        format!("/v1/sites/1/surveys/{survey}"),
        format!("/v1/sites/1/surveys/{survey}/responses"),
        format!("/v1/sites/1/surveys/{survey}/responses/export"),
        format!("/v1/sites/{other_site}/surveys/{survey}"),
    ] {
        let (s, b) = get_json(&app, &other, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {b}");
        assert_eq!(b["error"], "NOT_FOUND");
    }
    let (s, _) = get_json(
        &app,
        &token,
        &format!("/v1/sites/{other_site}/surveys/{survey}"),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "the survey exists, but not on that site"
    );
}

#[tokio::test]
async fn export_is_streamed_exactly_and_needs_plan_scale() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q1, q2) = setup(&app, &token).await;
    let tricky = [
        "plain",
        "comma, inside",
        "say \"hi\"",
        "two\nlines",
        "ünïcødé 👍",
    ];
    let mut ids = Vec::new();
    for (i, text) in tricky.iter().enumerate() {
        let mut answers = vec![json!({"question_id": q1, "value": text})];
        if i % 2 == 0 {
            answers.push(
                json!({"question_id": q2, "value": ["Reports", "Alerts"], "other": "API, mostly"}),
            );
        }
        ids.push(
            answer(
                &app,
                &survey,
                json!({"visitor_id": format!("v{i}"), "answers": answers}),
            )
            .await,
        );
    }
    let (s, h, csv) = get(
        &app,
        &token,
        &format!("/v1/sites/1/surveys/{survey}/responses/export?format=csv"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/csv"));
    let (_, b) = get_json(
        &app,
        &token,
        &format!("/v1/sites/1/surveys/{survey}/responses?limit=100"),
    )
    .await;
    let created: std::collections::HashMap<i64, String> = b["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().expect("id"),
                r["created_time"].as_str().expect("t").to_owned(),
            )
        })
        .collect();
    let mut want = String::from("response_id,created_time,is_complete,device,browser,os,country,user_id,page_url,Your thoughts please,\"Used, \"\"really\"\"\"\r\n");
    want = want.replace("Your thoughts please", "\"Your thoughts, please\"");
    let cells = [
        "plain",
        "\"comma, inside\"",
        "\"say \"\"hi\"\"\"",
        "\"two\nlines\"",
        "ünïcødé 👍",
    ];
    for (i, id) in ids.iter().enumerate() {
        let choice = if i % 2 == 0 {
            "\"Reports, Alerts, API, mostly\""
        } else {
            ""
        };
        want.push_str(&format!(
            "{id},{},true,,,,,,,{},{choice}\r\n",
            created[id], cells[i]
        ));
    }
    assert_eq!(csv, want, "byte for byte");

    let (s, h, jsonl) = get(
        &app,
        &token,
        &format!("/v1/sites/1/surveys/{survey}/responses/export?format=jsonl"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "application/x-ndjson");
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[3]["answers"][0]["answer"], "two\nlines");

    let (s, b) = get_json(
        &app,
        &token,
        &format!("/v1/sites/1/surveys/{survey}/responses/export?format=xml"),
    )
    .await;
    assert_eq!(
        (s, b["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("format"))
    );

    // Plan gate: the same organization on BUSINESS.
    app.admin_cli(&["set-plan", "--org", "1", "--plan", "BUSINESS"])
        .await
        .expect("set plan");
    let creds: Creds = app.create_key(1, "READ").await; // a fresh key reads the new plan at once
    let read = app.token(&creds).await;
    let (s, b) = get_json(
        &app,
        &read,
        &format!("/v1/sites/1/surveys/{survey}/responses/export"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(b["error"], "PLAN_REQUIRED");
    let (_, b) = app
        .gql(
            &read,
            "query($id: ID!) { survey(id: $id) { exportUrl } }",
            json!({"id": survey}),
        )
        .await;
    assert_eq!(
        b["errors"][0]["extensions"]["code"], "PLAN_REQUIRED",
        "GraphQL likewise: {b}"
    );
}
