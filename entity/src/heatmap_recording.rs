use sea_orm::entity::prelude::*;

/// The element selectors of a recording's last full snapshot (zstd), for the clicks of its
/// later batches. Deleted with the recording.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heatmap_recording")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub recording_id: i64,
    /// The batch the snapshot came in.
    pub sequence: i64,
    pub nodes: Vec<u8>,
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
