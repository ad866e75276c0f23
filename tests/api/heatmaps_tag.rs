//! Heatmaps without recording: `POST /v1/sites/{id}/heatmap`, what the tag sends itself.
//! Stored batches show in the `heatmap` query (the same aggregates the recording
//! extraction writes); bad bodies get field errors; CORS and origins like the recording
//! endpoint; the site switch; DNT, GPC and the opt-out cookie store nothing; another
//! organization cannot read them.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const PAGE: &str = "https://shop.example/pricing";

fn page() -> Value {
    json!({"url": format!("{PAGE}?email=ann@example.com#faq"), "viewport_width": 1280,
           "viewport_height": 720, "doc_width": 1280, "doc_height": 3600})
}

async fn post(app: &TestApp, headers: &[(&str, &str)], body: String) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(app.url("/v1/sites/1/heatmap"))
        .header("Content-Type", "text/plain;charset=UTF-8")
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

const QUERY: &str = "query($kind: HeatmapKind!) {
  heatmap(siteId: \"1\", url: \"https://shop.example/pricing\", device: DESKTOP, kind: $kind) {
    pageViews clicks documentHeight averageFold points { x y count }
    elements { selector clicks } scroll { depth share } } }";

async fn heatmap(app: &TestApp, token: &str, kind: &str) -> Value {
    let (_, b) = app.gql(token, QUERY, json!({ "kind": kind })).await;
    assert!(b["errors"].is_null(), "{b}");
    b["data"]["heatmap"].clone()
}

fn elements(h: &Value) -> Vec<(String, i64)> {
    let mut e: Vec<_> = h["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| {
            (
                e["selector"].as_str().unwrap_or("").to_owned(),
                e["clicks"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    e.sort();
    e
}

/// One page view in two batches: a click on the buy button, a rage run on a card, a dead
/// click, moves, scrolled to half the page.
async fn page_view(app: &TestApp) {
    let first = json!({"page": page(), "seq": 0, "max_scroll": 0.2,
        "clicks": [{"x": 100, "y": 200, "t": 1000, "selector": "body.page > main > button.btn.buy"},
                   {"x": 400, "y": 1180, "t": 3000, "selector": "body.page > main > div.card:nth-child(3)", "rage": true},
                   {"x": 402, "y": 1181, "t": 3100, "selector": "body.page > main > div.card:nth-child(3)"},
                   {"x": 404, "y": 1182, "t": 3200, "selector": "body.page > main > div.card:nth-child(3)"}],
        "moves": [{"x": 10, "y": 10}, {"x": 50, "y": 50}]});
    let (s, b) = post(
        app,
        &[("User-Agent", "Mozilla/5.0 Chrome/120.0")],
        first.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b, json!({"stored": true}));
    let second = json!({"page": page(), "seq": 1, "max_scroll": 0.5, "prev_scroll": 0.2,
        "clicks": [{"x": 30, "y": 10, "t": 9000, "selector": "nav#menu > a.link:nth-child(1)", "dead": true}]});
    let (s, b) = post(app, &[], second.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn heatmap_batches_from_the_tag_feed_the_heatmap_query() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    page_view(&app).await;
    let h = heatmap(&app, &token, "CLICK").await;
    assert_eq!(h["pageViews"], 1, "two batches, one page view: {h}");
    assert_eq!(h["clicks"], 5);
    assert_eq!(
        elements(&h),
        vec![
            ("body.page > main > button.btn.buy".to_owned(), 1),
            ("body.page > main > div.card:nth-child(3)".to_owned(), 3),
            ("nav#menu > a.link:nth-child(1)".to_owned(), 1),
        ]
    );
    let binned: i64 = h["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(binned, 5, "every click binned: {h}");
    let rage = heatmap(&app, &token, "RAGE_CLICK").await;
    assert_eq!(rage["points"].as_array().map(Vec::len), Some(1), "{rage}");
    let dead = heatmap(&app, &token, "DEAD_CLICK").await;
    assert_eq!(dead["points"].as_array().map(Vec::len), Some(1), "{dead}");
    let moves = heatmap(&app, &token, "MOVE").await;
    assert_eq!(moves["points"].as_array().map(Vec::len), Some(2), "{moves}");
    let scroll = heatmap(&app, &token, "SCROLL").await;
    assert_eq!(scroll["averageFold"], 720.0, "{scroll}");
    let reached: Vec<(i64, f64)> = scroll["scroll"]
        .as_array()
        .expect("scroll")
        .iter()
        .map(|s| {
            (
                s["depth"].as_i64().unwrap_or(-1),
                s["share"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert!(
        reached.contains(&(50, 1.0)),
        "half the page reached: {reached:?}"
    );
    assert!(
        reached.iter().all(|(d, s)| *d <= 50 || *s == 0.0),
        "nothing deeper: {reached:?}"
    );
    // The page list names the scrubbed page (no query, no fragment).
    let (_, b) = app
        .gql(
            &token,
            "{ heatmapPages(siteId: \"1\") { url pageViews clicks } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["heatmapPages"],
        json!([{"url": PAGE, "pageViews": 1, "clicks": 5}]),
        "{b}"
    );
}

#[tokio::test]
async fn heatmap_endpoint_refuses_bad_bodies_with_field_errors() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let mut bad_width = page();
    bad_width["viewport_width"] = json!(0);
    for (body, field) in [
        (json!({"page": bad_width}).to_string(), Some("page.viewport_width")),
        (json!({"page": page(), "max_scroll": 2}).to_string(), Some("max_scroll")),
        (
            json!({"page": page(), "clicks": [{"x": -5, "y": 1, "t": 0}]}).to_string(),
            Some("clicks.0.x"),
        ),
        (
            json!({"page": page(), "clicks": [{"x": 5, "y": 1, "t": 0, "selector": "button[title='Ann Smith']"}]})
                .to_string(),
            Some("clicks.0.selector"),
        ),
        (
            json!({"page": page(), "clicks": vec![json!({"x": 1, "y": 1, "t": 0}); 501]}).to_string(),
            Some("clicks"),
        ),
        (
            json!({"page": page(), "moves": vec![json!({"x": 1, "y": 1}); 2001]}).to_string(),
            Some("moves"),
        ),
        (json!({"page": page(), "html": "<p>hi</p>"}).to_string(), None),
        (json!({"clicks": []}).to_string(), None),
        ("not json".to_owned(), None),
    ] {
        let (s, b) = post(&app, &[], body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {b}");
        assert_eq!(b["error"], "BAD_USER_INPUT", "{b}");
        if let Some(f) = field {
            assert_eq!(b["field"], f, "{body}: {b}");
        }
    }
    let huge = format!(
        "{{\"page\": {}, \"pad\": \"{}\"}}",
        page(),
        "x".repeat(300 * 1024)
    );
    let (s, _) = post(&app, &[], huge).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // An unknown site.
    let resp = app
        .http
        .post(app.url("/v1/sites/999/heatmap"))
        .body(json!({"page": page()}).to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(heatmap(&app, &token, "CLICK").await["pageViews"], 0);
}

#[tokio::test]
async fn heatmap_endpoint_cors_and_origins_like_recordings() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (s, _) = app
        .gql(
            &token,
            "mutation { updateSite(id: \"1\", input: {allowedDomains: [\"shop.example\"]}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let body = json!({"page": page()}).to_string();
    let (s, b) = post(&app, &[("Origin", "https://evil.example")], body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(heatmap(&app, &token, "CLICK").await["pageViews"], 0);
    let resp = app
        .http
        .post(app.url("/v1/sites/1/heatmap"))
        .header("Origin", "https://shop.example")
        .body(body.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(resp.headers()["access-control-allow-credentials"], "true");
    let pre = app
        .http
        .request(reqwest::Method::OPTIONS, app.url("/v1/sites/1/heatmap"))
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("preflight");
    assert_eq!(pre.status(), StatusCode::NO_CONTENT);
    assert!(pre.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap_or("")
        .contains("POST"));
    let get = app
        .http
        .get(app.url("/v1/sites/1/heatmap"))
        .send()
        .await
        .expect("get");
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn heatmaps_off_refuses_and_the_config_says_heatmaps_without_recording() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let config = |app: &TestApp| {
        let req = app.http.get(app.url("/v1/sites/1/config"));
        async move {
            req.send()
                .await
                .expect("config")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    // Defaults: recording off, heatmaps on: the tag collects them itself.
    let c = config(&app).await;
    assert_eq!(
        (c["recording"]["enabled"].clone(), c["heatmaps"].clone()),
        (json!(false), json!(true)),
        "{c}"
    );
    let (_, b) = app
        .gql(
            &token,
            "mutation { updateSite(id: \"1\", input: {heatmapsEnabled: false}) { heatmapsEnabled } }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["updateSite"]["heatmapsEnabled"], false, "{b}");
    assert_eq!(config(&app).await["heatmaps"], false);
    let (s, b) = post(
        &app,
        &[],
        json!({"page": page(), "clicks": [{"x": 1, "y": 1, "t": 0}]}).to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(b["error"], "HEATMAPS_DISABLED", "{b}");
    assert_eq!(heatmap(&app, &token, "CLICK").await["pageViews"], 0);
}

#[tokio::test]
async fn heatmap_endpoint_stores_nothing_under_dnt_gpc_or_opt_out() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let body =
        json!({"page": page(), "clicks": [{"x": 1, "y": 1, "t": 0, "selector": "body > button"}]})
            .to_string();
    for h in [
        ("DNT", "1"),
        ("Sec-GPC", "1"),
        ("Cookie", "loupe_opt_out=1"),
    ] {
        let (s, b) = post(&app, &[h], body.clone()).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{h:?}: {b}");
    }
    // Even a bad body is not looked at.
    let (s, _) = post(&app, &[("DNT", "1")], "not json".into()).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let h = heatmap(&app, &token, "CLICK").await;
    assert_eq!(
        (h["pageViews"].clone(), h["clicks"].clone()),
        (json!(0), json!(0)),
        "{h}"
    );
    let (_, b) = app
        .gql(&token, "{ heatmapPages(siteId: \"1\") { url } }", json!({}))
        .await;
    assert_eq!(b["data"]["heatmapPages"], json!([]), "{b}");
}

#[tokio::test]
async fn heatmap_from_the_tag_is_not_found_for_another_organization() {
    let app = TestApp::spawn().await;
    let (_, _, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    page_view(&app).await;
    let (_, b) = app.gql(&other, QUERY, json!({"kind": "CLICK"})).await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
}
