//! Hotjar-compatible REST: surveys, responses, export. Every object of every answer is
//! checked against the JSON Schemas written from Hotjar's API reference
//! (`tests/schemas/hotjar/`).

use loupe_tests::json_schema;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{Creds, TestApp};

/// Fails with every error when `v` breaks `tests/schemas/hotjar/{name}.schema.json`.
pub fn assert_hotjar(name: &str, v: &Value) {
    let schema = json_schema::load(&format!("hotjar/{name}.schema.json")).expect("schema");
    let errors = json_schema::validate(&schema, v);
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{v:#}");
}

/// Checks a 200 answer of a REST path against Hotjar's schemas: the list or object, and
/// then each object in it on its own (survey, question, response).
pub fn assert_hotjar_answer(path: &str, v: &Value) {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["v1", "sites", _, "surveys"] => {
            assert_hotjar("survey-list", v);
            for s in v["results"].as_array().expect("results") {
                assert_survey(s);
            }
        }
        ["v1", "sites", _, "surveys", _] => assert_survey(v),
        ["v1", "sites", _, "surveys", _, "responses"] => {
            assert_hotjar("response-list", v);
            for r in v["results"].as_array().expect("results") {
                assert_hotjar("response", r);
            }
        }
        ["v1", "organizations", _, "user-lookup"] => assert_hotjar("user-lookup", v),
        _ => {}
    }
}

fn assert_survey(s: &Value) {
    assert_hotjar("survey", s);
    for q in s["questions"].as_array().into_iter().flatten() {
        assert_hotjar("question", q);
    }
}

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

/// GET and parse; a 200 answer is checked against Hotjar's schemas.
async fn get_json(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let (s, _, body) = get(app, token, path).await;
    let v = serde_json::from_str(&body).unwrap_or(Value::Null);
    if s == StatusCode::OK {
        assert_hotjar_answer(path, &v);
    }
    (s, v)
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
        b2["results"][0]["questions"][1]["choices"],
        json!([{"text": "Reports", "allow_comment": false}, {"text": "Alerts", "allow_comment": false},
               {"text": "Other", "allow_comment": true}])
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
    assert_eq!(b["questions"][0]["type"], "short-text");
    assert_eq!(b["questions"][1]["type"], "multiple-option");
    assert_eq!(b["id"], survey.as_str(), "ids are strings");

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
    assert_hotjar_answer("/v1/sites/1/surveys/1/responses", &page1);
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
        "hotjar_user_id",
        "recording_url",
        "user_id",
        "user_attributes",
        "response_origin_url",
        "answers",
    ] {
        assert!(r.get(field).is_some(), "missing {field}: {r}");
    }
    assert!(r["answers"][0]["sentiment"].is_null());
    assert_eq!(r["hotjar_user_id"], "v2");
    assert_eq!(r["answers"][0]["question_id"], q1.to_string());
    assert_eq!(r["answers"][0]["tags"], json!([]));
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
                r["id"].as_str().and_then(|id| id.parse().ok()).expect("id"),
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
    for line in &lines {
        assert_hotjar("response", line);
    }
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

const MOBILE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

#[tokio::test]
async fn rest_objects_have_hotjars_keys_types_and_spellings() {
    let app = TestApp::spawn_with(&[
        ("LOUPE_PUBLIC_URL", "https://loupe.example/base"),
        ("LOUPE_COUNTRY_HEADER", "CF-IPCountry"),
    ])
    .await;
    let token = app.admin_token().await;
    let (survey, q) = app
        .active_survey(
            &token,
            json!({"name": "Every type", "questions": [
                {"type": "SHORT_TEXT", "prompt": "Short", "required": true},
                {"type": "LONG_TEXT", "prompt": "Long"},
                {"type": "SINGLE_CHOICE", "prompt": "One", "options": ["A", "B"]},
                {"type": "MULTIPLE_CHOICE", "prompt": "Many", "options": ["X", "Y"], "allowOther": true},
                {"type": "NPS", "prompt": "Recommend?", "lowLabel": "Never", "highLabel": "Surely"},
                {"type": "RATING", "prompt": "Rate", "scaleMax": 7},
                {"type": "RATING", "prompt": "Rate 5"},
                {"type": "EMAIL", "prompt": "Email"},
                {"type": "STATEMENT", "prompt": "Thanks"}]}),
        )
        .await;
    let (link, _) = app
        .active_survey(
            &token,
            json!({"name": "Link", "kind": "POLL", "distribution": "LINK",
                   "questions": [{"type": "SHORT_TEXT", "prompt": "Why?"}]}),
        )
        .await;

    // The survey: Hotjar's keys first (the body is serialized in Hotjar's order).
    let path = format!("/v1/sites/1/surveys/{survey}");
    let (s, _, raw) = get(&app, &token, &path).await;
    assert_eq!(s, StatusCode::OK);
    let b: Value = serde_json::from_str(&raw).expect("json");
    assert_hotjar_answer(&path, &b);
    assert!(raw.starts_with(r#"{"id":""#), "{raw}");
    let at = |key: &str| raw.find(&format!("\"{key}\":")).expect(key);
    assert!(at("sentiment_analysis_enabled") < at("kind") && at("is_enabled") < at("status"));
    let base = format!("https://loupe.example/base/v1/sites/1/surveys/{survey}");
    assert_eq!(b["url"], base.as_str());
    assert_eq!(b["responses_url"], format!("{base}/responses"));
    assert_eq!(
        (&b["type"], &b["kind"], &b["status"]),
        (&json!("popover"), &json!("survey"), &json!("ACTIVE"))
    );
    assert_eq!(b["sentiment_analysis_enabled"], false);
    let qs = b["questions"].as_array().expect("questions");
    let types: Vec<&str> = qs
        .iter()
        .map(|q| q["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        [
            "short-text",
            "long-text",
            "single-option",
            "multiple-option",
            "nps",
            "rating-1-7",
            "rating-1-5",
            "email",
            "statement"
        ]
    );
    assert_eq!(qs[0]["id"], q[0].to_string());
    assert_eq!(qs[0]["is_required"], true);
    assert_eq!(qs[1]["is_required"], false);
    assert!(qs[0]["choices"].is_null() && qs[0]["labels"].is_null());
    assert!(qs.iter().all(|q| q["image_url"].is_null()));
    assert_eq!(
        qs[2]["choices"],
        json!([{"text": "A", "allow_comment": false}, {"text": "B", "allow_comment": false}])
    );
    assert_eq!(
        qs[3]["choices"][2],
        json!({"text": "Other", "allow_comment": true})
    );
    assert_eq!(
        qs[4]["labels"],
        json!({"low_label": "Never", "high_label": "Surely"})
    );
    assert_eq!(
        qs[5]["labels"],
        json!({"low_label": null, "high_label": null})
    );
    assert_eq!(qs[5]["scale"], json!({"min": 1, "max": 7}), "Loupe's extra");

    let (_, b) = get_json(&app, &token, &format!("/v1/sites/1/surveys/{link}")).await;
    assert_eq!((&b["type"], &b["kind"]), (&json!("link"), &json!("poll")));
    let (_, list) = get_json(&app, &token, "/v1/sites/1/surveys?with_questions=true").await;
    assert_eq!(list["results"].as_array().map(Vec::len), Some(2));

    // Responses: known and unknown context, identified or not, under DNT.
    app.enable_identify(&token, 1).await;
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .json(&json!({"visitor_id": "ann-v", "user_id": "ann", "attributes": {"plan": "pro", "seats": 3}}))
        .send()
        .await
        .expect("identify");
    assert!(resp.status().is_success());
    let post = |body: Value, headers: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let survey = survey.clone();
        async move {
            let mut req = app
                .http
                .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
                .json(&body);
            for (k, v) in headers {
                req = req.header(k, v);
            }
            let resp = req.send().await.expect("post");
            assert_eq!(resp.status(), StatusCode::CREATED);
        }
    };
    post(
        json!({"visitor_id": "ann-v", "page_url": "https://shop.example/cart",
               "answers": [{"question_id": q[0], "value": "Fine"}, {"question_id": q[3], "value": ["X"], "other": "Z"},
                           {"question_id": q[4], "value": 9}]}),
        vec![("User-Agent", MOBILE), ("CF-IPCountry", "fr")],
    )
    .await;
    post(
        json!({"visitor_id": "anon", "answers": [{"question_id": q[0], "value": "Hm"}]}),
        vec![],
    )
    .await;
    post(
        json!({"visitor_id": "private", "answers": [{"question_id": q[0], "value": "Shh"}]}),
        vec![("DNT", "1"), ("User-Agent", MOBILE)],
    )
    .await;
    let path = format!("/v1/sites/1/surveys/{survey}/responses");
    let (s, _, raw) = get(&app, &token, &path).await;
    assert_eq!(s, StatusCode::OK);
    let b: Value = serde_json::from_str(&raw).expect("json");
    assert_hotjar_answer(&path, &b);
    assert!(raw.starts_with(r#"{"results":[{"id":""#), "{raw}");
    let [dnt, anon, ann] = [0, 1, 2].map(|i| &b["results"][i]);
    assert_eq!(ann["device"], "mobile");
    assert_eq!(ann["country"], "FR");
    assert_eq!(ann["hotjar_user_id"], "ann-v");
    assert_eq!(ann["response_origin_url"], "https://shop.example/cart");
    assert_eq!(
        ann["user_attributes"],
        json!([{"name": "plan", "value": "pro"}, {"name": "seats", "value": 3.0}])
    );
    assert_eq!(ann["user_id"], "ann", "Loupe's extra");
    assert!(ann["recording_url"].is_null());
    let answers = ann["answers"].as_array().expect("answers");
    assert_eq!(answers[1]["answer"], "X, Z");
    assert_eq!(answers[2]["answer"], "9");
    // Unknown is an empty string, never null; an unknown device is Hotjar's default.
    for key in ["browser", "os", "country", "response_origin_url"] {
        assert_eq!(anon[key], "", "{key}");
    }
    assert_eq!(
        (&anon["device"], &anon["device_family"]),
        (&json!("desktop"), &Value::Null)
    );
    assert_eq!(anon["user_attributes"], json!([]));
    assert_eq!(dnt["hotjar_user_id"], "", "DNT keeps no visitor id");
}
