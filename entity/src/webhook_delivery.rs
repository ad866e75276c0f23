use sea_orm::entity::prelude::*;

/// One event for one endpoint: the outbox row, and the record of its delivery.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub endpoint_id: i64,
    pub site_id: i64,
    /// The `webhook-id` header: the same on every attempt, so receivers can deduplicate.
    pub msg_id: String,
    pub event_type: String,
    /// The response or recording the event is about.
    pub subject_id: Option<i64>,
    pub event_at: DateTimeUtc,
    /// The body as first sent (kept for retries, cleared when the delivery ends).
    pub payload: Option<String>,
    /// `PENDING`, `DELIVERED`, `FAILED` or `SKIPPED`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A worker holds the row until then.
    pub locked_until: Option<DateTimeUtc>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<i32>,
    /// The first bytes of the receiver's answer.
    pub response_excerpt: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
