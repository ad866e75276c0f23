use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// `SURVEY`: a full or link survey; `POLL`: an on-site widget of one to a few questions.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    #[sea_orm(string_value = "SURVEY")]
    Survey,
    #[sea_orm(string_value = "POLL")]
    Poll,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Status {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "PAUSED")]
    Paused,
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// Where a survey is answered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Distribution {
    #[sea_orm(string_value = "SITE")]
    Site,
    #[sea_orm(string_value = "LINK")]
    Link,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Denormalised from the site so every query can be scoped by organization directly.
    pub organization_id: i64,
    pub site_id: i64,
    pub kind: Kind,
    pub name: String,
    pub status: Status,
    /// JSON: who sees the survey (see `api::domain::surveys::targeting`).
    pub targeting: String,
    pub thank_you: Option<String>,
    /// `SITE` (shown by the browser tag) or `LINK` (answered at `/s/{link_token}`).
    pub distribution: Distribution,
    /// Unguessable token of a link survey's public page; unique.
    pub link_token: Option<String>,
    /// JSON array of hidden-field names a link survey records from its URL.
    pub hidden_fields: String,
    pub sentiment_enabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::question::Entity")]
    Question,
}

impl Related<super::question::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Question.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
