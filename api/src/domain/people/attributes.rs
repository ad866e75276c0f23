//! A site's stored user attributes read back: their definitions (name → id and type) and
//! typed values, their types and the one way they are folded and parsed. Identify writes
//! them; segments evaluate them; the API shows them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};

use entity::{user_attribute, user_attribute_def};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::error::AppResult;

/// The type of a user attribute, fixed by the first value a site sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrKind {
    String,
    Number,
    Boolean,
    Date,
}

impl AttrKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttrKind::String => "STRING",
            AttrKind::Number => "NUMBER",
            AttrKind::Boolean => "BOOLEAN",
            AttrKind::Date => "DATE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "STRING" => AttrKind::String,
            "NUMBER" => AttrKind::Number,
            "BOOLEAN" => AttrKind::Boolean,
            "DATE" => AttrKind::Date,
            _ => return None,
        })
    }
}

/// A typed attribute value as stored.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// The value as sent, and lower-cased for comparison.
    Text {
        raw: String,
        folded: String,
    },
    Number(f64),
    Bool(bool),
    Time(DateTime<Utc>),
}

/// Lower-cases for case-insensitive comparison, the same way for stored values and for
/// rule values (Unicode-aware, done by Loupe rather than by the database).
pub fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// Times are compared at millisecond precision, which both databases keep exactly.
pub fn trunc(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

/// An ISO 8601 date or date-time. A date alone means that whole UTC day; a date-time
/// without an offset is taken as UTC. Returns the instant and whether it was a date.
pub fn parse_time(s: &str) -> Option<(DateTime<Utc>, bool)> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some((d.and_hms_opt(0, 0, 0)?.and_utc(), true));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((trunc(t.with_timezone(&Utc)), false));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some((trunc(t.and_utc()), false));
        }
    }
    None
}

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
