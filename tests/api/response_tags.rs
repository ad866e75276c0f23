//! Tags on responses: tagging and untagging (validated, WRITE role, per organization),
//! the filter and summary counts by tag, REST's `answers[].tags`, and tags deleted with
//! their responses.

use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const TAG: &str =
    "mutation($id: ID!, $tags: [String!]!) { tagResponse(id: $id, tags: $tags) { id tags } }";
const UNTAG: &str =
    "mutation($id: ID!, $tags: [String!]!) { untagResponse(id: $id, tags: $tags) { id tags } }";

async fn respond(app: &TestApp, survey: &str, question: i64, text: &str) -> String {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
        .json(&json!({"visitor_id": "v", "answers": [{"question_id": question, "value": text}]}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.expect("json")["response_id"]
        .as_i64()
        .expect("id")
        .to_string()
}

async fn tag(app: &TestApp, token: &str, id: &str, tags: Value) -> Value {
    app.gql(token, TAG, json!({"id": id, "tags": tags})).await.1
}

#[tokio::test]
async fn responses_are_tagged_untagged_filtered_and_counted() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q) = app
        .active_survey(
            &token,
            json!({"name": "Tags", "questions": [{"type": "SHORT_TEXT", "prompt": "Say"}]}),
        )
        .await;
    let r1 = respond(&app, &survey, q[0], "one").await;
    let r2 = respond(&app, &survey, q[0], "two").await;
    let r3 = respond(&app, &survey, q[0], "three").await;

    // Trimmed, deduplicated, alphabetical; adding again keeps what is there.
    let b = tag(&app, &token, &r1, json!([" pricing ", "bug", "bug"])).await;
    assert_eq!(
        b["data"]["tagResponse"]["tags"],
        json!(["bug", "pricing"]),
        "{b}"
    );
    let b = tag(&app, &token, &r1, json!(["bug", "Ünïcode ✓"])).await;
    assert_eq!(
        b["data"]["tagResponse"]["tags"],
        json!(["bug", "pricing", "Ünïcode ✓"]),
        "{b}"
    );
    tag(&app, &token, &r2, json!(["bug"])).await;
    let (_, b) = app
        .gql(
            &token,
            UNTAG,
            json!({"id": r1, "tags": ["Ünïcode ✓", "never-there"]}),
        )
        .await;
    assert_eq!(
        b["data"]["untagResponse"]["tags"],
        json!(["bug", "pricing"]),
        "{b}"
    );

    // Validation names the field.
    for (tags, field) in [
        (json!([]), "tags"),
        (json!(["ok", "   "]), "tags[1]"),
        (json!(["x".repeat(41)]), "tags[0]"),
        (json!(["tab\there"]), "tags[0]"),
        (
            json!((0..21).map(|i| format!("t{i}")).collect::<Vec<_>>()),
            "tags",
        ),
    ] {
        let b = tag(&app, &token, &r3, tags.clone()).await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{tags}: {b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], field, "{tags}: {b}");
    }
    // At most 20 per response, counted with the ones it has; nothing changes when over.
    let twenty: Vec<String> = (0..20).map(|i| format!("t{i:02}")).collect();
    let b = tag(&app, &token, &r3, json!(twenty)).await;
    assert_eq!(
        b["data"]["tagResponse"]["tags"].as_array().map(Vec::len),
        Some(20),
        "{b}"
    );
    let b = tag(&app, &token, &r3, json!(["one-more"])).await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    assert_eq!(b["errors"][0]["extensions"]["field"], "tags");
    let b = tag(&app, &token, &r3, json!(["t00"])).await;
    assert!(b["errors"].is_null(), "a tag it has is no new one: {b}");

    // The filter keeps responses with any of the tags; the summary counts by tag.
    let (_, b) = app
        .gql(
            &token,
            "query($s: ID!, $f: ResponseFilterInput) {
               responses(surveyId: $s, filter: $f) { totalCount edges { node { id tags } } }
               survey(id: $s) { summary(filter: $f) { responses tags { tag count } } } }",
            json!({"s": survey, "f": {"tags": ["bug", "nothing"]}}),
        )
        .await;
    let ids: Vec<&str> = b["data"]["responses"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, [r2.as_str(), r1.as_str()], "{b}");
    let summary = &b["data"]["survey"]["summary"];
    assert_eq!(summary["responses"], 2);
    assert_eq!(
        summary["tags"],
        json!([{"tag": "bug", "count": 2}, {"tag": "pricing", "count": 1}]),
        "counts over the filtered responses, most used first"
    );
    let (_, b) = app
        .gql(
            &token,
            "query($s: ID!) { survey(id: $s) { summary { tags { tag count } } } }",
            json!({"s": survey}),
        )
        .await;
    let all = b["data"]["survey"]["summary"]["tags"]
        .as_array()
        .expect("tags");
    assert_eq!(all.len(), 22, "bug, pricing and t00–t19: {b}");
    assert_eq!(all[0], json!({"tag": "bug", "count": 2}));
    let (_, b) = app
        .gql(
            &token,
            "query($s: ID!) { responses(surveyId: $s, filter: {tags: [\"\"]}) { totalCount } }",
            json!({"s": survey}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    assert_eq!(b["errors"][0]["extensions"]["field"], "filter.tags[0]");

    // REST: Hotjar puts tags on answers; Loupe repeats the response's tags there.
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
    let one = rest["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["id"] == r1.as_str())
        .expect("r1");
    assert_eq!(
        one["answers"][0]["tags"],
        json!([{"name": "bug"}, {"name": "pricing"}])
    );
    assert_eq!(one["tags"], json!(["bug", "pricing"]), "Loupe's extra");

    // Roles and organizations.
    let read = app.token(&app.create_key(1, "READ").await).await;
    let b = tag(&app, &read, &r1, json!(["x"])).await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
    let write = app.token(&app.create_key(1, "WRITE").await).await;
    let b = tag(&app, &write, &r1, json!(["by-writer"])).await;
    assert!(b["errors"].is_null(), "{b}");
    let (_, _, other) = app.other_org("SCALE").await;
    let other = app.token(&other).await;
    for (query, id) in [
        (TAG, r1.as_str()),
        (UNTAG, r1.as_str()),
        (TAG, "999999"),
        (TAG, "nope"),
    ] {
        let (_, b) = app
            .gql(&other, query, json!({"id": id, "tags": ["x"]}))
            .await;
        assert_eq!(error_code(&b), "NOT_FOUND", "{id}: {b}");
    }
    let (_, b) = app
        .gql(
            &token,
            "query($s: ID!) { responses(surveyId: $s) { edges { node { id tags } } } }",
            json!({"s": survey}),
        )
        .await;
    assert!(
        !b.to_string().contains("\"x\""),
        "nothing was tagged by the refused calls: {b}"
    );

    // Tags go with their responses (here a time-range purge).
    let (_, b) = app
        .gql(
            &token,
            "mutation { purgeTimeRange(siteId: \"1\", from: \"2000-01-01T00:00:00Z\", to: \"2100-01-01T00:00:00Z\", kinds: [RESPONSES]) }",
            json!({}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    let db = app.db_conn().await;
    assert_eq!(
        entity::response_tag::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        0
    );
}
