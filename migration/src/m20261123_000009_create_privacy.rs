//! Privacy settings per site (URL query parameters to keep, extra patterns to mask) and
//! the audit log of lookups, deletions and purges.

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    UrlAllowedParams,
    UrlPatterns,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    OrganizationId,
    CreatedAt,
    ApiKeyId,
    Action,
    SiteId,
    SubjectHash,
    Counts,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite adds a single column at a time.
        for column in [Site::UrlAllowedParams, Site::UrlPatterns] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Site::Table)
                        .add_column(ColumnDef::new(column).text().not_null().default("[]"))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id_column(AuditLog::Id))
                    .col(
                        ColumnDef::new(AuditLog::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(timestamp(AuditLog::CreatedAt))
                    .col(ColumnDef::new(AuditLog::ApiKeyId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(32).not_null())
                    .col(ColumnDef::new(AuditLog::SiteId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::SubjectHash).string_len(64).null())
                    .col(ColumnDef::new(AuditLog::Counts).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditLog::Table, AuditLog::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_org_id")
                    .table(AuditLog::Table)
                    .col(AuditLog::OrganizationId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        for column in [Site::UrlPatterns, Site::UrlAllowedParams] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Site::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
