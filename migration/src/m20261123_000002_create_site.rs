use sea_orm_migration::prelude::*;

use crate::m20261123_000001_create_organization::Organization;
use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    Id,
    OrganizationId,
    Name,
    AllowedDomains,
    IdentifyEnabled,
    RetentionDays,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Site::Table)
                    .if_not_exists()
                    .col(id_column(Site::Id))
                    .col(
                        ColumnDef::new(Site::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Site::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Site::AllowedDomains).text().not_null())
                    .col(
                        ColumnDef::new(Site::IdentifyEnabled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Site::RetentionDays)
                            .integer()
                            .not_null()
                            .default(365),
                    )
                    .col(timestamp(Site::CreatedAt))
                    .col(timestamp(Site::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_site_organization")
                            .from(Site::Table, Site::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_site_organization")
                    .table(Site::Table)
                    .col(Site::OrganizationId)
                    .col(Site::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Site::Table).to_owned())
            .await
    }
}
