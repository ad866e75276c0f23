use entity::organization::{self};
use entity::site;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::pagination::{paginate, Page, PageArgs};
use super::validation;
use crate::changes::{Change, Changes};
use crate::error::{AppError, AppResult};

pub const DEFAULT_RETENTION_DAYS: i32 = 365;

#[derive(Debug, Default, Clone)]
pub struct NewSite {
    pub name: String,
    pub allowed_domains: Vec<String>,
    pub retention_days: Option<i32>,
}

#[derive(Debug, Default, Clone)]
pub struct SitePatch {
    pub name: Option<String>,
    pub allowed_domains: Option<Vec<String>>,
    pub identify_enabled: Option<bool>,
    pub retention_days: Option<i32>,
    pub survey_cooldown_days: Option<i32>,
    pub mask_inputs: Option<bool>,
    pub url_allowed_params: Option<Vec<String>>,
    pub url_patterns: Option<Vec<String>>,
    pub recording_enabled: Option<bool>,
    pub recording_sample_percent: Option<i32>,
    pub mask_all_text: Option<bool>,
    pub require_consent: Option<bool>,
    pub identity_verification: Option<bool>,
    pub theme: Option<super::tag::Theme>,
    pub heatmaps_enabled: Option<bool>,
}

pub fn allowed_domains(site: &site::Model) -> Vec<String> {
    serde_json::from_str(&site.allowed_domains).unwrap_or_default()
}

/// A JSON array column of strings, as stored.
pub fn string_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn domains_json(domains: &[String]) -> String {
    serde_json::Value::from(domains.to_vec()).to_string()
}

#[tracing::instrument(skip(db))]
pub async fn create(
    db: &impl ConnectionTrait,
    org_id: i64,
    new: NewSite,
) -> AppResult<site::Model> {
    let name = validation::name("name", &new.name, validation::MAX_NAME_CHARS)?;
    let domains = validation::domains("allowedDomains", &new.allowed_domains)?;
    let retention = validation::retention_days(
        "retentionDays",
        new.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS),
    )?;
    let now = super::now();
    Ok(site::ActiveModel {
        organization_id: Set(org_id),
        name: Set(name),
        allowed_domains: Set(domains_json(&domains)),
        identify_enabled: Set(false),
        retention_days: Set(retention),
        survey_cooldown_days: Set(0),
        mask_inputs: Set(true),
        url_allowed_params: Set("[]".into()),
        url_patterns: Set("[]".into()),
        recording_enabled: Set(false),
        recording_sample_percent: Set(100),
        mask_all_text: Set(false),
        require_consent: Set(false),
        identity_verification: Set(false),
        identity_secret: Set(None),
        theme: Set("{}".into()),
        heatmaps_enabled: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The site if it belongs to `org_id`; another organization's site is not found, exactly
/// like one that does not exist.
pub async fn get(db: &impl ConnectionTrait, org_id: i64, site_id: i64) -> AppResult<site::Model> {
    site::Entity::find_by_id(site_id)
        .filter(site::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn list(
    db: &impl ConnectionTrait,
    org_id: i64,
    args: PageArgs,
) -> AppResult<Page<site::Model>> {
    let select = site::Entity::find().filter(site::Column::OrganizationId.eq(org_id));
    paginate(db, select, site::Column::Id, |s| s.id, args).await
}

#[tracing::instrument(skip(db, org), fields(org_id = org.id))]
pub async fn update(
    db: &impl ConnectionTrait,
    changes: &Changes,
    org: &organization::Model,
    site_id: i64,
    patch: SitePatch,
) -> AppResult<site::Model> {
    let current = get(db, org.id, site_id).await?;
    let mut active: site::ActiveModel = current.clone().into();
    if let Some(name) = &patch.name {
        active.name = Set(validation::name("name", name, validation::MAX_NAME_CHARS)?);
    }
    if let Some(domains) = &patch.allowed_domains {
        active.allowed_domains = Set(domains_json(&validation::domains(
            "allowedDomains",
            domains,
        )?));
    }
    if let Some(days) = patch.retention_days {
        active.retention_days = Set(validation::retention_days("retentionDays", days)?);
    }
    if let Some(days) = patch.survey_cooldown_days {
        if !(0..=365).contains(&days) {
            return Err(AppError::bad_input(
                "surveyCooldownDays",
                "`surveyCooldownDays` must be between 0 and 365",
            ));
        }
        active.survey_cooldown_days = Set(days);
    }
    if let Some(mask) = patch.mask_inputs {
        active.mask_inputs = Set(mask);
    }
    if let Some(params) = &patch.url_allowed_params {
        let params = crate::domain::visitor::url::valid_params(params)?;
        active.url_allowed_params = Set(serde_json::Value::from(params).to_string());
    }
    if let Some(patterns) = &patch.url_patterns {
        let patterns = crate::domain::visitor::url::valid_patterns(patterns)?;
        active.url_patterns = Set(serde_json::Value::from(patterns).to_string());
    }
    if let Some(on) = patch.recording_enabled {
        active.recording_enabled = Set(on);
    }
    if let Some(percent) = patch.recording_sample_percent {
        if !(0..=100).contains(&percent) {
            return Err(AppError::bad_input(
                "recordingSamplePercent",
                "`recordingSamplePercent` must be between 0 and 100",
            ));
        }
        active.recording_sample_percent = Set(percent);
    }
    if let Some(on) = patch.mask_all_text {
        active.mask_all_text = Set(on);
    }
    if let Some(on) = patch.heatmaps_enabled {
        active.heatmaps_enabled = Set(on);
    }
    if let Some(on) = patch.require_consent {
        active.require_consent = Set(on);
    }
    if let Some(theme) = patch.theme {
        active.theme = Set(theme.validate()?.to_json());
    }
    if let Some(on) = patch.identity_verification {
        if on && current.identity_secret.is_none() {
            return Err(AppError::bad_input(
                "identityVerification",
                "generate the site's identity secret first (mutation rotateIdentitySecret), \
                 then compute user_hash on your backend before turning verification on",
            ));
        }
        active.identity_verification = Set(on);
    }
    if let Some(enabled) = patch.identify_enabled {
        if enabled && !current.identify_enabled {
            super::caller::has(org, super::caller::Feature::IdentifyApi)?;
            if org.dpa_accepted_at.is_none() {
                return Err(AppError::DpaRequired(
                    "the Identify API needs the organization to accept the data-processing agreement first \
                     (mutation acceptDataProcessingAgreement)"
                        .into(),
                ));
            }
        }
        active.identify_enabled = Set(enabled);
    }
    active.updated_at = Set(super::now());
    let site = active.update(db).await?;
    changes.record(db, Change::Site(site.id)).await?;
    Ok(site)
}

/// Generates a new identity-verification secret for the site and returns it: the only
/// time it is ever shown. The previous secret stops working at once.
#[tracing::instrument(skip(db))]
pub async fn rotate_identity_secret(
    db: &impl ConnectionTrait,
    changes: &Changes,
    org_id: i64,
    site_id: i64,
) -> AppResult<(site::Model, String)> {
    let current = get(db, org_id, site_id).await?;
    let secret = super::tag::new_identity_secret();
    let mut active: site::ActiveModel = current.into();
    active.identity_secret = Set(Some(secret.clone()));
    active.updated_at = Set(super::now());
    let site = active.update(db).await?;
    changes.record(db, Change::Site(site.id)).await?;
    Ok((site, secret))
}

/// When data last arrived for a site (a recording batch, a survey response or display), so
/// an admin sees the tag works; `None` before anything arrived. Three indexed lookups.
pub async fn last_data_at(
    db: &impl ConnectionTrait,
    site_id: i64,
) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    use entity::{recording, response, survey_display};
    use sea_orm::QueryOrder;
    let rec = recording::Entity::find()
        .filter(recording::Column::SiteId.eq(site_id))
        .order_by_desc(recording::Column::CreatedAt)
        .one(db)
        .await?
        .map(|r| r.updated_at);
    let resp = response::Entity::find()
        .filter(response::Column::SiteId.eq(site_id))
        .order_by_desc(response::Column::Id)
        .one(db)
        .await?
        .map(|r| r.updated_at);
    let shown = survey_display::Entity::find()
        .filter(survey_display::Column::SiteId.eq(site_id))
        .order_by_desc(survey_display::Column::Id)
        .one(db)
        .await?
        .map(|d| d.created_at);
    Ok([rec, resp, shown].into_iter().flatten().max())
}
