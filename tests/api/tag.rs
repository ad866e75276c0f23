//! The browser tag's server side: its files, the site settings it reads, the snippet,
//! identity verification of identify calls, and hosted link surveys.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

async fn update_site(app: &TestApp, token: &str, input: Value) -> Value {
    let (_, b) = app
        .gql(
            token,
            "mutation($input: UpdateSiteInput!) { updateSite(id: \"1\", input: $input) {
                recordingEnabled recordingSamplePercent maskAllText requireConsent
                identityVerification hasIdentitySecret snippet
                theme { primary background text position font } } }",
            json!({ "input": input }),
        )
        .await;
    b
}

#[tokio::test]
async fn tag_files_are_served_cacheable_with_an_etag() {
    let app = TestApp::spawn().await;
    for name in [
        "loupe.js",
        "loupe-recorder.js",
        "loupe-surveys.js",
        "loupe-link.js",
    ] {
        let resp = app
            .http
            .get(app.url(&format!("/v1/{name}")))
            .header("Origin", "https://shop.example")
            .send()
            .await
            .expect("req");
        assert_eq!(resp.status(), StatusCode::OK, "{name}");
        let h = resp.headers().clone();
        assert!(h["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("application/javascript"));
        assert_eq!(h["access-control-allow-origin"], "*");
        assert!(h["cache-control"].to_str().expect("cc").contains("max-age"));
        let etag = h["etag"].to_str().expect("etag").to_owned();
        let body = resp.bytes().await.expect("body");
        assert!(body.len() > 100, "{name} is the built bundle");
        let again = app
            .http
            .get(app.url(&format!("/v1/{name}")))
            .header("If-None-Match", &etag)
            .send()
            .await
            .expect("req");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{name}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert!(again.bytes().await.expect("body").is_empty());
    }
    let head = app
        .http
        .head(app.url("/v1/loupe.js"))
        .send()
        .await
        .expect("req");
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.headers().contains_key("etag"));
    assert!(
        head.bytes().await.expect("body").is_empty(),
        "HEAD has no body"
    );
    let missing = app
        .http
        .get(app.url("/v1/loupe-nothing.js"))
        .send()
        .await
        .expect("req");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn site_settings_reach_the_tag_config_and_the_snippet() {
    let app = TestApp::spawn_with(&[("LOUPE_PUBLIC_URL", "https://loupe.example/")]).await;
    let admin = app.admin_token().await;
    // Defaults: privacy first.
    let config: Value = app
        .http
        .get(app.url("/v1/sites/1/config"))
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(config["recording"]["enabled"], false);
    assert_eq!(config["require_consent"], false);
    assert_eq!(config["theme"]["position"], "bottom-right");

    let b = update_site(
        &app,
        &admin,
        json!({"recordingEnabled": true, "recordingSamplePercent": 30, "maskAllText": true,
               "requireConsent": true,
               "theme": {"primary": "#0A7", "position": "bottom-left", "font": "'Inter', sans-serif"}}),
    )
    .await;
    let site = &b["data"]["updateSite"];
    assert_eq!(site["recordingSamplePercent"], 30, "{b}");
    assert_eq!(site["theme"]["primary"], "#0a7");
    assert_eq!(site["theme"]["background"], "#ffffff", "defaults filled in");
    let snippet = site["snippet"].as_str().expect("snippet");
    assert!(
        snippet.contains(
            "<script async src=\"https://loupe.example/v1/loupe.js\" data-site=\"1\" data-require-consent></script>"
        ),
        "{snippet}"
    );
    assert!(
        snippet.contains("loupe.q=loupe.q||[]"),
        "queue stub: {snippet}"
    );

    let resp = app
        .http
        .get(app.url("/v1/sites/1/config"))
        .header("Origin", "http://localhost:3000")
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    let config: Value = resp.json().await.expect("json");
    assert_eq!(
        config,
        json!({"require_consent": true, "identity_verification": false,
               "recording": {"enabled": true, "sample_percent": 30, "mask_all_text": true},
               "heatmaps": true,
               "theme": {"primary": "#0a7", "background": "#ffffff", "text": "#111827",
                         "position": "bottom-left", "font": "'Inter', sans-serif"}})
    );

    // Bad settings: a clear field error, nothing changed.
    for (input, field) in [
        (
            json!({"recordingSamplePercent": 101}),
            "recordingSamplePercent",
        ),
        (
            json!({"theme": {"text": "red; background: url(x)"}}),
            "theme.text",
        ),
        (json!({"theme": {"position": "top"}}), "theme.position"),
        (
            json!({"theme": {"font": "x;}body{display:none"}}),
            "theme.font",
        ),
    ] {
        let b = update_site(&app, &admin, input).await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], field, "{b}");
    }
    // Other origins and unknown sites.
    let resp = app
        .http
        .get(app.url("/v1/sites/1/config"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = app
        .http
        .get(app.url("/v1/sites/999/config"))
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    // Only admins change settings.
    let writer = app.create_key(1, "WRITE").await;
    let writer = app.token(&writer).await;
    let b = update_site(&app, &writer, json!({"recordingEnabled": false})).await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
}

async fn identify(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .json(&body)
        .send()
        .await
        .expect("req");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The identified user's id if Loupe knows that user on site 1, else null.
async fn known_user(app: &TestApp, admin: &str, user: &str) -> Value {
    let (_, b) = app
        .gql(
            admin,
            "query($u: String!) { user(siteId: \"1\", userId: $u) { userId } }",
            json!({ "u": user }),
        )
        .await;
    b["data"]["user"]["userId"].clone()
}

#[tokio::test]
async fn identity_verification_refuses_unsigned_and_wrongly_signed_identify_calls() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    app.enable_identify(&admin, 1).await;

    let b = update_site(&app, &admin, json!({"identityVerification": true})).await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "no secret yet: {b}");

    let writer = app.create_key(1, "WRITE").await;
    let writer = app.token(&writer).await;
    let rotate =
        "mutation { rotateIdentitySecret(siteId: \"1\") { secret site { hasIdentitySecret } } }";
    let (_, b) = app.gql(&writer, rotate, json!({})).await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
    let (_, b) = app.gql(&admin, rotate, json!({})).await;
    let secret = b["data"]["rotateIdentitySecret"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    assert!(secret.starts_with("lis_") && secret.len() > 40, "{secret}");
    assert_eq!(
        b["data"]["rotateIdentitySecret"]["site"]["hasIdentitySecret"],
        true
    );

    // Before verification is on, an unsigned call still links.
    let (status, _) = identify(&app, json!({"visitor_id": "v-before", "user_id": "u-1"})).await;
    assert_eq!(status, StatusCode::OK);

    let b = update_site(&app, &admin, json!({"identityVerification": true})).await;
    assert_eq!(b["data"]["updateSite"]["identityVerification"], true, "{b}");
    let config: Value = app
        .http
        .get(app.url("/v1/sites/1/config"))
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(config["identity_verification"], true);
    assert!(!config.to_string().contains(&secret), "never served");

    // The attack: someone who knows a visitor id re-links it to another user.
    let good = api::domain::tag::user_hash(&secret, "u-ann");
    let forged = api::domain::tag::user_hash("lis_guessed", "u-ann");
    let other_user = api::domain::tag::user_hash(&secret, "u-bob");
    for body in [
        json!({"visitor_id": "v-ann", "user_id": "u-ann", "attributes": {"plan": "pro"}}),
        json!({"visitor_id": "v-ann", "user_id": "u-ann", "user_hash": forged}),
        json!({"visitor_id": "v-ann", "user_id": "u-ann", "user_hash": other_user}),
        json!({"visitor_id": "v-ann", "user_id": "u-ann", "user_hash": "not hex"}),
    ] {
        let (status, b) = identify(&app, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}: {b}");
        assert_eq!(b["error"], "IDENTITY_VERIFICATION_FAILED", "{b}");
        assert_eq!(
            known_user(&app, &admin, "u-ann").await,
            Value::Null,
            "nothing stored"
        );
    }
    let (status, b) = identify(
        &app,
        json!({"visitor_id": "v-ann", "user_id": "u-ann", "user_hash": good.to_uppercase()}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(known_user(&app, &admin, "u-ann").await, "u-ann");

    // Rotating the secret: the old signature stops working at once.
    let (_, b) = app.gql(&admin, rotate, json!({})).await;
    let new_secret = b["data"]["rotateIdentitySecret"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    assert_ne!(new_secret, secret);
    let (status, _) = identify(
        &app,
        json!({"visitor_id": "v-ann2", "user_id": "u-ann", "user_hash": good}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = identify(
        &app,
        json!({"visitor_id": "v-ann2", "user_id": "u-ann",
               "user_hash": api::domain::tag::user_hash(&new_secret, "u-ann")}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The secret never appears in the site as queried.
    let (_, b) = app
        .gql(
            &admin,
            "{ site(id: \"1\") { hasIdentitySecret snippet } }",
            json!({}),
        )
        .await;
    assert!(!b.to_string().contains(&new_secret), "{b}");
}

async fn link_post(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url(&format!("/v1/links/{token}/responses")))
        .json(&body)
        .send()
        .await
        .expect("req");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn link_surveys_have_an_unguessable_page_hidden_fields_and_partial_answers() {
    let app = TestApp::spawn_with(&[("LOUPE_PUBLIC_URL", "https://loupe.example")]).await;
    let admin = app.admin_token().await;
    let (_, b) = app
        .gql(
            &admin,
            "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) {
                id distribution linkUrl hiddenFields questions { id } } }",
            json!({"input": {"siteId": "1", "name": "Onboarding </script><script>alert(1)</script>",
                   "distribution": "LINK", "hiddenFields": ["plan", "source"],
                   "questions": [
                       {"key": "nps", "type": "NPS", "prompt": "How likely…?", "required": true},
                       {"key": "why", "type": "LONG_TEXT", "prompt": "Why?"}]}}),
        )
        .await;
    let s = &b["data"]["createSurvey"];
    let id = s["id"].as_str().unwrap_or_else(|| panic!("{b}")).to_owned();
    assert_eq!(s["distribution"], "LINK");
    assert_eq!(s["hiddenFields"], json!(["plan", "source"]));
    let link = s["linkUrl"].as_str().expect("link").to_owned();
    let token = link
        .strip_prefix("https://loupe.example/s/")
        .unwrap_or_else(|| panic!("{link}"))
        .to_owned();
    assert_eq!(token.len(), 22, "128 random bits");
    let q: Vec<i64> = s["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["id"].as_str().and_then(|i| i.parse().ok()).expect("id"))
        .collect();

    // A draft is not answerable: the page says so.
    let page = app
        .http
        .get(app.url(&format!("/s/{token}")))
        .send()
        .await
        .expect("req");
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let (_, b) = app
        .gql(
            &admin,
            "mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(b["data"]["setSurveyStatus"]["status"], "ACTIVE", "{b}");

    let page = app
        .http
        .get(app.url(&format!("/s/{token}?q.nps=9&plan=pro")))
        .send()
        .await
        .expect("req");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    let html = page.text().await.expect("html");
    assert!(html.contains("<script src=\"../v1/loupe-link.js\"></script>"));
    assert!(
        !html.contains("</script><script>alert"),
        "the name is escaped in the title and the data: {html}"
    );
    let data = html
        .split("id=\"loupe-link-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("data");
    let data: Value = serde_json::from_str(data).expect("data is JSON");
    assert_eq!(data["token"], token.as_str());
    assert_eq!(data["hidden_fields"], json!(["plan", "source"]));
    assert_eq!(data["survey"]["questions"][0]["type"], "NPS");
    assert_eq!(data["theme"]["primary"], "#4f46e5");

    // Never offered on the site itself.
    let widgets: Value = app
        .http
        .get(app.url("/v1/sites/1/widgets"))
        .query(&[("visitor_id", "v-link"), ("url", "http://localhost/")])
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(widgets["widgets"], json!([]), "{widgets}");

    // Answer by answer: partial first, then complete, hidden fields kept.
    let (status, b) = link_post(
        &app,
        &token,
        json!({"visitor_id": "v-link", "is_complete": false, "hidden": {"plan": "pro"},
               "answers": [{"question_id": q[0], "value": 9}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let response_id = b["response_id"].as_i64().expect("id");
    let (status, b) = link_post(
        &app,
        &token,
        json!({"visitor_id": "v-link", "response_id": response_id, "is_complete": true,
               "hidden": {"plan": "pro", "source": "mail"},
               "answers": [{"question_id": q[1], "value": "Fast and clear"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["is_complete"], true);
    let (_, b) = app
        .gql(
            &admin,
            "query($id: ID!) { responses(surveyId: $id, first: 5) { edges { node {
                isComplete hiddenFields pageUrl answers { questionId value } } } } }",
            json!({ "id": id }),
        )
        .await;
    let edges = &b["data"]["responses"]["edges"];
    assert_eq!(edges.as_array().map(Vec::len), Some(1), "{b}");
    let node = &edges[0]["node"];
    assert_eq!(node["isComplete"], true);
    assert_eq!(
        node["hiddenFields"],
        json!({"plan": "pro", "source": "mail"})
    );
    assert_eq!(
        node["pageUrl"],
        Value::Null,
        "the link's own URL is not kept"
    );
    assert_eq!(node["answers"].as_array().map(Vec::len), Some(2));

    // Bad input: clear errors, nothing stored.
    for (body, field) in [
        (
            json!({"visitor_id": "v2", "hidden": {"secret": "x"},
                "answers": [{"question_id": q[0], "value": 3}]}),
            "hidden.secret",
        ),
        (
            json!({"visitor_id": "v2", "hidden": {"plan": 3},
                "answers": [{"question_id": q[0], "value": 3}]}),
            "hidden.plan",
        ),
        (
            json!({"visitor_id": "v2", "hidden": "plan=pro",
                "answers": [{"question_id": q[0], "value": 3}]}),
            "hidden",
        ),
        (
            json!({"visitor_id": "v2", "answers": [{"question_id": q[0], "value": 11}]}),
            &*format!("answers.{}", q[0]),
        ),
    ] {
        let (status, b) = link_post(&app, &token, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(b["field"], field, "{b}");
    }

    // A new address: the old one is gone at once, for the page and for answers.
    let (_, b) = app
        .gql(
            &admin,
            "mutation($id: ID!) { rotateSurveyLink(id: $id) { linkUrl } }",
            json!({ "id": id }),
        )
        .await;
    let new_link = b["data"]["rotateSurveyLink"]["linkUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"));
    assert_ne!(new_link, link);
    let old = app
        .http
        .get(app.url(&format!("/s/{token}")))
        .send()
        .await
        .expect("req");
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    let (status, _) = link_post(
        &app,
        &token,
        json!({"visitor_id": "v3", "answers": [{"question_id": q[0], "value": 3}]}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for bad in ["x", "..%2F..%2Fetc", "AAAAAAAAAAAAAAAAAAAAAA"] {
        let resp = app
            .http
            .get(app.url(&format!("/s/{bad}")))
            .send()
            .await
            .expect("req");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    // A site survey has no link and cannot be rotated.
    let (sid, _) = app
        .active_survey(
            &admin,
            json!({"name": "On site", "questions": [{"type": "RATING", "prompt": "?"}]}),
        )
        .await;
    let (_, b) = app
        .gql(
            &admin,
            "mutation($id: ID!) { rotateSurveyLink(id: $id) { linkUrl } }",
            json!({ "id": sid }),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
}

#[tokio::test]
async fn another_organization_cannot_reach_a_sites_tag_settings_secret_or_links() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (sid, _) = app
        .active_survey(
            &admin,
            json!({"name": "Link", "distribution": "LINK",
                   "questions": [{"type": "RATING", "prompt": "?"}]}),
        )
        .await;
    let (_, other_site, other) = app.other_org("SCALE").await;
    let other = app.token(&other).await;
    for (query, vars) in [
        (
            "mutation { rotateIdentitySecret(siteId: \"1\") { secret } }",
            json!({}),
        ),
        (
            "mutation { updateSite(id: \"1\", input: {recordingEnabled: true, requireConsent: false}) { id } }",
            json!({}),
        ),
        (
            "mutation($id: ID!) { rotateSurveyLink(id: $id) { linkUrl } }",
            json!({ "id": sid }),
        ),
        (
            "mutation($id: ID!) { updateSurvey(id: $id, input: {hiddenFields: [\"x\"]}) { id } }",
            json!({ "id": sid }),
        ),
    ] {
        let (_, b) = app.gql(&other, query, vars).await;
        assert_eq!(error_code(&b), "NOT_FOUND", "{query}: {b}");
    }
    let (_, b) = app
        .gql(&other, "{ site(id: \"1\") { snippet } }", json!({}))
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    // Its own site is its own: the snippet names it.
    let (_, b) = app
        .gql(
            &other,
            "query($id: ID!) { site(id: $id) { snippet } }",
            json!({ "id": other_site.to_string() }),
        )
        .await;
    let snippet = b["data"]["site"]["snippet"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"));
    assert!(
        snippet.contains(&format!("data-site=\"{other_site}\"")),
        "{snippet}"
    );
    // Nothing changed on site 1.
    let (_, b) = app
        .gql(
            &admin,
            "{ site(id: \"1\") { recordingEnabled hasIdentitySecret } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["site"],
        json!({"recordingEnabled": false, "hasIdentitySecret": false})
    );
}
