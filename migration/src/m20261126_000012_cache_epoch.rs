//! One counter that every change to cached data (keys, plans, sites, surveys) bumps, so
//! other processes on the same database (the CLI, other nodes) make their caches forget.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CacheEpoch {
    Table,
    Id,
    Epoch,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CacheEpoch::Table)
                    .col(
                        ColumnDef::new(CacheEpoch::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CacheEpoch::Epoch)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let mut first = Query::insert();
        first
            .into_table(CacheEpoch::Table)
            .columns([CacheEpoch::Id, CacheEpoch::Epoch])
            .values([1.into(), 0.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        manager.exec_stmt(first).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CacheEpoch::Table).to_owned())
            .await
    }
}
