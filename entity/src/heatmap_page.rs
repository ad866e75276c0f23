use sea_orm::entity::prelude::*;

/// Heatmap aggregates of one page (scrubbed, no query or fragment), device bucket and UTC
/// day. Counts only: no visitor, session or recording behind them, except where the
/// newest full snapshot of the page lies (to draw the map over).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heatmap_page")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    pub page: String,
    /// `desktop`, `tablet` or `mobile`, by viewport width.
    pub device: String,
    /// Days since 1970-01-01, UTC.
    pub day: i32,
    pub page_views: i64,
    pub clicks: i64,
    pub rage_clicks: i64,
    pub dead_clicks: i64,
    pub moves: i64,
    /// Largest document size seen, at the device's reference width.
    pub document_width: i64,
    pub document_height: i64,
    /// Page views whose document height was known: the base of the scroll map.
    pub scroll_views: i64,
    /// Sum of those page views' viewport heights at reference width (the fold).
    pub fold_sum: i64,
    pub snapshot_recording_id: Option<i64>,
    pub snapshot_sequence: Option<i64>,
    pub snapshot_ts: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::site::Entity",
        from = "Column::SiteId",
        to = "super::site::Column::Id",
        on_delete = "Cascade"
    )]
    Site,
}

impl Related<super::site::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Site.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
