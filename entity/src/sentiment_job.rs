use sea_orm::entity::prelude::*;

/// An answer waiting for its sentiment score (deleted once scored).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sentiment_job")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub answer_id: i64,
    pub survey_id: i64,
    /// Failed scoring attempts; a job is given up after a few.
    pub attempts: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
