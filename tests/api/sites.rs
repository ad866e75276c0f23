//! Sites: creation, validation, pagination, and the Identify switch's plan and DPA gates.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const CREATE: &str = "mutation($input: CreateSiteInput!) { createSite(input: $input) { id name allowedDomains identifyEnabled retentionDays } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateSiteInput!) { updateSite(id: $id, input: $input) { id name allowedDomains identifyEnabled retentionDays } }";

#[tokio::test]
async fn create_and_update_validate_every_field() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (_, b) = app.gql(&token, CREATE, json!({"input": {"name": " Shop ", "allowedDomains": ["Shop.Example", "*.shop.example", "shop.example"]}})).await;
    let site = &b["data"]["createSite"];
    assert_eq!(site["name"], "Shop");
    assert_eq!(
        site["allowedDomains"],
        json!(["shop.example", "*.shop.example"])
    );
    assert_eq!(site["identifyEnabled"], false, "identify is off by default");
    assert_eq!(site["retentionDays"], 365);
    let id = site["id"].clone();

    for (input, field) in [
        (json!({"name": ""}), "name"),
        (json!({"name": "x".repeat(201)}), "name"),
        (
            json!({"allowedDomains": ["https://evil.example/path"]}),
            "allowedDomains",
        ),
        (json!({"retentionDays": 0}), "retentionDays"),
        (json!({"retentionDays": 4000}), "retentionDays"),
    ] {
        let (status, b) = app
            .gql(&token, UPDATE, json!({"id": id, "input": input}))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(error_code(&b), "BAD_USER_INPUT", "{input}: {b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], field, "{input}");
    }
    let (_, b) = app
        .gql(
            &token,
            UPDATE,
            json!({"id": id, "input": {"name": "Shop 2", "retentionDays": 30}}),
        )
        .await;
    assert_eq!(b["data"]["updateSite"]["name"], "Shop 2");
    assert_eq!(b["data"]["updateSite"]["retentionDays"], 30);
    let (_, b) = app
        .gql(&token, CREATE, json!({"input": {"name": "no"}}))
        .await;
    assert!(b["data"]["createSite"]["id"].is_string());
}

#[tokio::test]
async fn identify_needs_a_plan_and_the_dpa() {
    let app = TestApp::spawn().await;
    let (org, site, creds) = app.other_org("BASIC").await;
    let token = app.token(&creds).await;
    let on = json!({"id": site.to_string(), "input": {"identifyEnabled": true}});

    let (_, b) = app.gql(&token, UPDATE, on.clone()).await;
    assert_eq!(error_code(&b), "PLAN_REQUIRED", "{b}");

    app.admin_cli(&["set-plan", "--org", &org.to_string(), "--plan", "BUSINESS"])
        .await
        .expect("set plan");
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await; // plan changed by another process
    let (_, b) = app.gql(&token, UPDATE, on.clone()).await;
    assert_eq!(error_code(&b), "DPA_REQUIRED", "{b}");

    let (_, b) = app
        .gql(
            &token,
            "mutation { acceptDataProcessingAgreement { dpaAcceptedAt plan } }",
            json!({}),
        )
        .await;
    let accepted = b["data"]["acceptDataProcessingAgreement"]["dpaAcceptedAt"]
        .as_str()
        .expect("accepted")
        .to_owned();
    let (_, b) = app
        .gql(
            &token,
            "{ viewer { organization { dpaAcceptedAt plan } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["viewer"]["organization"]["dpaAcceptedAt"],
        accepted.as_str(),
        "visible at once"
    );
    assert_eq!(b["data"]["viewer"]["organization"]["plan"], "BUSINESS");

    let (_, b) = app.gql(&token, UPDATE, on).await;
    assert_eq!(b["data"]["updateSite"]["identifyEnabled"], true, "{b}");
    let (_, b) = app
        .gql(
            &token,
            UPDATE,
            json!({"id": site.to_string(), "input": {"identifyEnabled": false}}),
        )
        .await;
    assert_eq!(b["data"]["updateSite"]["identifyEnabled"], false);
}

#[tokio::test]
async fn pagination_is_stable_while_rows_are_inserted() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    for i in 0..4 {
        app.gql(
            &token,
            CREATE,
            json!({"input": {"name": format!("site {i}")}}),
        )
        .await;
    }
    const PAGE: &str = "query($after: String) { sites(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } }";
    let names = |b: &Value| -> Vec<String> {
        b["data"]["sites"]["edges"].as_array().map_or(vec![], |es| {
            es.iter()
                .map(|e| e["node"]["name"].as_str().unwrap_or("").to_owned())
                .collect()
        })
    };
    let (_, p1) = app.gql(&token, PAGE, json!({})).await;
    assert_eq!(p1["data"]["sites"]["totalCount"], 5);
    assert_eq!(names(&p1), ["Default site", "site 0"]);
    assert_eq!(p1["data"]["sites"]["pageInfo"]["hasNextPage"], true);
    let cursor = p1["data"]["sites"]["pageInfo"]["endCursor"].clone();
    assert_eq!(cursor, p1["data"]["sites"]["edges"][1]["cursor"]);

    app.gql(&token, CREATE, json!({"input": {"name": "late"}}))
        .await;
    let (_, p2) = app.gql(&token, PAGE, json!({"after": cursor})).await;
    assert_eq!(names(&p2), ["site 1", "site 2"]);
    assert_eq!(p2["data"]["sites"]["totalCount"], 6);
    let (_, p3) = app
        .gql(
            &token,
            PAGE,
            json!({"after": p2["data"]["sites"]["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(names(&p3), ["site 3", "late"]);
    assert_eq!(p3["data"]["sites"]["pageInfo"]["hasNextPage"], false);
    let (_, all) = app
        .gql(&token, "{ sites { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(
        all["data"]["sites"]["edges"].as_array().map(Vec::len),
        Some(6),
        "default page size 20"
    );
}
