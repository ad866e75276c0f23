//! Heatmaps: compact aggregates per (site, page, device, UTC day) — page views, clicks,
//! document size, the newest full snapshot's place — with their binned points and clicked
//! elements, and a per-recording state (the current page view on the recording row, the
//! snapshot's node selectors in their own table) that later batches of the session need. `site.heatmaps_enabled` gates it.

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    Id,
    HeatmapsEnabled,
}

#[derive(DeriveIden)]
enum Recording {
    Table,
    Id,
    HeatmapState,
}

#[derive(DeriveIden)]
enum HeatmapPage {
    Table,
    Id,
    SiteId,
    Page,
    Device,
    Day,
    PageViews,
    Clicks,
    RageClicks,
    DeadClicks,
    Moves,
    DocumentWidth,
    DocumentHeight,
    ScrollViews,
    FoldSum,
    SnapshotRecordingId,
    SnapshotSequence,
    SnapshotTs,
}

#[derive(DeriveIden)]
enum HeatmapCell {
    Table,
    PageId,
    Kind,
    X,
    Y,
    Count,
}

#[derive(DeriveIden)]
enum HeatmapElement {
    Table,
    PageId,
    Selector,
    Clicks,
    RageClicks,
    DeadClicks,
}

#[derive(DeriveIden)]
enum HeatmapRecording {
    Table,
    RecordingId,
    Sequence,
    Nodes,
    UpdatedAt,
}

fn count<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .default(0)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Site::Table)
                    .add_column(
                        ColumnDef::new(Site::HeatmapsEnabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        // JSON: the recording's current page view for heatmaps (page, device, day, sizes,
        // scroll), read and written with the row each batch updates anyway.
        manager
            .alter_table(
                Table::alter()
                    .table(Recording::Table)
                    .add_column(ColumnDef::new(Recording::HeatmapState).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HeatmapPage::Table)
                    .if_not_exists()
                    .col(id_column(HeatmapPage::Id))
                    .col(ColumnDef::new(HeatmapPage::SiteId).big_integer().not_null())
                    // Scrubbed, without query or fragment.
                    .col(ColumnDef::new(HeatmapPage::Page).text().not_null())
                    .col(ColumnDef::new(HeatmapPage::Device).string_len(8).not_null())
                    // Days since 1970-01-01 (UTC).
                    .col(ColumnDef::new(HeatmapPage::Day).integer().not_null())
                    .col(count(HeatmapPage::PageViews))
                    .col(count(HeatmapPage::Clicks))
                    .col(count(HeatmapPage::RageClicks))
                    .col(count(HeatmapPage::DeadClicks))
                    .col(count(HeatmapPage::Moves))
                    .col(count(HeatmapPage::DocumentWidth))
                    .col(count(HeatmapPage::DocumentHeight))
                    // Page views whose document height was known (the scroll map's base).
                    .col(count(HeatmapPage::ScrollViews))
                    // Sum of the viewport heights of those page views, at reference width.
                    .col(count(HeatmapPage::FoldSum))
                    .col(
                        ColumnDef::new(HeatmapPage::SnapshotRecordingId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(HeatmapPage::SnapshotSequence)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(HeatmapPage::SnapshotTs).big_integer().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heatmap_page_site")
                            .from(HeatmapPage::Table, HeatmapPage::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_heatmap_page_key")
                    .table(HeatmapPage::Table)
                    .col(HeatmapPage::SiteId)
                    .col(HeatmapPage::Page)
                    .col(HeatmapPage::Device)
                    .col(HeatmapPage::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_heatmap_page_site_day")
                    .table(HeatmapPage::Table)
                    .col(HeatmapPage::SiteId)
                    .col(HeatmapPage::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HeatmapCell::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(HeatmapCell::PageId).big_integer().not_null())
                    // CLICK, RAGE_CLICK, DEAD_CLICK, MOVE, or SCROLL (y: the 5 % step reached).
                    .col(ColumnDef::new(HeatmapCell::Kind).string_len(12).not_null())
                    .col(ColumnDef::new(HeatmapCell::X).integer().not_null())
                    .col(ColumnDef::new(HeatmapCell::Y).integer().not_null())
                    .col(count(HeatmapCell::Count))
                    .primary_key(
                        Index::create()
                            .col(HeatmapCell::PageId)
                            .col(HeatmapCell::Kind)
                            .col(HeatmapCell::X)
                            .col(HeatmapCell::Y),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heatmap_cell_page")
                            .from(HeatmapCell::Table, HeatmapCell::PageId)
                            .to(HeatmapPage::Table, HeatmapPage::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HeatmapElement::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(HeatmapElement::PageId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HeatmapElement::Selector)
                            .string_len(512)
                            .not_null(),
                    )
                    .col(count(HeatmapElement::Clicks))
                    .col(count(HeatmapElement::RageClicks))
                    .col(count(HeatmapElement::DeadClicks))
                    .primary_key(
                        Index::create()
                            .col(HeatmapElement::PageId)
                            .col(HeatmapElement::Selector),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heatmap_element_page")
                            .from(HeatmapElement::Table, HeatmapElement::PageId)
                            .to(HeatmapPage::Table, HeatmapPage::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HeatmapRecording::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(HeatmapRecording::RecordingId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    // The batch the snapshot came in.
                    .col(
                        ColumnDef::new(HeatmapRecording::Sequence)
                            .big_integer()
                            .not_null(),
                    )
                    // zstd of the last full snapshot's element nodes: id, parent, selector step.
                    .col(ColumnDef::new(HeatmapRecording::Nodes).binary().not_null())
                    .col(timestamp(HeatmapRecording::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heatmap_recording_recording")
                            .from(HeatmapRecording::Table, HeatmapRecording::RecordingId)
                            .to(Recording::Table, Recording::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            HeatmapRecording::Table.into_iden(),
            HeatmapElement::Table.into_iden(),
            HeatmapCell::Table.into_iden(),
            HeatmapPage::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Recording::Table)
                    .drop_column(Recording::HeatmapState)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Site::Table)
                    .drop_column(Site::HeatmapsEnabled)
                    .to_owned(),
            )
            .await
    }
}
