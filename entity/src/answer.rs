use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub response_id: i64,
    pub survey_id: i64,
    pub question_id: i64,
    /// Text, email answers.
    pub text_value: Option<String>,
    /// NPS and rating answers.
    pub number_value: Option<i32>,
    /// Free text of a choice question's "other".
    pub other_text: Option<String>,
    pub comment: Option<String>,
    pub sentiment_label: Option<String>,
    pub sentiment_score: Option<f64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
