//! `site_user (site_id, id)`: a site's profiles in id order, so that a page of users with a
//! segment (`users(segmentId, first)` without `totalCount`) walks them oldest first, tests
//! each with the rule's row form and stops after `first + 1` matches. The site key
//! `(site_id, user_id)` orders them by user id instead, which made the page test every
//! profile of the site and sort the matches before taking the first.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SiteUser {
    Table,
    SiteId,
    Id,
}

const NAME: &str = "idx_site_user_site_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(SiteUser::Table)
                    .col(SiteUser::SiteId)
                    .col(SiteUser::Id)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(SiteUser::Table).to_owned())
            .await
    }
}
