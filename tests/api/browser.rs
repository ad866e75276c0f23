//! A real client: headless Chromium records a session with rrweb on a local page and
//! posts it to the real server; the events come back through the API and replay without
//! errors, and the typed text is stored nowhere (tests/browser/session.mjs).
//!
//! Needs Debian's `chromium` and `npm ci --prefix tests/browser` (`.ci/run` installs
//! both). Without them it is compiled as ignored (tests/build.rs), so the run's summary
//! shows it skipped with the reason; under CI=true it always runs.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
#[cfg_attr(
    not(browser_ready),
    ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)"
)]
async fn a_real_rrweb_session_is_recorded_masked_and_replayed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        dir.join("node_modules/playwright-core").exists()
            && std::path::Path::new(&chromium).exists(),
        "chromium or tests/browser/node_modules is missing (CI=true never skips this test)"
    );
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app
        .gql(
            &token,
            r#"mutation { updateSite(id: "1", input: {allowedDomains: ["127.0.0.1"]}) { allowedDomains } }"#,
            json!({}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    let out = tokio::process::Command::new("node")
        .arg(dir.join("session.mjs"))
        .env("LOUPE_URL", &app.base)
        .env("LOUPE_TOKEN", &token)
        .env("LOUPE_SITE", "1")
        .env("CHROMIUM", &chromium)
        .output()
        .await
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser session failed:\n{stdout}\n{stderr}"
    );
    eprintln!("browser session: {stdout}");
}
