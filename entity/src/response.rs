use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "response")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub survey_id: i64,
    pub site_id: i64,
    /// Null when the visitor asked not to be tracked.
    pub visitor_id: Option<String>,
    pub user_id: Option<String>,
    pub is_complete: bool,
    /// Families derived from the User-Agent, which itself is never stored.
    pub device: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub country: Option<String>,
    /// Scrubbed of personal data before storage.
    pub page_url: Option<String>,
    /// JSON object of a link survey's hidden fields (`{"plan": "pro"}`), as given.
    pub hidden_fields: Option<String>,
    /// The browser tag's session id of the visit that produced the response (its
    /// recording, if the site records); null under DNT/GPC/opt-out or when none was sent.
    pub recording_session_id: Option<String>,
    /// What the response counts for in a survey summary (JSON array of items, see the
    /// `response_facts` migration); kept in step with its answers, labels and tags.
    pub facts: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
