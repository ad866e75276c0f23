//! loupe.js, the browser tag, in real Chromium against the real server: demo pages on a
//! local port paste the site's snippet, playwright-core drives them (tests/browser/tag-*.mjs),
//! and what the tag sent is checked back through the API. One scenario per test, so a
//! failure names its feature: surveys and polls (every question type, keyboard and mouse,
//! logic, partial responses, dismissal, axe-core), identify with segments and identity
//! verification, privacy signals and consent, session recording, SPA navigation and a
//! strict CSP, and hosted link surveys.
//!
//! Needs Debian's `chromium` and `npm ci --prefix tests/browser`, like tests/api/browser.rs;
//! without them these tests are compiled as ignored (tests/build.rs). Screenshots of the
//! widget go to `$SCREENSHOT_DIR` (default `target/screenshots/`).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::helpers::TestApp;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

/// A fresh server whose site 1 accepts pages from 127.0.0.1, and an admin token.
async fn app_for_pages(env: &[(&str, &str)]) -> (TestApp, String) {
    let app = TestApp::spawn_with(env).await;
    let token = app.admin_token().await;
    let b = gql_ok(
        &app,
        &token,
        r#"mutation { updateSite(id: "1", input: {allowedDomains: ["127.0.0.1"]}) { allowedDomains } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        b["data"]["updateSite"]["allowedDomains"],
        json!(["127.0.0.1"])
    );
    (app, token)
}

async fn gql_ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (_, b) = app.gql(token, query, variables).await;
    assert!(b["errors"].is_null(), "{query}: {b}");
    b
}

async fn update_site(app: &TestApp, token: &str, input: Value) {
    gql_ok(
        app,
        token,
        "mutation($input: UpdateSiteInput!) { updateSite(id: \"1\", input: $input) { id } }",
        json!({ "input": input }),
    )
    .await;
}

/// Runs `tests/browser/<script>` with the server's address, the token and `env`; panics
/// with everything it printed when it fails.
async fn run_scenario(app: &TestApp, token: &str, script: &str, env: &[(&str, &str)]) {
    let dir = browser_dir();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        dir.join("node_modules/playwright-core").exists()
            && dir.join("node_modules/axe-core").exists()
            && Path::new(&chromium).exists(),
        "chromium or tests/browser/node_modules is missing (CI=true never skips this test)"
    );
    let screenshots = std::env::var("SCREENSHOT_DIR").unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/screenshots")
            .display()
            .to_string()
    });
    let mut cmd = tokio::process::Command::new("node");
    cmd.arg(dir.join(script))
        .env("LOUPE_URL", &app.base)
        .env("LOUPE_TOKEN", token)
        .env("CHROMIUM", &chromium)
        .env("SCREENSHOT_DIR", screenshots)
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(200), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{script} ran for more than 200 s"))
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    eprintln!("{script}:\n{stdout}");
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn surveys_every_question_type_logic_partial_responses_polls_and_dismissal() {
    let (app, token) = app_for_pages(&[]).await;
    let (survey, _) = app
        .active_survey(
            &token,
            json!({"name": "Pricing survey", "thankYou": "Thanks for your feedback!",
                   "targeting": {"urlRules": [{"kind": "CONTAINS", "value": "/pricing"}],
                                 "devices": ["desktop"]},
                   "questions": [
                {"key": "name", "type": "SHORT_TEXT", "prompt": "What is your name?", "required": true},
                {"key": "nps", "type": "NPS", "prompt": "How likely are you to recommend us?", "required": true,
                 "logic": [{"operator": "LESS_THAN", "number": 7, "goTo": "wrong"},
                           {"operator": "ALWAYS", "goTo": "plan"}]},
                {"key": "wrong", "type": "LONG_TEXT", "prompt": "What went wrong?"},
                {"key": "plan", "type": "SINGLE_CHOICE", "prompt": "Which plan are you on?", "required": true,
                 "options": ["Free", "Pro", "Team"], "allowOther": true},
                {"key": "features", "type": "MULTIPLE_CHOICE", "prompt": "Which features do you use?",
                 "options": ["Surveys", "Recordings", "Segments"]},
                {"key": "rating", "type": "RATING", "prompt": "How do you rate the docs?",
                 "scaleMax": 5, "displayStyle": "STARS"},
                {"key": "statement", "type": "STATEMENT", "prompt": "Almost done: one last question."},
                {"key": "email", "type": "EMAIL", "prompt": "Your email?"}]}),
        )
        .await;
    let (poll, _) = app
        .active_survey(
            &token,
            json!({"kind": "POLL", "name": "Roadmap poll",
                   "targeting": {"urlRules": [{"kind": "CONTAINS", "value": "/poll"}]},
                   "questions": [{"key": "next", "type": "SINGLE_CHOICE", "required": true,
                                  "prompt": "What should we build next?",
                                  "options": ["Dark mode", "API", "Export"]}]}),
        )
        .await;
    let (dismiss, _) = app
        .active_survey(
            &token,
            json!({"name": "Dismissable",
                   "targeting": {"urlRules": [{"kind": "CONTAINS", "value": "/dismiss"}],
                                 "frequency": "ONCE"},
                   "questions": [{"key": "q", "type": "NPS", "prompt": "Quick question?"}]}),
        )
        .await;
    run_scenario(
        &app,
        &token,
        "tag-surveys.mjs",
        &[
            ("SURVEY_ID", &survey),
            ("POLL_ID", &poll),
            ("DISMISS_ID", &dismiss),
        ],
    )
    .await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn identify_shows_segment_surveys_and_identity_verification_refuses_bad_hashes() {
    let (app, token) = app_for_pages(&[]).await;
    app.enable_identify(&token, 1).await;
    // A segment names attributes Loupe has seen: one identified user makes `plan` known.
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .json(
            &json!({"visitor_id": "v-seed", "user_id": "u-seed", "attributes": {"plan": "basic"}}),
        )
        .send()
        .await
        .expect("identify");
    assert!(resp.status().is_success(), "{}", resp.status());
    let b = gql_ok(
        &app,
        &token,
        "mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }",
        json!({"input": {"siteId": "1", "name": "Pro users",
               "rule": {"and": [{"attribute": "plan", "operator": "EQUALS", "value": "pro"}]}}}),
    )
    .await;
    let segment = b["data"]["createSegment"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (survey, _) = app
        .active_survey(
            &token,
            json!({"name": "Pro feedback",
                   "targeting": {"segmentId": segment, "frequency": "ALWAYS"},
                   "questions": [{"type": "RATING", "prompt": "How is Pro?", "required": true}]}),
        )
        .await;
    run_scenario(&app, &token, "tag-identify.mjs", &[("SURVEY_ID", &survey)]).await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn privacy_dnt_gpc_opt_out_and_missing_consent_send_nothing() {
    let (app, token) = app_for_pages(&[]).await;
    app.enable_identify(&token, 1).await;
    update_site(&app, &token, json!({"recordingEnabled": true})).await;
    let (survey, _) = app
        .active_survey(
            &token,
            json!({"name": "Everywhere", "targeting": {"frequency": "ALWAYS"},
                   "questions": [{"type": "NPS", "prompt": "Recommend us?"}]}),
        )
        .await;
    run_scenario(&app, &token, "tag-privacy.mjs", &[("SURVEY_ID", &survey)]).await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn recording_across_two_pages_is_ordered_masked_and_replays() {
    let (app, token) = app_for_pages(&[]).await;
    update_site(
        &app,
        &token,
        json!({"recordingEnabled": true, "recordingSamplePercent": 100}),
    )
    .await;
    run_scenario(&app, &token, "tag-recording.mjs", &[]).await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn spa_navigation_and_a_strict_csp_page_show_the_survey() {
    let (app, token) = app_for_pages(&[]).await;
    update_site(&app, &token, json!({"recordingEnabled": true})).await;
    let (survey, _) = app
        .active_survey(
            &token,
            json!({"name": "Pricing",
                   "targeting": {"urlRules": [{"kind": "CONTAINS", "value": "/pricing"}],
                                 "frequency": "ALWAYS"},
                   "questions": [{"type": "NPS", "prompt": "Recommend us?", "required": true}]}),
        )
        .await;
    run_scenario(&app, &token, "tag-spa-csp.mjs", &[("SURVEY_ID", &survey)]).await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn link_survey_page_prefills_answers_and_keeps_hidden_fields() {
    let (app, token) = app_for_pages(&[]).await;
    let b = gql_ok(
        &app,
        &token,
        "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id linkUrl } }",
        json!({"input": {"siteId": "1", "name": "Onboarding", "distribution": "LINK",
               "hiddenFields": ["plan"], "thankYou": "Thank you!",
               "questions": [
                   {"key": "nps", "type": "NPS", "prompt": "How likely are you to recommend us?", "required": true},
                   {"key": "why", "type": "LONG_TEXT", "prompt": "Why?"},
                   {"key": "size", "type": "SINGLE_CHOICE", "prompt": "Team size?",
                    "options": ["1", "2-10", "11+"]}]}}),
    )
    .await;
    let survey = b["data"]["createSurvey"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let link = b["data"]["createSurvey"]["linkUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    gql_ok(
        &app,
        &token,
        "mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { status } }",
        json!({ "id": survey }),
    )
    .await;
    run_scenario(
        &app,
        &token,
        "tag-link.mjs",
        &[("SURVEY_ID", &survey), ("LINK_URL", &link)],
    )
    .await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn heatmaps_without_recording_the_tag_sends_clicks_and_no_dom() {
    let (app, token) = app_for_pages(&[]).await;
    update_site(
        &app,
        &token,
        json!({"recordingEnabled": false, "heatmapsEnabled": true}),
    )
    .await;
    run_scenario(&app, &token, "tag-heatmaps.mjs", &[("HEAT_MODE", "tag")]).await;
}

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn heatmaps_from_recordings_name_the_same_selectors() {
    let (app, token) = app_for_pages(&[]).await;
    update_site(
        &app,
        &token,
        json!({"recordingEnabled": true, "recordingSamplePercent": 100, "heatmapsEnabled": true}),
    )
    .await;
    run_scenario(
        &app,
        &token,
        "tag-heatmaps.mjs",
        &[("HEAT_MODE", "recording")],
    )
    .await;
}
