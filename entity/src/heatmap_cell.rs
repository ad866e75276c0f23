use sea_orm::entity::prelude::*;

/// One bin of a heatmap page row: `kind` CLICK, RAGE_CLICK, DEAD_CLICK or MOVE with `x`,
/// `y` the bin (of `api::domain::heatmaps::BIN_PX` at the device's reference width); SCROLL
/// with `y` the 5 % step of the document that page views reached (x = 0).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heatmap_cell")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub page_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub x: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub y: i32,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::heatmap_page::Entity",
        from = "Column::PageId",
        to = "super::heatmap_page::Column::Id",
        on_delete = "Cascade"
    )]
    Page,
}

impl ActiveModelBehavior for ActiveModel {}
