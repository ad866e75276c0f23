use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub position: i32,
    /// Unique within the survey; names the question in logic rules.
    pub key: String,
    /// `SHORT_TEXT`, `NPS`, … (`api::domain::surveys::definition::QuestionType`).
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    /// JSON: options, scale, labels, display style.
    pub config: String,
    /// JSON: ordered logic rules.
    pub logic: String,
    /// Set instead of deleting once the survey has responses.
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::survey::Entity",
        from = "Column::SurveyId",
        to = "super::survey::Column::Id",
        on_delete = "Cascade"
    )]
    Survey,
}

impl Related<super::survey::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Survey.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
