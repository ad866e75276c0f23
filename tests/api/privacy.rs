//! Privacy by default: a scan of everything stored and logged after requests full of IPs,
//! user agents and emails; DNT / GPC / opt-out per endpoint; GDPR lookup and deletion;
//! purges; retention; the audit log; per-site URL rules; tenancy.

use std::collections::BTreeMap;
use std::io::Read;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const IP_XFF: &str = "203.0.113.77";
const IP_FORWARDED: &str = "198.51.100.23";
const IP_REAL: &str = "192.0.2.45";
const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/4.2 Chrome/120.0 Safari/537.36";
const LEAKED_EMAIL: &str = "probe.person+scan@leak.example";

/// Names of every table of the test database.
async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
    };
    db.query_all(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("tables")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect()
}

/// Every row of every table, as text.
async fn dump(db: &DatabaseConnection) -> String {
    let b = db.get_database_backend();
    let mut out = String::new();
    for t in tables(db).await {
        let sql = if b == DbBackend::Postgres {
            format!("SELECT x::text FROM \"{t}\" x")
        } else {
            let cols: Vec<String> = db
                .query_all(Statement::from_string(
                    b,
                    format!("SELECT name FROM pragma_table_info('{t}')"),
                ))
                .await
                .expect("columns")
                .iter()
                .map(|r| format!("quote(\"{}\")", r.try_get_by_index::<String>(0).expect("c")))
                .collect();
            format!("SELECT {} FROM \"{t}\"", cols.join(" || '|' || "))
        };
        for row in db
            .query_all(Statement::from_string(b, sql))
            .await
            .expect("rows")
        {
            out.push_str(&t);
            out.push(':');
            out.push_str(&row.try_get_by_index::<String>(0).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// Rows per table.
async fn counts(db: &DatabaseConnection) -> BTreeMap<String, i64> {
    let b = db.get_database_backend();
    let mut out = BTreeMap::new();
    for t in tables(db).await {
        if t == "seaql_migrations" {
            continue;
        }
        let n = db
            .query_one(Statement::from_string(
                b,
                format!("SELECT COUNT(*) AS n FROM \"{t}\""),
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get_by_index::<i64>(0)
            .expect("n");
        out.insert(t, n);
    }
    out
}

/// An active survey on site 1 with a short text and an email question: (survey, [q ids]).
async fn survey(app: &TestApp, token: &str) -> (String, Vec<i64>) {
    app.active_survey(
        token,
        json!({"name": "Feedback", "questions": [
            {"key": "text", "type": "SHORT_TEXT", "prompt": "Anything to add?"},
            {"key": "email", "type": "EMAIL", "prompt": "Your email"}]}),
    )
    .await
}

/// Headers that carry a distinctive IP in every way proxies do, and a distinctive agent.
fn probe_headers(req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    req.header("User-Agent", UA)
        .header("X-Forwarded-For", format!("{IP_XFF}, 10.0.0.1"))
        .header("Forwarded", format!("for={IP_FORWARDED};proto=https"))
        .header("X-Real-IP", IP_REAL)
        .header("CF-Connecting-IP", IP_XFF)
}

async fn respond(
    app: &TestApp,
    survey: &str,
    body: Value,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut req = probe_headers(
        app.http
            .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses"))),
    )
    .json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("respond");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn record(
    app: &TestApp,
    session: &str,
    visitor: &str,
    href: &str,
    headers: &[(&str, &str)],
) -> StatusCode {
    let body = json!({"visitor_id": visitor, "sequence": 0, "events": [
        {"type": 4, "timestamp": 1_760_000_000_000i64, "data": {"href": href, "width": 1280, "height": 720}},
        // The page links to its own URL (a canonical link, a "this page" anchor).
        {"type": 2, "timestamp": 1_760_000_000_500i64, "data": {"node": {"type": 0, "id": 1, "childNodes": [
            {"type": 2, "id": 2, "tagName": "a", "attributes": {"href": href}, "childNodes": []}
        ]}, "initialOffset": {"left": 0, "top": 0}}},
        {"type": 3, "timestamp": 1_760_000_001_000i64, "data": {"source": 2, "type": 2, "id": 5, "x": 1, "y": 2}}
    ]});
    let mut req = probe_headers(
        app.http
            .post(app.url(&format!("/v1/sites/1/recordings/{session}/events"))),
    )
    .header("Content-Type", "application/json")
    .body(body.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("record").status()
}

/// A recording's stored events as NDJSON, read back through the API.
async fn stored_events(app: &TestApp, token: &str, recording: &str) -> String {
    app.http
        .get(app.url(&format!("/v1/sites/1/recordings/{recording}/events")))
        .bearer_auth(token)
        .send()
        .await
        .expect("events")
        .text()
        .await
        .expect("text")
}

async fn identify(app: &TestApp, body: Value, headers: &[(&str, &str)]) -> StatusCode {
    let mut req = probe_headers(app.http.post(app.url("/v1/sites/1/identify"))).json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("identify").status()
}

async fn display(
    app: &TestApp,
    survey: &str,
    visitor: &str,
    headers: &[(&str, &str)],
) -> StatusCode {
    let mut req = probe_headers(
        app.http
            .post(app.url(&format!("/v1/sites/1/surveys/{survey}/displays"))),
    )
    .json(&json!({"visitor_id": visitor, "event": "shown"}));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("display").status()
}

#[tokio::test]
async fn privacy_scan_finds_no_ip_user_agent_or_email_in_storage_or_logs() {
    let mut app = TestApp::spawn_with(&[
        ("CAPTURE_STDERR", "1"),
        ("RUST_LOG", "debug"),
        ("LOUPE_COUNTRY_HEADER", "CF-IPCountry"),
    ])
    .await;
    // Read the logs as they come, so a full pipe never blocks the server.
    let mut stderr = app.server().child.stderr.take().expect("stderr");
    let logs = std::thread::spawn(move || {
        let mut logs = String::new();
        let _ = stderr.read_to_string(&mut logs);
        logs
    });
    let creds = app.admin.clone();
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    app.enable_identify(&token, 1).await;

    let leaky_url = format!("https://shop.example/account/{LEAKED_EMAIL}/orders?email={LEAKED_EMAIL}&utm_source={LEAKED_EMAIL}#{LEAKED_EMAIL}");
    // Every public endpoint, each request full of IPs, the agent and the email.
    let widgets = probe_headers(app.http.get(app.url("/v1/sites/1/widgets")))
        .query(&[("visitor_id", "v-scan"), ("url", leaky_url.as_str())])
        .send()
        .await
        .expect("widgets");
    assert_eq!(widgets.status(), StatusCode::OK);
    let (status, _) = respond(
        &app,
        &survey,
        json!({"visitor_id": "v-scan", "page_url": leaky_url, "answers": [{"question_id": q[0], "value": "Fine"}]}),
        &[("CF-IPCountry", "DE")],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        display(&app, &survey, "v-scan", &[]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        identify(
            &app,
            json!({"visitor_id": "v-scan", "user_id": "u-scan", "attributes": {"plan": "pro"}}),
            &[]
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        record(&app, "s-scan", "v-scan", &leaky_url, &[]).await,
        StatusCode::OK
    );
    let preflight = probe_headers(
        app.http
            .request(reqwest::Method::OPTIONS, app.url("/v1/sites/1/identify")),
    )
    .header("Origin", "http://localhost")
    .header("Access-Control-Request-Method", "POST")
    .send()
    .await
    .expect("preflight");
    assert!(preflight.status().is_success());
    let opt = probe_headers(app.http.get(app.url("/v1/opt-out")))
        .send()
        .await
        .expect("opt-out");
    assert_eq!(opt.status(), StatusCode::OK);
    // The authenticated API too: token, GraphQL, REST.
    probe_headers(
        app.http
            .get(app.url(&format!("/v1/sites/1/surveys/{survey}/responses"))),
    )
    .bearer_auth(&token)
    .send()
    .await
    .expect("rest");

    let conn = app.db_conn().await;
    let mut stored = dump(&conn).await;
    // Recording chunks are compressed: read them back as events too.
    let (_, b) = app
        .gql(
            &token,
            "{ recordings(siteId: \"1\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let rec = b["data"]["recordings"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    let events = stored_events(&app, &token, &rec).await;
    assert!(events.contains("[redacted]"), "{events}");
    stored.push_str(&events);
    // On SQLite, the raw bytes of the database files as well.
    if !app.db.url.starts_with("postgres") {
        for f in std::fs::read_dir(app.dir.path()).expect("dir").flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.starts_with("loupe.db") {
                stored.push_str(&String::from_utf8_lossy(
                    &std::fs::read(f.path()).expect("read"),
                ));
            }
        }
    }
    assert!(stored.contains("u-scan"), "the scan reads real data");
    assert!(stored.contains("DE"), "the trusted country header is kept");
    drop(conn);
    app.server().stop();
    let logs = logs.join().expect("logs");
    assert!(logs.contains("request"), "debug logs were captured");
    for needle in [
        IP_XFF,
        IP_FORWARDED,
        IP_REAL,
        "PrivacyProbe",
        "probe.person",
        "leak.example",
        "probe.person%2Bscan",
    ] {
        assert!(!stored.contains(needle), "storage holds {needle:?}");
        assert!(!logs.contains(needle), "logs hold {needle:?}");
    }
    // The peer address (loopback here) is never stored either.
    assert!(
        !stored.contains("127.0.0.1"),
        "storage holds the peer address"
    );
    for secret in [creds.client_secret.as_str(), token.as_str()] {
        assert!(!logs.contains(secret), "logs hold a secret or token");
    }
}

#[tokio::test]
async fn do_not_track_gpc_and_the_opt_out_cookie_are_honoured_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    // Honoured first: 204 even where the site has Identify off (without DNT: 403).
    let call = json!({"visitor_id": "v-off", "user_id": "u-off", "attributes": {"plan": "pro"}});
    assert_eq!(
        identify(&app, call.clone(), &[("DNT", "1")]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(identify(&app, call, &[]).await, StatusCode::FORBIDDEN);
    app.enable_identify(&token, 1).await;

    // The opt-out endpoints set and clear a long-lived cookie.
    let out = app
        .http
        .get(app.url("/v1/opt-out"))
        .send()
        .await
        .expect("opt-out");
    assert_eq!(out.status(), StatusCode::OK);
    let cookie = out
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie")
        .to_owned();
    assert!(cookie.starts_with("loupe_opt_out=1;"), "{cookie}");
    assert!(cookie.contains("Max-Age=63072000"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let https = app
        .http
        .get(app.url("/v1/opt-out"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .expect("opt-out");
    let c = https
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(c.contains("SameSite=None") && c.contains("Secure"), "{c}");
    let back = app
        .http
        .get(app.url("/v1/opt-in"))
        .send()
        .await
        .expect("opt-in");
    let c = back
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        c.starts_with("loupe_opt_out=;") && c.contains("Max-Age=0"),
        "{c}"
    );

    let conn = app.db_conn().await;
    let before = counts(&conn).await;
    for (i, signal) in [
        ("DNT", "1"),
        ("Sec-GPC", "1"),
        ("Cookie", "a=b; loupe_opt_out=1"),
    ]
    .into_iter()
    .enumerate()
    {
        let visitor = format!("v-quiet-{i}");
        let h = [signal];
        assert_eq!(
            record(
                &app,
                &format!("s-quiet-{i}"),
                &visitor,
                "https://shop.example/",
                &h
            )
            .await,
            StatusCode::NO_CONTENT,
            "{signal:?}"
        );
        assert_eq!(
            identify(&app, json!({"visitor_id": visitor, "user_id": format!("u-quiet-{i}"), "attributes": {"plan": "pro"}}), &h).await,
            StatusCode::NO_CONTENT,
            "{signal:?}"
        );
        assert_eq!(
            display(&app, &survey, &visitor, &h).await,
            StatusCode::NO_CONTENT
        );
        // Answers are kept, without the visitor.
        let (status, _) = respond(
            &app,
            &survey,
            json!({"visitor_id": visitor, "answers": [{"question_id": q[0], "value": "quiet"}]}),
            &h,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{signal:?}");
    }
    let after = counts(&conn).await;
    for (t, n) in &after {
        let grew = n - before.get(t).copied().unwrap_or(0);
        match t.as_str() {
            "response" | "answer" => assert_eq!(grew, 3, "{t}"),
            _ => assert_eq!(
                grew, 0,
                "{t} stored something for a visitor who asked not to be tracked"
            ),
        }
    }
    let (_, b) = app
        .gql(
            &token,
            "query($id: ID!) { responses(surveyId: $id) { edges { node { visitorId } } } }",
            json!({"id": survey}),
        )
        .await;
    for e in b["data"]["responses"]["edges"].as_array().expect("edges") {
        assert!(e["node"]["visitorId"].is_null(), "{b}");
    }
    // Without a signal, the same calls store.
    assert_eq!(
        record(&app, "s-loud", "v-loud", "https://shop.example/", &[]).await,
        StatusCode::OK
    );
    assert_eq!(
        identify(
            &app,
            json!({"visitor_id": "v-loud", "user_id": "u-loud", "attributes": {}}),
            &[("DNT", "0")]
        )
        .await,
        StatusCode::OK
    );
}

const LOOKUP: &str = "mutation($input: PersonalDataInput!) { lookupPersonalData(input: $input) }";
const DELETE: &str = "mutation($input: PersonalDataInput!) { deletePersonalData(input: $input) }";

struct Seeded {
    app: TestApp,
    token: String,
    survey: String,
}

/// Two people on site 1. Ann: identified as `u-ann` (email attribute) from two browsers,
/// one response with her email, one anonymous response from a third browser with her
/// email, a recording, a display. Bob: identified, one response, one recording.
async fn seed_people() -> Seeded {
    // The heatmap roll-up is held: run between the counts before and after a deletion, it
    // would move staged increments into `heatmap_cell` and read as rows deleted or added.
    let app = TestApp::spawn_with(&[("LOUPE_HEATMAP_ROLLUP_MS", "3600000")]).await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    app.enable_identify(&token, 1).await;
    for (visitor, user, attrs) in [
        (
            "v-ann-1",
            "u-ann",
            json!({"email": "Ann@Example.org", "plan": "pro"}),
        ),
        ("v-ann-2", "u-ann", json!({})),
        ("v-bob", "u-bob", json!({"email": "bob@example.org"})),
    ] {
        assert_eq!(
            identify(
                &app,
                json!({"visitor_id": visitor, "user_id": user, "attributes": attrs}),
                &[]
            )
            .await,
            StatusCode::OK
        );
    }
    for (visitor, text, email) in [
        ("v-ann-1", "Love it", "ann@example.org"),
        ("v-ann-3", "Anonymous but mine", "ANN@example.org"),
        ("v-bob", "Meh", "bob@example.org"),
    ] {
        let (status, b) = respond(
            &app,
            &survey,
            json!({"visitor_id": visitor, "page_url": "https://shop.example/thanks",
                   "answers": [{"question_id": q[0], "value": text}, {"question_id": q[1], "value": email}]}),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{b}");
    }
    assert_eq!(
        record(&app, "s-ann", "v-ann-2", "https://shop.example/a", &[]).await,
        StatusCode::OK
    );
    assert_eq!(
        record(&app, "s-bob", "v-bob", "https://shop.example/b", &[]).await,
        StatusCode::OK
    );
    assert_eq!(
        display(&app, &survey, "v-ann-1", &[]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        display(&app, &survey, "v-bob", &[]).await,
        StatusCode::NO_CONTENT
    );
    Seeded { app, token, survey }
}

#[tokio::test]
async fn personal_data_is_reported_then_deleted_leaving_everyone_else_intact() {
    let Seeded { app, token, survey } = seed_people().await;

    // Lookup by email: the identify attribute and both EMAIL answers find Ann.
    let (_, b) = app
        .gql(
            &token,
            LOOKUP,
            json!({"input": {"email": "ann@example.org"}}),
        )
        .await;
    let report = &b["data"]["lookupPersonalData"];
    assert_eq!(report["counts"]["users"], 1, "{b}");
    assert_eq!(report["counts"]["responses"], 2, "{b}");
    assert_eq!(report["counts"]["recordings"], 1, "{b}");
    assert_eq!(report["counts"]["survey_displays"], 1, "{b}");
    assert_eq!(report["users"][0]["user_id"], "u-ann");
    assert_eq!(report["users"][0]["attributes"]["plan"], "pro");
    let mut visitors: Vec<&str> = report["users"][0]["visitor_ids"]
        .as_array()
        .expect("visitors")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    visitors.sort_unstable();
    assert_eq!(visitors, ["v-ann-1", "v-ann-2", "v-ann-3"]);
    let texts: Vec<&Value> = report["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .flat_map(|r| r["answers"].as_array().expect("answers"))
        .map(|a| &a["value"])
        .collect();
    assert!(texts.contains(&&json!("Love it")) && texts.contains(&&json!("Anonymous but mine")));
    assert!(!texts.contains(&&json!("Meh")), "Bob's answer is not Ann's");
    assert_eq!(report["recordings"][0]["session_id"], "s-ann");

    // The same person through the Hotjar-compatible REST endpoint, by user id.
    let rest = |body: Value, token: String| {
        let app = &app;
        async move {
            let resp = app
                .http
                .post(app.url("/v1/organizations/1/user-lookup"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("lookup");
            let status = resp.status();
            (status, resp.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, r) = rest(
        json!({"data_subject_site_id_to_user_id_map": {"1": "u-ann"}, "delete_all_hits": false}),
        token.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    crate::rest::assert_hotjar("user-lookup", &r);
    // By user id alone, the anonymous response (known only by its email) is not hers.
    assert_eq!(
        r["counts"],
        json!({"users": 1, "visitors": 2, "responses": 1, "answers": 2, "recordings": 1, "survey_displays": 1}),
        "{r}"
    );

    // Bad requests, roles, plans and other organizations.
    let (status, r) = rest(json!({"delete_all_hits": false}), token.clone()).await;
    assert_eq!(
        (status, r["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_USER_INPUT")),
        "{r}"
    );
    let (status, _) = rest(json!({"data_subject_email": "not-an-email"}), token.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let write = app.token(&app.create_key(1, "WRITE").await).await;
    let (status, r) = rest(
        json!({"data_subject_email": "ann@example.org"}),
        write.clone(),
    )
    .await;
    assert_eq!(
        (status, r["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("FORBIDDEN")),
        "{r}"
    );
    let (_, b) = app
        .gql(
            &write,
            DELETE,
            json!({"input": {"email": "ann@example.org"}}),
        )
        .await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
    let (status, r) = rest(
        json!({"data_subject_site_id_to_user_id_map": {"shop": "u-ann"}}),
        token.clone(),
    )
    .await;
    assert_eq!(
        (status, r["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_USER_INPUT")),
        "not a site id: {r}"
    );
    let (status, r) = rest(
        json!({"data_subject_site_id_to_user_id_map": {"1": "u-ann", "01": "u-bob"}}),
        token.clone(),
    )
    .await;
    assert_eq!(
        (status, r["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_USER_INPUT")),
        "one site twice: {r}"
    );
    for input in [
        json!({}),
        json!({"email": "not-an-email"}),
        json!({"siteUsers": [{"siteId": "x", "userId": "u-ann"}]}),
        // One user per site and request: a second would otherwise be silently dropped.
        json!({"siteUsers": [{"siteId": "1", "userId": "u-ann"}, {"siteId": "1", "userId": "u-bob"}]}),
    ] {
        for query in [LOOKUP, DELETE] {
            let (_, b) = app.gql(&token, query, json!({ "input": input })).await;
            assert_eq!(error_code(&b), "BAD_USER_INPUT", "{input}: {b}");
        }
    }
    let (other_org, other_site, other_creds) = app.other_org("BUSINESS").await;
    let other = app.token(&other_creds).await;
    for query in [LOOKUP, DELETE] {
        let (_, b) = app
            .gql(
                &other,
                query,
                json!({"input": {"email": "ann@example.org"}}),
            )
            .await;
        assert_eq!(error_code(&b), "PLAN_REQUIRED", "{b}");
    }
    let (status, r) = rest(
        json!({"data_subject_email": "ann@example.org"}),
        other.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another organization's path: {r}"
    );
    let resp = app
        .http
        .post(app.url(&format!("/v1/organizations/{other_org}/user-lookup")))
        .bearer_auth(&other)
        .json(&json!({"data_subject_email": "ann@example.org"}))
        .send()
        .await
        .expect("lookup");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        resp.json::<Value>().await.expect("json")["error"],
        "PLAN_REQUIRED"
    );
    let (status, _) = rest(
        json!({"data_subject_site_id_to_user_id_map": {other_site.to_string(): "u-ann"}}),
        token.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a site of another organization"
    );

    // Deletion: everything of Ann, nothing of Bob, in one go.
    let conn = app.db_conn().await;
    let before = counts(&conn).await;
    let (_, b) = app
        .gql(
            &token,
            DELETE,
            json!({"input": {"email": "ANN@example.org", "siteUsers": [{"siteId": "1", "userId": "u-ann"}]}}),
        )
        .await;
    let deleted = &b["data"]["deletePersonalData"];
    assert_eq!(deleted["responses"], 2, "{b}");
    assert_eq!(deleted["answers"], 4, "{b}");
    assert_eq!(deleted["recordings"], 1, "{b}");
    assert_eq!(deleted["users"], 1, "{b}");
    assert_eq!(deleted["visitor_links"], 2, "{b}");
    assert_eq!(deleted["survey_displays"], 1, "{b}");
    let after = counts(&conn).await;
    let expected_drop: BTreeMap<&str, i64> = [
        ("response", 2),
        ("answer", 4),
        ("recording", 1),
        ("recording_chunk", 1),
        // The recording's heatmap state; the heatmap counts carry no visitor and stay.
        ("heatmap_recording", 1),
        ("site_user", 1),
        ("visitor_link", 2),
        ("user_attribute", 2),
        ("survey_display", 1),
        ("audit_log", -1), // the deletion is audited
    ]
    .into_iter()
    .collect();
    for (t, n) in &before {
        let drop = n - after.get(t).copied().unwrap_or(0);
        assert_eq!(
            drop,
            expected_drop.get(t.as_str()).copied().unwrap_or(0),
            "table {t}"
        );
    }
    let stored = dump(&conn).await;
    for gone in [
        "u-ann",
        "v-ann-1",
        "v-ann-2",
        "v-ann-3",
        "Love it",
        "Ann@Example.org",
        "ann@example.org",
    ] {
        assert!(!stored.contains(gone), "{gone} is still stored");
    }
    for kept in ["u-bob", "v-bob", "Meh", "bob@example.org", "s-bob"] {
        assert!(stored.contains(kept), "{kept} was deleted");
    }
    let (_, b) = app
        .gql(
            &token,
            LOOKUP,
            json!({"input": {"email": "ann@example.org"}}),
        )
        .await;
    assert_eq!(
        b["data"]["lookupPersonalData"]["counts"]["responses"], 0,
        "{b}"
    );
    let (status, r) = rest(
        json!({"data_subject_email": "bob@example.org", "delete_all_hits": true}),
        token.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["deleted"]["responses"], 1, "{r}");
    assert_eq!(r["deleted"]["recordings"], 1, "{r}");

    // The audit log: every lookup and deletion, with counts and no clear identifier.
    let (_, b) = app
        .gql(
            &token,
            "{ auditLog(first: 50) { totalCount edges { node { action apiKeyId siteId subjectHash counts createdAt } } } }",
            json!({}),
        )
        .await;
    let log = &b["data"]["auditLog"];
    let actions: Vec<&str> = log["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|e| e["node"]["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        ["DELETE", "LOOKUP", "DELETE", "LOOKUP", "LOOKUP"],
        "{b}"
    );
    let text = log.to_string();
    for clear in ["ann@", "ANN@", "u-ann", "bob@", "u-bob"] {
        assert!(!text.contains(clear), "audit log shows {clear}");
    }
    let hashes: Vec<&str> = log["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["subjectHash"].as_str())
        .collect();
    assert!(hashes.iter().all(|h| h.len() == 64));
    assert_eq!(hashes[1], hashes[4], "the same subject hashes the same");
    let (_, b) = app
        .gql(&write, "{ auditLog { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&b), "FORBIDDEN");
    let (_, b) = app
        .gql(&other, "{ auditLog { totalCount } }", json!({}))
        .await;
    assert_eq!(b["data"]["auditLog"]["totalCount"], 0, "{b}");
    let _ = survey;
}

#[tokio::test]
async fn purges_scrub_leaked_urls_and_delete_time_ranges() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    let leak = "https://shop.example/reset/ann-password-token/done";
    let (status, _) = respond(
        &app,
        &survey,
        json!({"visitor_id": "v1", "page_url": leak, "answers": [{"question_id": q[0], "value": "x"}]}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        record(&app, "s-leak", "v1", leak, &[]).await,
        StatusCode::OK
    );
    assert_eq!(
        record(&app, "s-fine", "v2", "https://shop.example/fine", &[]).await,
        StatusCode::OK
    );

    let (_, b) = app
        .gql(
            &token,
            "mutation { purgeUrls(siteId: \"1\", pattern: \"/reset/ann-password-token\") }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["purgeUrls"],
        // The page's heatmap aggregates go whole (their key is the URL).
        json!({"responses": 1, "recordings": 1, "recording_chunks": 1, "heatmap_pages": 1}),
        "{b}"
    );
    let conn = app.db_conn().await;
    let stored = dump(&conn).await;
    assert!(!stored.contains("ann-password-token"), "{stored}");
    assert!(
        stored.contains("https://shop.example[purged]/done"),
        "{stored}"
    );
    let (_, b) = app
        .gql(
            &token,
            "{ recordings(siteId: \"1\") { edges { node { id sessionId entryUrl } } } }",
            json!({}),
        )
        .await;
    let edges = b["data"]["recordings"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let leaked = edges
        .iter()
        .find(|e| e["node"]["sessionId"] == "s-leak")
        .expect("s-leak");
    assert_eq!(
        leaked["node"]["entryUrl"],
        "https://shop.example[purged]/done"
    );
    let id = leaked["node"]["id"].as_str().expect("id");
    let events = stored_events(&app, &token, id).await;
    assert!(
        !events.contains("ann-password-token") && events.contains("[purged]"),
        "{events}"
    );
    let (_, b) = app
        .gql(
            &token,
            "mutation { purgeUrls(siteId: \"1\", pattern: \"ab\") }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");

    // A time range: only what was captured inside it goes.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let two_days_ago = chrono::Utc::now() - chrono::TimeDelta::days(2);
    entity::recording::Entity::update_many()
        .col_expr(
            entity::recording::Column::StartedAt,
            sea_orm::sea_query::Expr::value(two_days_ago),
        )
        .filter(entity::recording::Column::SessionId.eq("s-fine"))
        .exec(&conn)
        .await
        .expect("age");
    let window = json!({"from": (two_days_ago - chrono::TimeDelta::hours(1)).to_rfc3339(),
                        "to": (two_days_ago + chrono::TimeDelta::hours(1)).to_rfc3339()});
    let purge = "mutation($from: DateTime!, $to: DateTime!, $kinds: [PurgeKind!]!) {
        purgeTimeRange(siteId: \"1\", from: $from, to: $to, kinds: $kinds) }";
    let mut vars = window.clone();
    vars["kinds"] = json!(["RECORDINGS", "RESPONSES"]);
    let (_, b) = app.gql(&token, purge, vars).await;
    assert_eq!(
        b["data"]["purgeTimeRange"],
        json!({"recordings": 1, "responses": 0}),
        "{b}"
    );
    let mut vars = window.clone();
    vars["kinds"] = json!([]);
    let (_, b) = app.gql(&token, purge, vars).await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    let mut backwards = json!({"from": window["to"], "to": window["from"], "kinds": ["RESPONSES"]});
    let (_, b) = app.gql(&token, purge, backwards.take()).await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    let read = app.token(&app.create_key(1, "WRITE").await).await;
    let mut vars = window.clone();
    vars["kinds"] = json!(["RESPONSES"]);
    let (_, b) = app.gql(&read, purge, vars).await;
    assert_eq!(error_code(&b), "FORBIDDEN", "{b}");
    let (_, _, other_creds) = app.other_org("SCALE").await;
    let other = app.token(&other_creds).await;
    let (_, b) = app
        .gql(
            &other,
            "mutation { purgeUrls(siteId: \"1\", pattern: \"shop.example\") }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let (_, b) = app
        .gql(
            &token,
            "{ auditLog { edges { node { action siteId counts } } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&str> = b["data"]["auditLog"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["PURGE_TIME_RANGE", "PURGE_URLS"], "{b}");
}

#[tokio::test]
async fn site_url_rules_apply_to_every_stored_url() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    let (_, b) = app
        .gql(
            &token,
            "mutation { updateSite(id: \"1\", input: {urlAllowedParams: [\"page\"], urlPatterns: [\"/account/[^/?]+\"]}) { urlAllowedParams urlPatterns } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["updateSite"]["urlAllowedParams"],
        json!(["page"]),
        "{b}"
    );
    for bad in [
        json!({"urlPatterns": ["(open"]}),
        json!({"urlPatterns": [".*"]}),
        json!({"urlAllowedParams": ["a b"]}),
    ] {
        let (_, b) = app
            .gql(
                &token,
                "mutation($i: UpdateSiteInput!) { updateSite(id: \"1\", input: $i) { id } }",
                json!({"i": bad}),
            )
            .await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    }
    let url = "https://shop.example/account/ann/orders?page=2&sort=price&utm_medium=mail#top";
    let (status, _) = respond(
        &app,
        &survey,
        json!({"visitor_id": "v1", "page_url": url, "answers": [{"question_id": q[0], "value": "x"}]}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(record(&app, "s1", "v1", url, &[]).await, StatusCode::OK);
    let want = "https://shop.example[redacted]/orders?page=2&sort=%5Bredacted%5D&utm_medium=mail";
    let (_, b) = app
        .gql(
            &token,
            "query($id: ID!) { responses(surveyId: $id) { edges { node { pageUrl } } } }",
            json!({"id": survey}),
        )
        .await;
    assert_eq!(
        b["data"]["responses"]["edges"][0]["node"]["pageUrl"], want,
        "{b}"
    );
    let (_, b) = app
        .gql(
            &token,
            "{ recordings(siteId: \"1\") { edges { node { entryUrl } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["recordings"]["edges"][0]["node"]["entryUrl"], want,
        "{b}"
    );
}

/// Makes the rows whose `key` is "old" 400 days old.
async fn age<E: sea_orm::EntityTrait>(
    conn: &DatabaseConnection,
    created: E::Column,
    key: E::Column,
) {
    use sea_orm::{ColumnTrait, QueryFilter};
    let old_at = chrono::Utc::now() - chrono::TimeDelta::days(400);
    E::update_many()
        .col_expr(created, sea_orm::sea_query::Expr::value(old_at))
        .filter(key.eq("old"))
        .exec(conn)
        .await
        .expect("age");
}

#[tokio::test]
async fn retention_deletes_old_responses_and_recordings_and_shows_in_metrics() {
    let app = TestApp::spawn_with(&[("LOUPE_RETENTION_INTERVAL_MS", "200")]).await;
    let token = app.admin_token().await;
    let (survey, q) = survey(&app, &token).await;
    for v in ["old", "new"] {
        let (status, _) = respond(
            &app,
            &survey,
            json!({"visitor_id": v, "answers": [{"question_id": q[0], "value": v}]}),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            record(&app, v, v, "https://shop.example/", &[]).await,
            StatusCode::OK
        );
        assert_eq!(display(&app, &survey, v, &[]).await, StatusCode::NO_CONTENT);
    }
    let conn = app.db_conn().await;
    use entity::{recording, response, survey_display};
    age::<response::Entity>(
        &conn,
        response::Column::CreatedAt,
        response::Column::VisitorId,
    )
    .await;
    age::<recording::Entity>(
        &conn,
        recording::Column::CreatedAt,
        recording::Column::SessionId,
    )
    .await;
    age::<survey_display::Entity>(
        &conn,
        survey_display::Column::CreatedAt,
        survey_display::Column::VisitorId,
    )
    .await;
    let mut metrics = String::new();
    // Up to 20 s: the sweep runs every 200 ms, but a loaded CI machine can delay it.
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        metrics = app.metrics().await;
        if metrics.contains("loupe_retention_deleted_total{kind=\"responses\"} 1")
            && metrics.contains("loupe_retention_deleted_total{kind=\"recordings\"} 1")
        {
            break;
        }
    }
    assert!(
        metrics.contains("loupe_retention_deleted_total{kind=\"responses\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("loupe_retention_deleted_total{kind=\"recordings\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("loupe_retention_deleted_total{kind=\"displays\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("loupe_retention_last_success_timestamp_seconds"),
        "{metrics}"
    );
    let c = counts(&conn).await;
    assert_eq!(
        (
            c["response"],
            c["answer"],
            c["recording"],
            c["survey_display"]
        ),
        (1, 1, 1, 1)
    );
    let (_, b) = app
        .gql(
            &token,
            "{ auditLog { edges { node { action apiKeyId siteId counts } } } }",
            json!({}),
        )
        .await;
    let e = &b["data"]["auditLog"]["edges"][0]["node"];
    assert_eq!(e["action"], "RETENTION", "{b}");
    assert!(e["apiKeyId"].is_null());
    // The sweep runs every 200 ms while the rows above are aged one table at a time, so
    // they may go in more than one run, each with its own entry: their counts add up.
    let mut total = std::collections::BTreeMap::<String, i64>::new();
    for edge in b["data"]["auditLog"]["edges"].as_array().expect("edges") {
        let node = &edge["node"];
        if node["action"] != "RETENTION" {
            continue;
        }
        for (k, v) in node["counts"].as_object().expect("counts") {
            // Heatmap days go in whichever run first sees them.
            if k != "heatmap_pages" {
                *total.entry(k.clone()).or_default() += v.as_i64().unwrap_or(0);
            }
        }
    }
    total.retain(|_, n| *n != 0);
    assert_eq!(
        serde_json::to_value(&total).expect("json"),
        json!({"recordings": 1, "responses": 1, "displays": 1}),
        "{b}"
    );
}
