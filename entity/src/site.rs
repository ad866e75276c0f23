use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "site")]
pub struct Model {
    /// The numeric site id that pages use in public endpoints.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// JSON array of host names (`example.com`, `*.example.com`), kept as text so it
    /// reads the same on SQLite and PostgreSQL.
    pub allowed_domains: String,
    pub identify_enabled: bool,
    pub retention_days: i32,
    /// No survey of this site to a visitor who was shown one in the last N days (0: off).
    pub survey_cooldown_days: i32,
    /// Mask text typed into inputs in recordings before storage (on by default).
    pub mask_inputs: bool,
    /// JSON array of query parameter names whose values are kept in stored URLs (besides
    /// `utm_*`); every other value is masked.
    pub url_allowed_params: String,
    /// JSON array of extra regular expressions masked in every stored URL.
    pub url_patterns: String,
    /// The browser tag records sessions (off by default).
    pub recording_enabled: bool,
    /// Share of visitors recorded, 0–100, stable per visitor.
    pub recording_sample_percent: i32,
    /// The tag masks every text node in recordings (sites that show personal data).
    pub mask_all_text: bool,
    /// The tag sends nothing before the page calls `loupe('consent', true)`.
    pub require_consent: bool,
    /// Identify calls must carry `user_hash = HMAC-SHA256(identity_secret, user_id)`.
    pub identity_verification: bool,
    /// The per-site HMAC key for identity verification; shown once when (re)generated.
    pub identity_secret: Option<String>,
    /// JSON object: the widget theme (colours, position, font).
    pub theme: String,
    /// Heatmap facts are extracted from recordings (on by default).
    pub heatmaps_enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
