//! People: the identified users a site tells Loupe about (Identify), their typed attributes,
//! and the link between a visitor id and a user. Segments and the privacy rights read them.

pub mod attributes;
mod group;
mod group_pg;
pub mod identify;
pub mod writer;

use std::collections::HashMap;

use entity::{site_user, user_attribute, visitor_link};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use self::attributes::{attr_json, attr_value, definitions, AttrKind, AttrValue};
use crate::error::{AppError, AppResult};

/// The profile a visitor is linked to, if any.
pub async fn profile_of_visitor(
    db: &impl ConnectionTrait,
    site_id: i64,
    visitor_id: &str,
) -> AppResult<Option<site_user::Model>> {
    let Some(link) = visitor_link::Entity::find_by_id((site_id, visitor_id.to_owned()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(site_user::Entity::find_by_id(link.profile_id)
        .one(db)
        .await?)
}

/// An identified user of a site by their user id.
pub async fn user(
    db: &impl ConnectionTrait,
    site_id: i64,
    user_id: &str,
) -> AppResult<site_user::Model> {
    site_user::Entity::find()
        .filter(site_user::Column::SiteId.eq(site_id))
        .filter(site_user::Column::UserKey.eq(format!("u:{user_id}")))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The user ids and attributes of the visitors of these responses (for response lists).
pub async fn users_of_visitors(
    db: &impl ConnectionTrait,
    site_id: i64,
    visitors: &[String],
) -> AppResult<HashMap<String, (String, Value)>> {
    let mut out = HashMap::new();
    if visitors.is_empty() {
        return Ok(out);
    }
    let links = visitor_link::Entity::find()
        .filter(visitor_link::Column::SiteId.eq(site_id))
        .filter(visitor_link::Column::VisitorId.is_in(visitors.to_vec()))
        .all(db)
        .await?;
    let profile_ids: Vec<i64> = links.iter().map(|l| l.profile_id).collect();
    let profiles: HashMap<i64, site_user::Model> = site_user::Entity::find()
        .filter(site_user::Column::Id.is_in(profile_ids.clone()))
        .filter(site_user::Column::UserId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let attrs = attributes_of(db, site_id, &profile_ids).await?;
    for l in links {
        if let Some(p) = profiles.get(&l.profile_id) {
            let a = attrs
                .get(&p.id)
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default()));
            out.insert(l.visitor_id, (p.user_id.clone().unwrap_or_default(), a));
        }
    }
    Ok(out)
}

/// A profile's attribute: name, type and value.
pub type TypedAttribute = (String, AttrKind, AttrValue);

/// Attributes of these profiles, by profile, in attribute order (one query).
pub async fn typed_attributes_of(
    db: &impl ConnectionTrait,
    site_id: i64,
    profiles: &[i64],
) -> AppResult<HashMap<i64, Vec<TypedAttribute>>> {
    let mut out: HashMap<i64, Vec<TypedAttribute>> = HashMap::new();
    if profiles.is_empty() {
        return Ok(out);
    }
    let names: HashMap<i64, (String, AttrKind)> = definitions(db, site_id)
        .await?
        .into_iter()
        .map(|(n, (id, k))| (id, (n, k)))
        .collect();
    for a in user_attribute::Entity::find()
        .filter(user_attribute::Column::ProfileId.is_in(profiles.to_vec()))
        .order_by_asc(user_attribute::Column::AttributeId)
        .all(db)
        .await?
    {
        if let (Some((name, kind)), Some(v)) = (names.get(&a.attribute_id), attr_value(&a)) {
            out.entry(a.profile_id)
                .or_default()
                .push((name.clone(), *kind, v));
        }
    }
    Ok(out)
}

/// Attributes of these profiles as JSON objects `{name: value}`.
pub async fn attributes_of(
    db: &impl ConnectionTrait,
    site_id: i64,
    profiles: &[i64],
) -> AppResult<HashMap<i64, Value>> {
    Ok(typed_attributes_of(db, site_id, profiles)
        .await?
        .into_iter()
        .map(|(id, attrs)| {
            let object = attrs
                .iter()
                .map(|(name, _, v)| (name.clone(), attr_json(v)))
                .collect();
            (id, Value::Object(object))
        })
        .collect())
}
