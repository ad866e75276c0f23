//! Recording chunks in an object store (`LOUPE_CHUNK_STORE=file:///…`): ingestion and replay
//! as with the database store, one object per chunk under retries, every deletion path
//! deleting the objects, a failing store answering 503 with nothing stored, the janitor,
//! and `loupe admin move-chunks`; the S3 contract against moto and SeaweedFS.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::s3::{self, Engine, S3};

const UA: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const T0: i64 = 1_760_000_000_000;

fn batch(visitor: &str, sequence: i64, href: &str) -> Value {
    let t = T0 + sequence * 1000;
    json!({"visitor_id": visitor, "sequence": sequence, "events": [
        {"type": 4, "timestamp": t, "data": {"href": href, "width": 1280, "height": 720}},
        {"type": 2, "timestamp": t + 1, "data": {"node": {"type": 0, "id": 1, "childNodes": [
            {"type": 2, "id": 2, "tagName": "a", "attributes": {"href": href}, "childNodes": []}
        ]}, "initialOffset": {"left": 0, "top": 0}}},
        {"type": 3, "timestamp": t + 2, "data": {"source": 2, "type": 2, "id": 5, "x": sequence, "y": 2}}
    ]})
}

async fn send(app: &TestApp, session: &str, body: &Value) -> (StatusCode, Option<String>, Value) {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/recordings/{session}/events")))
        .header("User-Agent", UA)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("send");
    let status = resp.status();
    let retry = resp
        .headers()
        .get("Retry-After")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, retry, resp.json().await.unwrap_or(Value::Null))
}

async fn replay(app: &TestApp, token: &str, recording: i64) -> String {
    let resp = app
        .http
        .get(app.url(&format!("/v1/sites/1/recordings/{recording}/events")))
        .bearer_auth(token)
        .send()
        .await
        .expect("events");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.expect("text")
}

/// The store's objects, as keys relative to its root, sorted.
fn objects(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// A server whose chunks go to a folder of their own (kept apart from its data directory,
/// as a bucket would be); the folder lives as long as the returned guard.
async fn spawn_file_store(env: &[(&str, &str)]) -> (TestApp, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("chunks");
    let url = format!("file://{}", root.display());
    let mut all = vec![("LOUPE_CHUNK_STORE", url.as_str())];
    all.extend_from_slice(env);
    let app = TestApp::spawn_with(&all).await;
    (app, root, dir)
}

async fn chunk_rows(app: &TestApp) -> Vec<entity::recording_chunk::Model> {
    let db = app.db_conn().await;
    entity::recording_chunk::Entity::find()
        .order_by_asc(entity::recording_chunk::Column::Id)
        .all(&db)
        .await
        .expect("chunks")
}

async fn wait_for(mut ok: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if ok() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ok()
}

#[tokio::test]
async fn file_store_ingests_and_replays_like_the_database_store_one_object_per_chunk() {
    // The database store named, so `TEST_CHUNK_STORE=file` leaves this baseline alone.
    let db_app = TestApp::spawn_with(&[("LOUPE_CHUNK_STORE", "db")]).await;
    let (app, root, _store) = spawn_file_store(&[]).await;
    let mut replays = Vec::new();
    for app in [&db_app, &app] {
        let token = app.admin_token().await;
        // Out of order, and every batch sent three times at once (a client retrying).
        let mut recording = 0;
        for seq in [2, 0, 1] {
            let body = batch("v1", seq, "https://shop.example/p");
            let answers =
                futures_util::future::join_all((0..3).map(|_| send(app, "s1", &body))).await;
            let mut fresh = 0;
            for (status, _, b) in &answers {
                assert_eq!(*status, StatusCode::OK, "{b}");
                recording = b["recording_id"].as_i64().expect("id");
                fresh += usize::from(b["duplicate"] == false);
            }
            assert_eq!(fresh, 1, "one of the three stored it: {answers:?}");
        }
        replays.push(replay(app, &token, recording).await);
    }
    assert_eq!(replays[0], replays[1], "the same events, in the same order");
    let lines: Vec<&str> = replays[1].lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(
        lines[0].contains("\"x\":0") || lines[2].contains("\"x\":0"),
        "{lines:?}"
    );

    let rows = chunk_rows(&app).await;
    assert_eq!(rows.len(), 3);
    let day = chrono::Utc::now().format("%Y-%m-%d");
    let mut keys: Vec<String> = rows
        .iter()
        .map(|r| {
            assert!(r.data.is_empty(), "the row keeps the key, not the bytes");
            r.object_key.clone().expect("object key")
        })
        .collect();
    keys.sort();
    let rec = rows[0].recording_id;
    assert_eq!(
        keys,
        (0..3)
            .map(|s| format!("sites/1/{day}/{rec}/{s}.zst"))
            .collect::<Vec<_>>()
    );
    assert_eq!(objects(&root), keys, "exactly one object per chunk");
    assert!(chunk_rows(&db_app)
        .await
        .iter()
        .all(|r| r.object_key.is_none()));

    let ready: Value = app
        .http
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["chunk_store"], "up", "{ready}");
}

#[tokio::test]
async fn deletions_purges_and_retention_delete_the_objects() {
    let (app, root, _store) = spawn_file_store(&[("LOUPE_RETENTION_INTERVAL_MS", "200")]).await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let resp = app
        .http
        .post(app.url("/v1/sites/1/identify"))
        .header("User-Agent", UA)
        .json(&json!({"visitor_id": "v-ann", "user_id": "u-ann", "attributes": {}}))
        .send()
        .await
        .expect("identify");
    assert_eq!(resp.status(), StatusCode::OK);
    let mut ids = std::collections::HashMap::new();
    for (session, visitor, href) in [
        ("s-ann", "v-ann", "https://shop.example/a"),
        (
            "s-leak",
            "v2",
            "https://shop.example/reset/secret-token-abc",
        ),
        ("s-del", "v3", "https://shop.example/c"),
        ("s-old", "v4", "https://shop.example/d"),
        ("s-keep", "v5", "https://shop.example/e"),
    ] {
        for seq in 0..2 {
            let (status, _, b) = send(&app, session, &batch(visitor, seq, href)).await;
            assert_eq!(status, StatusCode::OK, "{b}");
            ids.insert(session, b["recording_id"].as_i64().expect("id"));
        }
    }
    assert_eq!(objects(&root).len(), 10);
    let of = |session: &str| {
        let rec = ids[session];
        move |k: &String| k.split('/').nth(3) == Some(rec.to_string().as_str())
    };

    // Erasure request: Ann's recording and its objects.
    let (_, b) = app
        .gql(
            &token,
            "mutation($input: PersonalDataInput!) { deletePersonalData(input: $input) }",
            json!({"input": {"siteUsers": [{"siteId": "1", "userId": "u-ann"}]}}),
        )
        .await;
    assert_eq!(
        b["data"]["deletePersonalData"]["recording_chunks"], 2,
        "{b}"
    );
    assert!(
        !objects(&root).iter().any(of("s-ann")),
        "{:?}",
        objects(&root)
    );

    // URL purge: the leaked URL's chunks are rewritten into new objects, the old go.
    let before: Vec<String> = objects(&root).into_iter().filter(of("s-leak")).collect();
    let (_, b) = app
        .gql(
            &token,
            "mutation { purgeUrls(siteId: \"1\", pattern: \"/reset/secret-token-abc\") }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["purgeUrls"]["recording_chunks"], 2, "{b}");
    let after: Vec<String> = objects(&root).into_iter().filter(of("s-leak")).collect();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after.iter().all(|k| !before.contains(k)),
        "{before:?} {after:?}"
    );
    let events = replay(&app, &token, ids["s-leak"]).await;
    assert!(!events.contains("secret-token-abc"), "{events}");
    assert!(events.contains("[purged]"), "{events}");
    for key in &after {
        let data = std::fs::read(root.join(key)).expect("object");
        let text = api::domain::recordings::decompress(&data).expect("zstd");
        assert!(!String::from_utf8_lossy(&text).contains("secret-token-abc"));
    }

    // deleteRecordings.
    let (_, b) = app
        .gql(
            &token,
            "mutation($ids: [ID!]) { deleteRecordings(siteId: \"1\", ids: $ids) }",
            json!({"ids": [ids["s-del"].to_string()]}),
        )
        .await;
    assert_eq!(b["data"]["deleteRecordings"], 1, "{b}");
    assert!(!objects(&root).iter().any(of("s-del")));

    // Retention: a recording received 400 days ago.
    let db = app.db_conn().await;
    entity::recording::Entity::update_many()
        .col_expr(
            entity::recording::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::TimeDelta::days(400)),
        )
        .filter(entity::recording::Column::SessionId.eq("s-old"))
        .exec(&db)
        .await
        .expect("age");
    let gone = wait_for(|| !objects(&root).iter().any(of("s-old"))).await;
    assert!(gone, "{:?}", objects(&root));
    let left = objects(&root);
    assert_eq!(left.len(), 4, "s-leak's two and s-keep's two: {left:?}");
    assert_eq!(left.iter().filter(|k| of("s-keep")(k)).count(), 2);
    let keys: Vec<String> = chunk_rows(&app)
        .await
        .into_iter()
        .filter_map(|r| r.object_key)
        .collect();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, left, "every row's object, and no other");
}

#[tokio::test]
async fn a_failing_store_answers_503_with_retry_after_and_stores_nothing() {
    let (app, root, _store) = spawn_file_store(&[]).await;
    let token = app.admin_token().await;
    let (status, _, _) = send(&app, "s1", &batch("v1", 0, "https://shop.example/")).await;
    assert_eq!(status, StatusCode::OK);
    // The store's folder replaced by a file: every write fails.
    let aside = root.with_extension("aside");
    std::fs::rename(&root, &aside).expect("move the store away");
    std::fs::write(&root, b"not a folder").expect("block");
    for (session, seq) in [("s1", 1), ("s2", 0)] {
        let (status, retry, b) =
            send(&app, session, &batch("v2", seq, "https://shop.example/")).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{b}");
        assert!(retry.is_some(), "Retry-After");
        assert_eq!(b["error"], "UNAVAILABLE", "{b}");
    }
    let rows = chunk_rows(&app).await;
    assert_eq!(rows.len(), 1, "nothing of the failed batches is stored");
    let db = app.db_conn().await;
    let recs = entity::recording::Entity::find()
        .all(&db)
        .await
        .expect("recordings");
    assert_eq!(recs.len(), 1, "not even the new session's row");
    assert_eq!(recs[0].chunk_count, 1);
    let ready: Value = app
        .http
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["chunk_store"], "down", "{ready}");

    // The store back: the client's retries are stored, and every row's object is there.
    std::fs::remove_file(&root).expect("unblock");
    std::fs::rename(&aside, &root).expect("move back");
    for (session, seq) in [("s1", 1), ("s2", 0)] {
        // A client retries after a failure; writes resume within a second of the last one.
        let mut answer = send(&app, session, &batch("v2", seq, "https://shop.example/")).await;
        for _ in 0..30 {
            if answer.0 != StatusCode::SERVICE_UNAVAILABLE {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            answer = send(&app, session, &batch("v2", seq, "https://shop.example/")).await;
        }
        let (status, _, b) = answer;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(b["duplicate"], false);
    }
    for row in chunk_rows(&app).await {
        let key = row.object_key.expect("key");
        assert!(root.join(&key).is_file(), "{key}");
    }
    let events = replay(&app, &token, recs[0].id).await;
    assert_eq!(events.lines().count(), 6);
}

#[tokio::test]
async fn the_janitor_deletes_orphan_objects_only() {
    let (app, root, _store) = spawn_file_store(&[
        ("LOUPE_CHUNK_JANITOR_MS", "200"),
        ("LOUPE_CHUNK_ORPHAN_AGE_SECS", "1"),
    ])
    .await;
    let token = app.admin_token().await;
    let (status, _, b) = send(&app, "s1", &batch("v1", 0, "https://shop.example/")).await;
    assert_eq!(status, StatusCode::OK);
    let rec = b["recording_id"].as_i64().expect("id");
    // What a crash between an object's write and its row's commit leaves.
    let orphan = root.join("sites/1/2026-01-01/999999/0.zst");
    std::fs::create_dir_all(orphan.parent().expect("parent")).expect("dir");
    std::fs::write(&orphan, b"orphan").expect("orphan");
    assert_eq!(objects(&root).len(), 2);
    assert!(
        wait_for(|| !orphan.exists()).await,
        "the janitor removed the orphan"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(objects(&root).len(), 1, "the named object stays");
    assert_eq!(replay(&app, &token, rec).await.lines().count(), 3);
}

#[tokio::test]
async fn move_chunks_moves_database_chunks_to_a_store_resumably() {
    let mut app = TestApp::spawn_with(&[("LOUPE_CHUNK_STORE", "db")]).await;
    let token = app.admin_token().await;
    let mut recs = Vec::new();
    for session in ["a", "b"] {
        for seq in 0..3 {
            let (status, _, b) =
                send(&app, session, &batch(session, seq, "https://shop.example/")).await;
            assert_eq!(status, StatusCode::OK, "{b}");
            if seq == 0 {
                recs.push(b["recording_id"].as_i64().expect("id"));
            }
        }
    }
    let mut before = Vec::new();
    for r in &recs {
        before.push(replay(&app, &token, *r).await);
    }
    let root = app.dir.path().join("moved");
    let url = format!("file://{}", root.display());
    let out = app
        .admin_cli(&["move-chunks", "--to", &url, "--batch", "4"])
        .await
        .expect("move-chunks");
    assert_eq!(out["moved"], 6, "{out}");
    let out = app
        .admin_cli(&["move-chunks", "--to", &url])
        .await
        .expect("move-chunks again");
    assert_eq!(out["moved"], 0, "nothing left to move: {out}");
    let rows = chunk_rows(&app).await;
    assert!(rows
        .iter()
        .all(|r| r.data.is_empty() && r.object_key.is_some()));
    assert_eq!(objects(&root).len(), 6);

    app.restart(&[("LOUPE_CHUNK_STORE", url.as_str())]);
    let token = app.admin_token().await;
    for (r, old) in recs.iter().zip(&before) {
        assert_eq!(&replay(&app, &token, *r).await, old);
    }
    // New batches go to the store too.
    let (status, _, _) = send(&app, "a", &batch("a", 3, "https://shop.example/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(objects(&root).len(), 7);
}

/// The S3 contract against moto (an independent implementation of the S3 API).
#[tokio::test]
async fn s3_contract_on_moto() {
    if let Some(s3) = s3::start_or_skip(Engine::Moto, "the S3 contract test on moto").await {
        s3_contract(&s3).await;
    }
}

/// The S3 contract against SeaweedFS (a real storage engine).
#[tokio::test]
async fn s3_contract_on_seaweedfs() {
    if let Some(s3) =
        s3::start_or_skip(Engine::SeaweedFs, "the S3 contract test on SeaweedFS").await
    {
        s3_contract(&s3).await;
    }
}

/// One object per chunk under concurrent retries, an orphan in the way replaced, replay in
/// order, deletion.
async fn s3_contract(s3: &S3) {
    let bucket = s3.bucket().await;
    let env = s3.env(&bucket, "loupe");
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::spawn_with(&env).await;
    let token = app.admin_token().await;
    // An orphan where the first chunk will go (a crashed write of other bytes): the
    // create-only write finds it, and since no row names it, replaces it.
    let day = chrono::Utc::now().format("%Y-%m-%d");
    s3.put(
        &bucket,
        &format!("loupe/sites/1/{day}/1/1.zst"),
        "not a chunk",
    )
    .await;
    let mut recording = 0;
    for seq in [1, 0, 2] {
        let body = batch("v1", seq, "https://shop.example/s3");
        let answers = futures_util::future::join_all((0..3).map(|_| send(&app, "s1", &body))).await;
        for (status, _, b) in &answers {
            assert_eq!(*status, StatusCode::OK, "{b}");
            recording = b["recording_id"].as_i64().expect("id");
        }
    }
    assert_eq!(recording, 1, "a fresh database's first recording");
    let keys = s3.keys(&bucket, "loupe/").await;
    assert_eq!(
        keys,
        (0..3)
            .map(|s| format!("loupe/sites/1/{day}/{recording}/{s}.zst"))
            .collect::<Vec<_>>(),
        "exactly one object per chunk"
    );
    let events = replay(&app, &token, recording).await;
    let xs: Vec<&str> = events
        .lines()
        .filter(|l| l.contains("\"source\":2"))
        .collect();
    assert_eq!(xs.len(), 3, "{events}");
    for (i, l) in xs.iter().enumerate() {
        assert!(l.contains(&format!("\"x\":{i}")), "in order: {events}");
    }
    let (_, b) = app
        .gql(
            &token,
            "mutation($ids: [ID!]) { deleteRecordings(siteId: \"1\", ids: $ids) }",
            json!({"ids": [recording.to_string()]}),
        )
        .await;
    assert_eq!(b["data"]["deleteRecordings"], 1, "{b}");
    assert!(s3.keys(&bucket, "loupe/").await.is_empty());
    let ready: Value = app
        .http
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["chunk_store"], "up", "{ready}");
}
