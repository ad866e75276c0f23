//! Human accounts for the console: accounts (email + argon2id password, optional TOTP),
//! memberships in organizations with a role, invites (and the first-start setup link),
//! server-side sessions, and the account behind an audit entry.

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp, timestamp_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    TotpSecret,
    TotpPendingSecret,
    TotpLastStep,
    RecoveryCodes,
    DisabledAt,
    LastSignInAt,
    CreatedAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    AccountId,
    OrganizationId,
    Role,
    DisabledAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invite {
    Table,
    Id,
    OrganizationId,
    Email,
    Role,
    TokenHash,
    Setup,
    CreatedByAccountId,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AccountSession {
    Table,
    Id,
    TokenHash,
    CsrfToken,
    AccountId,
    OrganizationId,
    Device,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    AccountId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .if_not_exists()
                    .col(id_column(Account::Id))
                    .col(
                        ColumnDef::new(Account::Email)
                            .string_len(254)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Account::Name).string_len(100).null())
                    .col(ColumnDef::new(Account::PasswordHash).string().not_null())
                    .col(ColumnDef::new(Account::TotpSecret).string_len(64).null())
                    .col(
                        ColumnDef::new(Account::TotpPendingSecret)
                            .string_len(64)
                            .null(),
                    )
                    .col(ColumnDef::new(Account::TotpLastStep).big_integer().null())
                    .col(ColumnDef::new(Account::RecoveryCodes).text().null())
                    .col(timestamp_null(Account::DisabledAt))
                    .col(timestamp_null(Account::LastSignInAt))
                    .col(timestamp(Account::CreatedAt))
                    .col(timestamp(Account::PasswordChangedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Membership::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Membership::AccountId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Membership::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Membership::Role).string_len(16).not_null())
                    .col(timestamp_null(Membership::DisabledAt))
                    .col(timestamp(Membership::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Membership::AccountId)
                            .col(Membership::OrganizationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_membership_account")
                            .from(Membership::Table, Membership::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_membership_organization")
                            .from(Membership::Table, Membership::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_membership_organization")
                    .table(Membership::Table)
                    .col(Membership::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invite::Table)
                    .if_not_exists()
                    .col(id_column(Invite::Id))
                    .col(
                        ColumnDef::new(Invite::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Invite::Email).string_len(254).null())
                    .col(ColumnDef::new(Invite::Role).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Invite::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Invite::Setup)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Invite::CreatedByAccountId)
                            .big_integer()
                            .null(),
                    )
                    .col(timestamp(Invite::CreatedAt))
                    .col(timestamp(Invite::ExpiresAt))
                    .col(timestamp_null(Invite::AcceptedAt))
                    .col(timestamp_null(Invite::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invite_organization")
                            .from(Invite::Table, Invite::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_invite_organization")
                    .table(Invite::Table)
                    .col(Invite::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountSession::Table)
                    .if_not_exists()
                    .col(id_column(AccountSession::Id))
                    .col(
                        ColumnDef::new(AccountSession::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(AccountSession::CsrfToken)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountSession::AccountId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountSession::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountSession::Device)
                            .string_len(80)
                            .not_null(),
                    )
                    .col(timestamp(AccountSession::CreatedAt))
                    .col(timestamp(AccountSession::LastSeenAt))
                    .col(timestamp(AccountSession::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_session_account")
                            .from(AccountSession::Table, AccountSession::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_session_account")
                    .table(AccountSession::Table)
                    .col(AccountSession::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(ColumnDef::new(AuditLog::AccountId).big_integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .drop_column(AuditLog::AccountId)
                    .to_owned(),
            )
            .await?;
        for table in [
            AccountSession::Table.into_iden(),
            Invite::Table.into_iden(),
            Membership::Table.into_iden(),
            Account::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
