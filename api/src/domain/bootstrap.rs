//! First start on an empty database: an organization "Default" on plan SCALE, one site
//! and one ADMIN key whose secret is handed back exactly once.

use entity::api_key::Role;
use entity::organization::{self, Plan};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait};

use super::{accounts, api_keys, organizations, sites};
use crate::error::AppResult;

pub struct FirstStart {
    pub organization_id: i64,
    pub site_id: i64,
    pub client_id: String,
    pub client_secret: String,
    /// The one-time console path that creates the owner account (`/setup?token=…`).
    pub setup_path: String,
}

/// `Some` only when this call created the first organization.
pub async fn first_start(db: &DatabaseConnection) -> AppResult<Option<FirstStart>> {
    // Two instances starting together on one empty database: only one bootstraps. SQLite:
    // the write lock from the start (a deferred transaction that read first could not
    // upgrade while the other writes).
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7422001)")
            .await?;
    }
    if organization::Entity::find().count(&txn).await? > 0 {
        return Ok(None);
    }
    let org = organizations::create(&txn, "Default", Plan::Scale).await?;
    let site = sites::create(
        &txn,
        org.id,
        sites::NewSite {
            name: "Default site".into(),
            allowed_domains: vec!["localhost".into()],
            retention_days: None,
        },
    )
    .await?;
    let created = api_keys::create(&txn, org.id, "bootstrap admin", Role::Admin).await?;
    let setup = accounts::invites::create(
        &txn,
        org.id,
        None,
        Role::Admin,
        true,
        super::audit::By::LOUPE,
    )
    .await?;
    txn.commit().await?;
    Ok(Some(FirstStart {
        organization_id: org.id,
        site_id: site.id,
        client_id: created.key.client_id,
        client_secret: created.secret,
        setup_path: accounts::invites::path(&setup),
    }))
}

impl FirstStart {
    /// The one-time banner with a ready-to-paste first query.
    pub fn banner(&self, base: &str) -> String {
        let (id, secret) = (&self.client_id, &self.client_secret);
        let query = r#"{"query":"{ viewer { role organization { name plan sites { edges { node { id name } } } } } }"}"#;
        [
            String::new(),
            format!(
                "Loupe: first start. Created organization \"Default\" (id {}, plan SCALE), site {} and an ADMIN API key.",
                self.organization_id, self.site_id
            ),
            String::new(),
            "Open this link to create the owner account of the console (valid 7 days, once):".into(),
            String::new(),
            format!("  {base}{}", self.setup_path),
            String::new(),
            "Save these credentials now; the secret is shown only this once:".into(),
            String::new(),
            format!("  client id:     {id}"),
            format!("  client secret: {secret}"),
            String::new(),
            "Fetch a token and run a first query:".into(),
            String::new(),
            format!(
                "  TOKEN=$(curl -s -u '{id}:{secret}' -d grant_type=client_credentials {base}/oauth/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')"
            ),
            format!(
                "  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '{query}' {base}/graphql"
            ),
            String::new(),
        ]
        .join("\n")
    }
}
