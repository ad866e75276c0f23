use sea_orm_migration::prelude::*;

use crate::m20261123_000004_create_survey::{Question, Survey};
use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    OrganizationId,
    SurveyId,
    SiteId,
    VisitorId,
    UserId,
    IsComplete,
    Device,
    Browser,
    Os,
    Country,
    PageUrl,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    Id,
    ResponseId,
    SurveyId,
    QuestionId,
    TextValue,
    NumberValue,
    OtherText,
    Comment,
    SentimentLabel,
    SentimentScore,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AnswerChoice {
    Table,
    Id,
    ResponseId,
    SurveyId,
    QuestionId,
    Choice,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Response::Table)
                    .if_not_exists()
                    .col(id_column(Response::Id))
                    .col(
                        ColumnDef::new(Response::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Response::SurveyId).big_integer().not_null())
                    .col(ColumnDef::new(Response::SiteId).big_integer().not_null())
                    .col(ColumnDef::new(Response::VisitorId).string_len(100).null())
                    .col(ColumnDef::new(Response::UserId).string_len(200).null())
                    .col(ColumnDef::new(Response::IsComplete).boolean().not_null())
                    .col(ColumnDef::new(Response::Device).string_len(16).null())
                    .col(ColumnDef::new(Response::Browser).string_len(32).null())
                    .col(ColumnDef::new(Response::Os).string_len(32).null())
                    .col(ColumnDef::new(Response::Country).string_len(2).null())
                    .col(ColumnDef::new(Response::PageUrl).text().null())
                    .col(timestamp(Response::CreatedAt))
                    .col(timestamp(Response::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_response_survey")
                            .from(Response::Table, Response::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_response_survey",
                vec![Response::SurveyId, Response::Id],
            ),
            (
                "idx_response_survey_visitor",
                vec![Response::SurveyId, Response::VisitorId],
            ),
            (
                "idx_response_survey_complete",
                vec![Response::SurveyId, Response::IsComplete],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Response::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Answer::Table)
                    .if_not_exists()
                    .col(id_column(Answer::Id))
                    .col(ColumnDef::new(Answer::ResponseId).big_integer().not_null())
                    .col(ColumnDef::new(Answer::SurveyId).big_integer().not_null())
                    .col(ColumnDef::new(Answer::QuestionId).big_integer().not_null())
                    .col(ColumnDef::new(Answer::TextValue).text().null())
                    .col(ColumnDef::new(Answer::NumberValue).integer().null())
                    .col(ColumnDef::new(Answer::OtherText).text().null())
                    .col(ColumnDef::new(Answer::Comment).text().null())
                    .col(ColumnDef::new(Answer::SentimentLabel).string_len(16).null())
                    .col(ColumnDef::new(Answer::SentimentScore).double().null())
                    .col(timestamp(Answer::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_response")
                            .from(Answer::Table, Answer::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_question")
                            .from(Answer::Table, Answer::QuestionId)
                            .to(Question::Table, Question::Id)
                            // Never cascade: deleting a question that has answers must fail,
                            // not take the answers with it (they are archived instead).
                            .on_delete(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                // Covering for summaries driven from filtered responses.
                Index::create()
                    .name("idx_answer_response")
                    .table(Answer::Table)
                    .col(Answer::ResponseId)
                    .col(Answer::QuestionId)
                    .col(Answer::NumberValue)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_answer_question")
                    .table(Answer::Table)
                    .col(Answer::QuestionId)
                    .col(Answer::NumberValue)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnswerChoice::Table)
                    .if_not_exists()
                    .col(id_column(AnswerChoice::Id))
                    .col(
                        ColumnDef::new(AnswerChoice::ResponseId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnswerChoice::SurveyId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnswerChoice::QuestionId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnswerChoice::Choice)
                            .string_len(200)
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_choice_response")
                            .from(AnswerChoice::Table, AnswerChoice::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_answer_choice_question")
                    .table(AnswerChoice::Table)
                    .col(AnswerChoice::QuestionId)
                    .col(AnswerChoice::Choice)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_answer_choice_response")
                    .table(AnswerChoice::Table)
                    .col(AnswerChoice::ResponseId)
                    .col(AnswerChoice::QuestionId)
                    .col(AnswerChoice::Choice)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AnswerChoice::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Answer::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Response::Table).to_owned())
            .await
    }
}
