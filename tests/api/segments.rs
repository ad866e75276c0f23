//! Identify API and segments end to end: the switch, typed attributes and their limits,
//! segment rules over GraphQL, targeting by segment through `/widgets`, response filters,
//! and tenancy.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const DESKTOP: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

async fn identify(app: &TestApp, site: i64, body: Value) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/{site}/identify")))
        .header("User-Agent", DESKTOP)
        .json(&body)
        .send()
        .await
        .expect("identify");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

const USERS: &str = "query($site: ID!, $segment: ID, $rule: JSON) {
  users(siteId: $site, segmentId: $segment, rule: $rule, first: 50) {
    totalCount edges { node { userId sessions device
      attributes { name type value stringValue numberValue booleanValue dateValue } } }
  } }";

/// The users the query lists, sorted; also checks that paging two at a time without
/// `totalCount` (the page alone, which tests profiles one by one) lists the same.
async fn user_ids(app: &TestApp, token: &str, vars: Value) -> Vec<String> {
    let (_, b) = app.gql(token, USERS, vars.clone()).await;
    let edges = |b: &Value| -> Vec<String> {
        b["data"]["users"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{b}"))
            .iter()
            .map(|e| e["node"]["userId"].as_str().expect("userId").to_owned())
            .collect()
    };
    let listed = edges(&b);
    let mut paged: Vec<String> = vec![];
    let mut after = Value::Null;
    loop {
        let mut v = vars.clone();
        v["after"] = after;
        let (_, p) = app.gql(token, USERS_PAGED, v).await;
        paged.extend(edges(&p));
        let info = &p["data"]["users"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(paged, listed, "{vars}");
    let mut ids = listed;
    ids.sort();
    ids
}

const USERS_PAGED: &str = "query($site: ID!, $segment: ID, $rule: JSON, $after: String) {
  users(siteId: $site, segmentId: $segment, rule: $rule, first: 2, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { userId } }
  } }";

async fn attribute_defs(app: &TestApp, token: &str) -> Value {
    let (_, b) = app
        .gql(
            token,
            r#"{ userAttributes(siteId: "1") { name type } }"#,
            json!({}),
        )
        .await;
    b["data"]["userAttributes"].clone()
}

#[tokio::test]
async fn identify_is_off_by_default_and_stores_nothing_then() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (status, b) = identify(
        &app,
        1,
        json!({"visitor_id": "v1", "user_id": "u1", "attributes": {"spend": 10}}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(b["error"], "IDENTIFY_DISABLED", "{b}");
    assert_eq!(
        user_ids(&app, &token, json!({"site": "1"})).await,
        Vec::<String>::new()
    );
    assert_eq!(attribute_defs(&app, &token).await, json!([]));

    app.enable_identify(&token, 1).await;
    let (status, b) = identify(
        &app,
        1,
        json!({"visitor_id": "v1", "user_id": "u1", "attributes": {"spend": 10}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["stored"], true);
    assert_eq!(
        user_ids(&app, &token, json!({"site": "1"})).await,
        vec!["u1"]
    );

    // Switched off again: refused at once (the site cache is invalidated).
    let (_, b) = app
        .gql(
            &token,
            r#"mutation { updateSite(id: "1", input: {identifyEnabled: false}) { identifyEnabled } }"#,
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["updateSite"]["identifyEnabled"], false, "{b}");
    let (status, _) = identify(&app, 1, json!({"visitor_id": "v2", "user_id": "u2"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        user_ids(&app, &token, json!({"site": "1"})).await,
        vec!["u1"]
    );
}

/// Identify calls are committed in groups: calls sent at once are all stored, and one of
/// them refused for a value of the wrong type stores nothing while the others of its
/// group are kept.
#[tokio::test]
async fn concurrent_identify_calls_are_all_stored_and_a_refused_one_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let (status, b) = identify(
        &app,
        1,
        json!({"visitor_id": "v0", "user_id": "u0", "attributes": {"spend": 1}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let calls = (1..=40).map(|i| {
        let spend = if i == 17 { json!("lots") } else { json!(i) };
        let body = json!({"visitor_id": format!("v{i}"), "user_id": format!("u{i}"),
            "attributes": {"spend": spend, "plan": "pro"}});
        let app = &app;
        async move { (i, identify(app, 1, body).await) }
    });
    for (i, (status, b)) in futures_util::future::join_all(calls).await {
        if i == 17 {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
            assert_eq!(b["field"], "attributes.spend", "{b}");
        } else {
            assert_eq!(status, StatusCode::OK, "call {i}: {b}");
            assert_eq!(b["attributes_set"], 2, "{b}");
        }
    }
    let ids = user_ids(
        &app,
        &token,
        json!({"site": "1", "rule": {"attribute": "spend", "operator": "GTE", "value": 0}}),
    )
    .await;
    assert_eq!(ids.len(), 40, "{ids:?}");
    assert!(!ids.contains(&"u17".to_owned()), "{ids:?}");
    let (_, b) = app
        .gql(
            &token,
            r#"{ user(siteId: "1", userId: "u17") { userId } }"#,
            json!({}),
        )
        .await;
    assert!(b["data"]["user"].is_null() || b["errors"].is_array(), "{b}");
}

/// On PostgreSQL a group's values travel as array literals: quotes, backslashes, commas,
/// braces, the word NULL, an empty string and non-ASCII text come back exactly as sent,
/// from calls committed together.
#[tokio::test]
async fn identify_values_with_quotes_backslashes_and_braces_come_back_exactly() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let odd = [
        r#"a"b"#, r"c\d", "{e,f}", "NULL", "", " sp ", "é😀", r#"\"}"#, "x,\"y\"",
    ];
    let user = |i: usize, s: &str| format!("u{i}<{s}>");
    let calls = odd.iter().enumerate().map(|(i, s)| {
        let body = json!({"visitor_id": format!("odd-v{i}"), "user_id": user(i, s),
            "attributes": {"note": s, "n": -1.5e-7 * i as f64, "flag": i % 2 == 0}});
        let app = &app;
        async move { identify(app, 1, body).await }
    });
    for (status, b) in futures_util::future::join_all(calls).await {
        assert_eq!(status, StatusCode::OK, "{b}");
    }
    for (i, s) in odd.iter().enumerate() {
        assert_eq!(
            user_attrs(&app, &token, &user(i, s)).await,
            json!({"note": s, "n": -1.5e-7 * i as f64, "flag": i % 2 == 0, "_sessions": 1}),
            "{s}"
        );
    }
}

async fn user_attrs(app: &TestApp, token: &str, user: &str) -> Value {
    let (_, b) = app
        .gql(
            token,
            r#"query($u: String!) { user(siteId: "1", userId: $u) { sessions attributes { name value } } }"#,
            json!({"u": user}),
        )
        .await;
    let user = &b["data"]["user"];
    assert!(user.is_object(), "{b}");
    let mut out = serde_json::Map::new();
    for a in user["attributes"].as_array().expect("attributes") {
        out.insert(
            a["name"].as_str().expect("name").to_owned(),
            a["value"].clone(),
        );
    }
    out.insert("_sessions".into(), user["sessions"].clone());
    Value::Object(out)
}

/// Calls sent at once are applied as a group, set-wise where they touch nothing another
/// call of the group touches and one by one otherwise: new and known users, a user and a
/// visitor repeated in the group, an anonymous profile merged, a new attribute name, and
/// refused calls among them (which store nothing) all end as if applied one by one.
#[tokio::test]
async fn a_burst_of_identify_calls_mixing_new_known_repeated_and_refused_ends_as_one_by_one() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let mut setup =
        vec![json!({"visitor_id": "anon", "user_id": null, "attributes": {"color": "red"}})];
    for i in 1..=10 {
        setup.push(
            json!({"visitor_id": format!("ev{i}"), "user_id": format!("e{i}"),
            "attributes": {"plan": "basic", "spend": i, "trial": true}}),
        );
    }
    for body in setup {
        let (status, b) = identify(&app, 1, body).await;
        assert_eq!(status, StatusCode::OK, "{b}");
    }

    let mut calls: Vec<(Value, StatusCode, Value)> = Vec::new();
    let ok = |set: usize| (StatusCode::OK, json!(set));
    for i in 1..=20 {
        let (s, set) = ok(3);
        calls.push((
            json!({"visitor_id": format!("nv{i}"), "user_id": format!("n{i}"),
            "attributes": {"plan": "pro", "spend": 100 + i, "since": format!("2024-01-{i:02}")}}),
            s,
            set,
        ));
    }
    for i in 1..=10 {
        let (s, set) = ok(1);
        calls.push((
            json!({"visitor_id": format!("ev{i}"), "user_id": format!("e{i}"),
            "attributes": {"plan": "team", "spend": null}}),
            s,
            set,
        ));
    }
    for k in 1..=5 {
        let (s, set) = ok(1);
        calls.push((
            json!({"visitor_id": format!("rv{k}"), "user_id": "r", "attributes": {"tier": k}}),
            s,
            set,
        ));
    }
    for u in ["x1", "x2"] {
        let (s, set) = ok(0);
        calls.push((json!({"visitor_id": "shared", "user_id": u}), s, set));
    }
    let (s, set) = ok(1);
    calls.push((
        json!({"visitor_id": "anon", "user_id": "m", "attributes": {"spend": 7}}),
        s,
        set,
    ));
    // Refused: a string for a NUMBER, a string for a BOOLEAN, a new user and a known one.
    calls.push((json!({"visitor_id": "bv1", "user_id": "bad1", "attributes": {"plan": "pro", "spend": "lots"}}),
        StatusCode::BAD_REQUEST, json!("attributes.spend")));
    calls.push((json!({"visitor_id": "ev3", "user_id": "e3", "attributes": {"plan": "gold", "trial": "no"}}),
        StatusCode::BAD_REQUEST, json!("attributes.trial")));

    for round in 0..2 {
        let sent = calls
            .iter()
            .map(|(body, ..)| identify(&app, 1, body.clone()));
        let answers = futures_util::future::join_all(sent).await;
        for ((body, status, want), (got, b)) in calls.iter().zip(answers) {
            assert_eq!(got, *status, "round {round}, {body}: {b}");
            if *status == StatusCode::OK {
                assert_eq!(b["attributes_set"], *want, "{body}: {b}");
                assert_eq!(b["user_id"], body["user_id"], "{body}: {b}");
            } else {
                assert_eq!(b["field"], *want, "{body}: {b}");
            }
        }
    }

    let mut want: Vec<String> = (1..=10).map(|i| format!("e{i}")).collect();
    want.extend((1..=20).map(|i| format!("n{i}")));
    want.extend(["m", "r", "x1", "x2"].map(String::from));
    want.sort();
    assert_eq!(user_ids(&app, &token, json!({"site": "1"})).await, want);
    for i in 1..=20 {
        let a = user_attrs(&app, &token, &format!("n{i}")).await;
        assert_eq!(a["plan"], "pro", "{a}");
        assert_eq!(a["spend"], json!(f64::from(100 + i)), "{a}");
        assert_eq!(a["since"], format!("2024-01-{i:02}T00:00:00.000Z"), "{a}");
        assert_eq!(a["_sessions"], 1, "{a}");
    }
    for i in 1..=10 {
        let a = user_attrs(&app, &token, &format!("e{i}")).await;
        assert_eq!(a["plan"], "team", "{a}");
        assert_eq!(a["trial"], true, "{a}");
        assert!(a.get("spend").is_none(), "null removed it: {a}");
    }
    let m = user_attrs(&app, &token, "m").await;
    assert_eq!(m["color"], "red", "the anonymous profile merged in: {m}");
    assert_eq!(m["spend"], 7.0, "{m}");
    let r = user_attrs(&app, &token, "r").await;
    assert!((1..=5).any(|k| r["tier"] == json!(f64::from(k))), "{r}");
    assert_eq!(
        attribute_defs(&app, &token).await,
        json!([
            {"name": "color", "type": "STRING"},
            {"name": "plan", "type": "STRING"},
            {"name": "since", "type": "DATE"},
            {"name": "spend", "type": "NUMBER"},
            {"name": "tier", "type": "NUMBER"},
            {"name": "trial", "type": "BOOLEAN"},
        ])
    );

    // Each visitor is linked to its user: a call without user_id is about that user.
    let mut visitors: Vec<(String, &str)> = (1..=5).map(|k| (format!("rv{k}"), "r")).collect();
    visitors.push(("anon".into(), "m"));
    visitors.push(("nv7".into(), "n7"));
    visitors.push(("ev2".into(), "e2"));
    for (visitor, user) in &visitors {
        let (status, b) = identify(&app, 1, json!({"visitor_id": visitor, "user_id": null})).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(b["user_id"], *user, "{visitor}: {b}");
    }
    let (_, b) = identify(&app, 1, json!({"visitor_id": "shared", "user_id": null})).await;
    assert!(b["user_id"] == "x1" || b["user_id"] == "x2", "{b}");
}

#[tokio::test]
async fn attributes_are_typed_and_limited_and_a_refused_call_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let (status, b) = identify(
        &app,
        1,
        json!({"visitor_id": "v1", "user_id": "alice", "attributes": {
            "spend": 120.5, "plan": "Pro", "trial": false,
            "customer_since": "2024-02-29", "last_order": "2025-01-31T23:30:00-02:00"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["attributes_set"], 5);
    assert_eq!(
        attribute_defs(&app, &token).await,
        json!([
            {"name": "customer_since", "type": "DATE"},
            {"name": "last_order", "type": "DATE"},
            {"name": "plan", "type": "STRING"},
            {"name": "spend", "type": "NUMBER"},
            {"name": "trial", "type": "BOOLEAN"},
        ])
    );
    let (_, b) = app
        .gql(
            &token,
            r#"{ user(siteId: "1", userId: "alice") { userId firstSeen lastSeen sessions device
                 attributes { name type value stringValue numberValue booleanValue dateValue } } }"#,
            json!({}),
        )
        .await;
    let user = &b["data"]["user"];
    assert_eq!(user["device"], "desktop", "{b}");
    assert_eq!(user["sessions"], 1);
    let attrs = user["attributes"].as_array().expect("attributes");
    let by = |n: &str| attrs.iter().find(|a| a["name"] == n).cloned().expect(n);
    assert_eq!(by("spend")["numberValue"], 120.5);
    assert_eq!(by("plan")["stringValue"], "Pro");
    assert_eq!(by("trial")["booleanValue"], false);
    assert_eq!(by("customer_since")["value"], "2024-02-29T00:00:00.000Z");
    // The offset is kept as the instant it names: 2025-02-01 01:30 UTC.
    assert_eq!(by("last_order")["value"], "2025-02-01T01:30:00.000Z");

    // Each bad call: 400 naming the attribute, and nothing of it stored (not even the
    // valid `plan` change beside it).
    let refused = [
        (json!({"spend": "lots", "plan": "Team"}), "attributes.spend"),
        (json!({"plan": "x".repeat(101)}), "attributes.plan"),
        (
            json!({"plan": "Team", "address": {"city": "Paris"}}),
            "attributes.address",
        ),
        (
            json!({"plan": "Team", "tags": ["a", "b"]}),
            "attributes.tags",
        ),
        (
            json!({"plan": "Team", "Bad-Name": 1}),
            "attributes.Bad-Name",
        ),
        (
            json!({"plan": "Team", "customer_since": "soon"}),
            "attributes.customer_since",
        ),
        (json!({"trial": "no"}), "attributes.trial"),
    ];
    for (attributes, field) in refused {
        let (status, b) = identify(
            &app,
            1,
            json!({"visitor_id": "v1", "user_id": "alice", "attributes": attributes}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{attributes}: {b}");
        assert_eq!(b["error"], "BAD_USER_INPUT");
        assert_eq!(b["field"], field, "{b}");
    }
    let plan = user_ids(
        &app,
        &token,
        json!({"site": "1", "rule": {"attribute": "plan", "operator": "EQUALS", "value": "pro"}}),
    )
    .await;
    assert_eq!(plan, vec!["alice"], "the refused calls changed nothing");
    assert_eq!(
        attribute_defs(&app, &token).await.as_array().map(Vec::len),
        Some(5)
    );

    // A date-looking string is still a string for a STRING attribute; null removes.
    let (status, _) = identify(
        &app,
        1,
        json!({"visitor_id": "v1", "user_id": "alice", "attributes": {"plan": "2025-01-01", "trial": null}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let unset = user_ids(
        &app,
        &token,
        json!({"site": "1", "rule": {"attribute": "trial", "operator": "IS_NOT_SET"}}),
    )
    .await;
    assert_eq!(unset, vec!["alice"]);

    // At most 100 names per site: 95 more fit, the 101st is refused by name.
    let mut many = serde_json::Map::new();
    for i in 0..95 {
        many.insert(format!("a{i:03}"), json!(i));
    }
    let (status, b) = identify(
        &app,
        1,
        json!({"visitor_id": "v2", "user_id": "bob", "attributes": many}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let (status, b) = identify(
        &app,
        1,
        json!({"visitor_id": "v2", "user_id": "bob", "attributes": {"spend": 1, "one_too_many": 1}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["field"], "attributes.one_too_many");
    let bob_spend = user_ids(
        &app,
        &token,
        json!({"site": "1", "rule": {"attribute": "spend", "operator": "EQ", "value": 1}}),
    )
    .await;
    assert!(
        bob_spend.is_empty(),
        "nothing of the refused call was stored"
    );

    // user_id and visitor_id are checked too.
    for body in [
        json!({"user_id": "x"}),
        json!({"visitor_id": "v 1", "user_id": "x"}),
        json!({"visitor_id": "v1", "user_id": {"id": 1}}),
        json!({"visitor_id": "v1", "attributes": [1]}),
    ] {
        let (status, b) = identify(&app, 1, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {b}");
    }
}

#[tokio::test]
async fn anonymous_attributes_merge_into_the_user_and_responses_follow_the_visitor() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    let (status, _) = identify(
        &app,
        1,
        json!({"visitor_id": "anon1", "user_id": null, "attributes": {"country_code": "fr", "spend": 5}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        user_ids(&app, &token, json!({"site": "1"}))
            .await
            .is_empty(),
        "anonymous visitors are not users"
    );
    let (status, _) = identify(
        &app,
        1,
        json!({"visitor_id": "anon1", "user_id": "carol", "attributes": {"spend": 50}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, b) = app
        .gql(
            &token,
            r#"{ user(siteId: "1", userId: "carol") { attributes { name value } } }"#,
            json!({}),
        )
        .await;
    let attrs = b["data"]["user"]["attributes"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{b}"));
    assert!(
        attrs.contains(&json!({"name": "spend", "value": 50.0})),
        "{b}"
    );
    assert!(
        attrs.contains(&json!({"name": "country_code", "value": "fr"})),
        "{b}"
    );
}

async fn create_segment(app: &TestApp, token: &str, name: &str, rule: Value) -> Value {
    let (_, b) = app
        .gql(
            token,
            "mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id name rule } }",
            json!({"input": {"siteId": "1", "name": name, "rule": rule}}),
        )
        .await;
    b
}

#[tokio::test]
async fn segments_are_checked_previewed_and_target_surveys() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    for (visitor, user, spend, plan) in [
        ("va", "ann", 500, "pro"),
        ("vb", "ben", 5, "pro"),
        ("vc", "cy", 900, "basic"),
    ] {
        let (status, _) = identify(
            &app,
            1,
            json!({"visitor_id": visitor, "user_id": user, "attributes": {"spend": spend, "plan": plan}}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }

    // Save-time checks name the offending condition.
    for (rule, field) in [
        (
            json!({"and": [{"attribute": "nope", "operator": "EQUALS", "value": "x"}]}),
            "rule.and[0].attribute",
        ),
        (
            json!({"and": [{"attribute": "spend", "operator": "CONTAINS", "value": "x"}]}),
            "rule.and[0].operator",
        ),
        (
            json!({"or": [{"attribute": "spend", "operator": "GT", "value": "100"}]}),
            "rule.or[0].value",
        ),
        (
            json!({"and": [{"or": [{"attribute": "plan", "operator": "EQUALS", "value": "pro"}, {"bogus": 1}]}]}),
            "rule.and[0].or[1]",
        ),
    ] {
        let b = create_segment(&app, &token, "bad", rule).await;
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], field, "{b}");
    }

    let rule = json!({"and": [{"attribute": "spend", "operator": "GT", "value": 100},
                              {"attribute": "plan", "operator": "EQUALS", "value": "PRO"}]});
    let b = create_segment(&app, &token, "Big pro spenders", rule.clone()).await;
    let seg = b["data"]["createSegment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    assert_eq!(b["data"]["createSegment"]["rule"], rule);
    let (_, b) = app
        .gql(
            &token,
            "query($id: ID!) { segment(id: $id) { name preview { matchingUsers sampleUsers { userId } } } }",
            json!({"id": seg}),
        )
        .await;
    assert_eq!(b["data"]["segment"]["preview"]["matchingUsers"], 1, "{b}");
    assert_eq!(
        b["data"]["segment"]["preview"]["sampleUsers"],
        json!([{"userId": "ann"}])
    );
    assert_eq!(
        user_ids(&app, &token, json!({"site": "1", "segment": seg})).await,
        vec!["ann"]
    );
    let (_, b) = app
        .gql(
            &token,
            r#"{ segments(siteId: "1") { totalCount edges { node { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["segments"]["totalCount"], 1, "{b}");

    // A survey targeted at the segment: served to ann only, never to anonymous visitors.
    let (_, b) = app
        .gql(
            &token,
            "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id questions { id } } }",
            json!({"input": {"siteId": "1", "kind": "POLL", "name": "VIP poll",
                   "targeting": {"segmentId": seg, "frequency": "ALWAYS"},
                   "questions": [{"type": "NPS", "prompt": "Recommend us?", "required": true}]}}),
        )
        .await;
    let survey = b["data"]["createSurvey"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    let question = b["data"]["createSurvey"]["questions"][0]["id"]
        .as_str()
        .expect("q")
        .to_owned();
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { status } }",
            json!({"id": survey}),
        )
        .await;
    assert_eq!(b["data"]["setSurveyStatus"]["status"], "ACTIVE", "{b}");
    let served = |visitor: &'static str| {
        let app = &app;
        async move {
            let body: Value = app
                .http
                .get(app.url("/v1/sites/1/widgets"))
                .query(&[("visitor_id", visitor), ("url", "https://shop.example/")])
                .send()
                .await
                .expect("widgets")
                .json()
                .await
                .expect("json");
            body["widgets"].as_array().map(Vec::len).unwrap_or(0)
        }
    };
    assert_eq!(served("va").await, 1);
    assert_eq!(served("vb").await, 0);
    assert_eq!(served("vc").await, 0);
    assert_eq!(served("stranger").await, 0);

    // Ben spends more: he joins the segment on his next page view.
    identify(
        &app,
        1,
        json!({"visitor_id": "vb", "user_id": "ben", "attributes": {"spend": 150}}),
    )
    .await;
    assert_eq!(served("vb").await, 1);

    // Responses filtered by segment, with the user and attributes attached.
    for (visitor, score) in [("va", 9), ("vb", 3), ("stranger", 10)] {
        let resp = app
            .http
            .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
            .json(&json!({"visitor_id": visitor, "answers": [{"question_id": question.parse::<i64>().expect("id"), "value": score}]}))
            .send()
            .await
            .expect("submit");
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    let responses = "query($survey: ID!, $filter: ResponseFilterInput) { responses(surveyId: $survey, filter: $filter) { totalCount edges { node { userId userAttributes } } } }";
    let (_, b) = app
        .gql(
            &token,
            responses,
            json!({"survey": survey, "filter": {"segmentId": seg}}),
        )
        .await;
    assert_eq!(b["data"]["responses"]["totalCount"], 2, "{b}");
    let counted = b["data"]["responses"]["edges"].clone();
    // Without `totalCount` the page tests each response on its own: the same two.
    let (_, b) = app
        .gql(
            &token,
            "query($survey: ID!, $filter: ResponseFilterInput) { responses(surveyId: $survey, filter: $filter, first: 5) { edges { node { userId userAttributes } } } }",
            json!({"survey": survey, "filter": {"segmentId": seg}}),
        )
        .await;
    assert_eq!(b["data"]["responses"]["edges"], counted, "{b}");
    assert!(b["data"]["responses"].get("totalCount").is_none(), "{b}");
    let (_, b) = app
        .gql(&token, responses, json!({"survey": survey, "filter": {"rule": {"answer": {"question_id": question.parse::<i64>().expect("id"), "operator": "LTE", "value": 6}}}}))
        .await;
    assert_eq!(b["data"]["responses"]["totalCount"], 1, "{b}");
    assert_eq!(b["data"]["responses"]["edges"][0]["node"]["userId"], "ben");
    assert_eq!(
        b["data"]["responses"]["edges"][0]["node"]["userAttributes"]["plan"],
        "pro"
    );
    let (_, b) = app
        .gql(&token, "query($s: ID!, $f: ResponseFilterInput) { survey(id: $s) { summary(filter: $f) { responses } } }", json!({"s": survey, "f": {"segmentId": seg}}))
        .await;
    assert_eq!(b["data"]["survey"]["summary"]["responses"], 2, "{b}");

    // A segment over answers: detractors.
    let b = create_segment(&app, &token, "Detractors", json!({"answer": {"question_id": question.parse::<i64>().expect("id"), "operator": "LTE", "value": 6}})).await;
    assert!(b["errors"].is_null(), "{b}");
    let detractors = b["data"]["createSegment"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        user_ids(&app, &token, json!({"site": "1", "segment": detractors})).await,
        vec!["ben"]
    );
    let (_, b) = app
        .gql(
            &token,
            r#"{ user(siteId: "1", userId: "ann") { responses { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["user"]["responses"]["totalCount"], 1, "{b}");

    // A targeted segment cannot be deleted; an unused one can.
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { deleteSegment(id: $id) }",
            json!({"id": seg}),
        )
        .await;
    assert_eq!(error_code(&b), "CONFLICT", "{b}");
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { deleteSegment(id: $id) }",
            json!({"id": detractors}),
        )
        .await;
    assert_eq!(b["data"]["deleteSegment"], detractors, "{b}");
}

#[tokio::test]
async fn another_organizations_segments_and_users_are_not_found() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    app.enable_identify(&token, 1).await;
    identify(
        &app,
        1,
        json!({"visitor_id": "v1", "user_id": "u1", "attributes": {"spend": 1}}),
    )
    .await;
    let b = create_segment(
        &app,
        &token,
        "Mine",
        json!({"attribute": "spend", "operator": "GT", "value": 0}),
    )
    .await;
    let seg = b["data"]["createSegment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();

    let (_, other_site, creds) = app.other_org("SCALE").await;
    let other = app.token(&creds).await;
    for (query, vars) in [
        (
            "query($id: ID!) { segment(id: $id) { name } }",
            json!({"id": seg}),
        ),
        (
            "mutation($id: ID!) { deleteSegment(id: $id) }",
            json!({"id": seg}),
        ),
        (
            "mutation($id: ID!) { updateSegment(id: $id, input: {name: \"x\"}) { id } }",
            json!({"id": seg}),
        ),
        (
            r#"{ user(siteId: "1", userId: "u1") { userId } }"#,
            json!({}),
        ),
        (r#"{ users(siteId: "1") { totalCount } }"#, json!({})),
        (r#"{ segments(siteId: "1") { totalCount } }"#, json!({})),
        (r#"{ userAttributes(siteId: "1") { name } }"#, json!({})),
    ] {
        let (_, b) = app.gql(&other, query, vars).await;
        assert_eq!(error_code(&b), "NOT_FOUND", "{query}: {b}");
    }
    // Its own site cannot use our segment either.
    let (_, b) = app
        .gql(
            &other,
            "query($s: ID!, $seg: ID) { users(siteId: $s, segmentId: $seg) { totalCount } }",
            json!({"s": other_site.to_string(), "seg": seg}),
        )
        .await;
    assert_eq!(error_code(&b), "NOT_FOUND", "{b}");
    let (_, b) = app
        .gql(
            &other,
            "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id } }",
            json!({"input": {"siteId": other_site.to_string(), "kind": "POLL", "name": "x", "targeting": {"segmentId": seg},
                   "questions": [{"type": "NPS", "prompt": "?", "required": true}]}}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT", "{b}");
    // And our segment still works for us.
    assert_eq!(
        user_ids(&app, &token, json!({"site": "1", "segment": seg})).await,
        vec!["u1"]
    );
}
