use sea_orm::entity::prelude::*;

/// One attribute value of a profile, in the column of its type.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user_attribute")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub profile_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub attribute_id: i64,
    pub value_text: Option<String>,
    /// `value_text` lower-cased by Loupe, for case-insensitive comparisons.
    pub value_folded: Option<String>,
    pub value_number: Option<f64>,
    pub value_bool: Option<bool>,
    pub value_time: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
