//! Lists never run a query per item: relations go through DataLoaders or one batched
//! query. Counted with `loupe_db_statements_total` from `/metrics`: the same request over
//! a list of 3 and of 10 items runs the same number of statements.

use serde_json::{json, Value};

use crate::helpers::TestApp;

async fn statements(app: &TestApp) -> u64 {
    app.metrics()
        .await
        .lines()
        .find_map(|l| l.strip_prefix("loupe_db_statements_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("loupe_db_statements_total")
}

/// Statements run by one GraphQL request.
/// The counter is the whole process's: a background task (the changes poll, a rollup)
/// may run a statement inside the window, more often on a busy machine. The fewest of
/// three runs is the request's own cost.
async fn cost(app: &TestApp, token: &str, query: &str) -> (u64, Value) {
    let mut fewest: Option<(u64, Value)> = None;
    for _ in 0..3 {
        let before = statements(app).await;
        let (_, body) = app.gql(token, query, json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        let n = statements(app).await - before;
        if fewest.as_ref().is_none_or(|(f, _)| n < *f) {
            fewest = Some((n, body));
        }
    }
    fewest.expect("three runs")
}

async fn identified_recording(app: &TestApp, i: usize) {
    let visitor = format!("v{i}");
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/recordings/s{i}/events")))
        .json(&json!({"visitor_id": visitor, "sequence": 0, "events": [
            {"type": 4, "timestamp": 1_760_000_000_000i64 + i as i64, "data": {"href": "https://a.example/", "width": 800, "height": 600}}
        ]}))
        .send()
        .await
        .expect("record");
    assert!(resp.status().is_success());
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .json(&json!({"visitor_id": visitor, "user_id": format!("u{i}"), "attributes": {"plan": "pro"}}))
        .send()
        .await
        .expect("identify");
    assert!(resp.status().is_success());
}

async fn survey(app: &TestApp, token: &str, i: usize) {
    let (_, b) = app
        .gql(
            token,
            "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id } }",
            json!({"input": {"siteId": "1", "kind": "SURVEY", "name": format!("S{i}"), "questions": [
                {"key": "a", "type": "NPS", "prompt": "Recommend?"},
                {"key": "b", "type": "SHORT_TEXT", "prompt": "Why?"}
            ]}}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
}

#[tokio::test]
async fn lists_run_a_fixed_number_of_statements_whatever_their_length() {
    // No background work and no key-state re-reads while counting.
    let app = TestApp::spawn_with(&[
        ("LOUPE_SENTIMENT_WORKER", "false"),
        ("LOUPE_AUTH_CACHE_MS", "600000"),
        ("LOUPE_CHANGES_POLL_MS", "0"),
        ("LOUPE_WEBHOOK_POLL_MS", "600000"),
    ])
    .await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;

    const RECORDINGS: &str =
        "{ recordings(siteId: \"1\", first: 50) { edges { node { id user } } } }";
    const SURVEYS: &str =
        "{ surveys(siteId: \"1\", first: 50) { edges { node { id questions { id prompt } } } } }";
    for i in 0..3 {
        identified_recording(&app, i).await;
        survey(&app, &token, i).await;
    }
    // Warm the caches (site, key state) so both counts see the same state.
    cost(&app, &token, RECORDINGS).await;
    cost(&app, &token, SURVEYS).await;
    let (recordings_3, body) = cost(&app, &token, RECORDINGS).await;
    assert_eq!(
        body["data"]["recordings"]["edges"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        body["data"]["recordings"]["edges"][0]["node"]["user"]["attributes"]["plan"], "pro",
        "{body}"
    );
    let (surveys_3, _) = cost(&app, &token, SURVEYS).await;

    for i in 3..10 {
        identified_recording(&app, i).await;
        survey(&app, &token, i).await;
    }
    cost(&app, &token, RECORDINGS).await;
    let (recordings_10, body) = cost(&app, &token, RECORDINGS).await;
    assert_eq!(
        body["data"]["recordings"]["edges"].as_array().map(Vec::len),
        Some(10)
    );
    let users = body["data"]["recordings"]["edges"].as_array().map(|e| {
        e.iter()
            .filter(|e| e["node"]["user"]["userId"].is_string())
            .count()
    });
    assert_eq!(users, Some(10), "every recording's user is loaded");
    let (surveys_10, body) = cost(&app, &token, SURVEYS).await;
    assert_eq!(
        body["data"]["surveys"]["edges"].as_array().map(Vec::len),
        Some(10)
    );
    assert_eq!(
        body["data"]["surveys"]["edges"][9]["node"]["questions"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    assert_eq!(
        recordings_3, recordings_10,
        "recordings {{ user }}: one batch, not one query per recording"
    );
    assert_eq!(
        surveys_3, surveys_10,
        "surveys {{ questions }}: one batch, not one query per survey"
    );
    assert!(recordings_10 <= 8, "{recordings_10} statements");
    assert!(surveys_10 <= 6, "{surveys_10} statements");
}

#[tokio::test]
async fn a_list_of_users_loads_everyones_responses_in_one_batch() {
    let app = TestApp::spawn_with(&[
        ("LOUPE_SENTIMENT_WORKER", "false"),
        ("LOUPE_AUTH_CACHE_MS", "600000"),
        ("LOUPE_CHANGES_POLL_MS", "0"),
        ("LOUPE_WEBHOOK_POLL_MS", "600000"),
    ])
    .await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let (_, q) = app
        .active_survey(
            &token,
            json!({"kind": "POLL", "name": "Rate us", "questions": [{"type": "RATING", "prompt": "How?"}]}),
        )
        .await;
    let (survey, question) = (
        app.gql(
            &token,
            "{ polls(siteId: \"1\") { edges { node { id } } } }",
            json!({}),
        )
        .await
        .1["data"]["polls"]["edges"][0]["node"]["id"]
            .as_str()
            .expect("poll id")
            .to_owned(),
        q[0],
    );
    // Person i has i + 1 responses from two visitors (the join through visitor links).
    let add = |i: usize| {
        let http = app.http.clone();
        let url = app.url(&format!("/v1/sites/1/surveys/{survey}/responses"));
        let identify = app.url("/v1/sites/1/identify");
        async move {
            for visitor in [format!("p{i}-a"), format!("p{i}-b")] {
                let r = http
                    .post(&identify)
                    .json(&json!({"visitor_id": visitor, "user_id": format!("person-{i}")}))
                    .send()
                    .await
                    .expect("identify");
                assert!(r.status().is_success());
            }
            for n in 0..=i {
                let visitor = if n % 2 == 0 {
                    format!("p{i}-a")
                } else {
                    format!("p{i}-b")
                };
                let r = http
                    .post(&url)
                    .json(&json!({"visitor_id": visitor, "answers": [{"question_id": question, "value": 1 + (n % 5)}]}))
                    .send()
                    .await
                    .expect("respond");
                assert!(r.status().is_success(), "{}", r.status());
            }
        }
    };
    const USERS: &str = "{ users(siteId: \"1\", first: 50) { edges { node { userId
        responses(first: 2) { totalCount pageInfo { hasNextPage } edges { node { id answers { value } } } } } } } }";
    for i in 0..3 {
        add(i).await;
    }
    cost(&app, &token, USERS).await;
    let (users_3, body) = cost(&app, &token, USERS).await;
    for i in 3..10 {
        add(i).await;
    }
    cost(&app, &token, USERS).await;
    let (users_10, body10) = cost(&app, &token, USERS).await;
    let edges = body10["data"]["users"]["edges"].as_array().expect("users");
    assert_eq!(edges.len(), 10, "{body10}");
    for e in edges {
        let n = &e["node"];
        let i: usize = n["userId"]
            .as_str()
            .and_then(|u| u.strip_prefix("person-"))
            .and_then(|i| i.parse().ok())
            .expect("user id");
        let r = &n["responses"];
        assert_eq!(r["totalCount"], i + 1, "{n}");
        assert_eq!(
            r["edges"].as_array().map(Vec::len),
            Some((i + 1).min(2)),
            "{n}"
        );
        assert_eq!(r["pageInfo"]["hasNextPage"], i + 1 > 2, "{n}");
        assert!(
            r["edges"][0]["node"]["answers"][0]["value"].is_number(),
            "{n}"
        );
    }
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(
        users_3, users_10,
        "users {{ responses }}: one batch, not one query per person"
    );
}

#[tokio::test]
async fn a_list_of_responses_loads_recordings_and_tags_in_one_batch() {
    let app = TestApp::spawn_with(&[
        ("LOUPE_SENTIMENT_WORKER", "false"),
        ("LOUPE_AUTH_CACHE_MS", "600000"),
        ("LOUPE_CHANGES_POLL_MS", "0"),
        ("LOUPE_WEBHOOK_POLL_MS", "600000"),
    ])
    .await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let (survey, q) = app
        .active_survey(
            &token,
            json!({"name": "Linked", "questions": [{"type": "NPS", "prompt": "Recommend?"}]}),
        )
        .await;
    // Response i was given during recorded session s{i}, and carries a tag.
    let add = |i: usize| {
        let app = &app;
        let token = token.clone();
        let survey = survey.clone();
        let question = q[0];
        async move {
            identified_recording(app, i).await;
            let r = app
                .http
                .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
                .json(
                    &json!({"visitor_id": format!("v{i}"), "session_id": format!("s{i}"),
                              "answers": [{"question_id": question, "value": i % 11}]}),
                )
                .send()
                .await
                .expect("respond");
            assert!(r.status().is_success(), "{}", r.status());
            let id = r.json::<Value>().await.expect("json")["response_id"]
                .as_i64()
                .expect("id");
            let (_, b) = app
                .gql(
                    &token,
                    "mutation($id: ID!) { tagResponse(id: $id, tags: [\"bug\"]) { id } }",
                    json!({"id": id.to_string()}),
                )
                .await;
            assert!(b["errors"].is_null(), "{b}");
        }
    };
    let query = format!(
        "{{ responses(surveyId: \"{survey}\", first: 50) {{ edges {{ node {{ id tags recording {{ id sessionId }} }} }} }} }}"
    );
    for i in 0..3 {
        add(i).await;
    }
    cost(&app, &token, &query).await;
    let (three, body) = cost(&app, &token, &query).await;
    let edges = body["data"]["responses"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    assert_eq!(edges.len(), 3);
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["recording"]["sessionId"].is_string()),
        "{body}"
    );
    assert!(
        edges.iter().all(|e| e["node"]["tags"] == json!(["bug"])),
        "{body}"
    );
    for i in 3..10 {
        add(i).await;
    }
    cost(&app, &token, &query).await;
    let (ten, body) = cost(&app, &token, &query).await;
    assert_eq!(
        body["data"]["responses"]["edges"].as_array().map(Vec::len),
        Some(10)
    );
    assert_eq!(
        three, ten,
        "responses {{ recording tags }}: one batch each, not one query per response"
    );
}
