use sea_orm::entity::prelude::*;

/// What heatmap extraction carries from one batch of a recording to the next: the current
/// page view (JSON) and the last full snapshot's element selectors (zstd). Deleted with the
/// recording.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heatmap_recording")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub recording_id: i64,
    pub state: String,
    pub nodes: Option<Vec<u8>>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::recording::Entity",
        from = "Column::RecordingId",
        to = "super::recording::Column::Id",
        on_delete = "Cascade"
    )]
    Recording,
}

impl ActiveModelBehavior for ActiveModel {}
