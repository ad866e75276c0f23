//! Schema migrations, written with the schema builder only so they run unchanged on
//! SQLite and PostgreSQL. `loupe migrate` (and every server start) applies them.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_organization;
mod m20261123_000002_create_site;
mod m20261123_000003_create_api_key;
mod m20261123_000004_create_survey;
mod m20261123_000005_create_response;
mod m20261123_000006_create_survey_display;
mod m20261123_000007_create_identify;
mod m20261123_000008_create_recording;
mod m20261123_000009_create_privacy;
mod m20261123_000010_create_sentiment_job;
mod m20261126_000011_browser_tag;
mod m20261126_000012_cache_epoch;
mod m20261126_000013_webhooks;
mod m20261126_000014_response_links_and_tags;
mod m20261126_000015_accounts;
mod m20261126_000016_heatmaps;
mod m20261126_000017_heatmap_clustered;
mod m20261126_000018_heatmap_staging;
mod m20261126_000019_chunk_object_key;
mod m20261127_000020_response_facts;
mod m20261127_000021_site_user_site_order;

pub use m20261127_000020_response_facts::facts_update_sql;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_organization::Migration),
            Box::new(m20261123_000002_create_site::Migration),
            Box::new(m20261123_000003_create_api_key::Migration),
            Box::new(m20261123_000004_create_survey::Migration),
            Box::new(m20261123_000005_create_response::Migration),
            Box::new(m20261123_000006_create_survey_display::Migration),
            Box::new(m20261123_000007_create_identify::Migration),
            Box::new(m20261123_000008_create_recording::Migration),
            Box::new(m20261123_000009_create_privacy::Migration),
            Box::new(m20261123_000010_create_sentiment_job::Migration),
            Box::new(m20261126_000011_browser_tag::Migration),
            Box::new(m20261126_000012_cache_epoch::Migration),
            Box::new(m20261126_000013_webhooks::Migration),
            Box::new(m20261126_000014_response_links_and_tags::Migration),
            Box::new(m20261126_000015_accounts::Migration),
            Box::new(m20261126_000016_heatmaps::Migration),
            Box::new(m20261126_000017_heatmap_clustered::Migration),
            Box::new(m20261126_000018_heatmap_staging::Migration),
            Box::new(m20261126_000019_chunk_object_key::Migration),
            Box::new(m20261127_000020_response_facts::Migration),
            Box::new(m20261127_000021_site_user_site_order::Migration),
        ]
    }
}

/// Shared column helpers so every table spells ids and timestamps the same way.
pub(crate) fn id_column<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

pub(crate) fn timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

pub(crate) fn timestamp_null<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}
