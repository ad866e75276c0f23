//! A site's stored user attributes read back: their definitions (name → id and type) and
//! typed values. Identify writes them; segments evaluate them; the API shows them.

use std::collections::HashMap;

use entity::{user_attribute, user_attribute_def};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::eval::AttrValue;
use super::rule::AttrKind;
use crate::error::AppResult;

/// Attribute definitions of a site by name.
pub async fn definitions(
    db: &impl ConnectionTrait,
    site_id: i64,
) -> AppResult<HashMap<String, (i64, AttrKind)>> {
    let defs = user_attribute_def::Entity::find()
        .filter(user_attribute_def::Column::SiteId.eq(site_id))
        .all(db)
        .await?;
    Ok(defs
        .into_iter()
        .filter_map(|d| Some((d.name, (d.id, AttrKind::parse(&d.kind)?))))
        .collect())
}

/// Stored attribute value back to its typed form.
pub fn attr_value(m: &user_attribute::Model) -> Option<AttrValue> {
    if let (Some(raw), Some(folded)) = (&m.value_text, &m.value_folded) {
        return Some(AttrValue::Text {
            raw: raw.clone(),
            folded: folded.clone(),
        });
    }
    m.value_number
        .map(AttrValue::Number)
        .or(m.value_bool.map(AttrValue::Bool))
        .or(m.value_time.map(AttrValue::Time))
}

/// The JSON form of a value, as the API shows it.
pub fn attr_json(v: &AttrValue) -> Value {
    match v {
        AttrValue::Text { raw, .. } => Value::from(raw.clone()),
        AttrValue::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        AttrValue::Bool(b) => Value::from(*b),
        AttrValue::Time(t) => Value::from(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    }
}
