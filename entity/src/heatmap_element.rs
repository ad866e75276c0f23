use sea_orm::entity::prelude::*;

/// Clicks on one element (a CSS selector built from the page's snapshot) of a heatmap
/// page row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heatmap_element")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub page_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub selector: String,
    pub clicks: i64,
    pub rage_clicks: i64,
    pub dead_clicks: i64,
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
