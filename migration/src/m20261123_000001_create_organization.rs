use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp, timestamp_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Organization {
    Table,
    Id,
    Name,
    Plan,
    DpaAcceptedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organization::Table)
                    .if_not_exists()
                    .col(id_column(Organization::Id))
                    .col(
                        ColumnDef::new(Organization::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Organization::Plan).string_len(16).not_null())
                    .col(timestamp_null(Organization::DpaAcceptedAt))
                    .col(timestamp(Organization::CreatedAt))
                    .col(timestamp(Organization::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organization::Table).to_owned())
            .await
    }
}
