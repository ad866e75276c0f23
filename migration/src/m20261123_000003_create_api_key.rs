use sea_orm_migration::prelude::*;

use crate::m20261123_000001_create_organization::Organization;
use crate::{id_column, timestamp, timestamp_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    OrganizationId,
    Name,
    Role,
    ClientId,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .if_not_exists()
                    .col(id_column(ApiKey::Id))
                    .col(
                        ColumnDef::new(ApiKey::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ApiKey::Name).string_len(200).not_null())
                    .col(ColumnDef::new(ApiKey::Role).string_len(16).not_null())
                    .col(
                        ColumnDef::new(ApiKey::ClientId)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::SecretHash)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(timestamp(ApiKey::CreatedAt))
                    .col(timestamp(ApiKey::ExpiresAt))
                    .col(timestamp_null(ApiKey::RevokedAt))
                    .col(timestamp_null(ApiKey::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_key_organization")
                            .from(ApiKey::Table, ApiKey::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_key_organization")
                    .table(ApiKey::Table)
                    .col(ApiKey::OrganizationId)
                    .col(ApiKey::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiKey::Table).to_owned())
            .await
    }
}
