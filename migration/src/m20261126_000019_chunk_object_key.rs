//! `recording_chunk.object_key`: with an object store (`LOUPE_CHUNK_STORE`), the key of the
//! chunk's object; the row's `data` is then empty. NULL: the chunk is in `data`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RecordingChunk {
    Table,
    ObjectKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RecordingChunk::Table)
                    .add_column(ColumnDef::new(RecordingChunk::ObjectKey).text().null())
                    .to_owned(),
            )
            .await?;
        // The janitor asks which listed keys a row still names.
        manager
            .create_index(
                Index::create()
                    .name("idx_recording_chunk_object_key")
                    .table(RecordingChunk::Table)
                    .col(RecordingChunk::ObjectKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_recording_chunk_object_key")
                    .table(RecordingChunk::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RecordingChunk::Table)
                    .drop_column(RecordingChunk::ObjectKey)
                    .to_owned(),
            )
            .await
    }
}
