//! The operator CLI: organizations, sites, keys, plans.

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
