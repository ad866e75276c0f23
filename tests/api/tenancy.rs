//! One organization can never read or change another's data: another organization's
//! object answers NOT_FOUND, exactly like one that does not exist.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_code, TestApp};

#[tokio::test]
async fn another_organizations_objects_are_not_found_everywhere() {
    let app = TestApp::spawn().await;
    let (other_org, other_site, other_creds) = app.other_org("SCALE").await;
    let other = app.token(&other_creds).await;
    let mine = app.admin_token().await;

    let (_, body) = app.gql(&other, "{ viewer { organization { id name sites { totalCount edges { node { id } } } } } sites { totalCount edges { node { id } } } }", json!({})).await;
    assert_eq!(
        body["data"]["viewer"]["organization"]["id"],
        other_org.to_string()
    );
    assert_eq!(body["data"]["sites"]["totalCount"], 1);
    assert_eq!(
        body["data"]["sites"]["edges"][0]["node"]["id"],
        other_site.to_string()
    );
    assert_eq!(
        body["data"]["viewer"]["organization"]["sites"]["totalCount"],
        1
    );

    // Site 1 belongs to the Default organization.
    let (_, missing) = app
        .gql(&other, r#"{ site(id: "424242") { id } }"#, json!({}))
        .await;
    let (_, foreign) = app
        .gql(&other, r#"{ site(id: "1") { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
    assert!(foreign["data"]["site"].is_null());
    assert_eq!(
        foreign["errors"][0]["message"], missing["errors"][0]["message"],
        "indistinguishable from missing"
    );

    let (_, upd) = app
        .gql(
            &other,
            r#"mutation { updateSite(id: "1", input: {name: "pwned"}) { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&upd), "NOT_FOUND");
    let (_, rev) = app
        .gql(
            &other,
            r#"mutation { revokeApiKey(id: "1") { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(&rev),
        "NOT_FOUND",
        "the Default org's bootstrap key is id 1"
    );
    let (_, bad_id) = app
        .gql(&other, r#"{ site(id: "not-a-number") { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&bad_id), "NOT_FOUND");

    // The other organization's own objects work, and the Default org is untouched.
    let (_, own) = app
        .gql(
            &other,
            &format!(r#"{{ site(id: "{other_site}") {{ name }} }}"#),
            json!({}),
        )
        .await;
    assert_eq!(own["data"]["site"]["name"], "Other site");
    let (status, body) = app.gql(&mine, r#"{ site(id: "1") { name } viewer { organization { apiKeys { edges { node { revokedAt } } } } } }"#, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["site"]["name"], "Default site");
    assert!(
        body["data"]["viewer"]["organization"]["apiKeys"]["edges"][0]["node"]["revokedAt"]
            .is_null()
    );
    let (_, mine_sees) = app
        .gql(
            &mine,
            &format!(r#"{{ site(id: "{other_site}") {{ id }} }}"#),
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(&mine_sees),
        "NOT_FOUND",
        "and the other way round"
    );

    // Accepting the DPA only affects the caller's organization.
    app.gql(
        &other,
        "mutation { acceptDataProcessingAgreement { id } }",
        json!({}),
    )
    .await;
    let (_, body) = app
        .gql(
            &mine,
            "{ viewer { organization { dpaAcceptedAt } } }",
            json!({}),
        )
        .await;
    assert!(body["data"]["viewer"]["organization"]["dpaAcceptedAt"].is_null());
}
