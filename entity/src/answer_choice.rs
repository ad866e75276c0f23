use sea_orm::entity::prelude::*;

/// One selected option of a choice answer, so counts per choice are a GROUP BY. It names
/// its response and question (not the answer row), so a batch of responses can be
/// written with multi-row inserts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer_choice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub response_id: i64,
    pub survey_id: i64,
    pub question_id: i64,
    pub choice: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
