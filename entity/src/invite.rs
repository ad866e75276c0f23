use sea_orm::entity::prelude::*;

use crate::api_key::Role;

/// An invitation into an organization (or the first-start setup link, `setup`). Only a
/// hash of the link's token is stored; the link is shown once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invite")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// When set, only this address may accept it.
    pub email: Option<String>,
    pub role: Role,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub setup: bool,
    pub created_by_account_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
