//! Segments, identified users and their attributes. Thin adapters over
//! `crate::domain::segments` and `crate::domain::people::identify`.

use async_graphql::{Context, Enum, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{segment, site_user};
use serde_json::Value;

use super::surveys::ResponseConnection;
use super::types::PageInfo;
use crate::domain::caller::{self, Action};
use crate::domain::pagination::{Page, PageArgs};
use crate::domain::people::{self, attributes::attr_json};
use crate::domain::segments::{self, eval::AttrValue, rule::AttrKind};
use crate::domain::{sites, validation};
use crate::error::AppError;
use async_graphql::dataloader::DataLoader;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AttributeType {
    String,
    Number,
    Boolean,
    Date,
}

impl From<AttrKind> for AttributeType {
    fn from(k: AttrKind) -> Self {
        match k {
            AttrKind::String => AttributeType::String,
            AttrKind::Number => AttributeType::Number,
            AttrKind::Boolean => AttributeType::Boolean,
            AttrKind::Date => AttributeType::Date,
        }
    }
}

/// An attribute name of a site, typed by the first value it received.
#[derive(SimpleObject)]
pub struct AttributeDefinition {
    pub name: String,
    #[graphql(name = "type")]
    pub kind: AttributeType,
}

/// One attribute of a user, with its value in the field of its type.
#[derive(SimpleObject, Clone)]
pub struct UserAttribute {
    pub name: String,
    #[graphql(name = "type")]
    pub kind: AttributeType,
    /// The value as JSON (a date as ISO 8601 UTC).
    pub value: Json<Value>,
    pub string_value: Option<String>,
    pub number_value: Option<f64>,
    pub boolean_value: Option<bool>,
    pub date_value: Option<DateTime<Utc>>,
}

/// An identified user of a site (the `user_id` the site sent to the Identify API).
pub struct User {
    profile: site_user::Model,
    attributes: Vec<UserAttribute>,
}

#[Object]
impl User {
    async fn user_id(&self) -> &str {
        self.profile.user_id.as_deref().unwrap_or_default()
    }
    async fn site_id(&self) -> ID {
        ID(self.profile.site_id.to_string())
    }
    async fn first_seen(&self) -> DateTime<Utc> {
        self.profile.first_seen
    }
    async fn last_seen(&self) -> DateTime<Utc> {
        self.profile.last_seen
    }
    /// Identify calls more than 30 minutes apart start a new session.
    async fn sessions(&self) -> i64 {
        self.profile.sessions
    }
    async fn device(&self) -> Option<&str> {
        self.profile.device.as_deref()
    }
    async fn country(&self) -> Option<&str> {
        self.profile.country.as_deref()
    }
    async fn attributes(&self) -> &[UserAttribute] {
        &self.attributes
    }
    /// Responses of every visitor linked to this user, newest first.
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn responses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ResponseConnection> {
        let args = PageArgs::parse(first, after.as_deref())?;
        // Through a DataLoader: a list of users loads every person's page in one batch.
        let key = (
            self.profile.site_id,
            self.profile.id,
            args.first,
            args.after,
        );
        let page = ctx
            .data_unchecked::<DataLoader<super::loaders::ResponsesOfProfile>>()
            .load_one(key)
            .await?
            .map(|p| p.as_ref().clone())
            .unwrap_or(Page {
                items: vec![],
                has_next_page: false,
                end_cursor: None,
                total_count: 0,
            });
        Ok(ResponseConnection::from_page(
            page,
            super::surveys::response_out,
        ))
    }
}

#[derive(SimpleObject)]
pub struct UserEdge {
    pub cursor: String,
    pub node: User,
}

#[derive(SimpleObject)]
pub struct UserConnection {
    pub edges: Vec<UserEdge>,
    pub page_info: PageInfo,
    pub total_count: u64,
}

/// Users with their attributes, loaded in one batched query for the whole page.
async fn users_out(
    db: &sea_orm::DatabaseConnection,
    site_id: i64,
    profiles: Vec<site_user::Model>,
) -> Result<Vec<User>> {
    let ids: Vec<i64> = profiles.iter().map(|p| p.id).collect();
    let mut by_profile = people::typed_attributes_of(db, site_id, &ids).await?;
    let out = |(name, kind, v): people::TypedAttribute| {
        let mut out = UserAttribute {
            name,
            kind: kind.into(),
            value: Json(attr_json(&v)),
            string_value: None,
            number_value: None,
            boolean_value: None,
            date_value: None,
        };
        match v {
            AttrValue::Text { raw, .. } => out.string_value = Some(raw),
            AttrValue::Number(n) => out.number_value = Some(n),
            AttrValue::Bool(b) => out.boolean_value = Some(b),
            AttrValue::Time(t) => out.date_value = Some(t),
        }
        out
    };
    Ok(profiles
        .into_iter()
        .map(|p| User {
            attributes: by_profile
                .remove(&p.id)
                .unwrap_or_default()
                .into_iter()
                .map(out)
                .collect(),
            profile: p,
        })
        .collect())
}

async fn user_connection(
    db: &sea_orm::DatabaseConnection,
    site_id: i64,
    page: Page<site_user::Model>,
) -> Result<UserConnection> {
    let (cursors, rows): (Vec<String>, Vec<site_user::Model>) = page.items.into_iter().unzip();
    let users = users_out(db, site_id, rows).await?;
    Ok(UserConnection {
        edges: cursors
            .into_iter()
            .zip(users)
            .map(|(cursor, node)| UserEdge { cursor, node })
            .collect(),
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            end_cursor: page.end_cursor,
        },
        total_count: page.total_count,
    })
}

/// How many identified users a rule matches now, and a few of them (the rule runs once).
pub struct SegmentPreview {
    matching_users: u64,
    sample: Vec<User>,
}

#[Object]
impl SegmentPreview {
    async fn matching_users(&self) -> u64 {
        self.matching_users
    }
    /// Up to 10 matching users, most recently seen first.
    async fn sample_users(&self) -> &[User] {
        &self.sample
    }
}

/// A named rule over user attributes, visit facts and survey interactions.
pub struct Segment(segment::Model);

#[Object]
impl Segment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn site_id(&self) -> ID {
        ID(self.0.site_id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The rule in its JSON form (see the README).
    async fn rule(&self) -> Result<Json<Value>> {
        Ok(Json(
            serde_json::from_str(&self.0.rule).map_err(AppError::internal)?,
        ))
    }
    async fn preview(&self, ctx: &Context<'_>) -> Result<SegmentPreview> {
        let db = super::db(ctx);
        let rule = segments::rule_of(db, &self.0).await?;
        let p = segments::preview(db, self.0.site_id, &rule).await?;
        Ok(SegmentPreview {
            matching_users: p.matching_users,
            sample: users_out(db, self.0.site_id, p.sample).await?,
        })
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(SimpleObject)]
pub struct SegmentEdge {
    pub cursor: String,
    pub node: Segment,
}

#[derive(SimpleObject)]
pub struct SegmentConnection {
    pub edges: Vec<SegmentEdge>,
    pub page_info: PageInfo,
    pub total_count: u64,
}

#[derive(Default)]
pub struct SegmentQuery;

#[Object]
impl SegmentQuery {
    /// A site's segments, oldest first.
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn segments(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<SegmentConnection> {
        let principal = super::principal(ctx)?;
        let args = PageArgs::parse(first, after.as_deref())?;
        let page = segments::list(
            super::db(ctx),
            principal.org_id(),
            validation::id(&site_id)?,
            args,
        )
        .await?;
        Ok(SegmentConnection {
            edges: page
                .items
                .into_iter()
                .map(|(cursor, m)| SegmentEdge {
                    cursor,
                    node: Segment(m),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor: page.end_cursor,
            },
            total_count: page.total_count,
        })
    }

    async fn segment(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Segment>> {
        let principal = super::principal(ctx)?;
        let seg = segments::get(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        Ok(Some(Segment(seg)))
    }

    /// Attribute names a site has received, with their types.
    async fn user_attributes(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
    ) -> Result<Vec<AttributeDefinition>> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let mut defs: Vec<AttributeDefinition> = people::attributes::definitions(db, site.id)
            .await?
            .into_iter()
            .map(|(name, (_, k))| AttributeDefinition {
                name,
                kind: k.into(),
            })
            .collect();
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(defs)
    }

    /// Identified users of a site, oldest first; in a saved segment (`segmentId`) or
    /// matching an inline `rule`, or all of them.
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        segment_id: Option<ID>,
        rule: Option<Json<Value>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<UserConnection> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let args = PageArgs::parse(first, after.as_deref())?;
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let rule = match (segment_id, rule) {
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input("rule", "give segmentId or rule, not both").into())
            }
            (Some(id), None) => {
                let seg = segments::get(db, principal.org_id(), validation::id(&id)?).await?;
                if seg.site_id != site.id {
                    return Err(AppError::bad_input(
                        "segmentId",
                        "this segment belongs to another site",
                    )
                    .into());
                }
                Some(segments::rule_of(db, &seg).await?)
            }
            (None, Some(r)) => Some(segments::check(db, site.id, &r.0, "rule").await?),
            (None, None) => None,
        };
        // Counting tests every profile: only when the query asks for it.
        let count = ctx.look_ahead().field("totalCount").exists();
        let page = segments::users(db, site.id, rule.as_ref(), args, count).await?;
        user_connection(db, site.id, page).await
    }

    /// One identified user of a site by the `user_id` the site sent.
    async fn user(&self, ctx: &Context<'_>, site_id: ID, user_id: String) -> Result<Option<User>> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let profile = people::user(db, site.id, &user_id).await?;
        Ok(users_out(db, site.id, vec![profile]).await?.pop())
    }
}

#[derive(InputObject)]
pub struct CreateSegmentInput {
    pub site_id: ID,
    pub name: String,
    pub rule: Json<Value>,
}

#[derive(InputObject)]
pub struct UpdateSegmentInput {
    pub name: Option<String>,
    pub rule: Option<Json<Value>>,
}

#[derive(Default)]
pub struct SegmentMutation;

#[Object]
impl SegmentMutation {
    /// Creates a segment (WRITE). The rule is checked against the site's attributes,
    /// surveys and questions; errors carry the path of the offending condition.
    async fn create_segment(
        &self,
        ctx: &Context<'_>,
        input: CreateSegmentInput,
    ) -> Result<Segment> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageSegments)?;
        let seg = segments::create(
            super::db(ctx),
            principal.org_id(),
            validation::id(&input.site_id)?,
            &input.name,
            &input.rule.0,
        )
        .await?;
        Ok(Segment(seg))
    }

    async fn update_segment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateSegmentInput,
    ) -> Result<Segment> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageSegments)?;
        let seg = segments::update(
            super::db(ctx),
            principal.org_id(),
            validation::id(&id)?,
            input.name.as_deref(),
            input.rule.as_ref().map(|r| &r.0),
        )
        .await?;
        Ok(Segment(seg))
    }

    /// Deletes a segment that no survey or poll targets (`CONFLICT` otherwise).
    async fn delete_segment(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageSegments)?;
        segments::delete(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        Ok(id)
    }
}
