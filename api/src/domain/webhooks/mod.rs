//! Webhooks: a site's endpoints and what they are sent. Events are written to an outbox
//! in the same transaction as the data that caused them ([`outbox`]) and worked off by
//! the delivery worker (`jobs/webhooks.rs`): signed per Standard Webhooks ([`sign`]),
//! sent only to public addresses ([`ssrf`]), retried with backoff for a day, at least
//! once. Bodies carry only what Loupe stores (`domain::webhook_bodies`).

pub mod events;
pub mod outbox;
pub mod policy;
pub mod sign;
pub mod ssrf;

pub use events::{events_of, EventType, Format};
pub use policy::{configure, policy, Policy};

use chrono::{DateTime, TimeDelta, Utc};
use entity::{webhook_delivery, webhook_endpoint};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::{now, sites};
use crate::changes::{Change, Changes};
use crate::error::{AppError, AppResult};

/// Endpoints a site may have.
pub const MAX_ENDPOINTS_PER_SITE: u64 = 20;
const MAX_DESCRIPTION_CHARS: usize = 200;

fn events_json(events: &[EventType]) -> AppResult<String> {
    if events.is_empty() {
        return Err(AppError::bad_input(
            "events",
            "subscribe to at least one event",
        ));
    }
    let mut names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    serde_json::to_string(&names).map_err(AppError::internal)
}

fn description(d: Option<String>) -> AppResult<Option<String>> {
    let d = d.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
    if let Some(d) = &d {
        if d.chars().count() > MAX_DESCRIPTION_CHARS || d.chars().any(char::is_control) {
            return Err(AppError::bad_input(
                "description",
                format!("at most {MAX_DESCRIPTION_CHARS} characters, no control characters"),
            ));
        }
    }
    Ok(d)
}

async fn checked_url(raw: &str) -> AppResult<String> {
    let url = ssrf::parse(raw, "url")?;
    ssrf::check(&url, policy().allow_private, "url").await?;
    Ok(url.to_string())
}

/// What a new endpoint is.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    pub site_id: i64,
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    pub description: Option<String>,
    pub enabled: bool,
}

/// Creates an endpoint of a site of `org_id`; the signing secret is in this answer only.
pub async fn create(
    db: &impl ConnectionTrait,
    changes: &Changes,
    org_id: i64,
    new: NewEndpoint,
) -> AppResult<(webhook_endpoint::Model, String)> {
    let site = sites::get(db, org_id, new.site_id).await?;
    let url = checked_url(&new.url).await?;
    let events = events_json(&new.events)?;
    let description = description(new.description)?;
    let existing = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::SiteId.eq(site.id))
        .count(db)
        .await?;
    if existing >= MAX_ENDPOINTS_PER_SITE {
        return Err(AppError::Conflict(format!(
            "a site has at most {MAX_ENDPOINTS_PER_SITE} webhook endpoints"
        )));
    }
    let secret = sign::new_secret();
    let at = now();
    let saved = webhook_endpoint::ActiveModel {
        organization_id: Set(org_id),
        site_id: Set(site.id),
        url: Set(url),
        description: Set(description),
        events: Set(events),
        format: Set(new.format.as_str().to_owned()),
        enabled: Set(new.enabled),
        secret: Set(secret.clone()),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        consecutive_failures: Set(0),
        disabled_reason: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    changes.record(db, Change::Site(saved.site_id)).await?;
    Ok((saved, secret))
}

/// An endpoint of `org_id`; another organization's is not found.
pub async fn get(
    db: &impl ConnectionTrait,
    org_id: i64,
    id: i64,
) -> AppResult<webhook_endpoint::Model> {
    webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A site's endpoints, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    site_id: i64,
) -> AppResult<Vec<webhook_endpoint::Model>> {
    let site = sites::get(db, org_id, site_id).await?;
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::SiteId.eq(site.id))
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?)
}

/// Changes to an endpoint; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EndpointChanges {
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub format: Option<Format>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

pub async fn update(
    db: &impl ConnectionTrait,
    announce: &Changes,
    org_id: i64,
    id: i64,
    changes: EndpointChanges,
) -> AppResult<webhook_endpoint::Model> {
    let current = get(db, org_id, id).await?;
    let mut active: webhook_endpoint::ActiveModel = current.clone().into();
    if let Some(url) = changes.url {
        active.url = Set(checked_url(&url).await?);
    }
    if let Some(events) = changes.events {
        active.events = Set(events_json(&events)?);
    }
    if let Some(format) = changes.format {
        active.format = Set(format.as_str().to_owned());
    }
    if let Some(d) = changes.description {
        active.description = Set(description(d)?);
    }
    if let Some(enabled) = changes.enabled {
        active.enabled = Set(enabled);
        if enabled {
            // Turned on again by a person: the run of failures starts over.
            active.consecutive_failures = Set(0);
        }
        active.disabled_reason = Set(None);
    }
    active.updated_at = Set(now());
    let saved = active.update(db).await?;
    announce.record(db, Change::Site(saved.site_id)).await?;
    match (current.enabled, saved.enabled) {
        (true, false) => outbox::park(db, saved.id).await?,
        (false, true) => {
            outbox::unpark(db, saved.id, policy().max_age).await?;
            outbox::wake();
        }
        _ => {}
    }
    Ok(saved)
}

/// Deletes an endpoint and its deliveries.
pub async fn delete(
    db: &impl ConnectionTrait,
    changes: &Changes,
    org_id: i64,
    id: i64,
) -> AppResult<()> {
    let e = get(db, org_id, id).await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::EndpointId.eq(e.id))
        .exec(db)
        .await?;
    webhook_endpoint::Entity::delete_by_id(e.id)
        .exec(db)
        .await?;
    changes.record(db, Change::Site(e.site_id)).await?;
    Ok(())
}

/// Most hours the old secret keeps signing after a rotation.
pub const MAX_OVERLAP_HOURS: i64 = 168;

/// A new signing secret (in this answer only). For `overlap_hours` the old one keeps
/// signing too (each request carries both signatures), so receivers can switch over.
pub async fn rotate_secret(
    db: &impl ConnectionTrait,
    org_id: i64,
    id: i64,
    overlap_hours: i64,
) -> AppResult<(webhook_endpoint::Model, String)> {
    if !(0..=MAX_OVERLAP_HOURS).contains(&overlap_hours) {
        return Err(AppError::bad_input(
            "overlapHours",
            format!("from 0 to {MAX_OVERLAP_HOURS} hours"),
        ));
    }
    let current = get(db, org_id, id).await?;
    let secret = sign::new_secret();
    let mut active: webhook_endpoint::ActiveModel = current.clone().into();
    if overlap_hours > 0 {
        active.previous_secret = Set(Some(current.secret.clone()));
        active.previous_secret_until = Set(Some(now() + TimeDelta::hours(overlap_hours)));
    } else {
        active.previous_secret = Set(None);
        active.previous_secret_until = Set(None);
    }
    active.secret = Set(secret.clone());
    active.updated_at = Set(now());
    Ok((active.update(db).await?, secret))
}

/// The secrets that sign a request sent at `at`: the current one, and the previous one
/// while its overlap lasts.
pub fn secrets_at(e: &webhook_endpoint::Model, at: DateTime<Utc>) -> Vec<&str> {
    let mut out = vec![e.secret.as_str()];
    if let (Some(prev), Some(until)) = (&e.previous_secret, e.previous_secret_until) {
        if at < until {
            out.push(prev.as_str());
        }
    }
    out
}

/// The most recent deliveries of an endpoint, newest first.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    org_id: i64,
    endpoint_id: i64,
    limit: u64,
) -> AppResult<Vec<webhook_delivery::Model>> {
    let e = get(db, org_id, endpoint_id).await?;
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(e.id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(limit.min(100))
        .all(db)
        .await?)
}

/// Queues a `test` event for the endpoint now (even when it is disabled: a person asked).
pub async fn send_test(
    db: &impl ConnectionTrait,
    org_id: i64,
    endpoint_id: i64,
) -> AppResult<webhook_delivery::Model> {
    let e = get(db, org_id, endpoint_id).await?;
    let saved = outbox::insert_one(db, &e, EventType::Test, None, now()).await?;
    outbox::wake();
    Ok(saved)
}

/// Sends a delivery again (the same `webhook-id`, so receivers can tell): now, with its
/// attempts counted on, whatever its state.
pub async fn redeliver(
    db: &impl ConnectionTrait,
    org_id: i64,
    delivery_id: i64,
) -> AppResult<webhook_delivery::Model> {
    let d = webhook_delivery::Entity::find_by_id(delivery_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The endpoint check is the tenancy check.
    get(db, org_id, d.endpoint_id).await?;
    let mut active: webhook_delivery::ActiveModel = d.into();
    active.status = Set(outbox::PENDING.to_owned());
    active.next_attempt_at = Set(now());
    active.locked_until = Set(None);
    active.finished_at = Set(None);
    let saved = active.update(db).await?;
    outbox::wake();
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_round_trip() {
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()), Some(e));
        }
        assert_eq!(EventType::parse("survey_response.deleted"), None);
    }
}
