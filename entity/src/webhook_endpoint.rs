use sea_orm::entity::prelude::*;

/// Where a site's webhooks go, which events, and the secrets they are signed with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub site_id: i64,
    pub url: String,
    pub description: Option<String>,
    /// JSON array of event type names.
    pub events: String,
    /// `STANDARD` or `SLACK`.
    pub format: String,
    pub enabled: bool,
    /// `whsec_…`, shown once when made.
    pub secret: String,
    /// The secret before the last rotation, also signed with until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub consecutive_failures: i32,
    /// Why Loupe disabled the endpoint (null when enabled or disabled by a person).
    pub disabled_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
