//! Output types, converted from entity models so that nothing (a secret hash, say) leaks
//! by adding a derive to an entity.

use async_graphql::{Context, Enum, InputObject, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{api_key, site};

use crate::domain::sites::allowed_domains;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::organization::Plan")]
pub enum Plan {
    Basic,
    Plus,
    Business,
    Scale,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::api_key::Role")]
pub enum Role {
    Read,
    Write,
    Admin,
}

/// A website that sends data to Loupe. Its numeric `id` is the one pages use.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Site {
    pub id: ID,
    pub name: String,
    pub allowed_domains: Vec<String>,
    pub identify_enabled: bool,
    pub retention_days: i32,
    /// No survey to a visitor who was shown one of this site's surveys in the last N days.
    pub survey_cooldown_days: i32,
    /// Text typed into inputs is masked in recordings before storage.
    pub mask_inputs: bool,
    /// Query parameters whose values stored URLs keep (besides `utm_*`).
    pub url_allowed_params: Vec<String>,
    /// Extra patterns masked in stored URLs.
    pub url_patterns: Vec<String>,
    /// The browser tag records sessions.
    pub recording_enabled: bool,
    /// Share of visitors recorded (0–100), stable per visitor.
    pub recording_sample_percent: i32,
    /// Every text on the page is masked in recordings, not only inputs.
    pub mask_all_text: bool,
    /// The tag sends nothing before the page calls `loupe('consent', true)`.
    pub require_consent: bool,
    /// Identify calls must carry `user_hash` = HMAC-SHA256(identity secret, user id).
    pub identity_verification: bool,
    /// Whether an identity secret has been generated (the secret itself is shown once).
    pub has_identity_secret: bool,
    /// The widget's look, defaults filled in.
    pub theme: SiteTheme,
    /// Heatmap facts (clicks, moves, scroll depth per page) are extracted from recordings.
    pub heatmaps_enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Colours (`#rrggbb`), position (`bottom-right`, `bottom-left`, `center`) and font of
/// the survey widget.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "SiteThemeInput")]
pub struct SiteTheme {
    pub primary: Option<String>,
    pub background: Option<String>,
    pub text: Option<String>,
    pub position: Option<String>,
    pub font: Option<String>,
}

impl From<SiteTheme> for crate::domain::tag::Theme {
    fn from(t: SiteTheme) -> Self {
        crate::domain::tag::Theme {
            primary: t.primary,
            background: t.background,
            text: t.text,
            position: t.position,
            font: t.font,
        }
    }
}

#[async_graphql::ComplexObject]
impl Site {
    /// When data last arrived from the tag (a recording batch, a survey response or
    /// display): null until the snippet works on a page.
    async fn last_data_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        let id = self.id.parse::<i64>().unwrap_or_default();
        Ok(crate::domain::sites::last_data_at(super::db(ctx), id).await?)
    }

    /// The snippet to paste into every page, before `</head>`: the browser tag with this
    /// site's id, from Loupe's public URL (`LOUPE_PUBLIC_URL`).
    async fn snippet(&self, ctx: &Context<'_>) -> String {
        let id = self.id.parse::<i64>().unwrap_or_default();
        crate::domain::tag::snippet(
            id,
            self.require_consent,
            ctx.data_unchecked::<crate::domain::tag::PublicUrl>(),
        )
    }
}

impl From<site::Model> for Site {
    fn from(m: site::Model) -> Self {
        let t = crate::domain::tag::Theme::of(&m).resolved();
        let theme = SiteTheme {
            primary: t.primary,
            background: t.background,
            text: t.text,
            position: t.position,
            font: t.font,
        };
        Site {
            id: ID(m.id.to_string()),
            allowed_domains: allowed_domains(&m),
            name: m.name,
            identify_enabled: m.identify_enabled,
            retention_days: m.retention_days,
            survey_cooldown_days: m.survey_cooldown_days,
            mask_inputs: m.mask_inputs,
            url_allowed_params: crate::domain::sites::string_list(&m.url_allowed_params),
            url_patterns: crate::domain::sites::string_list(&m.url_patterns),
            recording_enabled: m.recording_enabled,
            recording_sample_percent: m.recording_sample_percent,
            mask_all_text: m.mask_all_text,
            require_consent: m.require_consent,
            identity_verification: m.identity_verification,
            has_identity_secret: m.identity_secret.is_some(),
            theme,
            heatmaps_enabled: m.heatmaps_enabled,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// An API key, never with its secret.
#[derive(SimpleObject, Clone)]
pub struct ApiKey {
    pub id: ID,
    pub name: String,
    pub role: Role,
    pub client_id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<api_key::Model> for ApiKey {
    fn from(m: api_key::Model) -> Self {
        ApiKey {
            id: ID(m.id.to_string()),
            name: m.name,
            role: m.role.into(),
            client_id: m.client_id,
            created_at: m.created_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            last_used_at: m.last_used_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// Declares a Relay-style connection (`edges { cursor node }`, `pageInfo`, `totalCount`)
/// and its edge type for one node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        /// A page of results.
        #[derive(async_graphql::SimpleObject)]
        pub struct $connection {
            pub edges: Vec<$edge>,
            pub page_info: $crate::graphql::types::PageInfo,
            pub total_count: u64,
        }

        impl $connection {
            pub fn from_page<M>(
                page: $crate::domain::pagination::Page<M>,
                convert: impl Fn(M) -> $node,
            ) -> Self {
                $connection {
                    edges: page
                        .items
                        .into_iter()
                        .map(|(cursor, m)| $edge {
                            cursor,
                            node: convert(m),
                        })
                        .collect(),
                    page_info: $crate::graphql::types::PageInfo {
                        has_next_page: page.has_next_page,
                        end_cursor: page.end_cursor,
                    },
                    total_count: page.total_count,
                }
            }
        }
    };
}

pub(crate) use connection;

connection!(SiteConnection, SiteEdge, Site);
connection!(ApiKeyConnection, ApiKeyEdge, ApiKey);
