//! The heatmap aggregates are upserted (count += n) by every group of ingested batches.
//!
//! SQLite: the cell and element tables become `WITHOUT ROWID`, clustered on their primary
//! key: a rowid table pays for two b-trees (the rows and the key's index) per upsert, a
//! clustered one for one.
//! PostgreSQL keeps its tables (heap plus primary-key index is its only layout; a
//! `fillfactor` leaving room for HOT updates was measured and gained nothing here).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const CELL: &str = "CREATE TABLE heatmap_cell_new (
    page_id BIGINT NOT NULL,
    kind VARCHAR(12) NOT NULL,
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (page_id, kind, x, y),
    CONSTRAINT fk_heatmap_cell_page FOREIGN KEY (page_id) REFERENCES heatmap_page (id) ON DELETE CASCADE
) WITHOUT ROWID";

const ELEMENT: &str = "CREATE TABLE heatmap_element_new (
    page_id BIGINT NOT NULL,
    selector VARCHAR(512) NOT NULL,
    clicks BIGINT NOT NULL DEFAULT 0,
    rage_clicks BIGINT NOT NULL DEFAULT 0,
    dead_clicks BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (page_id, selector),
    CONSTRAINT fk_heatmap_element_page FOREIGN KEY (page_id) REFERENCES heatmap_page (id) ON DELETE CASCADE
) WITHOUT ROWID";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        // One call, so every statement runs on the same connection (a pooled connection
        // that has not seen the DROP would refuse the RENAME).
        let mut sql = String::new();
        for (table, create, cols) in [
            ("heatmap_cell", CELL, "page_id, kind, x, y, count"),
            (
                "heatmap_element",
                ELEMENT,
                "page_id, selector, clicks, rage_clicks, dead_clicks",
            ),
        ] {
            sql.push_str(&format!(
                "{create};\nINSERT INTO {table}_new ({cols}) SELECT {cols} FROM {table};\n\
                 DROP TABLE {table};\nALTER TABLE {table}_new RENAME TO {table};\n"
            ));
        }
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The same columns and keys either way: nothing to undo.
        Ok(())
    }
}
