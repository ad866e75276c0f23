//! `heatmap_cell_staged`: cell increments appended by ingestion and folded into
//! `heatmap_cell` by the roll-up job about once a second. No key, no index and no foreign
//! key, so an append costs no lookup: the roll-up joins `heatmap_page` and drops the
//! increments of pages deleted meanwhile (page ids are never reused). Queries read both.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE IF NOT EXISTS heatmap_cell_staged (
                    page_id BIGINT NOT NULL,
                    kind VARCHAR(12) NOT NULL,
                    x INTEGER NOT NULL,
                    y INTEGER NOT NULL,
                    count BIGINT NOT NULL
                )",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS heatmap_cell_staged")
            .await?;
        Ok(())
    }
}
