use sea_orm_migration::prelude::*;

use crate::m20261123_000004_create_survey::Survey;
use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    SurveyCooldownDays,
}

#[derive(DeriveIden)]
enum SurveyDisplay {
    Table,
    Id,
    SiteId,
    SurveyId,
    VisitorId,
    Event,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Site::Table)
                    .add_column(
                        ColumnDef::new(Site::SurveyCooldownDays)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyDisplay::Table)
                    .if_not_exists()
                    .col(id_column(SurveyDisplay::Id))
                    .col(
                        ColumnDef::new(SurveyDisplay::SiteId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SurveyDisplay::SurveyId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SurveyDisplay::VisitorId)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SurveyDisplay::Event)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(timestamp(SurveyDisplay::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_display_survey")
                            .from(SurveyDisplay::Table, SurveyDisplay::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_display_visitor")
                    .table(SurveyDisplay::Table)
                    .col(SurveyDisplay::SiteId)
                    .col(SurveyDisplay::VisitorId)
                    .col(SurveyDisplay::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SurveyDisplay::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Site::Table)
                    .drop_column(Site::SurveyCooldownDays)
                    .to_owned(),
            )
            .await
    }
}
