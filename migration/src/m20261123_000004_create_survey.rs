use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp, timestamp_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Survey {
    Table,
    Id,
    OrganizationId,
    SiteId,
    Kind,
    Name,
    Status,
    Targeting,
    ThankYou,
    SentimentEnabledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum Question {
    Table,
    Id,
    SurveyId,
    Position,
    Key,
    Kind,
    Prompt,
    Required,
    Config,
    Logic,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Site {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Survey::Table)
                    .if_not_exists()
                    .col(id_column(Survey::Id))
                    .col(
                        ColumnDef::new(Survey::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Survey::SiteId).big_integer().not_null())
                    .col(ColumnDef::new(Survey::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Survey::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Survey::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Survey::Targeting).text().not_null())
                    .col(ColumnDef::new(Survey::ThankYou).text().null())
                    .col(timestamp_null(Survey::SentimentEnabledAt))
                    .col(timestamp(Survey::CreatedAt))
                    .col(timestamp(Survey::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_site")
                            .from(Survey::Table, Survey::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_site_kind")
                    .table(Survey::Table)
                    .col(Survey::SiteId)
                    .col(Survey::Kind)
                    .col(Survey::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_organization")
                    .table(Survey::Table)
                    .col(Survey::OrganizationId)
                    .col(Survey::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Question::Table)
                    .if_not_exists()
                    .col(id_column(Question::Id))
                    .col(ColumnDef::new(Question::SurveyId).big_integer().not_null())
                    .col(ColumnDef::new(Question::Position).integer().not_null())
                    .col(ColumnDef::new(Question::Key).string_len(50).not_null())
                    .col(ColumnDef::new(Question::Kind).string_len(20).not_null())
                    .col(ColumnDef::new(Question::Prompt).text().not_null())
                    .col(ColumnDef::new(Question::Required).boolean().not_null())
                    .col(ColumnDef::new(Question::Config).text().not_null())
                    .col(ColumnDef::new(Question::Logic).text().not_null())
                    .col(timestamp_null(Question::ArchivedAt))
                    .col(timestamp(Question::CreatedAt))
                    .col(timestamp(Question::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_question_survey")
                            .from(Question::Table, Question::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_survey")
                    .table(Question::Table)
                    .col(Question::SurveyId)
                    .col(Question::Position)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Question::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Survey::Table).to_owned())
            .await
    }
}
