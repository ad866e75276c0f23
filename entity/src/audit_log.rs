use sea_orm::entity::prelude::*;

/// One privacy operation: a personal-data lookup or deletion, a purge, a retention run.
/// The data subject is kept only as a keyed hash, never in clear.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub created_at: DateTimeUtc,
    /// The API key that asked; `None` for Loupe's own retention task.
    pub api_key_id: Option<i64>,
    /// The console account that asked (or whose action this was).
    pub account_id: Option<i64>,
    /// `LOOKUP`, `DELETE`, `PURGE_URLS`, `PURGE_TIME_RANGE`, `RETENTION`, account actions.
    pub action: String,
    pub site_id: Option<i64>,
    /// HMAC-SHA256 of the subject (hex), keyed by a secret derived from the server's.
    pub subject_hash: Option<String>,
    /// JSON object of counts (`{"responses": 3, …}`).
    pub counts: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
