//! Session recordings: find them by what happened and who it was, and replay them.

use async_graphql::{Context, Enum, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::recording;
use serde_json::Value;

use async_graphql::dataloader::DataLoader;

use super::loaders::UserOfVisitor;
use super::types::PageInfo;
use crate::domain::caller::{self, Action};
use crate::domain::recordings::{self, Order, RecordingFilter};
use crate::domain::{nesting, sites, validation};
use crate::error::AppError;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum RecordingOrder {
    #[default]
    Newest,
    Longest,
    MostClicks,
}

/// Which recordings: date range (`from` inclusive, `to` exclusive), duration in seconds,
/// device, country, a visited URL, rage clicks / U-turns, user, segment.
#[derive(InputObject, Default)]
pub struct RecordingFilterInput {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub min_duration_seconds: Option<i32>,
    pub max_duration_seconds: Option<i32>,
    pub device: Option<String>,
    pub country: Option<String>,
    pub url_contains: Option<String>,
    pub has_rage_clicks: Option<bool>,
    pub has_u_turns: Option<bool>,
    pub user_id: Option<String>,
    pub segment_id: Option<ID>,
    pub rule: Option<Json<Value>>,
    /// Sessions with (true) or without (false) a survey response linked to them.
    pub has_response: Option<bool>,
    /// Sessions with a response to this survey (of the same site).
    pub responded_to_survey: Option<ID>,
}

impl TryFrom<RecordingFilterInput> for RecordingFilter {
    type Error = AppError;
    fn try_from(f: RecordingFilterInput) -> Result<Self, AppError> {
        if f.url_contains
            .as_ref()
            .is_some_and(|u| u.chars().count() > 500)
        {
            return Err(AppError::bad_input(
                "filter.urlContains",
                "at most 500 characters",
            ));
        }
        let segment = super::surveys::segment_choice(f.segment_id, f.rule)?;
        Ok(RecordingFilter {
            from: f.from,
            to: f.to,
            min_duration_ms: f.min_duration_seconds.map(|s| i64::from(s) * 1000),
            max_duration_ms: f.max_duration_seconds.map(|s| i64::from(s) * 1000),
            device: f.device,
            country: f.country,
            url_contains: f.url_contains,
            has_rage_clicks: f.has_rage_clicks,
            has_u_turns: f.has_u_turns,
            user_id: f.user_id,
            segment,
            has_response: f.has_response,
            responded_to_survey: f
                .responded_to_survey
                .map(|id| {
                    validation::id(&id).map_err(|_| {
                        AppError::bad_input("filter.respondedToSurvey", "not a survey id")
                    })
                })
                .transpose()?,
        })
    }
}

#[derive(SimpleObject)]
pub struct RecordingEvents {
    /// rrweb events in order, for the replayer.
    pub events: Vec<RrwebEvent>,
    pub end_cursor: Option<String>,
    pub has_next_page: bool,
}

/// One stored rrweb event: the JSON object it was recorded as. Its text is turned into a
/// GraphQL value only when the answer is written, on a stack sized for its depth, so a
/// page of any accepted depth can be served.
pub struct RrwebEvent {
    json: String,
    depth: usize,
}

impl RrwebEvent {
    /// An event's stored JSON; the answer's depth is raised to fit it.
    pub(super) fn new(ctx: &Context<'_>, json: String) -> RrwebEvent {
        let depth = nesting::json_within(json.as_bytes(), usize::MAX).unwrap_or(0);
        if let Ok(answer) = ctx.data::<std::sync::Arc<AnswerDepth>>() {
            answer.at_least(depth + 16);
        }
        RrwebEvent { json, depth }
    }
}

#[async_graphql::Scalar(name = "RrwebEvent")]
impl async_graphql::ScalarType for RrwebEvent {
    fn parse(_: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        Err(async_graphql::InputValueError::custom(
            "RrwebEvent is an output type",
        ))
    }

    fn to_value(&self) -> async_graphql::Value {
        nesting::with_stack_for(self.depth, || {
            let mut de = serde_json::Deserializer::from_str(&self.json);
            de.disable_recursion_limit();
            serde::Deserialize::deserialize(&mut de).unwrap_or(async_graphql::Value::Null)
        })
    }
}

/// The deepest value a request's answer holds, so the HTTP adapter can serialize and
/// drop the answer on a stack big enough for it (see [`nesting::with_stack_for`]).
#[derive(Default)]
pub struct AnswerDepth(std::sync::atomic::AtomicUsize);

impl AnswerDepth {
    pub fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn at_least(&self, depth: usize) {
        self.0
            .fetch_max(depth, std::sync::atomic::Ordering::Relaxed);
    }
}

pub struct Recording(recording::Model);

impl From<recording::Model> for Recording {
    fn from(m: recording::Model) -> Self {
        Recording(m)
    }
}

#[Object]
impl Recording {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Survey responses given during this session (at most 100, oldest first).
    async fn responses(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::surveys::Response>> {
        Ok(crate::domain::surveys::responses::of_session(
            super::db(ctx),
            self.0.site_id,
            &self.0.session_id,
        )
        .await?
        .into_iter()
        .map(super::surveys::response_out)
        .collect())
    }
    async fn site_id(&self) -> ID {
        ID(self.0.site_id.to_string())
    }
    async fn session_id(&self) -> &str {
        &self.0.session_id
    }
    async fn visitor_id(&self) -> Option<&str> {
        self.0.visitor_id.as_deref()
    }
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    async fn ended_at(&self) -> DateTime<Utc> {
        self.0.ended_at
    }
    async fn duration_ms(&self) -> i64 {
        self.0.duration_ms
    }
    async fn page_views(&self) -> i64 {
        self.0.page_views
    }
    async fn entry_url(&self) -> Option<&str> {
        self.0.entry_url.as_deref()
    }
    async fn exit_url(&self) -> Option<&str> {
        self.0.exit_url.as_deref()
    }
    async fn clicks(&self) -> i64 {
        self.0.clicks
    }
    async fn rage_clicks(&self) -> i64 {
        self.0.rage_clicks
    }
    async fn u_turns(&self) -> i64 {
        self.0.u_turns
    }
    async fn device(&self) -> Option<&str> {
        self.0.device.as_deref()
    }
    async fn browser(&self) -> Option<&str> {
        self.0.browser.as_deref()
    }
    async fn os(&self) -> Option<&str> {
        self.0.os.as_deref()
    }
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    async fn viewport_width(&self) -> Option<i32> {
        self.0.viewport_width
    }
    async fn viewport_height(&self) -> Option<i32> {
        self.0.viewport_height
    }
    async fn event_count(&self) -> i64 {
        self.0.event_count
    }
    /// Stored (compressed) over raw size of the events.
    async fn compression_ratio(&self) -> Option<f64> {
        (self.0.stored_bytes > 0).then(|| self.0.raw_bytes as f64 / self.0.stored_bytes as f64)
    }
    /// The identified user of the recording's visitor (`{ userId attributes }`), if any.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<Json<Value>>> {
        let Some(v) = &self.0.visitor_id else {
            return Ok(None);
        };
        let user = ctx
            .data_unchecked::<DataLoader<UserOfVisitor>>()
            .load_one((self.0.site_id, v.clone()))
            .await?;
        Ok(user.map(|(user_id, attributes)| {
            Json(serde_json::json!({"userId": user_id, "attributes": attributes}))
        }))
    }
    /// Events for replay, in order (at most 1000 per page).
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 500)] first: i32,
        after: Option<String>,
    ) -> Result<RecordingEvents> {
        if !(1..=1000).contains(&first) {
            return Err(AppError::bad_input("first", "`first` is 1–1000").into());
        }
        let after = match after {
            None => None,
            Some(c) => {
                let bad = || AppError::bad_input("after", "`after` is not an events cursor");
                let (s, i) = c.split_once(':').ok_or_else(bad)?;
                Some((s.parse().map_err(|_| bad())?, i.parse().map_err(|_| bad())?))
            }
        };
        let (events, last, more) =
            recordings::events(super::db(ctx), self.0.id, first as usize, after).await?;
        let events: Vec<RrwebEvent> = events
            .into_iter()
            .map(|json| RrwebEvent {
                depth: nesting::json_within(json.as_bytes(), usize::MAX).unwrap_or(0),
                json,
            })
            .collect();
        if let (Some(deepest), Ok(answer)) = (
            events.iter().map(|e| e.depth).max(),
            ctx.data::<std::sync::Arc<AnswerDepth>>(),
        ) {
            // The event sits a few levels down the answer (data.recording.events.events[i]).
            answer.at_least(deepest + 16);
        }
        Ok(RecordingEvents {
            events,
            end_cursor: last.map(|(s, i)| format!("{s}:{i}")),
            has_next_page: more,
        })
    }
}

#[derive(SimpleObject)]
pub struct RecordingEdge {
    pub cursor: String,
    pub node: Recording,
}

#[derive(SimpleObject)]
pub struct RecordingConnection {
    pub edges: Vec<RecordingEdge>,
    pub page_info: PageInfo,
    pub total_count: u64,
}

#[derive(Default)]
pub struct RecordingQuery;

#[Object]
impl RecordingQuery {
    /// A site's recordings, filtered, newest first (or longest, most clicks).
    #[graphql(complexity = "super::connection_complexity(first, child_complexity)")]
    async fn recordings(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        filter: Option<RecordingFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        order_by: Option<RecordingOrder>,
    ) -> Result<RecordingConnection> {
        let principal = super::principal(ctx)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        let args = crate::domain::pagination::PageArgs::parse(first, None)?;
        let filter: RecordingFilter = filter.unwrap_or_default().try_into()?;
        let order = match order_by.unwrap_or_default() {
            RecordingOrder::Newest => Order::Newest,
            RecordingOrder::Longest => Order::Longest,
            RecordingOrder::MostClicks => Order::MostClicks,
        };
        // Counting scans every matching session: only when the query asks for it.
        let count = ctx.look_ahead().field("totalCount").exists();
        let page = recordings::list_page(
            db,
            site.id,
            &filter,
            order,
            args.first,
            after.as_deref(),
            count,
        )
        .await?;
        let edges: Vec<RecordingEdge> = page
            .items
            .into_iter()
            .map(|r| RecordingEdge {
                cursor: recordings::encode_cursor(order, &r),
                node: Recording(r),
            })
            .collect();
        Ok(RecordingConnection {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            total_count: page.total_count,
        })
    }

    async fn recording(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Recording>> {
        let principal = super::principal(ctx)?;
        let rec = recordings::get(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        Ok(Some(Recording(rec)))
    }
}

#[derive(Default)]
pub struct RecordingMutation;

#[Object]
impl RecordingMutation {
    /// Deletes recordings of a site (ADMIN): the given ids, or every recording the filter
    /// keeps (`filter: {}` deletes them all). Returns how many were deleted.
    async fn delete_recordings(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        ids: Option<Vec<ID>>,
        filter: Option<RecordingFilterInput>,
    ) -> Result<u64> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::DeleteRecordings)?;
        let db = super::db(ctx);
        let site = sites::get(db, principal.org_id(), validation::id(&site_id)?).await?;
        if ids.is_none() && filter.is_none() {
            return Err(AppError::bad_input("ids", "give ids or a filter").into());
        }
        let ids = ids
            .map(|ids| {
                ids.iter()
                    .map(|i| validation::id(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let filter: Option<RecordingFilter> = filter.map(TryInto::try_into).transpose()?;
        Ok(recordings::delete(db, site.id, ids, filter.as_ref()).await?)
    }
}
