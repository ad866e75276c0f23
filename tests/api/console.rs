//! The console in real Chromium against the real server, which serves it at `/` from the
//! copy built into the binary: every page group's scenario (tests/browser/console-*.mjs)
//! signed in with a session cookie, axe-core on each page, screenshots under
//! target/screenshots. Skipped like the other browser tests when Chromium or the npm packages
//! are missing (never under CI=true).

use serde_json::json;

use crate::accounts;
use crate::helpers::TestApp;

const PASSWORD: &str = "correct horse battery staple";

/// Runs `tests/browser/<script>` with the server's address, an ADMIN token, the owner's
/// console credentials and `env`; fails with what the script printed.
pub async fn run_script(app: &TestApp, script: &str, env: &[(&str, String)]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        dir.join("node_modules/playwright-core").exists()
            && std::path::Path::new(&chromium).exists(),
        "chromium or tests/browser/node_modules is missing (CI=true never skips this test)"
    );
    let token = app.admin_token().await;
    let mut cmd = tokio::process::Command::new("node");
    cmd.arg(dir.join(script))
        .env("LOUPE_URL", &app.base)
        .env("CONSOLE_URL", &app.base)
        .env("LOUPE_TOKEN", &token)
        .env("CHROMIUM", &chromium);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(240), cmd.output())
        .await
        .expect("the scenario finished within 240 s")
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    eprintln!("{script}: {stdout}");
}

/// A fresh server whose owner account exists (through the setup link): its credentials.
async fn with_owner() -> (TestApp, Vec<(&'static str, String)>) {
    let app = TestApp::spawn().await;
    accounts::owner(&app).await;
    let env = vec![
        ("CONSOLE_EMAIL", "owner@shop.example".to_owned()),
        ("CONSOLE_PASSWORD", PASSWORD.to_owned()),
    ];
    (app, env)
}

macro_rules! console_test {
    ($name:ident, $script:literal) => {
        #[tokio::test]
        #[cfg_attr(
            not(browser_ready),
            ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
        )]
        async fn $name() {
            let (app, env) = with_owner().await;
            run_script(&app, $script, &env).await;
        }
    };
}

console_test!(sites_and_api_keys_pages, "console-sites.mjs");
console_test!(surveys_builder_and_results_pages, "console-surveys.mjs");
console_test!(
    recordings_player_users_and_segments_pages,
    "console-recordings.mjs"
);
console_test!(heatmaps_page, "console-heatmaps.mjs");

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn accounts_pages_and_session_security() {
    let app = TestApp::spawn().await;
    let setup = app.setup_url();
    run_script(&app, "console-auth.mjs", &[("SETUP_URL", setup)]).await;
    // The script signed the owner up; the audit log has its sign-ins.
    let token = app.admin_token().await;
    let (_, b) = app
        .gql(
            &token,
            "{ auditLog(first: 100) { edges { node { action } } } }",
            json!({}),
        )
        .await;
    assert!(b.to_string().contains("SIGN_IN"), "{b}");
}

/// Issue 16's journey, through the console only: setup link → owner account → a site (its
/// snippet copied and pasted into demo pages) → a survey with logic and targeting → answered by
/// an identified visitor on a demo page with the real tag → results (NPS, sentiment, user) →
/// the visit's recording played → a segment's live count → GDPR lookup and deletion.
#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn journey_from_setup_link_to_gdpr_deletion() {
    let app = TestApp::spawn().await;
    let setup = app.setup_url();
    run_script(&app, "console-journey.mjs", &[("SETUP_URL", setup)]).await;
    // What the console did is in the audit log: the owner's sign-in, the person's data looked
    // up and deleted.
    let token = app.admin_token().await;
    let (_, b) = app
        .gql(
            &token,
            "{ auditLog(first: 100) { edges { node { action } } } }",
            json!({}),
        )
        .await;
    let log = b.to_string();
    for action in ["SIGN_IN", "LOOKUP", "DELETE"] {
        assert!(log.contains(&format!("\"{action}\"")), "{action} in {log}");
    }
    // The survey the builder made is active, and nothing about the person is left on its
    // site: no response, user or recording.
    let (_, b) = app
        .gql(
            &token,
            "{ surveys { edges { node { siteId status summary { responses } } } } }",
            json!({}),
        )
        .await;
    let surveys = b["data"]["surveys"]["edges"].as_array().expect("surveys");
    assert_eq!(surveys.len(), 1, "{b}");
    let survey = &surveys[0]["node"];
    assert_eq!(survey["status"], "ACTIVE", "{b}");
    assert_eq!(survey["summary"]["responses"], 0, "{b}");
    let site = survey["siteId"].as_str().expect("siteId").to_owned();
    let (_, b) = app
        .gql(
            &token,
            "query($s: ID!) { users(siteId: $s) { totalCount } recordings(siteId: $s) { totalCount } }",
            json!({ "s": site }),
        )
        .await;
    assert_eq!(b["data"]["users"]["totalCount"], 0, "{b}");
    assert_eq!(b["data"]["recordings"]["totalCount"], 0, "{b}");
}
