use sea_orm::entity::prelude::*;

/// One accepted batch of a recording: its events as zstd-compressed NDJSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recording_chunk")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recording_id: i64,
    pub sequence: i64,
    pub first_ts: i64,
    pub last_ts: i64,
    pub event_count: i64,
    pub rage_clicks: i64,
    /// Empty when the chunk is an object in the store (`object_key`).
    pub data: Vec<u8>,
    /// The chunk's object in the store (`LOUPE_CHUNK_STORE`); `None`: it is in `data`.
    pub object_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
