//! Identify API and segments: one profile per identified user (or anonymous visitor) of a
//! site, visitor → profile links, typed attribute definitions, attribute values in typed
//! columns (so comparisons are indexed SQL on both databases), and saved segments.

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    SiteId,
    VisitorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SiteUser {
    Table,
    Id,
    SiteId,
    UserKey,
    UserId,
    FirstSeen,
    LastSeen,
    Sessions,
    Device,
    Country,
}

#[derive(DeriveIden)]
enum VisitorLink {
    Table,
    SiteId,
    VisitorId,
    ProfileId,
    LinkedAt,
}

#[derive(DeriveIden)]
enum UserAttributeDef {
    Table,
    Id,
    SiteId,
    Name,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserAttribute {
    Table,
    ProfileId,
    AttributeId,
    ValueText,
    ValueFolded,
    ValueNumber,
    ValueBool,
    ValueTime,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Segment {
    Table,
    Id,
    SiteId,
    Name,
    Rule,
    CreatedAt,
    UpdatedAt,
}

fn index(name: &str, table: impl IntoIden + 'static, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SiteUser::Table)
                    .if_not_exists()
                    .col(id_column(SiteUser::Id))
                    .col(ColumnDef::new(SiteUser::SiteId).big_integer().not_null())
                    // `u:<user id>` for identified users, `v:<visitor id>` for anonymous ones.
                    .col(ColumnDef::new(SiteUser::UserKey).string_len(300).not_null())
                    .col(ColumnDef::new(SiteUser::UserId).string_len(255).null())
                    .col(timestamp(SiteUser::FirstSeen))
                    .col(timestamp(SiteUser::LastSeen))
                    .col(
                        ColumnDef::new(SiteUser::Sessions)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(ColumnDef::new(SiteUser::Device).string_len(16).null())
                    .col(ColumnDef::new(SiteUser::Country).string_len(2).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_site_user_site")
                            .from(SiteUser::Table, SiteUser::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_site_user_key",
                    SiteUser::Table,
                    vec![SiteUser::SiteId.into_iden(), SiteUser::UserKey.into_iden()],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VisitorLink::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(VisitorLink::SiteId).big_integer().not_null())
                    .col(
                        ColumnDef::new(VisitorLink::VisitorId)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VisitorLink::ProfileId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(timestamp(VisitorLink::LinkedAt))
                    .primary_key(
                        Index::create()
                            .col(VisitorLink::SiteId)
                            .col(VisitorLink::VisitorId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_visitor_link_profile")
                            .from(VisitorLink::Table, VisitorLink::ProfileId)
                            .to(SiteUser::Table, SiteUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_visitor_link_profile",
                VisitorLink::Table,
                vec![
                    VisitorLink::ProfileId.into_iden(),
                    VisitorLink::VisitorId.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserAttributeDef::Table)
                    .if_not_exists()
                    .col(id_column(UserAttributeDef::Id))
                    .col(
                        ColumnDef::new(UserAttributeDef::SiteId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UserAttributeDef::Name)
                            .string_len(50)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UserAttributeDef::Kind)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(timestamp(UserAttributeDef::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_attribute_def_site")
                            .from(UserAttributeDef::Table, UserAttributeDef::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_user_attribute_def_name",
                    UserAttributeDef::Table,
                    vec![
                        UserAttributeDef::SiteId.into_iden(),
                        UserAttributeDef::Name.into_iden(),
                    ],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserAttribute::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(UserAttribute::ProfileId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UserAttribute::AttributeId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UserAttribute::ValueText)
                            .string_len(100)
                            .null(),
                    )
                    // Lower-cased by Loupe (Unicode-aware, the same on both databases).
                    .col(ColumnDef::new(UserAttribute::ValueFolded).text().null())
                    .col(ColumnDef::new(UserAttribute::ValueNumber).double().null())
                    .col(ColumnDef::new(UserAttribute::ValueBool).boolean().null())
                    .col(
                        ColumnDef::new(UserAttribute::ValueTime)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(timestamp(UserAttribute::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(UserAttribute::ProfileId)
                            .col(UserAttribute::AttributeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_attribute_profile")
                            .from(UserAttribute::Table, UserAttribute::ProfileId)
                            .to(SiteUser::Table, SiteUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_attribute_def")
                            .from(UserAttribute::Table, UserAttribute::AttributeId)
                            .to(UserAttributeDef::Table, UserAttributeDef::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One index per typed column, led by the attribute: a condition is a range scan
        // that yields profile ids without touching the table.
        for (name, col) in [
            ("idx_user_attribute_text", UserAttribute::ValueFolded),
            ("idx_user_attribute_number", UserAttribute::ValueNumber),
            ("idx_user_attribute_bool", UserAttribute::ValueBool),
            ("idx_user_attribute_time", UserAttribute::ValueTime),
        ] {
            manager
                .create_index(index(
                    name,
                    UserAttribute::Table,
                    vec![
                        UserAttribute::AttributeId.into_iden(),
                        col.into_iden(),
                        UserAttribute::ProfileId.into_iden(),
                    ],
                ))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Segment::Table)
                    .if_not_exists()
                    .col(id_column(Segment::Id))
                    .col(ColumnDef::new(Segment::SiteId).big_integer().not_null())
                    .col(ColumnDef::new(Segment::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Segment::Rule).text().not_null())
                    .col(timestamp(Segment::CreatedAt))
                    .col(timestamp(Segment::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_segment_site")
                            .from(Segment::Table, Segment::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_segment_site",
                Segment::Table,
                vec![Segment::SiteId.into_iden(), Segment::Id.into_iden()],
            ))
            .await?;
        // Responses of a profile's visitors (segments over survey interactions).
        manager
            .create_index(index(
                "idx_response_site_visitor",
                Response::Table,
                vec![
                    Response::SiteId.into_iden(),
                    Response::VisitorId.into_iden(),
                    Response::CreatedAt.into_iden(),
                ],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_response_site_visitor")
                    .table(Response::Table)
                    .to_owned(),
            )
            .await?;
        for t in [
            Segment::Table.into_iden(),
            UserAttribute::Table.into_iden(),
            UserAttributeDef::Table.into_iden(),
            VisitorLink::Table.into_iden(),
            SiteUser::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
