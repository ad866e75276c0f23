//! Session recordings end to end: the envelope, gzip, idempotent and out-of-order
//! batches, metadata, masking, privacy signals, listing and replay, tenancy.

use std::io::Write;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const DESKTOP: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const T0: i64 = 1_760_000_000_000;

fn meta(t: i64, href: &str) -> Value {
    json!({"type": 4, "timestamp": t, "data": {"href": href, "width": 1280, "height": 720}})
}

fn click(t: i64, x: i64, y: i64) -> Value {
    json!({"type": 3, "timestamp": t, "data": {"source": 2, "type": 2, "id": 5, "x": x, "y": y}})
}

fn typed(t: i64, text: &str) -> Value {
    json!({"type": 3, "timestamp": t, "data": {"source": 5, "id": 9, "text": text, "isChecked": false}})
}

fn snapshot(t: i64, secret: &str) -> Value {
    json!({"type": 2, "timestamp": t, "data": {"node": {"type": 0, "id": 1, "childNodes": [
        {"type": 2, "id": 2, "tagName": "input", "attributes": {"type": "password", "value": secret}, "childNodes": []},
        {"type": 2, "id": 3, "tagName": "p", "attributes": {}, "childNodes": [{"type": 3, "id": 4, "textContent": "Welcome"}]}
    ]}, "initialOffset": {"left": 0, "top": 0}}})
}

async fn send(
    app: &TestApp,
    session: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(app.url(&format!("/v1/sites/1/recordings/{session}/events")))
        .header("User-Agent", DESKTOP)
        .header("Content-Type", "application/json")
        .body(body.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

const LIST: &str = "query($f: RecordingFilterInput, $o: RecordingOrder) {
  recordings(siteId: \"1\", filter: $f, orderBy: $o) { totalCount edges { node {
    id sessionId visitorId durationMs pageViews entryUrl exitUrl clicks rageClicks uTurns
    device browser os viewportWidth viewportHeight eventCount compressionRatio } } } }";

async fn list(app: &TestApp, token: &str, filter: Value) -> Vec<Value> {
    let (_, b) = app.gql(token, LIST, json!({"f": filter})).await;
    b["data"]["recordings"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test]
async fn batches_are_stored_masked_idempotent_and_replayed_in_order() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let batch0 = json!({"visitor_id": "v1", "sequence": 0, "events": [
        meta(T0, "https://shop.example/cart?email=ann@example.com"),
        snapshot(T0 + 10, "hunter2-secret"),
        click(T0 + 1000, 100, 100), click(T0 + 1200, 105, 102), click(T0 + 1400, 110, 99),
        typed(T0 + 2000, "my-typed-text"),
    ]});
    let batch1 = json!({"visitor_id": "v1", "sequence": 1, "events": [
        meta(T0 + 5000, "https://shop.example/help"),
        meta(T0 + 9000, "https://shop.example/cart"),
        click(T0 + 9500, 10, 10),
    ]});
    // Out of order: the second batch first, gzip-compressed.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(batch1.to_string().as_bytes()).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let resp = app
        .http
        .post(app.url("/v1/sites/1/recordings/sess-1/events"))
        .header("User-Agent", DESKTOP)
        .header("Content-Encoding", "gzip")
        .body(gz)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, b) = send(&app, "sess-1", &batch0, &[]).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["duplicate"], false);
    let (status, b) = send(&app, "sess-1", &batch0, &[]).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["duplicate"], true, "a repeated sequence is stored once");

    let recs = list(&app, &token, json!({})).await;
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r["sessionId"], "sess-1");
    assert_eq!(r["eventCount"], 9);
    assert_eq!(r["durationMs"], 9500);
    assert_eq!(r["pageViews"], 3);
    assert_eq!(r["clicks"], 4);
    assert_eq!(r["rageClicks"], 1);
    assert_eq!(r["uTurns"], 1, "cart → help → cart within 10 s");
    assert_eq!(r["device"], "desktop");
    assert_eq!(r["viewportWidth"], 1280);
    let entry = r["entryUrl"].as_str().expect("entry");
    assert!(
        !entry.contains("ann@example.com"),
        "URLs are scrubbed: {entry}"
    );
    assert!(r["compressionRatio"].as_f64().is_some());

    // Replay: GraphQL pages and the NDJSON stream give the same events, in order.
    let id = r["id"].as_str().expect("id").to_owned();
    let (_, b) = app
        .gql(&token, "query($id: ID!) { recording(id: $id) { events(first: 4) { events endCursor hasNextPage } } }", json!({"id": id}))
        .await;
    let page = &b["data"]["recording"]["events"];
    assert_eq!(page["hasNextPage"], true, "{b}");
    let cursor = page["endCursor"].as_str().expect("cursor").to_owned();
    let (_, b) = app
        .gql(&token, "query($id: ID!, $a: String) { recording(id: $id) { events(first: 100, after: $a) { events hasNextPage } } }", json!({"id": id, "a": cursor}))
        .await;
    let rest = b["data"]["recording"]["events"]["events"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{b}"));
    assert_eq!(rest.len(), 5);
    let stream = app
        .http
        .get(app.url(&format!("/v1/sites/1/recordings/{id}/events")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("stream");
    assert_eq!(stream.status(), StatusCode::OK);
    let text = stream.text().await.expect("text");
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(events.len(), 9);
    let times: Vec<i64> = events
        .iter()
        .map(|e| e["timestamp"].as_i64().expect("ts"))
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "sequence order is time order here");
    assert!(
        !text.contains("hunter2-secret") && !text.contains("my-typed-text"),
        "typed text is masked"
    );
    assert!(text.contains("Welcome"), "page text is kept");
    assert!(
        !text.contains("ann@example.com"),
        "page URLs in stored Meta events are scrubbed"
    );
}

#[tokio::test]
async fn bad_batches_are_refused_and_privacy_signals_store_nothing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let ok =
        json!({"visitor_id": "v1", "sequence": 0, "events": [meta(T0, "https://shop.example/")]});
    for (session, body, field) in [
        (
            "s1",
            json!({"sequence": 0, "events": [{"type": 11, "timestamp": T0, "data": {}}]}),
            "events[0].type",
        ),
        (
            "s1",
            json!({"sequence": 0, "events": [{"type": 3, "timestamp": "x", "data": {}}]}),
            "events[0].timestamp",
        ),
        (
            "s1",
            json!({"sequence": 0, "events": [{"type": 3, "timestamp": T0, "data": 5}]}),
            "events[0].data",
        ),
        (
            "s1",
            json!({"events": [meta(T0, "https://a.example/")]}),
            "sequence",
        ),
        ("bad_id!", ok.clone(), "session_id"),
        (&"x".repeat(71), ok.clone(), "session_id"),
    ] {
        let (status, b) = send(&app, session, &body, &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {b}");
        assert_eq!(b["field"], field, "{b}");
    }
    let resp = app
        .http
        .post(app.url("/v1/sites/1/recordings/s1/events"))
        .header("Content-Encoding", "gzip")
        .body("not gzip")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    for headers in [
        [("DNT", "1")],
        [("Sec-GPC", "1")],
        [("Cookie", "a=b; loupe_opt_out=1")],
    ] {
        let (status, _) = send(&app, "s2", &ok, &headers).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    assert!(
        list(&app, &token, json!({})).await.is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn recordings_filter_order_and_stay_in_their_organization() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let sessions = [
        (
            "long",
            vec![
                meta(T0, "https://shop.example/a"),
                click(T0 + 100, 1, 1),
                click(T0 + 60_000, 1, 1),
            ],
        ),
        (
            "rage",
            vec![
                meta(T0 + 1, "https://shop.example/pricing"),
                click(T0 + 200, 5, 5),
                click(T0 + 300, 5, 5),
                click(T0 + 400, 5, 5),
            ],
        ),
        ("short", vec![meta(T0 + 2, "https://shop.example/b")]),
    ];
    for (s, events) in sessions {
        let (status, b) = send(
            &app,
            s,
            &json!({"visitor_id": s, "sequence": 0, "events": events}),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
    }
    let names = |rs: Vec<Value>| {
        rs.iter()
            .map(|r| r["sessionId"].as_str().unwrap_or("").to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(list(&app, &token, json!({"hasRageClicks": true})).await),
        vec!["rage"]
    );
    assert_eq!(
        names(list(&app, &token, json!({"minDurationSeconds": 30})).await),
        vec!["long"]
    );
    assert_eq!(
        names(list(&app, &token, json!({"urlContains": "/pricing"})).await),
        vec!["rage"]
    );
    assert_eq!(
        names(list(&app, &token, json!({"device": "mobile"})).await),
        Vec::<String>::new()
    );
    let (_, b) = app.gql(&token, LIST, json!({"o": "MOST_CLICKS"})).await;
    let order: Vec<&str> = b["data"]["recordings"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["sessionId"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(order, vec!["rage", "long", "short"]);
    let (_, b) = app.gql(&token, LIST, json!({"o": "LONGEST"})).await;
    assert_eq!(
        b["data"]["recordings"]["edges"][0]["node"]["sessionId"],
        "long"
    );
    // Keyset pages, in every order, walk every recording once.
    for order in ["NEWEST", "LONGEST", "MOST_CLICKS"] {
        let mut seen = vec![];
        let mut after: Option<String> = None;
        loop {
            let (_, b) = app
                .gql(
                    &token,
                    "query($o: RecordingOrder, $a: String) { recordings(siteId: \"1\", orderBy: $o, first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { sessionId } } } }",
                    json!({"o": order, "a": after}),
                )
                .await;
            let conn = &b["data"]["recordings"];
            assert_eq!(conn["totalCount"], 3, "{b}");
            seen.extend(
                conn["edges"]
                    .as_array()
                    .expect("edges")
                    .iter()
                    .map(|e| e["node"]["sessionId"].as_str().unwrap_or("").to_owned()),
            );
            if conn["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        seen.sort();
        assert_eq!(seen, vec!["long", "rage", "short"], "{order}");
    }
    let (_, b) = app
        .gql(
            &token,
            "{ recordings(siteId: \"1\", after: \"bogus\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");

    let id = list(&app, &token, json!({})).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (_, _, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    let (_, b) = app
        .gql(
            &other,
            "query($id: ID!) { recording(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let (_, b) = app.gql(&other, LIST, json!({})).await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let resp = app
        .http
        .get(app.url(&format!("/v1/sites/1/recordings/{id}/events")))
        .bearer_auth(&other)
        .send()
        .await
        .expect("stream");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn recordings_are_deleted_by_admins_and_after_retention() {
    let app = TestApp::spawn_with(&[("LOUPE_RETENTION_INTERVAL_MS", "200")]).await;
    let token = app.admin_token().await;
    for s in ["keep", "old", "drop"] {
        let body = json!({"visitor_id": s, "sequence": 0, "events": [meta(T0, &format!("https://shop.example/{s}"))]});
        let (status, _) = send(&app, s, &body, &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
    let id_of = |rs: &[Value], s: &str| {
        rs.iter()
            .find(|r| r["sessionId"] == s)
            .and_then(|r| r["id"].as_str())
            .map(str::to_owned)
    };
    let all = list(&app, &token, json!({})).await;
    let drop = id_of(&all, "drop").expect("drop");

    // A READ key may not delete.
    let read = app.token(&app.create_key(1, "READ").await).await;
    let (_, b) = app
        .gql(
            &read,
            "mutation($ids: [ID!]) { deleteRecordings(siteId: \"1\", ids: $ids) }",
            json!({"ids": [drop]}),
        )
        .await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
    let (_, b) = app
        .gql(
            &token,
            "mutation($ids: [ID!]) { deleteRecordings(siteId: \"1\", ids: $ids) }",
            json!({"ids": [drop]}),
        )
        .await;
    assert_eq!(b["data"]["deleteRecordings"], 1, "{b}");

    // Received 400 days ago, past the site's 365-day retention: the background task deletes it.
    let db = app.db_conn().await;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let old_at = chrono::Utc::now() - chrono::TimeDelta::days(400);
    entity::recording::Entity::update_many()
        .col_expr(
            entity::recording::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(old_at),
        )
        .filter(entity::recording::Column::SessionId.eq("old"))
        .exec(&db)
        .await
        .expect("age the recording");
    let mut left = vec![];
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = list(&app, &token, json!({})).await;
        if left.len() == 1 {
            break;
        }
    }
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["sessionId"], "keep");
    let chunks = entity::recording_chunk::Entity::find()
        .all(&db)
        .await
        .expect("chunks");
    assert_eq!(chunks.len(), 1, "chunks go with their recording");
}

#[tokio::test]
async fn concurrent_batches_are_committed_together_and_each_kept() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let sends = (0..40).map(|i| {
        let app = &app;
        async move {
            let session = format!("c{}", i % 8);
            let seq = i / 8;
            let body = json!({"visitor_id": session, "sequence": seq, "events": [
                meta(T0 + seq * 1000, &format!("https://shop.example/p{seq}")),
                click(T0 + seq * 1000 + 10, 1, 1)]});
            // Every batch twice, at once (often in one group commit), then again after:
            // the retries must not count twice, and exactly one send stores it.
            let (a, b) = futures_util::join!(
                send(app, &session, &body, &[]),
                send(app, &session, &body, &[])
            );
            let c = send(app, &session, &body, &[]).await;
            (a, b, c)
        }
    });
    for (a, b, c) in futures_util::future::join_all(sends).await {
        assert_eq!(
            (a.0, b.0, c.0),
            (StatusCode::OK, StatusCode::OK, StatusCode::OK)
        );
        let fresh = [&a.1, &b.1, &c.1]
            .iter()
            .filter(|r| r["duplicate"] == false)
            .count();
        assert_eq!(fresh, 1, "{a:?} {b:?} {c:?}");
        assert_eq!(c.1["duplicate"], true);
        assert_eq!(a.1["recording_id"], c.1["recording_id"]);
    }
    let recs = list(&app, &token, json!({})).await;
    assert_eq!(recs.len(), 8);
    for r in recs {
        assert_eq!(r["eventCount"], 10, "{r}");
        assert_eq!(r["clicks"], 5, "{r}");
        assert_eq!(r["pageViews"], 5, "{r}");
        assert_eq!(r["durationMs"], 4010, "{r}");
    }
}
