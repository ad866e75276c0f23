use sea_orm::entity::prelude::*;

/// A site's user profile: an identified user (`user_id` set) or the anonymous attributes
/// of one visitor. Visit facts are kept here; attributes in `user_attribute`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "site_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    /// `u:<user id>` or `v:<visitor id>`: unique per site.
    pub user_key: String,
    pub user_id: Option<String>,
    pub first_seen: DateTimeUtc,
    pub last_seen: DateTimeUtc,
    pub sessions: i64,
    pub device: Option<String>,
    pub country: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
