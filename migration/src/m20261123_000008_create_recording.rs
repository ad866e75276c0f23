//! Session recordings: one row of metadata per session, and its batches of rrweb events
//! as zstd-compressed chunks (raw events as sent, inputs masked).

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    Id,
    MaskInputs,
}

#[derive(DeriveIden)]
enum Recording {
    Table,
    Id,
    OrganizationId,
    SiteId,
    SessionId,
    VisitorId,
    StartedAt,
    EndedAt,
    DurationMs,
    PageViews,
    EntryUrl,
    ExitUrl,
    Pages,
    Clicks,
    RageClicks,
    UTurns,
    Device,
    Browser,
    Os,
    Country,
    ViewportWidth,
    ViewportHeight,
    ViewportAt,
    EventCount,
    ChunkCount,
    RawBytes,
    StoredBytes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RecordingChunk {
    Table,
    Id,
    RecordingId,
    Sequence,
    FirstTs,
    LastTs,
    EventCount,
    RageClicks,
    Data,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Site::Table)
                    .add_column(
                        ColumnDef::new(Site::MaskInputs)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        let int = |c: Recording| {
            ColumnDef::new(c)
                .big_integer()
                .not_null()
                .default(0)
                .to_owned()
        };
        let text = |c: Recording, n: u32| ColumnDef::new(c).string_len(n).null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(Recording::Table)
                    .if_not_exists()
                    .col(id_column(Recording::Id))
                    .col(
                        ColumnDef::new(Recording::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Recording::SiteId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Recording::SessionId)
                            .string_len(70)
                            .not_null(),
                    )
                    .col(text(Recording::VisitorId, 100))
                    .col(timestamp(Recording::StartedAt))
                    .col(timestamp(Recording::EndedAt))
                    .col(int(Recording::DurationMs))
                    .col(int(Recording::PageViews))
                    .col(ColumnDef::new(Recording::EntryUrl).text().null())
                    .col(ColumnDef::new(Recording::ExitUrl).text().null())
                    // JSON [[timestamp, scrubbed URL], …], for U-turns and the URL filter.
                    .col(ColumnDef::new(Recording::Pages).text().not_null())
                    .col(int(Recording::Clicks))
                    .col(int(Recording::RageClicks))
                    .col(int(Recording::UTurns))
                    .col(text(Recording::Device, 16))
                    .col(text(Recording::Browser, 32))
                    .col(text(Recording::Os, 32))
                    .col(text(Recording::Country, 2))
                    .col(ColumnDef::new(Recording::ViewportWidth).integer().null())
                    .col(ColumnDef::new(Recording::ViewportHeight).integer().null())
                    .col(ColumnDef::new(Recording::ViewportAt).big_integer().null())
                    .col(int(Recording::EventCount))
                    .col(int(Recording::ChunkCount))
                    .col(int(Recording::RawBytes))
                    .col(int(Recording::StoredBytes))
                    .col(timestamp(Recording::CreatedAt))
                    .col(timestamp(Recording::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recording_site")
                            .from(Recording::Table, Recording::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "idx_recording_session",
                vec![Recording::SiteId, Recording::SessionId],
                true,
            ),
            (
                "idx_recording_site_started",
                vec![Recording::SiteId, Recording::StartedAt],
                false,
            ),
            (
                "idx_recording_site_visitor",
                vec![Recording::SiteId, Recording::VisitorId],
                false,
            ),
            // The LONGEST and MOST_CLICKS orders walk these backwards; retention by arrival.
            (
                "idx_recording_site_duration",
                vec![Recording::SiteId, Recording::DurationMs, Recording::Id],
                false,
            ),
            (
                "idx_recording_site_clicks",
                vec![Recording::SiteId, Recording::Clicks, Recording::Id],
                false,
            ),
            (
                "idx_recording_site_created",
                vec![Recording::SiteId, Recording::CreatedAt],
                false,
            ),
        ] {
            let mut i = Index::create();
            i.name(name).table(Recording::Table);
            for c in cols {
                i.col(c);
            }
            if unique {
                i.unique();
            }
            manager.create_index(i.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RecordingChunk::Table)
                    .if_not_exists()
                    .col(id_column(RecordingChunk::Id))
                    .col(
                        ColumnDef::new(RecordingChunk::RecordingId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RecordingChunk::Sequence)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RecordingChunk::FirstTs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RecordingChunk::LastTs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RecordingChunk::EventCount)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RecordingChunk::RageClicks)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RecordingChunk::Data).binary().not_null())
                    .col(timestamp(RecordingChunk::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recording_chunk_recording")
                            .from(RecordingChunk::Table, RecordingChunk::RecordingId)
                            .to(Recording::Table, Recording::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recording_chunk_sequence")
                    .table(RecordingChunk::Table)
                    .col(RecordingChunk::RecordingId)
                    .col(RecordingChunk::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RecordingChunk::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Recording::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Site::Table)
                    .drop_column(Site::MaskInputs)
                    .to_owned(),
            )
            .await
    }
}
