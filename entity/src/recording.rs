use sea_orm::entity::prelude::*;

/// One recorded session and what Loupe learnt of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recording")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub site_id: i64,
    pub session_id: String,
    pub visitor_id: Option<String>,
    pub started_at: DateTimeUtc,
    pub ended_at: DateTimeUtc,
    pub duration_ms: i64,
    pub page_views: i64,
    pub entry_url: Option<String>,
    pub exit_url: Option<String>,
    /// JSON `[[timestamp, scrubbed URL], …]`.
    pub pages: String,
    pub clicks: i64,
    pub rage_clicks: i64,
    pub u_turns: i64,
    pub device: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub country: Option<String>,
    pub viewport_width: Option<i32>,
    pub viewport_height: Option<i32>,
    pub viewport_at: Option<i64>,
    pub event_count: i64,
    pub chunk_count: i64,
    pub raw_bytes: i64,
    pub stored_bytes: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// JSON: the current page view as heatmap extraction left it (see `api::domain::heatmaps`).
    pub heatmap_state: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
