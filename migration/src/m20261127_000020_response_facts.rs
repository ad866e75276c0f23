//! `response.facts`: what a response counts for in a survey summary — one item per answer
//! (`a:<question>` or `a:<question>:<number>`), "other" text (`o:<question>`), sentiment
//! label (`s:<question>:<label>`), selected choice (`c:<question>:<choice>`) and tag
//! (`t:<tag>`) — as a JSON array of strings in byte order. A filtered summary groups the
//! matching responses by `facts` and counts the items of each distinct set, instead of
//! joining every match to its answers, choices and tags. Existing responses are filled in
//! here; new ones get it from the writer, and every change to answers, labels or tags
//! recomputes it in the same transaction ([`facts_update_sql`]).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Response {
    Table,
    SurveyId,
    CreatedAt,
    Facts,
}

/// `UPDATE response SET facts = <computed from answer, answer_choice, response_tag> WHERE
/// <condition>`: the single definition of a response's facts in SQL, used by the backfill
/// and by every write that changes answers, labels or tags (the batch writer builds the
/// same items in Rust). Items are sorted in byte order (`COLLATE "C"` on PostgreSQL) so
/// equal sets are equal strings.
pub fn facts_update_sql(backend: DbBackend, condition: &str) -> String {
    let items = "SELECT 'a:' || a.question_id || COALESCE(':' || a.number_value, '') AS item \
           FROM answer a WHERE a.response_id = response.id \
         UNION ALL SELECT 'o:' || a.question_id FROM answer a \
           WHERE a.response_id = response.id AND a.other_text IS NOT NULL \
         UNION ALL SELECT 's:' || a.question_id || ':' || a.sentiment_label FROM answer a \
           WHERE a.response_id = response.id AND a.sentiment_label IS NOT NULL \
         UNION ALL SELECT 'c:' || c.question_id || ':' || c.choice FROM answer_choice c \
           WHERE c.response_id = response.id \
         UNION ALL SELECT 't:' || t.tag FROM response_tag t WHERE t.response_id = response.id";
    match backend {
        DbBackend::Postgres => format!(
            "UPDATE response SET facts = (SELECT '[' || COALESCE(string_agg(to_json(f.item)::text, ',' \
             ORDER BY f.item COLLATE \"C\"), '') || ']' FROM ({items}) AS f) WHERE {condition}"
        ),
        _ => format!(
            "UPDATE response SET facts = (SELECT json_group_array(f.item) FROM \
             ({items} ORDER BY 1) AS f) WHERE {condition}"
        ),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .add_column(ColumnDef::new(Response::Facts).text().null())
                    .to_owned(),
            )
            .await?;
        // Date-filtered summaries and lists find their responses without a survey scan.
        manager
            .create_index(
                Index::create()
                    .name("idx_response_survey_created")
                    .table(Response::Table)
                    .col(Response::SurveyId)
                    .col(Response::CreatedAt)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&facts_update_sql(db.get_database_backend(), "TRUE"))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_response_survey_created")
                    .table(Response::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .drop_column(Response::Facts)
                    .to_owned(),
            )
            .await
    }
}
