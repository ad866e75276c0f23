//! Survey engine: authoring through GraphQL, lifecycle, public submissions, tenancy.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const CREATE: &str = "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id kind status name questions { id key type required options scaleMin scaleMax logic { operator number goTo } } } }";
const STATUS: &str = "mutation($id: ID!, $status: SurveyStatus!) { setSurveyStatus(id: $id, status: $status) { status } }";
const RESPONSES: &str = "query($id: ID!) { responses(surveyId: $id) { totalCount edges { node { id isComplete visitorId device browser os pageUrl answers { questionId value other comment sentiment { label } } } } } }";

/// NPS (required): < 7 → "why" then end; otherwise → "features" (multiple choice, required).
fn nps_survey(site: &str) -> Value {
    json!({"input": {"siteId": site, "name": "NPS Q4", "questions": [
        {"key": "score", "type": "NPS", "prompt": "How likely are you to recommend us?", "required": true,
         "logic": [{"operator": "LESS_THAN", "number": 7, "goTo": "why"}, {"operator": "ALWAYS", "goTo": "features"}]},
        {"key": "why", "type": "LONG_TEXT", "prompt": "What should we fix?", "logic": [{"operator": "ALWAYS"}]},
        {"key": "features", "type": "MULTIPLE_CHOICE", "prompt": "What do you use?", "required": true,
         "options": ["Reports", "Alerts", "Export"], "allowOther": true},
        {"key": "email", "type": "EMAIL", "prompt": "Email (optional)"}
    ]}})
}

struct Ctx {
    app: TestApp,
    token: String,
    survey: String,
    q: Vec<i64>,
}

async fn active_survey() -> Ctx {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app.gql(&token, CREATE, nps_survey("1")).await;
    let s = &b["data"]["createSurvey"];
    let survey = s["id"].as_str().unwrap_or_else(|| panic!("{b}")).to_owned();
    let q = s["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["id"].as_str().expect("id").parse().expect("num"))
        .collect();
    let (_, b) = app
        .gql(&token, STATUS, json!({"id": survey, "status": "ACTIVE"}))
        .await;
    assert_eq!(b["data"]["setSurveyStatus"]["status"], "ACTIVE", "{b}");
    Ctx {
        app,
        token,
        survey,
        q,
    }
}

async fn submit(ctx: &Ctx, body: Value, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut req = ctx
        .app
        .http
        .post(
            ctx.app
                .url(&format!("/v1/sites/1/surveys/{}/responses", ctx.survey)),
        )
        .json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("req");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn response_count(ctx: &Ctx) -> i64 {
    let (_, b) = ctx
        .app
        .gql(&ctx.token, RESPONSES, json!({"id": ctx.survey}))
        .await;
    b["data"]["responses"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{b}"))
}

#[tokio::test]
async fn authoring_validates_and_lists_by_kind() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app.gql(&token, CREATE, nps_survey("1")).await;
    let s = &b["data"]["createSurvey"];
    assert_eq!(s["status"], "DRAFT");
    assert_eq!(s["kind"], "SURVEY");
    assert_eq!(s["questions"][0]["scaleMin"], 0);
    assert_eq!(s["questions"][0]["scaleMax"], 10);
    assert_eq!(s["questions"][0]["logic"][0]["goTo"], "why");

    for (questions, field) in [
        (
            json!([{"type": "NPS", "prompt": ""}]),
            "questions[0].prompt",
        ),
        (
            json!([{"type": "SINGLE_CHOICE", "prompt": "Pick"}]),
            "questions[0].options",
        ),
        (
            json!([{"type": "RATING", "prompt": "Rate", "scaleMax": 10}]),
            "questions[0].scaleMax",
        ),
        (
            json!([{"type": "NPS", "prompt": "a", "logic": [{"operator": "CONTAINS", "value": "x"}]}]),
            "questions[0].logic[0]",
        ),
        (
            json!([{"key": "b", "type": "NPS", "prompt": "b"}, {"key": "a", "type": "NPS", "prompt": "a", "logic": [{"operator": "ALWAYS", "goTo": "b"}]}]),
            "questions[1].logic[0]",
        ),
    ] {
        let (_, b) = app
            .gql(
                &token,
                CREATE,
                json!({"input": {"siteId": "1", "name": "x", "questions": questions}}),
            )
            .await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], field, "{b}");
    }
    let six: Vec<Value> = (0..6)
        .map(|i| json!({"type": "NPS", "prompt": format!("q{i}")}))
        .collect();
    let (_, b) = app
        .gql(
            &token,
            CREATE,
            json!({"input": {"siteId": "1", "kind": "POLL", "name": "too big", "questions": six}}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT");
    let (_, b) = app.gql(&token, CREATE, json!({"input": {"siteId": "1", "kind": "POLL", "name": "Quick poll", "questions": [{"type": "RATING", "prompt": "Rate this page", "scaleMax": 7, "displayStyle": "EMOJI"}]}})).await;
    assert_eq!(b["data"]["createSurvey"]["kind"], "POLL", "{b}");

    let (_, b) = app.gql(&token, "{ surveys { totalCount edges { node { name questions { key } } } } polls { totalCount edges { node { name } } } }", json!({})).await;
    assert_eq!(b["data"]["surveys"]["totalCount"], 1);
    assert_eq!(
        b["data"]["surveys"]["edges"][0]["node"]["questions"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    assert_eq!(b["data"]["polls"]["totalCount"], 1);
    assert_eq!(b["data"]["polls"]["edges"][0]["node"]["name"], "Quick poll");

    let id = app
        .gql(&token, "{ surveys { edges { node { id } } } }", json!({}))
        .await
        .1["data"]["surveys"]["edges"][0]["node"]["id"]
        .clone();
    let (_, b) = app.gql(&token, "mutation($id: ID!) { duplicateSurvey(id: $id) { name status questions { key logic { goTo } } } }", json!({"id": id})).await;
    assert_eq!(b["data"]["duplicateSurvey"]["name"], "NPS Q4 (copy)");
    assert_eq!(
        b["data"]["duplicateSurvey"]["questions"][0]["logic"][0]["goTo"],
        "why"
    );

    // Roles: READ may read, not write; WRITE may write surveys.
    let read = app.token(&app.create_key(1, "READ").await).await;
    let (_, b) = app.gql(&read, CREATE, nps_survey("1")).await;
    assert_eq!(error_code(&b), "FORBIDDEN");
    let (_, b) = app
        .gql(&read, "{ surveys { totalCount } }", json!({}))
        .await;
    assert_eq!(b["data"]["surveys"]["totalCount"], 2);
    let write = app.token(&app.create_key(1, "WRITE").await).await;
    let (_, b) = app.gql(&write, CREATE, nps_survey("1")).await;
    assert!(b["data"]["createSurvey"]["id"].is_string(), "{b}");
}

#[tokio::test]
async fn lifecycle_controls_what_is_accepted() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app
        .gql(
            &token,
            CREATE,
            json!({"input": {"siteId": "1", "name": "empty"}}),
        )
        .await;
    let empty = b["data"]["createSurvey"]["id"].clone();
    let (_, b) = app
        .gql(&token, STATUS, json!({"id": empty, "status": "ACTIVE"}))
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "no questions: {b}");

    let ctx = active_survey().await;
    let ok = json!({"visitor_id": "v1", "answers": [{"question_id": ctx.q[0], "value": 9}, {"question_id": ctx.q[2], "value": ["Reports"]}]});
    for status in ["PAUSED", "CLOSED", "DRAFT"] {
        let (_, b) = ctx
            .app
            .gql(
                &ctx.token,
                STATUS,
                json!({"id": ctx.survey, "status": status}),
            )
            .await;
        if status == "DRAFT" {
            assert_eq!(b["data"]["setSurveyStatus"]["status"], "DRAFT");
        }
        let (s, b) = submit(&ctx, ok.clone(), &[]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{status}: {b}");
    }
    ctx.app
        .gql(
            &ctx.token,
            STATUS,
            json!({"id": ctx.survey, "status": "ACTIVE"}),
        )
        .await;
    assert_eq!(submit(&ctx, ok, &[]).await.0, StatusCode::CREATED);
    let (_, b) = ctx
        .app
        .gql(
            &ctx.token,
            STATUS,
            json!({"id": ctx.survey, "status": "DRAFT"}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "responses exist: {b}");
}

#[tokio::test]
async fn submissions_are_checked_per_question_and_path() {
    let ctx = active_survey().await;
    let q = &ctx.q;
    let bad: Vec<(Value, &str, String)> = vec![
        (
            json!([{"question_id": q[0], "value": 11}]),
            "from 0 to 10",
            format!("answers.{}", q[0]),
        ),
        (
            json!([{"question_id": q[0], "value": 9}, {"question_id": q[2], "value": ["Teleport"]}]),
            "not offered",
            format!("answers.{}", q[2]),
        ),
        (
            json!([{"question_id": q[0], "value": 9}, {"question_id": q[2], "value": ["Reports"]}, {"question_id": q[3], "value": "nope"}]),
            "valid email",
            format!("answers.{}", q[3]),
        ),
        (
            json!([{"question_id": q[0], "value": 3}, {"question_id": q[1], "value": "x".repeat(5001)}]),
            "too long",
            format!("answers.{}", q[1]),
        ),
        (
            json!([{"question_id": q[0], "value": 9}]),
            "missing required",
            format!("answers.{}", q[2]),
        ),
        (
            json!([{"question_id": q[0], "value": 3}, {"question_id": q[2], "value": ["Reports"]}]),
            "invalid path",
            format!("answers.{}", q[2]),
        ),
        (
            json!([{"question_id": 999_999, "value": 1}]),
            "not part of this survey",
            "answers.999999".to_owned(),
        ),
    ];
    for (answers, message, field) in bad {
        let (s, b) = submit(&ctx, json!({"visitor_id": "v1", "answers": answers}), &[]).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(b["error"], "BAD_USER_INPUT");
        assert!(
            b["message"].as_str().unwrap_or("").contains(message),
            "want {message:?}: {b}"
        );
        assert_eq!(b["field"], field.as_str());
    }
    let (s, _) = submit(&ctx, json!("not an object"), &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        response_count(&ctx).await,
        0,
        "nothing stored from rejected submissions"
    );

    // Detractor path, with a comment and a scrubbed page URL.
    let (s, b) = submit(
        &ctx,
        json!({"visitor_id": "v1", "page_url": "https://shop.example/account?email=jane%40x.io&utm_source=nl#top",
               "answers": [{"question_id": q[0], "value": 3, "comment": "meh"}, {"question_id": q[1], "value": " Too slow "}]}),
        &[("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")],
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["is_complete"], true);
    let (_, b) = ctx
        .app
        .gql(&ctx.token, RESPONSES, json!({"id": ctx.survey}))
        .await;
    let r = &b["data"]["responses"]["edges"][0]["node"];
    assert_eq!(
        (
            r["device"].as_str(),
            r["browser"].as_str(),
            r["os"].as_str()
        ),
        (Some("mobile"), Some("Safari"), Some("iOS"))
    );
    assert_eq!(
        r["pageUrl"],
        "https://shop.example/account?email=%5Bredacted%5D&utm_source=nl"
    );
    assert_eq!(r["answers"][0]["value"], 3);
    assert_eq!(r["answers"][0]["comment"], "meh");
    assert_eq!(r["answers"][1]["value"], "Too slow");
    assert!(r["answers"][1]["sentiment"].is_null());
    assert!(
        !b.to_string().contains("iPhone OS"),
        "the raw user agent is not stored"
    );
}

#[tokio::test]
async fn partial_responses_are_completed_by_the_same_visitor() {
    let ctx = active_survey().await;
    let q = &ctx.q;
    let (s, b) = submit(&ctx, json!({"visitor_id": "v-7", "is_complete": false, "answers": [{"question_id": q[0], "value": 10}]}), &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["is_complete"], false);
    let id = b["response_id"].clone();

    let finish = json!({"visitor_id": "v-8", "response_id": id, "answers": [{"question_id": q[2], "value": ["Alerts"], "other": "API"}]});
    assert_eq!(
        submit(&ctx, finish, &[]).await.0,
        StatusCode::NOT_FOUND,
        "another visitor"
    );
    let incomplete = json!({"visitor_id": "v-7", "response_id": id, "answers": []});
    assert_eq!(
        submit(&ctx, incomplete, &[]).await.0,
        StatusCode::BAD_REQUEST,
        "required q3 still missing"
    );
    let finish = json!({"visitor_id": "v-7", "response_id": id, "answers": [{"question_id": q[2], "value": ["Alerts"], "other": "API"}]});
    let (s, b) = submit(&ctx, finish.clone(), &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["response_id"], id);
    assert_eq!(
        submit(&ctx, finish, &[]).await.0,
        StatusCode::CONFLICT,
        "already complete"
    );

    let (_, b) = ctx
        .app
        .gql(&ctx.token, RESPONSES, json!({"id": ctx.survey}))
        .await;
    assert_eq!(b["data"]["responses"]["totalCount"], 1);
    let r = &b["data"]["responses"]["edges"][0]["node"];
    assert_eq!(r["isComplete"], true);
    assert_eq!(r["answers"][0]["value"], 10);
    assert_eq!(r["answers"][1]["value"], json!(["Alerts"]));
    assert_eq!(r["answers"][1]["other"], "API");

    // Do-Not-Track: the answers are kept, the visitor is not.
    let (s, _) = submit(
        &ctx,
        json!({"visitor_id": "v-9", "answers": [{"question_id": q[0], "value": 2}]}),
        &[("DNT", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, b) = ctx
        .app
        .gql(&ctx.token, RESPONSES, json!({"id": ctx.survey}))
        .await;
    let newest = &b["data"]["responses"]["edges"][0]["node"];
    assert!(newest["visitorId"].is_null(), "{newest}");
}

#[tokio::test]
async fn cors_is_limited_to_the_sites_allowed_domains() {
    let ctx = active_survey().await;
    let body = json!({"visitor_id": "v1", "answers": [{"question_id": ctx.q[0], "value": 1}]});
    // The bootstrap site allows `localhost`.
    let (s, _) = submit(&ctx, body.clone(), &[("Origin", "https://evil.example")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let resp = ctx
        .app
        .http
        .post(
            ctx.app
                .url(&format!("/v1/sites/1/surveys/{}/responses", ctx.survey)),
        )
        .header("Origin", "http://localhost")
        .header("Content-Type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .expect("req");
    assert_eq!(
        resp.status(),
        StatusCode::CREATED,
        "sendBeacon-style text/plain body"
    );
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "http://localhost"
    );
    let bad = ctx
        .app
        .http
        .post(
            ctx.app
                .url(&format!("/v1/sites/1/surveys/{}/responses", ctx.survey)),
        )
        .header("Origin", "http://localhost")
        .json(&json!({"answers": [{"question_id": ctx.q[0], "value": 99}]}))
        .send()
        .await
        .expect("req");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.headers()["access-control-allow-origin"],
        "http://localhost",
        "errors are readable too"
    );
    let preflight = ctx
        .app
        .http
        .request(
            reqwest::Method::OPTIONS,
            ctx.app
                .url(&format!("/v1/sites/1/surveys/{}/responses", ctx.survey)),
        )
        .header("Origin", "http://localhost")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("req");
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert!(preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap_or("")
        .contains("POST"));
    let (s, _) = submit(&ctx, body, &[]).await;
    assert_eq!(s, StatusCode::CREATED, "server-side calls carry no Origin");
    let wrong_site = ctx
        .app
        .http
        .post(
            ctx.app
                .url(&format!("/v1/sites/999/surveys/{}/responses", ctx.survey)),
        )
        .json(&json!({}))
        .send()
        .await
        .expect("req");
    assert_eq!(wrong_site.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_organizations_surveys_are_not_found() {
    let ctx = active_survey().await;
    let (_, other_site, creds) = ctx.app.other_org("SCALE").await;
    let other = ctx.app.token(&creds).await;
    let id = json!({"id": ctx.survey});
    for (query, vars) in [
        ("query($id: ID!) { survey(id: $id) { name } }", id.clone()),
        (RESPONSES, id.clone()),
        (
            "mutation($id: ID!) { updateSurvey(id: $id, input: {name: \"x\"}) { id } }",
            id.clone(),
        ),
        (
            "mutation($id: ID!) { setSurveyStatus(id: $id, status: PAUSED) { id } }",
            id.clone(),
        ),
        (
            "mutation($id: ID!) { duplicateSurvey(id: $id) { id } }",
            id.clone(),
        ),
        (CREATE, nps_survey("1")),
    ] {
        let (_, b) = ctx.app.gql(&other, query, vars).await;
        assert_eq!(error_code(&b), "NOT_FOUND", "{query}: {b}");
    }
    let (_, b) = ctx
        .app
        .gql(&other, "{ surveys { totalCount } }", json!({}))
        .await;
    assert_eq!(b["data"]["surveys"]["totalCount"], 0);
    let (_, b) = ctx
        .app
        .gql(&other, "{ polls(siteId: \"1\") { totalCount } }", json!({}))
        .await;
    assert_eq!(
        error_code(&b),
        "NOT_FOUND",
        "another organization's site: {b}"
    );
    // A survey of site 1 cannot be answered through the other organization's site.
    let resp = ctx
        .app
        .http
        .post(ctx.app.url(&format!(
            "/v1/sites/{other_site}/surveys/{}/responses",
            ctx.survey
        )))
        .json(&json!({"answers": [{"question_id": ctx.q[0], "value": 5}]}))
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn answered_questions_keep_their_meaning() {
    let ctx = active_survey().await;
    let q = &ctx.q;
    let (status, b) = submit(&ctx, json!({"visitor_id": "v", "answers": [{"question_id": q[0], "value": 9}, {"question_id": q[2], "value": ["Alerts"]}]}), &[]).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let questions = |options: Value| {
        json!([
            {"id": q[0].to_string(), "key": "score", "type": "NPS", "prompt": "How likely?", "required": true,
             "logic": [{"operator": "LESS_THAN", "number": 7, "goTo": "why"}, {"operator": "ALWAYS", "goTo": "features"}]},
            {"id": q[1].to_string(), "key": "why", "type": "LONG_TEXT", "prompt": "Why?"},
            {"id": q[2].to_string(), "key": "features", "type": "MULTIPLE_CHOICE", "prompt": "Use?", "options": options, "required": true},
            {"id": q[3].to_string(), "key": "email", "type": "EMAIL", "prompt": "Email"}
        ])
    };
    const UPDATE: &str = "mutation($id: ID!, $qs: [QuestionInput!]) { updateSurvey(id: $id, input: {questions: $qs}) { questions { key options } } }";
    let (_, b) = ctx
        .app
        .gql(
            &ctx.token,
            UPDATE,
            json!({"id": ctx.survey, "qs": questions(json!(["Reports", "Export"]))}),
        )
        .await;
    assert_eq!(
        error_code(&b),
        "BAD_USER_INPUT",
        "removing an answered option: {b}"
    );
    assert_eq!(
        b["errors"][0]["extensions"]["field"],
        "questions[2].options"
    );
    let (_, b) = ctx.app.gql(&ctx.token, UPDATE, json!({"id": ctx.survey, "qs": questions(json!(["Reports", "Alerts", "Export", "API"]))})).await;
    assert_eq!(
        b["data"]["updateSurvey"]["questions"][2]["options"],
        json!(["Reports", "Alerts", "Export", "API"]),
        "adding options is fine: {b}"
    );
}

#[tokio::test]
async fn answered_questions_are_archived_not_deleted() {
    let ctx = active_survey().await;
    let q = &ctx.q;
    assert_eq!(submit(&ctx, json!({"visitor_id": "v", "answers": [{"question_id": q[0], "value": 4}, {"question_id": q[1], "value": "x"}]}), &[]).await.0, StatusCode::CREATED);
    const UPDATE: &str = "mutation($id: ID!, $input: UpdateSurveyInput!) { updateSurvey(id: $id, input: $input) { questions { id key type } } }";
    // Changing an answered question's type is refused.
    let (_, b) = ctx.app.gql(&ctx.token, UPDATE, json!({"id": ctx.survey, "input": {"questions": [{"id": q[0].to_string(), "key": "score", "type": "RATING", "prompt": "Rate"}]}})).await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    assert_eq!(b["errors"][0]["extensions"]["field"], "questions[0].type");
    // Keep only the NPS question (no logic now) and add a new one: "why" is archived.
    let (_, b) = ctx.app.gql(&ctx.token, UPDATE, json!({"id": ctx.survey, "input": {"questions": [
        {"id": q[0].to_string(), "key": "score", "type": "NPS", "prompt": "How likely?", "required": true},
        {"key": "why", "type": "SHORT_TEXT", "prompt": "Why, briefly?"}
    ]}})).await;
    let qs = b["data"]["updateSurvey"]["questions"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .clone();
    assert_eq!(qs.len(), 2);
    assert_eq!(qs[0]["id"], q[0].to_string());
    assert_ne!(
        qs[1]["id"],
        q[1].to_string(),
        "a new question, the old one archived"
    );
    let (_, b) = ctx
        .app
        .gql(&ctx.token, RESPONSES, json!({"id": ctx.survey}))
        .await;
    let answers = &b["data"]["responses"]["edges"][0]["node"]["answers"];
    assert_eq!(
        answers[1]["questionId"],
        q[1].to_string(),
        "old answers keep their question"
    );
    assert_eq!(answers[1]["value"], "x");
}

#[tokio::test]
async fn summary_numbers_on_a_known_data_set() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app.gql(&token, CREATE, json!({"input": {"siteId": "1", "name": "Known", "questions": [
        {"type": "NPS", "prompt": "Recommend?"},
        {"type": "SINGLE_CHOICE", "prompt": "Plan?", "options": ["A", "B", "C"], "allowOther": true},
        {"type": "RATING", "prompt": "Rate"},
        {"type": "SHORT_TEXT", "prompt": "Anything else?"}
    ]}})).await;
    let survey = b["data"]["createSurvey"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    let q: Vec<i64> = b["data"]["createSurvey"]["questions"]
        .as_array()
        .expect("qs")
        .iter()
        .map(|q| q["id"].as_str().expect("id").parse().expect("n"))
        .collect();
    app.gql(&token, STATUS, json!({"id": survey, "status": "ACTIVE"}))
        .await;

    let nps = [0, 3, 6, 7, 8, 9, 9, 9, 10, 10];
    let choice: [Option<&str>; 10] = [
        Some("A"),
        Some("A"),
        Some("B"),
        Some("A"),
        None,
        Some("B"),
        Some("other"),
        Some("A"),
        Some("B"),
        None,
    ];
    let rating: [Option<i32>; 10] = [
        Some(5),
        None,
        Some(4),
        None,
        Some(4),
        None,
        Some(3),
        None,
        None,
        None,
    ];
    let text: [Option<&str>; 10] = [
        Some("x"),
        None,
        None,
        Some("y"),
        None,
        None,
        None,
        Some("z"),
        None,
        None,
    ];
    for i in 0..10 {
        let mut answers = vec![json!({"question_id": q[0], "value": nps[i]})];
        match choice[i] {
            Some("other") => answers.push(json!({"question_id": q[1], "other": "Enterprise"})),
            Some(c) => answers.push(json!({"question_id": q[1], "value": c})),
            None => {}
        }
        if let Some(r) = rating[i] {
            answers.push(json!({"question_id": q[2], "value": r}));
        }
        if let Some(t) = text[i] {
            answers.push(json!({"question_id": q[3], "value": t}));
        }
        let ua = if i < 3 {
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"
        } else {
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
        };
        let resp = app
            .http
            .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
            .header("User-Agent", ua)
            .json(&json!({"visitor_id": format!("v{i}"), "answers": answers}))
            .send()
            .await
            .expect("req");
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    const SUMMARY: &str = "query($id: ID!, $f: ResponseFilterInput) { survey(id: $id) { summary(filter: $f) { responses complete questions {
        answered skipped other average choices { choice count } distribution { value count } nps { score promoters passives detractors } textAnswers } } } }";
    let (_, b) = app.gql(&token, SUMMARY, json!({"id": survey})).await;
    let s = &b["data"]["survey"]["summary"];
    assert_eq!(s["responses"], 10, "{b}");
    assert_eq!(s["complete"], 10);
    let qs = &s["questions"];
    assert_eq!(
        qs[0]["nps"],
        json!({"score": 20.0, "promoters": 5, "passives": 2, "detractors": 3})
    );
    assert_eq!(qs[0]["answered"], 10);
    assert_eq!(qs[0]["distribution"].as_array().map(Vec::len), Some(11));
    assert_eq!(
        qs[1]["choices"],
        json!([{"choice": "A", "count": 4}, {"choice": "B", "count": 3}, {"choice": "C", "count": 0}])
    );
    assert_eq!(
        (
            qs[1]["answered"].as_i64(),
            qs[1]["skipped"].as_i64(),
            qs[1]["other"].as_i64()
        ),
        (Some(8), Some(2), Some(1))
    );
    assert_eq!(qs[2]["average"], 4.0);
    assert_eq!(
        qs[2]["distribution"],
        json!([{"value": 1, "count": 0}, {"value": 2, "count": 0}, {"value": 3, "count": 1}, {"value": 4, "count": 2}, {"value": 5, "count": 1}])
    );
    assert_eq!(
        (qs[3]["answered"].as_i64(), qs[3]["skipped"].as_i64()),
        (Some(3), Some(7))
    );
    assert_eq!(qs[3]["textAnswers"], 3);
    assert!(qs[0]["textAnswers"].is_null());
    let (_, b) = app
        .gql(
            &token,
            "{ surveys(kind: POLL) { totalCount } all: surveys { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (
            b["data"]["surveys"]["totalCount"].as_i64(),
            b["data"]["all"]["totalCount"].as_i64()
        ),
        (Some(0), Some(1))
    );

    // Filtered to mobile: the first three responses (NPS 0, 3, 6 → −100).
    let (_, b) = app
        .gql(
            &token,
            SUMMARY,
            json!({"id": survey, "f": {"device": "mobile"}}),
        )
        .await;
    let s = &b["data"]["survey"]["summary"];
    assert_eq!(s["responses"], 3, "{b}");
    assert_eq!(s["questions"][0]["nps"]["score"], -100.0);
    assert_eq!(
        s["questions"][1]["choices"][0],
        json!({"choice": "A", "count": 2})
    );
    let (_, b) = app.gql(&token, "query($id: ID!) { responses(surveyId: $id, filter: {device: \"mobile\"}) { totalCount } }", json!({"id": survey})).await;
    assert_eq!(b["data"]["responses"]["totalCount"], 3);
    let (_, b) = app
        .gql(
            &token,
            SUMMARY,
            json!({"id": survey, "f": {"from": "2999-01-01T00:00:00Z"}}),
        )
        .await;
    assert_eq!(b["data"]["survey"]["summary"]["responses"], 0);
    assert!(b["data"]["survey"]["summary"]["questions"][0]["nps"]["score"].is_null());
}

/// Concurrent submissions are committed in batches; each response must keep its own
/// answers (ids from the multi-row insert are matched in order).
#[tokio::test]
async fn concurrent_submissions_keep_their_own_answers() {
    use futures_util::stream::{self, StreamExt};
    let ctx = active_survey().await;
    let statuses: Vec<StatusCode> = stream::iter(0..60)
        .map(|i| {
            let ctx = &ctx;
            async move {
                let body = json!({"visitor_id": format!("v{i}"), "answers": [
                    {"question_id": ctx.q[0], "value": 9 + i % 2},
                    {"question_id": ctx.q[2], "value": ["Reports"], "other": format!("o{i}")},
                    {"question_id": ctx.q[3], "value": format!("v{i}@example.com")}
                ]});
                submit(ctx, body, &[]).await.0
            }
        })
        .buffer_unordered(30)
        .collect()
        .await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    let (_, b) = ctx.app.gql(&ctx.token, "query($id: ID!) { responses(surveyId: $id, first: 100) { totalCount edges { node { visitorId answers { value other } } } } }", json!({"id": ctx.survey})).await;
    assert_eq!(b["data"]["responses"]["totalCount"], 60);
    for edge in b["data"]["responses"]["edges"].as_array().expect("edges") {
        let node = &edge["node"];
        let v = node["visitorId"].as_str().expect("visitor");
        let i: i64 = v[1..].parse().expect("index");
        assert_eq!(node["answers"][0]["value"], 9 + i % 2, "{node}");
        assert_eq!(node["answers"][1]["other"], format!("o{i}"), "{node}");
        assert_eq!(
            node["answers"][2]["value"],
            format!("{v}@example.com"),
            "{node}"
        );
    }
}

#[tokio::test]
async fn survey_reads_follow_every_change_at_once() {
    // Cached reads for a long time: only the changes' own announcements keep them right.
    let app = TestApp::spawn_with(&[("LOUPE_AUTH_CACHE_MS", "600000")]).await;
    let token = app.admin_token().await;
    let (_, b) = app.gql(&token, CREATE, nps_survey("1")).await;
    let id = b["data"]["createSurvey"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    const READ: &str = "query($id: ID!) { survey(id: $id) { name status linkUrl sentimentEnabled questions { key prompt } } }";
    let read = || async {
        let (_, b) = app.gql(&token, READ, json!({"id": id})).await;
        b["data"]["survey"].clone()
    };
    let before = read().await;
    assert_eq!(before["name"], "NPS Q4", "{before}");
    assert_eq!(before["questions"].as_array().map(Vec::len), Some(4));

    // Another organization never reads it, whether or not it is cached.
    let (_, _, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    let (_, b) = app.gql(&other, READ, json!({"id": id})).await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");

    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!, $qs: [QuestionInput!]) { updateSurvey(id: $id, input: {name: \"Renamed\", questions: $qs}) { id } }",
            json!({"id": id, "qs": [{"key": "only", "type": "SHORT_TEXT", "prompt": "Anything else?"}]}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    let after = read().await;
    assert_eq!(after["name"], "Renamed", "{after}");
    assert_eq!(
        after["questions"],
        json!([{"key": "only", "prompt": "Anything else?"}])
    );

    let (_, b) = app
        .gql(&token, STATUS, json!({"id": id, "status": "ACTIVE"}))
        .await;
    assert!(b["errors"].is_null(), "{b}");
    assert_eq!(read().await["status"], "ACTIVE");

    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { setSurveySentiment(id: $id, enabled: true) { sentimentEnabled } }",
            json!({"id": id}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    assert_eq!(read().await["sentimentEnabled"], true);
}
