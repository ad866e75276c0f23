//! Targeting end to end: which surveys a visitor is served, and how displays, responses
//! and the site cool-down change that.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const DESKTOP: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const MOBILE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";

async fn survey(
    app: &TestApp,
    token: &str,
    name: &str,
    kind: &str,
    targeting: Value,
) -> (String, String) {
    let (id, q) = app
        .active_survey(
            token,
            json!({"kind": kind, "name": name, "targeting": targeting,
                   "questions": [{"type": "RATING", "prompt": "How was it?", "required": true}]}),
        )
        .await;
    (id, q[0].to_string())
}

async fn served(app: &TestApp, visitor: &str, url: &str, ua: &str) -> Vec<String> {
    let resp = app
        .http
        .get(app.url("/v1/sites/1/widgets"))
        .query(&[("visitor_id", visitor), ("url", url)])
        .header("User-Agent", ua)
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.expect("json");
    let mut names: Vec<String> = body["widgets"]
        .as_array()
        .expect("widgets")
        .iter()
        .map(|w| w["name"].as_str().unwrap_or("").to_owned())
        .collect();
    names.sort();
    names
}

async fn display(
    app: &TestApp,
    survey: &str,
    visitor: &str,
    event: &str,
    headers: &[(&str, &str)],
) -> StatusCode {
    let mut req = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/displays")))
        .json(&json!({"visitor_id": visitor, "event": event}));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("req").status()
}

#[tokio::test]
async fn visitors_are_served_by_page_device_frequency_and_cool_down() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (pricing, _) = survey(
        &app,
        &token,
        "pricing",
        "SURVEY",
        json!({"urlRules": [{"kind": "CONTAINS", "value": "/pricing"}], "frequency": "ONCE"}),
    )
    .await;
    let (_, poll_q) = survey(&app, &token, "desktop poll", "POLL", json!({"devices": ["desktop"], "urlRules": [{"kind": "REGEX", "value": "/(pricing|docs)"}, {"kind": "ENDS_WITH", "value": "/docs/internal", "exclude": true}]})).await;
    survey(
        &app,
        &token,
        "later",
        "SURVEY",
        json!({"startsAt": "2999-01-01T00:00:00Z"}),
    )
    .await;
    survey(
        &app,
        &token,
        "nobody",
        "SURVEY",
        json!({"samplingPercent": 0}),
    )
    .await;
    let (_, b) = app.gql(&token, "mutation { createSurvey(input: {siteId: \"1\", name: \"draft\", questions: [{type: NPS, prompt: \"x\"}]}) { id } }", json!({})).await;
    assert!(b["data"]["createSurvey"]["id"].is_string());

    let pricing_url = "https://shop.example/pricing?plan=pro";
    assert_eq!(served(&app, "v1", pricing_url, MOBILE).await, ["pricing"]);
    assert_eq!(
        served(&app, "v1", pricing_url, DESKTOP).await,
        ["desktop poll", "pricing"]
    );
    assert_eq!(
        served(&app, "v1", "https://shop.example/docs/start", DESKTOP).await,
        ["desktop poll"]
    );
    assert_eq!(
        served(&app, "v1", "https://shop.example/docs/internal", DESKTOP).await,
        Vec::<String>::new()
    );

    // ONCE: after it was shown, never again for this visitor; others still see it.
    assert_eq!(
        display(&app, &pricing, "v1", "shown", &[]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        served(&app, "v1", pricing_url, MOBILE).await,
        Vec::<String>::new()
    );
    assert_eq!(served(&app, "v2", pricing_url, MOBILE).await, ["pricing"]);

    // UNTIL_RESPONDED: gone once this visitor completed a response.
    let poll_id = {
        let (_, b) = app
            .gql(&token, "{ polls { edges { node { id } } } }", json!({}))
            .await;
        b["data"]["polls"]["edges"][0]["node"]["id"]
            .as_str()
            .expect("poll")
            .to_owned()
    };
    let resp = app.http.post(app.url(&format!("/v1/sites/1/surveys/{poll_id}/responses")))
        .json(&json!({"visitor_id": "v3", "answers": [{"question_id": poll_q.parse::<i64>().expect("id"), "value": 4}]}))
        .send().await.expect("req");
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(
        served(&app, "v3", "https://shop.example/docs/a", DESKTOP).await,
        Vec::<String>::new()
    );
    assert_eq!(
        served(&app, "v4", "https://shop.example/docs/a", DESKTOP).await,
        ["desktop poll"]
    );
    // ... or dismissed it.
    assert_eq!(
        display(&app, &poll_id, "v4", "dismissed", &[]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        served(&app, "v4", "https://shop.example/docs/a", DESKTOP).await,
        Vec::<String>::new()
    );

    // Site-wide cool-down: v2 was shown "pricing" just now, so no other survey for 7 days.
    let (_, b) = app.gql(&token, "mutation { updateSite(id: \"1\", input: {surveyCooldownDays: 7}) { surveyCooldownDays } }", json!({})).await;
    assert_eq!(b["data"]["updateSite"]["surveyCooldownDays"], 7);
    assert_eq!(
        display(&app, &pricing, "v2", "shown", &[]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        served(&app, "v2", "https://shop.example/docs/a", DESKTOP).await,
        Vec::<String>::new()
    );
    assert_eq!(
        served(&app, "v5", "https://shop.example/docs/a", DESKTOP).await,
        ["desktop poll"]
    );

    // Do-Not-Track: a display is not recorded.
    assert_eq!(
        display(&app, &pricing, "v6", "shown", &[("DNT", "1")]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(served(&app, "v6", pricing_url, MOBILE).await, ["pricing"]);
}

#[tokio::test]
async fn bad_public_input_is_refused_clearly() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (id, _) = survey(&app, &token, "s", "SURVEY", json!({})).await;
    let missing_url = app
        .http
        .get(app.url("/v1/sites/1/widgets?visitor_id=v"))
        .send()
        .await
        .expect("req");
    assert_eq!(missing_url.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        missing_url.json::<Value>().await.expect("json")["field"],
        "url"
    );
    assert_eq!(
        display(&app, &id, "v", "clicked", &[]).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        display(&app, &id, "bad id with spaces", "shown", &[]).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        display(&app, "999", "v", "shown", &[]).await,
        StatusCode::NOT_FOUND
    );
    let unknown_site = app
        .http
        .get(app.url("/v1/sites/42/widgets?url=https://x.example/"))
        .send()
        .await
        .expect("req");
    assert_eq!(unknown_site.status(), StatusCode::NOT_FOUND);

    // Outside its schedule a survey takes no answers; a draft takes no displays.
    let (later, later_q) = survey(
        &app,
        &token,
        "later",
        "SURVEY",
        json!({"startsAt": "2999-01-01T00:00:00Z"}),
    )
    .await;
    let resp = app.http.post(app.url(&format!("/v1/sites/1/surveys/{later}/responses")))
        .json(&json!({"visitor_id": "v", "answers": [{"question_id": later_q.parse::<i64>().expect("id"), "value": 3}]}))
        .send().await.expect("req");
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    app.gql(
        &token,
        "mutation($id: ID!) { setSurveyStatus(id: $id, status: PAUSED) { status } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        display(&app, &id, "v", "shown", &[]).await,
        StatusCode::CONFLICT
    );

    // Targeting is validated when saved.
    for (targeting, field) in [
        (
            json!({"urlRules": [{"kind": "REGEX", "value": "(oops"}]}),
            "targeting.urlRules[0].value",
        ),
        (json!({"devices": ["fridge"]}), "targeting.devices"),
        (json!({"samplingPercent": 150}), "targeting.samplingPercent"),
        (
            json!({"startsAt": "2030-01-02T00:00:00Z", "endsAt": "2030-01-01T00:00:00Z"}),
            "targeting.endsAt",
        ),
    ] {
        let (_, b) = app.gql(&token, "mutation($id: ID!, $t: TargetingInput!) { updateSurvey(id: $id, input: {targeting: $t}) { id } }", json!({"id": id, "t": targeting})).await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], field, "{b}");
    }
    let (_, b) = app.gql(&token, "query($id: ID!) { survey(id: $id) { targeting { frequency samplingPercent urlRules { kind } } } }", json!({"id": id})).await;
    assert_eq!(
        b["data"]["survey"]["targeting"]["frequency"],
        "UNTIL_RESPONDED"
    );
    assert_eq!(b["data"]["survey"]["targeting"]["samplingPercent"], 100);
}
