//! A response's link to the recording of the visit that produced it (the browser tag's
//! session id, kept only when the visitor allowed tracking), and tags on responses.

use sea_orm_migration::prelude::*;

use crate::timestamp;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    SiteId,
    RecordingSessionId,
}

#[derive(DeriveIden)]
enum ResponseTag {
    Table,
    ResponseId,
    Tag,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .add_column(
                        ColumnDef::new(Response::RecordingSessionId)
                            .string_len(70)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_response_site_session")
                    .table(Response::Table)
                    .col(Response::SiteId)
                    .col(Response::RecordingSessionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResponseTag::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ResponseTag::ResponseId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ResponseTag::Tag).string_len(40).not_null())
                    .col(timestamp(ResponseTag::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ResponseTag::ResponseId)
                            .col(ResponseTag::Tag),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_response_tag_response")
                            .from(ResponseTag::Table, ResponseTag::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_response_tag_tag")
                    .table(ResponseTag::Table)
                    .col(ResponseTag::Tag)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ResponseTag::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_response_site_session")
                    .table(Response::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .drop_column(Response::RecordingSessionId)
                    .to_owned(),
            )
            .await
    }
}
