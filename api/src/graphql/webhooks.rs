//! Webhook endpoints of a site (ADMIN to change, any role to read) and their deliveries.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{webhook_delivery, webhook_endpoint};

use crate::domain::caller::{self, Action};
use crate::domain::validation;
use crate::domain::webhooks::{self, outbox, EndpointChanges, EventType, Format, NewEndpoint};

/// Something that happened, which endpoints subscribe to.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WebhookEvent {
    /// A response was stored (complete or partial).
    SurveyResponseCreated,
    /// A response was completed (at once, or later by its visitor).
    SurveyResponseCompleted,
    /// The text answers of a response got their sentiment.
    SurveyResponseSentimentScored,
    /// The first batch of a session recording was stored.
    RecordingStarted,
    /// Sent on demand (`sendTestWebhook`).
    Test,
}

impl From<WebhookEvent> for EventType {
    fn from(e: WebhookEvent) -> EventType {
        match e {
            WebhookEvent::SurveyResponseCreated => EventType::ResponseCreated,
            WebhookEvent::SurveyResponseCompleted => EventType::ResponseCompleted,
            WebhookEvent::SurveyResponseSentimentScored => EventType::SentimentScored,
            WebhookEvent::RecordingStarted => EventType::RecordingStarted,
            WebhookEvent::Test => EventType::Test,
        }
    }
}

impl From<EventType> for WebhookEvent {
    fn from(e: EventType) -> WebhookEvent {
        match e {
            EventType::ResponseCreated => WebhookEvent::SurveyResponseCreated,
            EventType::ResponseCompleted => WebhookEvent::SurveyResponseCompleted,
            EventType::SentimentScored => WebhookEvent::SurveyResponseSentimentScored,
            EventType::RecordingStarted => WebhookEvent::RecordingStarted,
            EventType::Test => WebhookEvent::Test,
        }
    }
}

/// The body's shape.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WebhookFormat {
    /// `{"type", "timestamp", "data"}`, per Standard Webhooks.
    Standard,
    /// A Slack incoming-webhook message.
    Slack,
}

impl From<WebhookFormat> for Format {
    fn from(f: WebhookFormat) -> Format {
        match f {
            WebhookFormat::Standard => Format::Standard,
            WebhookFormat::Slack => Format::Slack,
        }
    }
}

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first attempt or a retry.
    Pending,
    /// A 2xx answer came back.
    Delivered,
    /// Given up after retrying for the endpoint's retry period.
    Failed,
    /// Not sent: its response or recording was deleted first.
    Skipped,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct WebhookEndpoint {
    pub id: ID,
    pub site_id: ID,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<WebhookEvent>,
    pub format: WebhookFormat,
    pub enabled: bool,
    /// Why Loupe turned the endpoint off (after a run of failed attempts); null otherwise.
    pub disabled_reason: Option<String>,
    /// Failed attempts in a row; a success resets it.
    pub consecutive_failures: i32,
    /// Until when the previous secret also signs requests (after a rotation).
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    raw_id: i64,
}

impl From<webhook_endpoint::Model> for WebhookEndpoint {
    fn from(e: webhook_endpoint::Model) -> Self {
        WebhookEndpoint {
            id: ID(e.id.to_string()),
            site_id: ID(e.site_id.to_string()),
            events: webhooks::events_of(&e)
                .into_iter()
                .map(Into::into)
                .collect(),
            format: match Format::of(&e) {
                Format::Standard => WebhookFormat::Standard,
                Format::Slack => WebhookFormat::Slack,
            },
            url: e.url,
            description: e.description,
            enabled: e.enabled,
            disabled_reason: e.disabled_reason,
            consecutive_failures: e.consecutive_failures,
            previous_secret_expires_at: e.previous_secret_until,
            created_at: e.created_at,
            updated_at: e.updated_at,
            raw_id: e.id,
        }
    }
}

#[ComplexObject]
impl WebhookEndpoint {
    /// The most recent deliveries, newest first (ended ones are kept 7 days).
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: i32,
    ) -> Result<Vec<WebhookDelivery>> {
        let principal = super::principal(ctx)?;
        let first = u64::try_from(first.clamp(1, 100)).unwrap_or(20);
        Ok(
            webhooks::deliveries(super::db(ctx), principal.org_id(), self.raw_id, first)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }
}

#[derive(SimpleObject)]
pub struct WebhookDelivery {
    pub id: ID,
    /// The `webhook-id` header: the same on every attempt.
    pub message_id: String,
    pub event: Option<WebhookEvent>,
    pub status: WebhookDeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// The receiver's last HTTP status (null: no answer, e.g. a timeout).
    pub last_status_code: Option<i32>,
    pub last_latency_ms: Option<i32>,
    pub last_error: Option<String>,
    /// The first bytes of the receiver's last answer.
    pub response_excerpt: Option<String>,
    /// When the next attempt is due (pending deliveries only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<webhook_delivery::Model> for WebhookDelivery {
    fn from(d: webhook_delivery::Model) -> Self {
        let status = match d.status.as_str() {
            outbox::DELIVERED => WebhookDeliveryStatus::Delivered,
            outbox::FAILED => WebhookDeliveryStatus::Failed,
            outbox::SKIPPED => WebhookDeliveryStatus::Skipped,
            _ => WebhookDeliveryStatus::Pending,
        };
        WebhookDelivery {
            id: ID(d.id.to_string()),
            message_id: d.msg_id,
            event: EventType::parse(&d.event_type).map(Into::into),
            next_attempt_at: (status == WebhookDeliveryStatus::Pending)
                .then_some(d.next_attempt_at),
            status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_latency_ms: d.last_latency_ms,
            last_error: d.last_error,
            response_excerpt: d.response_excerpt,
            created_at: d.created_at,
            finished_at: d.finished_at,
        }
    }
}

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// A site's webhook endpoints, oldest first.
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
    ) -> Result<Vec<WebhookEndpoint>> {
        let principal = super::principal(ctx)?;
        Ok(webhooks::list(
            super::db(ctx),
            principal.org_id(),
            validation::id(&site_id)?,
        )
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
    }

    /// One endpoint; another organization's is null with `NOT_FOUND`.
    async fn webhook_endpoint(&self, ctx: &Context<'_>, id: ID) -> Result<Option<WebhookEndpoint>> {
        let principal = super::principal(ctx)?;
        let e = webhooks::get(super::db(ctx), principal.org_id(), validation::id(&id)?).await?;
        Ok(Some(e.into()))
    }
}

#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    pub site_id: ID,
    /// http(s) URL of a public address (no credentials in it).
    pub url: String,
    pub events: Vec<WebhookEvent>,
    #[graphql(default_with = "WebhookFormat::Standard")]
    pub format: WebhookFormat,
    pub description: Option<String>,
    #[graphql(default = true)]
    pub enabled: bool,
}

#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    pub url: Option<String>,
    pub events: Option<Vec<WebhookEvent>>,
    pub format: Option<WebhookFormat>,
    pub description: Option<String>,
    /// Turning an endpoint on again resets its run of failures.
    pub enabled: Option<bool>,
}

/// An endpoint with its signing secret, which is shown in this answer only.
#[derive(SimpleObject)]
pub struct WebhookEndpointWithSecret {
    pub endpoint: WebhookEndpoint,
    /// `whsec_…`: verify requests with any Standard Webhooks library.
    pub secret: String,
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Adds a webhook endpoint to a site (ADMIN).
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookEndpointInput,
    ) -> Result<WebhookEndpointWithSecret> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageWebhooks)?;
        let (e, secret) = webhooks::create(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            NewEndpoint {
                site_id: validation::id(&input.site_id)?,
                url: input.url,
                events: input.events.into_iter().map(Into::into).collect(),
                format: input.format.into(),
                description: input.description,
                enabled: input.enabled,
            },
        )
        .await?;
        Ok(WebhookEndpointWithSecret {
            endpoint: e.into(),
            secret,
        })
    }

    /// Changes an endpoint (ADMIN).
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateWebhookEndpointInput,
    ) -> Result<WebhookEndpoint> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageWebhooks)?;
        let e = webhooks::update(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            validation::id(&id)?,
            EndpointChanges {
                url: input.url,
                events: input
                    .events
                    .map(|v| v.into_iter().map(Into::into).collect()),
                format: input.format.map(Into::into),
                description: input.description.map(Some),
                enabled: input.enabled,
            },
        )
        .await?;
        Ok(e.into())
    }

    /// Deletes an endpoint and its delivery log (ADMIN).
    async fn delete_webhook_endpoint(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageWebhooks)?;
        webhooks::delete(
            super::db(ctx),
            super::changes(ctx),
            principal.org_id(),
            validation::id(&id)?,
        )
        .await?;
        Ok(true)
    }

    /// A new signing secret, shown in this answer only (ADMIN). For `overlapHours`
    /// (0–168, default 24) requests carry signatures with both, so receivers can switch.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = 24)] overlap_hours: i32,
    ) -> Result<WebhookEndpointWithSecret> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageWebhooks)?;
        let (e, secret) = webhooks::rotate_secret(
            super::db(ctx),
            principal.org_id(),
            validation::id(&id)?,
            i64::from(overlap_hours),
        )
        .await?;
        Ok(WebhookEndpointWithSecret {
            endpoint: e.into(),
            secret,
        })
    }

    /// Sends a `test` event to the endpoint now (ADMIN).
    async fn send_test_webhook(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookDelivery> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageWebhooks)?;
        Ok(
            webhooks::send_test(super::db(ctx), principal.org_id(), validation::id(&id)?)
                .await?
                .into(),
        )
    }

    /// Sends a delivery again now, with the same `webhook-id` (ADMIN).
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        delivery_id: ID,
    ) -> Result<WebhookDelivery> {
        let principal = super::principal(ctx)?;
        caller::may(principal, Action::ManageWebhooks)?;
        Ok(webhooks::redeliver(
            super::db(ctx),
            principal.org_id(),
            validation::id(&delivery_id)?,
        )
        .await?
        .into())
    }
}
