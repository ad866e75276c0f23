use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptySubscription, MergedObject, Schema};
use sea_orm::DatabaseConnection;

use super::{
    accounts, api_keys, heatmaps, organization, privacy, recordings, segments, sites, surveys,
    viewer, webhooks,
};
use crate::auth::Auth;
use crate::domain::audit::SubjectKey;
use crate::domain::surveys::ingest::Ingest;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    viewer::ViewerQuery,
    accounts::AccountQuery,
    sites::SiteQuery,
    surveys::SurveyQuery,
    segments::SegmentQuery,
    recordings::RecordingQuery,
    heatmaps::HeatmapQuery,
    privacy::PrivacyQuery,
    webhooks::WebhookQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    accounts::AccountMutation,
    sites::SiteMutation,
    organization::OrganizationMutation,
    api_keys::ApiKeyMutation,
    surveys::SurveyMutation,
    segments::SegmentMutation,
    recordings::RecordingMutation,
    privacy::PrivacyMutation,
    webhooks::WebhookMutation,
);

pub type LoupeSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema's SDL, without any data behind it.
pub fn sdl() -> String {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .finish()
    .sdl()
}

pub struct SchemaLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

pub fn build_schema(
    db: DatabaseConnection,
    auth: Arc<Auth>,
    ingest: Arc<Ingest>,
    subject_key: SubjectKey,
    public_url: crate::domain::tag::PublicUrl,
    changes: crate::changes::Changes,
    limits: &SchemaLimits,
) -> LoupeSchema {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .data(DataLoader::new(
        super::loaders::UserOfVisitor { db: db.clone() },
        tokio::spawn,
    ))
    .data(DataLoader::new(
        super::loaders::ResponsesOfProfile { db: db.clone() },
        tokio::spawn,
    ))
    .data(DataLoader::new(
        super::loaders::QuestionsOfSurvey { db: db.clone() },
        tokio::spawn,
    ))
    .data(DataLoader::new(
        super::loaders::ResponseCountsOfSurvey { db: db.clone() },
        tokio::spawn,
    ))
    .data(DataLoader::new(
        super::loaders::RecordingOfSession { db: db.clone() },
        tokio::spawn,
    ))
    .data(DataLoader::new(
        super::loaders::TagsOfResponse { db: db.clone() },
        tokio::spawn,
    ))
    .data(db)
    .data(auth)
    .data(ingest)
    .data(subject_key)
    .data(public_url)
    .data(changes)
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(64)
    .limit_directives(16)
    .finish()
}
