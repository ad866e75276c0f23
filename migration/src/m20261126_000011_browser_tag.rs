//! The browser tag's site settings (recording, consent, identity verification, theme),
//! link surveys (distribution, unguessable token, hidden fields) and a response's hidden
//! field values.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    RecordingEnabled,
    RecordingSamplePercent,
    MaskAllText,
    RequireConsent,
    IdentityVerification,
    IdentitySecret,
    Theme,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Distribution,
    LinkToken,
    HiddenFields,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    HiddenFields,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite adds a single column at a time.
        let site_columns = [
            ColumnDef::new(Site::RecordingEnabled)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Site::RecordingSamplePercent)
                .integer()
                .not_null()
                .default(100)
                .to_owned(),
            ColumnDef::new(Site::MaskAllText)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Site::RequireConsent)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Site::IdentityVerification)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Site::IdentitySecret)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Site::Theme)
                .text()
                .not_null()
                .default("{}")
                .to_owned(),
        ];
        for mut column in site_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Site::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        let survey_columns = [
            ColumnDef::new(Survey::Distribution)
                .string_len(16)
                .not_null()
                .default("SITE")
                .to_owned(),
            ColumnDef::new(Survey::LinkToken)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Survey::HiddenFields)
                .text()
                .not_null()
                .default("[]")
                .to_owned(),
        ];
        for mut column in survey_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Survey::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_link_token")
                    .table(Survey::Table)
                    .col(Survey::LinkToken)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .add_column(ColumnDef::new(Response::HiddenFields).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .drop_column(Response::HiddenFields)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_survey_link_token")
                    .table(Survey::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Survey::HiddenFields,
            Survey::LinkToken,
            Survey::Distribution,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Survey::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Site::Theme,
            Site::IdentitySecret,
            Site::IdentityVerification,
            Site::RequireConsent,
            Site::MaskAllText,
            Site::RecordingSamplePercent,
            Site::RecordingEnabled,
        ] {
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
