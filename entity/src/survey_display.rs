use sea_orm::entity::prelude::*;

/// A survey shown to, or dismissed by, a visitor: what frequency and cool-down rules use.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_display")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    pub survey_id: i64,
    pub visitor_id: String,
    /// `SHOWN` or `DISMISSED`.
    pub event: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
