//! The operator CLI: organizations, sites, keys, plans.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn operator_commands() {
    let app = TestApp::spawn().await;
    let org = app
        .admin_cli(&["create-org", "--name", "Acme", "--plan", "PLUS"])
        .await
        .expect("create-org");
    assert_eq!(org["plan"], "PLUS");
    let id = org["id"].as_i64().expect("id").to_string();
    let orgs = app.admin_cli(&["list-orgs"]).await.expect("list-orgs");
    assert_eq!(orgs.as_array().map(Vec::len), Some(2));
    let plan = app
        .admin_cli(&["set-plan", "--org", &id, "--plan", "SCALE"])
        .await
        .expect("set-plan");
    assert_eq!(plan["plan"], "SCALE");
    let site = app
        .admin_cli(&[
            "create-site",
            "--org",
            &id,
            "--name",
            "Shop",
            "--domain",
            "shop.example",
        ])
        .await
        .expect("create-site");
    assert!(site["id"].as_i64().is_some());
    let key = app
        .admin_cli(&["create-key", "--org", &id, "--role", "WRITE"])
        .await
        .expect("create-key");
    let secret = key["client_secret"].as_str().expect("secret").to_owned();
    let keys = app
        .admin_cli(&["list-keys", "--org", &id])
        .await
        .expect("list-keys");
    assert_eq!(keys.as_array().map(Vec::len), Some(1));
    assert!(
        !keys.to_string().contains(&secret),
        "secrets are never listed"
    );
    let revoked = app
        .admin_cli(&["revoke-key", "--id", &key["id"].to_string()])
        .await
        .expect("revoke");
    assert!(revoked["revoked_at"].is_string());

    assert!(
        app.admin_cli(&["create-org", "--name", "X", "--plan", "GOLD"])
            .await
            .is_err(),
        "unknown plan"
    );
    assert!(
        app.admin_cli(&["create-key", "--org", "999", "--role", "READ"])
            .await
            .is_err(),
        "unknown org"
    );
    assert!(app
        .admin_cli(&[
            "create-site",
            "--org",
            &id,
            "--name",
            "Bad",
            "--domain",
            "not a host"
        ])
        .await
        .is_err());
    assert!(app.admin_cli(&["revoke-key", "--id", "999"]).await.is_err());
}

/// Changes made by `loupe admin` in another process reach the running server's caches at
/// once (within one poll of the shared change counter), not when the caches expire: the
/// key cache here would otherwise keep a key for ten minutes.
#[tokio::test]
async fn cli_changes_reach_a_running_servers_caches_at_once() {
    let app = TestApp::spawn_with(&[
        ("LOUPE_AUTH_CACHE_MS", "600000"),
        ("LOUPE_CHANGES_POLL_MS", "50"),
    ])
    .await;
    let admin = app.admin_token().await;
    let writer = app.create_key(1, "WRITE").await;
    let token = app.token(&writer).await;
    let (_, b) = app.gql(&token, "{ viewer { role } }", json!({})).await;
    assert_eq!(b["data"]["viewer"]["role"], "WRITE", "{b}");
    let key_id = {
        let (_, b) = app
            .gql(&admin, "{ viewer { organization { apiKeys(first: 50) { edges { node { id clientId } } } } } }", json!({}))
            .await;
        b["data"]["viewer"]["organization"]["apiKeys"]["edges"]
            .as_array()
            .expect("keys")
            .iter()
            .find(|e| e["node"]["clientId"] == writer.client_id.as_str())
            .and_then(|e| e["node"]["id"].as_str())
            .expect("the new key")
            .to_owned()
    };

    // Revoked by the CLI: the cached key is refused at once.
    app.admin_cli(&["revoke-key", "--id", &key_id])
        .await
        .expect("revoke-key");
    let refused = async {
        loop {
            let (status, _) = app.gql(&token, "{ viewer { role } }", json!({})).await;
            if status == reqwest::StatusCode::UNAUTHORIZED {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(2), refused)
        .await
        .expect("the revoked key is refused within one poll, not after the 10-minute cache");

    // A plan lowered by the CLI: the cached organization's plan is the new one at once.
    let (_, b) = app
        .gql(&admin, "{ viewer { organization { plan } } }", json!({}))
        .await;
    assert_eq!(b["data"]["viewer"]["organization"]["plan"], "SCALE", "{b}");
    app.admin_cli(&["set-plan", "--org", "1", "--plan", "BASIC"])
        .await
        .expect("set-plan");
    let lowered = async {
        loop {
            let (_, b) = app
                .gql(&admin, "{ viewer { organization { plan } } }", json!({}))
                .await;
            if b["data"]["viewer"]["organization"]["plan"] == "BASIC" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(2), lowered)
        .await
        .expect("the new plan applies within one poll");
}
