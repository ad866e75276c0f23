//! Heatmaps end to end: crafted rrweb streams (the full snapshot in one batch, clicks,
//! scrolls and moves in later ones) through the real ingestion endpoint, then the exact
//! bins, selectors, rage/dead clicks and scroll depths from GraphQL; page ordering; the
//! site switch; tenancy; and what each deletion path does to heatmap data.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const DESKTOP: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const PRICING: &str = "https://shop.example/pricing";

/// Two hours ago: inside retention, and a day the queries can name.
fn t0() -> i64 {
    chrono::Utc::now().timestamp_millis() - 2 * 3_600_000
}

fn meta(t: i64, href: &str, w: i64, h: i64) -> Value {
    json!({"type": 4, "timestamp": t, "data": {"href": href, "width": w, "height": h}})
}

fn el(id: i64, tag: &str, attrs: Value, children: Vec<Value>) -> Value {
    json!({"type": 2, "id": id, "tagName": tag, "attributes": attrs, "childNodes": children})
}

/// body.page > nav#menu > a.link ×2, main > button.btn.buy, div.card ×2
fn snapshot(t: i64) -> Value {
    json!({"type": 2, "timestamp": t, "data": {"initialOffset": {"left": 0, "top": 0}, "node":
    {"type": 0, "id": 1, "childNodes": [
        el(2, "html", json!({}), vec![
            el(3, "body", json!({"class": "page"}), vec![
                el(4, "nav", json!({"id": "menu"}), vec![
                    el(5, "a", json!({"class": "link", "href": "/a"}), vec![]),
                    el(6, "a", json!({"class": "link", "href": "/b"}), vec![]),
                ]),
                el(7, "main", json!({}), vec![
                    el(8, "button", json!({"class": "btn buy"}), vec![]),
                    el(9, "div", json!({"class": "card"}), vec![]),
                    el(10, "div", json!({"class": "card"}), vec![]),
                ]),
            ]),
        ]),
    ]}}})
}

fn size(t: i64, w: i64, h: i64) -> Value {
    json!({"type": 5, "timestamp": t, "data": {"tag": "loupe-page-size", "payload": {"width": w, "height": h}}})
}

fn click(t: i64, node: i64, x: i64, y: i64) -> Value {
    json!({"type": 3, "timestamp": t, "data": {"source": 2, "type": 2, "id": node, "x": x, "y": y}})
}

fn scroll(t: i64, y: i64) -> Value {
    json!({"type": 3, "timestamp": t, "data": {"source": 3, "id": 1, "x": 0, "y": y}})
}

fn mutation(t: i64) -> Value {
    json!({"type": 3, "timestamp": t, "data": {"source": 0, "texts": [], "attributes": [], "removes": [], "adds": []}})
}

async fn send(app: &TestApp, session: &str, visitor: &str, sequence: i64, events: Vec<Value>) {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/recordings/{session}/events")))
        .header("User-Agent", DESKTOP)
        .header("Content-Type", "application/json")
        .body(json!({"visitor_id": visitor, "sequence": sequence, "events": events}).to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        resp.text().await.unwrap_or_default()
    );
}

/// Session h1 on the pricing page at 1280×720: the snapshot and the page size first, then
/// clicks (one live, one dead, a rage run), a scroll to half the page and mouse moves.
async fn desktop_session(app: &TestApp, session: &str, visitor: &str, t: i64) {
    send(
        app,
        session,
        visitor,
        0,
        vec![
            meta(
                t,
                &format!("{PRICING}?plan=pro&email=ann@example.com#faq"),
                1280,
                720,
            ),
            snapshot(t + 1),
            size(t + 2, 1280, 3600),
        ],
    )
    .await;
    send(
        app,
        session,
        visitor,
        1,
        vec![
            click(t + 1000, 8, 100, 200),
            mutation(t + 1500),
            scroll(t + 2000, 1080),
            click(t + 3000, 10, 400, 100),
            click(t + 5000, 5, 30, 10),
            click(t + 5200, 5, 32, 12),
            click(t + 5400, 5, 35, 11),
            mutation(t + 5600),
            json!({"type": 3, "timestamp": t + 7000, "data": {"source": 1, "positions": [
                {"x": 10, "y": 10, "id": 3, "timeOffset": -300},
                {"x": 20, "y": 20, "id": 3, "timeOffset": -250},
                {"x": 30, "y": 30, "id": 3, "timeOffset": -150},
                {"x": 40, "y": 40, "id": 3, "timeOffset": 0}]}}),
            mutation(t + 8000),
        ],
    )
    .await;
}

const HEATMAP: &str = "query($url: String!, $device: HeatmapDevice!, $kind: HeatmapKind!, $from: DateTime, $to: DateTime, $site: ID! = \"1\") {
  heatmap(siteId: $site, url: $url, device: $device, kind: $kind, from: $from, to: $to) {
    url pageViews clicks documentWidth documentHeight referenceWidth binSize averageFold
    points { x y count } elements { selector clicks share } scroll { depth share } } }";

async fn heatmap(app: &TestApp, token: &str, device: &str, kind: &str) -> Value {
    let (_, b) = app
        .gql(
            token,
            HEATMAP,
            json!({"url": PRICING, "device": device, "kind": kind}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    b["data"]["heatmap"].clone()
}

fn points(h: &Value) -> Vec<(i64, i64, i64)> {
    h["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["x"].as_i64().unwrap_or(-1),
                p["y"].as_i64().unwrap_or(-1),
                p["count"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn elements(h: &Value) -> Vec<(String, i64, f64)> {
    h["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| {
            (
                e["selector"].as_str().unwrap_or("").to_owned(),
                e["clicks"].as_i64().unwrap_or(-1),
                e["share"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect()
}

const BUTTON: &str = "body.page > main > button.btn.buy";
const CARD: &str = "body.page > main > div.card:nth-child(3)";
const LINK: &str = "nav#menu > a.link:nth-child(1)";

#[tokio::test]
async fn crafted_streams_give_exact_bins_selectors_and_depths() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let t = t0();
    desktop_session(&app, "h1", "v1", t).await;
    // A phone on the same page (another device bucket) and three views of the home page.
    send(
        &app,
        "h2",
        "v2",
        0,
        vec![
            meta(t, PRICING, 375, 667),
            snapshot(t + 1),
            size(t + 2, 375, 2000),
            click(t + 10, 8, 50, 60),
        ],
    )
    .await;
    send(
        &app,
        "h3",
        "v3",
        0,
        vec![
            meta(t, "https://shop.example/", 1440, 900),
            meta(t + 10_000, "https://shop.example/?ref=x", 1440, 900),
            meta(t + 20_000, "https://shop.example/#top", 1440, 900),
        ],
    )
    .await;

    let h = heatmap(&app, &token, "DESKTOP", "CLICK").await;
    assert_eq!(h["url"], PRICING, "no query, no fragment: {h}");
    assert_eq!(
        (
            &h["pageViews"],
            &h["clicks"],
            &h["documentWidth"],
            &h["documentHeight"],
            &h["referenceWidth"],
            &h["binSize"]
        ),
        (
            &json!(1),
            &json!(5),
            &json!(1280),
            &json!(3600),
            &json!(1280),
            &json!(20)
        ),
        "{h}"
    );
    // Document coordinates: the clicks after the scroll are 1080 px further down.
    assert_eq!(
        points(&h),
        vec![(20, 1080, 3), (100, 200, 1), (400, 1180, 1)],
        "{h}"
    );
    assert_eq!(
        elements(&h),
        vec![
            (LINK.into(), 3, 0.6),
            (BUTTON.into(), 1, 0.2),
            (CARD.into(), 1, 0.2)
        ],
        "selectors from the snapshot of the batch before: {h}"
    );

    let rage = heatmap(&app, &token, "DESKTOP", "RAGE_CLICK").await;
    assert_eq!(
        points(&rage),
        vec![(20, 1080, 1)],
        "one run, at its first click: {rage}"
    );
    assert_eq!(elements(&rage), vec![(LINK.into(), 1, 1.0)], "{rage}");

    let dead = heatmap(&app, &token, "DESKTOP", "DEAD_CLICK").await;
    assert_eq!(
        points(&dead),
        vec![(400, 1180, 1)],
        "no DOM change within 1 s: {dead}"
    );
    assert_eq!(elements(&dead), vec![(CARD.into(), 1, 1.0)], "{dead}");

    let moves = heatmap(&app, &token, "DESKTOP", "MOVE").await;
    // Sampled at most every 250 ms (−300, then 0 of the four), on a 40 px grid.
    assert_eq!(points(&moves), vec![(0, 1080, 1), (40, 1120, 1)], "{moves}");
    assert_eq!(moves["binSize"], 40, "{moves}");

    let s = heatmap(&app, &token, "DESKTOP", "SCROLL").await;
    let shares: Vec<(i64, f64)> = s["scroll"]
        .as_array()
        .expect("scroll")
        .iter()
        .map(|x| {
            (
                x["depth"].as_i64().unwrap_or(-1),
                x["share"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(shares.len(), 20, "{s}");
    // 720 px fold, scrolled to 1080: the viewport's bottom reached 1800 of 3600 px.
    for (depth, share) in shares {
        assert_eq!(
            share,
            if depth <= 50 { 1.0 } else { 0.0 },
            "depth {depth}: {s}"
        );
    }
    assert_eq!(s["averageFold"], 720.0, "{s}");
    assert!(s["points"].as_array().is_some_and(Vec::is_empty), "{s}");

    // The phone: its own bucket, scaled to 375 px (already 375 wide), 667 of 2000 px seen.
    let m = heatmap(&app, &token, "MOBILE", "SCROLL").await;
    assert_eq!(
        (&m["pageViews"], &m["referenceWidth"]),
        (&json!(1), &json!(375)),
        "{m}"
    );
    let reached: Vec<f64> = m["scroll"]
        .as_array()
        .expect("scroll")
        .iter()
        .map(|x| x["share"].as_f64().unwrap_or(-1.0))
        .collect();
    assert_eq!(
        reached.iter().filter(|s| **s == 1.0).count(),
        6,
        "33 % seen: {m}"
    );
    let mc = heatmap(&app, &token, "MOBILE", "CLICK").await;
    assert_eq!(points(&mc), vec![(40, 60, 1)], "{mc}");
    assert_eq!(
        heatmap(&app, &token, "TABLET", "CLICK").await["pageViews"],
        0
    );

    // Pages: most visited first; a range without data is empty.
    let (_, b) = app
        .gql(&token, "query($from: DateTime) { heatmapPages(siteId: \"1\", from: $from) { url pageViews clicks } }", json!({}))
        .await;
    assert_eq!(
        b["data"]["heatmapPages"],
        json!([
            {"url": "https://shop.example/", "pageViews": 3, "clicks": 0},
            {"url": PRICING, "pageViews": 2, "clicks": 6},
        ]),
        "{b}"
    );
    let later = (chrono::Utc::now() + chrono::TimeDelta::days(2)).to_rfc3339();
    let (_, b) = app
        .gql(
            &token,
            "query($from: DateTime) { heatmapPages(siteId: \"1\", from: $from) { url } }",
            json!({"from": later}),
        )
        .await;
    assert_eq!(b["data"]["heatmapPages"], json!([]), "{b}");
    let (_, b) = app
        .gql(
            &token,
            HEATMAP,
            json!({"url": PRICING, "device": "DESKTOP", "kind": "CLICK", "from": later}),
        )
        .await;
    assert_eq!(b["data"]["heatmap"]["pageViews"], 0, "{b}");

    // The base snapshot: the desktop one, as stored.
    let (_, b) = app
        .gql(&token, "query($url: String!) { heatmapSnapshot(siteId: \"1\", url: $url, device: DESKTOP) { recordingId timestamp event } }", json!({"url": PRICING}))
        .await;
    let snap = &b["data"]["heatmapSnapshot"];
    assert_eq!(snap["event"]["type"], 2, "{b}");
    assert_eq!(snap["event"]["timestamp"], t + 1, "{b}");
    assert_eq!(
        snap["event"]["data"]["node"]["childNodes"][0]["tagName"], "html",
        "{b}"
    );

    // Segments are refused with a clear error for now.
    let (_, b) = app
        .gql(&token, "{ heatmap(siteId: \"1\", url: \"https://shop.example/\", device: DESKTOP, kind: CLICK, segmentId: \"1\") { pageViews } }", json!({}))
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");

    // The site switch: off, a new session adds nothing.
    let (_, b) = app
        .gql(&token, "mutation { updateSite(id: \"1\", input: {heatmapsEnabled: false}) { heatmapsEnabled } }", json!({}))
        .await;
    assert_eq!(b["data"]["updateSite"]["heatmapsEnabled"], false, "{b}");
    desktop_session(&app, "h4", "v4", t + 60_000).await;
    let h = heatmap(&app, &token, "DESKTOP", "CLICK").await;
    assert_eq!(
        (&h["pageViews"], &h["clicks"]),
        (&json!(1), &json!(5)),
        "{h}"
    );
}

#[tokio::test]
async fn another_organization_sees_nothing() {
    let app = TestApp::spawn().await;
    let (_, other_site, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    desktop_session(&app, "h1", "v1", t0()).await;
    for q in [
        "{ heatmap(siteId: \"1\", url: \"https://shop.example/pricing\", device: DESKTOP, kind: CLICK) { pageViews } }",
        "{ heatmapPages(siteId: \"1\") { url } }",
        "{ heatmapSnapshot(siteId: \"1\", url: \"https://shop.example/pricing\", device: DESKTOP) { event } }",
    ] {
        let (_, b) = app.gql(&other, q, json!({})).await;
        assert_eq!(error_code(&b), "NOT_FOUND", "{q}: {b}");
    }
    // Its own site answers, empty.
    let (_, b) = app
        .gql(
            &other,
            "query($s: ID!) { heatmapPages(siteId: $s) { url } }",
            json!({"s": other_site.to_string()}),
        )
        .await;
    assert_eq!(b["data"]["heatmapPages"], json!([]), "{b}");
}

async fn count_rows(app: &TestApp, table: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = app.db_conn().await;
    let row = conn
        .query_one(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

#[tokio::test]
async fn deletion_paths() {
    let app = TestApp::spawn_with(&[("LOUPE_RETENTION_INTERVAL_MS", "200")]).await;
    let token = app.admin_token().await;
    let t = t0();
    // Yesterday and today: each day's row points at its own newest snapshot.
    desktop_session(&app, "h1", "v1", t - 86_400_000).await;
    desktop_session(&app, "h2", "v2", t).await;
    assert_eq!(count_rows(&app, "heatmap_recording").await, 2);
    let h = heatmap(&app, &token, "DESKTOP", "CLICK").await;
    assert_eq!(h["pageViews"], 2, "{h}");
    let snapshot = "query($url: String!) { heatmapSnapshot(siteId: \"1\", url: $url, device: DESKTOP) { recordingId } }";
    let (_, b) = app.gql(&token, snapshot, json!({"url": PRICING})).await;
    let newest = b["data"]["heatmapSnapshot"]["recordingId"].clone();

    // Deleting a recording: its per-session state and its snapshot go; the counts (no
    // visitor in them) stay, and the map falls back to an older day's snapshot.
    let (_, b) = app
        .gql(
            &token,
            "mutation($ids: [ID!]) { deleteRecordings(siteId: \"1\", ids: $ids) }",
            json!({"ids": [newest]}),
        )
        .await;
    assert_eq!(b["data"]["deleteRecordings"], 1, "{b}");
    assert_eq!(count_rows(&app, "heatmap_recording").await, 1);
    assert_eq!(
        heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"],
        2
    );
    let (_, b) = app.gql(&token, snapshot, json!({"url": PRICING})).await;
    assert!(
        b["data"]["heatmapSnapshot"]["recordingId"].is_string()
            && b["data"]["heatmapSnapshot"]["recordingId"] != newest,
        "{b}"
    );

    // GDPR erasure of the other visitor (identified as a user): its recording and the
    // recording's heatmap state go; the counts stay.
    app.enable_identify(&token, 1).await;
    let status = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .header("User-Agent", DESKTOP)
        .json(&json!({"visitor_id": "v1", "user_id": "u-1"}))
        .send()
        .await
        .expect("identify")
        .status();
    assert_eq!(status, StatusCode::OK);
    let (_, b) = app
        .gql(
            &token,
            "mutation($input: PersonalDataInput!) { deletePersonalData(input: $input) }",
            json!({"input": {"siteUsers": [{"siteId": "1", "userId": "u-1"}]}}),
        )
        .await;
    assert_eq!(b["data"]["deletePersonalData"]["recordings"], 1, "{b}");
    assert_eq!(
        heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"],
        2
    );
    assert_eq!(
        count_rows(&app, "heatmap_recording").await,
        0,
        "the state goes with its recording"
    );
    let (_, b) = app.gql(&token, snapshot, json!({"url": PRICING})).await;
    assert!(
        b["data"]["heatmapSnapshot"].is_null(),
        "no recording, no snapshot: {b}"
    );

    // A URL purge takes the page's aggregates.
    let (_, b) = app
        .gql(
            &token,
            "mutation { purgeUrls(siteId: \"1\", pattern: \"/pricing\") }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["purgeUrls"]["heatmap_pages"], 2, "two days: {b}");
    assert_eq!(
        heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"],
        0
    );
    assert_eq!(
        count_rows(&app, "heatmap_cell").await,
        0,
        "cells go with their page row"
    );
    assert_eq!(count_rows(&app, "heatmap_element").await, 0);

    // A time-range purge of recordings takes the days it touches.
    desktop_session(&app, "h3", "v3", t).await;
    assert_eq!(
        heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"],
        1
    );
    let purge = "mutation($from: DateTime!, $to: DateTime!) { purgeTimeRange(siteId: \"1\", from: $from, to: $to, kinds: [RECORDINGS]) }";
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .expect("time")
            .to_rfc3339()
    };
    let (_, b) = app
        .gql(
            &token,
            purge,
            json!({"from": at(t - 1000), "to": at(t + 1000)}),
        )
        .await;
    assert_eq!(b["data"]["purgeTimeRange"]["heatmap_pages"], 1, "{b}");
    assert_eq!(
        heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"],
        0
    );

    // Retention: days wholly before the cutoff go (an aggregate of 3 days ago, 1 day kept).
    desktop_session(&app, "h4", "v4", t - 3 * 86_400_000).await;
    desktop_session(&app, "h5", "v5", t).await;
    assert_eq!(
        heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"],
        2
    );
    let (_, b) = app
        .gql(
            &token,
            "mutation { updateSite(id: \"1\", input: {retentionDays: 1}) { retentionDays } }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["updateSite"]["retentionDays"], 1, "{b}");
    let mut views = json!(null);
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        views = heatmap(&app, &token, "DESKTOP", "CLICK").await["pageViews"].clone();
        if views == 1 {
            break;
        }
    }
    assert_eq!(views, 1, "the old day went, today's stayed");
}

async fn identify(app: &TestApp, visitor: &str, plan: &str) {
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .json(
            &json!({"visitor_id": visitor, "user_id": format!("u-{visitor}"),
                      "attributes": {"plan": plan}}),
        )
        .send()
        .await
        .expect("identify");
    assert!(resp.status().is_success(), "{}", resp.status());
}

async fn gql_ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (_, b) = app.gql(token, query, variables).await;
    assert!(b["errors"].is_null(), "{b}");
    b
}

const SEGMENTED: &str = "query($kind: HeatmapKind!, $segment: ID, $rule: JSON) {
  heatmap(siteId: \"1\", url: \"https://shop.example/pricing\", device: DESKTOP, kind: $kind,
          segmentId: $segment, rule: $rule) {
    pageViews clicks documentWidth documentHeight averageFold
    points { x y count } elements { selector clicks share } scroll { depth share }
    sample { recordings complete } } }";

/// A segment's map is rebuilt from its visitors' recordings by the same extraction as
/// ingestion: with only the Pro visitor's session stored, the unfiltered map of every kind
/// is exactly what the Pro segment gives once a Basic visitor's session is added too.
#[tokio::test]
async fn segment_filters_rebuild_the_map_from_the_segment_sessions() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    identify(&app, "v-pro", "pro").await;
    identify(&app, "v-basic", "basic").await;
    let t = t0();
    desktop_session(&app, "s-pro", "v-pro", t).await;
    let kinds = ["CLICK", "RAGE_CLICK", "DEAD_CLICK", "MOVE", "SCROLL"];
    let mut alone = Vec::new();
    for kind in kinds {
        let (_, b) = app.gql(&token, SEGMENTED, json!({"kind": kind})).await;
        assert!(b["errors"].is_null(), "{b}");
        assert_eq!(b["data"]["heatmap"]["sample"], Value::Null, "{b}");
        alone.push(b["data"]["heatmap"].clone());
    }
    assert_eq!(alone[0]["clicks"], 5, "{}", alone[0]);
    // The Basic visitor clicks the second menu link twice.
    send(
        &app,
        "s-basic",
        "v-basic",
        0,
        vec![
            meta(t + 60_000, PRICING, 1280, 720),
            snapshot(t + 60_001),
            size(t + 60_002, 1280, 3600),
            click(t + 61_000, 6, 60, 10),
            mutation(t + 61_100),
            click(t + 63_000, 6, 61, 11),
            mutation(t + 63_100),
        ],
    )
    .await;
    let b = gql_ok(
        &app,
        &token,
        "mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }",
        json!({"input": {"siteId": "1", "name": "Pro",
               "rule": {"and": [{"attribute": "plan", "operator": "EQUALS", "value": "pro"}]}}}),
    )
    .await;
    let pro = b["data"]["createSegment"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (_, all) = app.gql(&token, SEGMENTED, json!({"kind": "CLICK"})).await;
    assert_eq!(all["data"]["heatmap"]["clicks"], 7, "{all}");
    assert_eq!(all["data"]["heatmap"]["pageViews"], 2, "{all}");
    for (kind, expected) in kinds.iter().zip(&alone) {
        let (_, b) = app
            .gql(&token, SEGMENTED, json!({"kind": kind, "segment": pro}))
            .await;
        assert!(b["errors"].is_null(), "{b}");
        let mut h = b["data"]["heatmap"].clone();
        assert_eq!(
            h["sample"],
            json!({"recordings": 1, "complete": true}),
            "{kind}: {h}"
        );
        h["sample"] = Value::Null;
        assert_eq!(
            &h, expected,
            "{kind}: the Pro segment is the Pro session alone"
        );
    }
    // An inline rule: the Basic visitor's two clicks on the second link.
    let (_, b) = app
        .gql(
            &token,
            SEGMENTED,
            json!({"kind": "CLICK", "rule":
                {"and": [{"attribute": "plan", "operator": "EQUALS", "value": "basic"}]}}),
        )
        .await;
    let h = &b["data"]["heatmap"];
    assert_eq!(
        (&h["pageViews"], &h["clicks"]),
        (&json!(1), &json!(2)),
        "{b}"
    );
    assert_eq!(
        elements(h),
        vec![("nav#menu > a.link:nth-child(2)".to_owned(), 2, 1.0)],
        "{b}"
    );
    assert_eq!(points(h), vec![(60, 0, 2)], "{b}");
    // Nobody matches: an empty map, not an error.
    let (_, b) = app
        .gql(
            &token,
            SEGMENTED,
            json!({"kind": "CLICK", "rule":
                {"and": [{"attribute": "plan", "operator": "EQUALS", "value": "gold"}]}}),
        )
        .await;
    assert_eq!(b["data"]["heatmap"]["pageViews"], 0, "{b}");
    assert_eq!(
        b["data"]["heatmap"]["sample"],
        json!({"recordings": 0, "complete": true}),
        "{b}"
    );
    // Both at once, or a segment of another organization: refused.
    let (_, b) = app
        .gql(
            &token,
            SEGMENTED,
            json!({"kind": "CLICK", "segment": pro, "rule": {"and": []}}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    let (_, other_site, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    let b = gql_ok(
        &app,
        &other,
        "mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }",
        json!({"input": {"siteId": other_site.to_string(), "name": "Theirs",
               "rule": {"and": [{"visit": "DEVICE", "operator": "EQUALS", "value": "mobile"}]}}}),
    )
    .await;
    let theirs = b["data"]["createSegment"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (_, b) = app
        .gql(
            &token,
            SEGMENTED,
            json!({"kind": "CLICK", "segment": theirs}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    // And their key cannot read this site's segment map.
    let (_, b) = app
        .gql(&other, SEGMENTED, json!({"kind": "CLICK", "segment": pro}))
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
}

async fn maps(app: &TestApp, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for kind in ["CLICK", "RAGE_CLICK", "DEAD_CLICK", "MOVE", "SCROLL"] {
        out.push(heatmap(app, token, "DESKTOP", kind).await);
    }
    out
}

/// Ingestion appends cell increments to a staging table and a job folds them into the
/// aggregates: a map is the same whether it reads staged increments (roll-up held off) or
/// rolled-up cells, and the job leaves nothing staged.
#[tokio::test]
async fn the_roll_up_folds_staged_increments_without_changing_a_map() {
    let held = TestApp::spawn_with(&[("LOUPE_HEATMAP_ROLLUP_MS", "3600000")]).await;
    let token = held.admin_token().await;
    let t = t0();
    desktop_session(&held, "h1", "v1", t).await;
    // The job ran once at start, before anything was staged.
    assert!(count_rows(&held, "heatmap_cell_staged").await > 0);
    assert_eq!(count_rows(&held, "heatmap_cell").await, 0);
    let staged = maps(&held, &token).await;
    assert_eq!(staged[0]["clicks"], 5, "{}", staged[0]);

    let app = TestApp::spawn_with(&[("LOUPE_HEATMAP_ROLLUP_MS", "200")]).await;
    let token = app.admin_token().await;
    desktop_session(&app, "h1", "v1", t).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while count_rows(&app, "heatmap_cell_staged").await > 0 {
        assert!(std::time::Instant::now() < deadline, "nothing rolled up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(count_rows(&app, "heatmap_cell").await > 0);
    assert_eq!(maps(&app, &token).await, staged, "rolled up = staged");
    // Increments staged for a page deleted before the roll-up are dropped by it.
    desktop_session(&app, "h2", "v2", t).await;
    let (_, b) = app
        .gql(
            &token,
            "mutation { purgeUrls(siteId: \"1\", pattern: \"/pricing\") }",
            json!({}),
        )
        .await;
    assert!(b["errors"].is_null(), "{b}");
    while count_rows(&app, "heatmap_cell_staged").await > 0 {
        assert!(std::time::Instant::now() < deadline, "nothing rolled up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(count_rows(&app, "heatmap_cell").await, 0);
}
