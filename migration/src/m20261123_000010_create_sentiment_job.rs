//! The durable queue of answers waiting for a sentiment score. A job is written in the
//! same transaction as its answer and deleted in the one that stores the score.

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Answer {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SentimentJob {
    Table,
    Id,
    AnswerId,
    SurveyId,
    Attempts,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SentimentJob::Table)
                    .col(id_column(SentimentJob::Id))
                    .col(
                        ColumnDef::new(SentimentJob::AnswerId)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(SentimentJob::SurveyId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SentimentJob::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(timestamp(SentimentJob::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SentimentJob::Table, SentimentJob::AnswerId)
                            .to(Answer::Table, Answer::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SentimentJob::Table).to_owned())
            .await
    }
}
