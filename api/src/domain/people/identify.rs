//! The Identify API: a site tells Loupe who a visitor is and what is known of them.
//! Everything of a call is checked before anything is written, and written in one
//! transaction, so a rejected call stores nothing.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{site, site_user, user_attribute, user_attribute_def, visitor_link};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::{Map, Value};

use super::attributes::{definitions, fold, parse_time, AttrKind, AttrValue};
use crate::domain::now;
use crate::domain::visitor::{valid_visitor_id, ClientContext};
use crate::error::{AppError, AppResult};

pub const MAX_ATTRIBUTES_PER_SITE: usize = 100;
pub const MAX_NAME_CHARS: usize = 50;
pub const MAX_STRING_CHARS: usize = 100;
pub const MAX_USER_ID_CHARS: usize = 255;
/// A call more than this after the previous one starts a new session.
pub const SESSION_GAP: TimeDelta = TimeDelta::minutes(30);

pub struct IdentifyCall {
    pub visitor_id: Option<String>,
    pub user_id: Value,
    pub attributes: Value,
    /// `HMAC-SHA256(identity secret, user_id)` in hex, where the site verifies identities.
    pub user_hash: Option<String>,
    pub context: ClientContext,
}

#[derive(Debug)]
pub struct Identified {
    pub profile_id: i64,
    pub user_id: Option<String>,
    pub attributes_set: usize,
}

/// An attribute of a call: name, value as sent, and its own type and value.
pub(super) type Own = (String, Value, Option<(AttrKind, AttrValue)>);

pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn field(name: &str) -> String {
    format!("attributes.{name}")
}

/// The value's own type: a string that reads as an ISO 8601 date is a date.
fn typed(name: &str, v: &Value) -> AppResult<Option<(AttrKind, AttrValue)>> {
    Ok(Some(match v {
        Value::Null => return Ok(None),
        Value::Bool(b) => (AttrKind::Boolean, AttrValue::Bool(*b)),
        Value::Number(n) => match n.as_f64().filter(|f| f.is_finite()) {
            Some(f) => (AttrKind::Number, AttrValue::Number(f)),
            None => return Err(AppError::bad_input(field(name), format!("attribute {name:?}: number out of range"))),
        },
        Value::String(s) => {
            if s.chars().count() > MAX_STRING_CHARS {
                return Err(AppError::bad_input(
                    field(name),
                    format!("attribute {name:?}: a string has at most {MAX_STRING_CHARS} characters"),
                ));
            }
            match parse_time(s) {
                Some((t, _)) => (AttrKind::Date, AttrValue::Time(t)),
                None => (AttrKind::String, AttrValue::Text { raw: s.clone(), folded: fold(s) }),
            }
        }
        Value::Array(_) | Value::Object(_) => {
            return Err(AppError::bad_input(
                field(name),
                format!("attribute {name:?}: values are strings, numbers, booleans or ISO 8601 dates, not lists or objects"),
            ))
        }
    }))
}

/// The value as an attribute of type `kind`: a date-like string is still a string for a
/// STRING attribute; anything else of another type is refused.
fn as_kind(
    name: &str,
    kind: AttrKind,
    v: &Value,
    own: (AttrKind, AttrValue),
) -> AppResult<AttrValue> {
    match (kind, own) {
        (k, (o, value)) if k == o => Ok(value),
        (AttrKind::String, (AttrKind::Date, _)) => {
            let s = v.as_str().unwrap_or_default();
            Ok(AttrValue::Text {
                raw: s.to_owned(),
                folded: fold(s),
            })
        }
        (k, (o, _)) => Err(AppError::bad_input(
            field(name),
            format!(
                "attribute {name:?} is a {} on this site (fixed by its first value); got a {}",
                k.as_str(),
                o.as_str()
            ),
        )),
    }
}

fn user_id(v: &Value) -> AppResult<Option<String>> {
    let bad = || {
        AppError::bad_input(
            "user_id",
            format!("user_id is a string of 1–{MAX_USER_ID_CHARS} characters, or null"),
        )
    };
    match v {
        Value::Null => Ok(None),
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty()
                || s.chars().count() > MAX_USER_ID_CHARS
                || s.chars().any(char::is_control)
            {
                Err(bad())
            } else {
                Ok(Some(s.to_owned()))
            }
        }
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        _ => Err(bad()),
    }
}

/// An identify call checked against everything that needs no database: what [`apply`]
/// writes.
pub struct CheckedCall {
    pub(super) visitor: String,
    pub(super) user: Option<String>,
    pub(super) own: Vec<Own>,
    pub(super) context: ClientContext,
}

/// Records an identify call in its own transaction. The site must have the Identify API
/// switched on. (The HTTP endpoint goes through [`super::writer::IdentifyWriter`], which
/// commits many calls together.)
#[tracing::instrument(skip(db, site, call), fields(site_id = site.id))]
pub async fn identify(
    db: &DatabaseConnection,
    site: &site::Model,
    call: IdentifyCall,
) -> AppResult<Identified> {
    let checked = check(site, call)?;
    let tx = crate::db::begin_write(db).await?;
    let outcome = apply(&tx, site.id, &checked).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Everything of a call that needs no database: the site has Identify on, the visitor id,
/// the user id and its signature, the attribute names and each value's own type.
pub fn check(site: &site::Model, call: IdentifyCall) -> AppResult<CheckedCall> {
    if !site.identify_enabled {
        return Err(AppError::FeatureDisabled {
            code: "IDENTIFY_DISABLED",
            message: "the Identify API is off for this site; an admin can switch it on with updateSite(identifyEnabled: true)".into(),
        });
    }
    let visitor = valid_visitor_id(call.visitor_id.as_deref())?
        .ok_or_else(|| AppError::bad_input("visitor_id", "visitor_id is required"))?;
    let user = user_id(&call.user_id)?;
    crate::domain::tag::verify_identity(site, user.as_deref(), call.user_hash.as_deref())?;
    let attrs: Map<String, Value> = match call.attributes {
        Value::Null => Map::new(),
        Value::Object(m) => m,
        _ => {
            return Err(AppError::bad_input(
                "attributes",
                "attributes is an object of name → value",
            ))
        }
    };
    if attrs.len() > MAX_ATTRIBUTES_PER_SITE {
        return Err(AppError::bad_input(
            "attributes",
            format!("at most {MAX_ATTRIBUTES_PER_SITE} attributes"),
        ));
    }
    let mut own = Vec::with_capacity(attrs.len());
    for (name, v) in attrs {
        if !valid_name(&name) {
            return Err(AppError::bad_input(
                field(&name),
                format!("attribute name {name:?}: 1–{MAX_NAME_CHARS} characters of a–z, 0–9 and _"),
            ));
        }
        let t = typed(&name, &v)?;
        own.push((name, v, t));
    }
    Ok(CheckedCall {
        visitor,
        user,
        own,
        context: call.context,
    })
}

/// A call's attributes planned against a site's definitions: the names it defines, in
/// order, with the type each value fixes, and each value to write (`None`: remove it),
/// by name.
pub(super) struct Plan {
    pub new: Vec<(String, AttrKind)>,
    pub values: Vec<(String, Option<AttrValue>)>,
}

/// What a call does to attributes, decided without a database from the site's
/// definitions (`kind_of` a name, `defined` names in all): refused where a new name would
/// pass the site's limit or a value is not of its attribute's type. [`apply`] and the
/// set-wise group path both decide through it, so they cannot disagree.
pub(super) fn plan_attributes(
    kind_of: impl Fn(&str) -> Option<AttrKind>,
    defined: usize,
    own: &[Own],
) -> AppResult<Plan> {
    let mut count = defined;
    let mut new: Vec<(String, AttrKind)> = Vec::new();
    for (name, _, t) in own {
        let Some((kind, _)) = t else { continue };
        if kind_of(name).is_some() {
            continue;
        }
        count += 1;
        if count > MAX_ATTRIBUTES_PER_SITE {
            return Err(AppError::bad_input(
                field(name),
                format!("attribute {name:?}: a site has at most {MAX_ATTRIBUTES_PER_SITE} attribute names"),
            ));
        }
        new.push((name.clone(), *kind));
    }
    let mut values = Vec::with_capacity(own.len());
    for (name, v, t) in own {
        let kind =
            kind_of(name).or_else(|| new.iter().find(|(n, _)| n == name).map(|&(_, kind)| kind));
        match (t, kind) {
            (None, Some(_)) => values.push((name.clone(), None)),
            (None, None) => {} // removing what was never set
            (Some(t), Some(kind)) => {
                values.push((name.clone(), Some(as_kind(name, kind, v, t.clone())?)));
            }
            (Some(_), None) => {
                return Err(AppError::internal(anyhow::anyhow!(
                    "attribute {name} neither defined nor new"
                )))
            }
        }
    }
    Ok(Plan { new, values })
}

/// Inserts attribute definitions (name and type) that a site does not have yet.
pub(super) async fn insert_definitions(
    txn: &impl ConnectionTrait,
    site_id: i64,
    new: &[(String, AttrKind)],
) -> AppResult<()> {
    if new.is_empty() {
        return Ok(());
    }
    let at = now();
    user_attribute_def::Entity::insert_many(new.iter().map(|(name, kind)| {
        user_attribute_def::ActiveModel {
            site_id: Set(site_id),
            name: Set(name.clone()),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(at),
            ..Default::default()
        }
    }))
    .on_conflict(
        OnConflict::columns([
            user_attribute_def::Column::SiteId,
            user_attribute_def::Column::Name,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Whether a call names an attribute the site does not have (with a value).
pub(super) fn defines_any(call: &CheckedCall, known: impl Fn(&str) -> bool) -> bool {
    call.own
        .iter()
        .any(|(name, _, t)| t.is_some() && !known(name))
}

/// Takes the site's row lock, which serialises definition changes per site on
/// PostgreSQL so the limit holds across nodes (SQLite's write lock already does it).
pub(super) async fn lock_definitions(txn: &impl ConnectionTrait, site_id: i64) -> AppResult<()> {
    if txn.get_database_backend() == DbBackend::Postgres {
        site::Entity::find_by_id(site_id)
            .lock_exclusive()
            .one(txn)
            .await?;
    }
    Ok(())
}

/// Writes a checked call inside the caller's transaction: new attribute names, the
/// profile and its visit facts, the visitor link and the values. An error (a value of
/// another type than the site's attribute) leaves the transaction for the caller to roll
/// back.
pub async fn apply(
    txn: &impl ConnectionTrait,
    site_id: i64,
    call: &CheckedCall,
) -> AppResult<Identified> {
    let mut defs = definitions(txn, site_id).await?;
    if defines_any(call, |n| defs.contains_key(n)) {
        lock_definitions(txn, site_id).await?;
        defs = definitions(txn, site_id).await?;
    }
    let plan = plan_attributes(|n| defs.get(n).map(|&(_, k)| k), defs.len(), &call.own)?;
    if !plan.new.is_empty() {
        insert_definitions(txn, site_id, &plan.new).await?;
        defs = definitions(txn, site_id).await?;
    }
    let mut checked: Vec<(i64, Option<AttrValue>)> = Vec::with_capacity(plan.values.len());
    for (name, value) in plan.values {
        let &(id, _) = defs
            .get(&name)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("attribute {name} vanished")))?;
        checked.push((id, value));
    }
    let at = now();
    let profile = upsert_profile(
        txn,
        site_id,
        &call.visitor,
        call.user.as_deref(),
        &call.context,
        at,
    )
    .await?;
    let attributes_set = checked.iter().filter(|(_, v)| v.is_some()).count();
    for (attribute_id, value) in checked {
        write_attribute(txn, profile.id, attribute_id, value, at).await?;
    }
    Ok(Identified {
        profile_id: profile.id,
        user_id: profile.user_id,
        attributes_set,
    })
}

pub(super) fn key(user: Option<&str>, visitor: &str) -> String {
    match user {
        Some(u) => format!("u:{u}"),
        None => format!("v:{visitor}"),
    }
}

async fn find_or_create(
    db: &impl ConnectionTrait,
    site_id: i64,
    user_key: &str,
    user: Option<&str>,
    ctx: &ClientContext,
    at: DateTime<Utc>,
) -> AppResult<(site_user::Model, bool)> {
    let find = || {
        site_user::Entity::find()
            .filter(site_user::Column::SiteId.eq(site_id))
            .filter(site_user::Column::UserKey.eq(user_key))
    };
    if let Some(p) = find().one(db).await? {
        return Ok((p, false));
    }
    site_user::Entity::insert(site_user::ActiveModel {
        site_id: Set(site_id),
        user_key: Set(user_key.to_owned()),
        user_id: Set(user.map(str::to_owned)),
        first_seen: Set(at),
        last_seen: Set(at),
        sessions: Set(1),
        device: Set(ctx.device.map(str::to_owned)),
        country: Set(ctx.country.clone()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([site_user::Column::SiteId, site_user::Column::UserKey])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let p = find().one(db).await?.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("profile {user_key} not found after insert"))
    })?;
    Ok((p, true))
}

/// The profile this call is about, with its visit facts updated and the visitor linked
/// to it. An anonymous profile of the visitor is merged into the user it turns out to be.
async fn upsert_profile(
    db: &impl ConnectionTrait,
    site_id: i64,
    visitor: &str,
    user: Option<&str>,
    ctx: &ClientContext,
    at: DateTime<Utc>,
) -> AppResult<site_user::Model> {
    let link = visitor_link::Entity::find_by_id((site_id, visitor.to_owned()))
        .one(db)
        .await?;
    let linked = match &link {
        Some(l) => site_user::Entity::find_by_id(l.profile_id).one(db).await?,
        None => None,
    };
    // Null user_id: attributes for whoever this visitor already is (never a detach).
    let user_key = match (user, &linked) {
        (None, Some(p)) => p.user_key.clone(),
        _ => key(user, visitor),
    };
    let (profile, created) = find_or_create(db, site_id, &user_key, user, ctx, at).await?;
    let mut first_seen = profile.first_seen;
    if let Some(old) = linked
        .as_ref()
        .filter(|p| p.id != profile.id && p.user_id.is_none())
    {
        // The anonymous profile becomes part of the user: its attributes fill gaps (the
        // user's own values are newer) and its history counts.
        let theirs = user_attribute::Entity::find()
            .filter(user_attribute::Column::ProfileId.eq(old.id))
            .all(db)
            .await?;
        for a in theirs {
            user_attribute::Entity::insert(user_attribute::ActiveModel {
                profile_id: Set(profile.id),
                ..a.into()
            })
            .on_conflict(
                OnConflict::columns([
                    user_attribute::Column::ProfileId,
                    user_attribute::Column::AttributeId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        }
        first_seen = first_seen.min(old.first_seen);
        site_user::Entity::delete_by_id(old.id).exec(db).await?;
    }
    let new_session = !created && at - profile.last_seen > SESSION_GAP;
    let mut active: site_user::ActiveModel = profile.clone().into();
    active.first_seen = Set(first_seen);
    active.last_seen = Set(at.max(profile.last_seen));
    if new_session {
        active.sessions = Set(profile.sessions + 1);
    }
    if let Some(d) = ctx.device {
        active.device = Set(Some(d.to_owned()));
    }
    if let Some(c) = &ctx.country {
        active.country = Set(Some(c.clone()));
    }
    let profile = active.update(db).await?;
    if link.as_ref().map(|l| l.profile_id) != Some(profile.id) {
        visitor_link::Entity::insert(visitor_link::ActiveModel {
            site_id: Set(site_id),
            visitor_id: Set(visitor.to_owned()),
            profile_id: Set(profile.id),
            linked_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([
                visitor_link::Column::SiteId,
                visitor_link::Column::VisitorId,
            ])
            .update_columns([
                visitor_link::Column::ProfileId,
                visitor_link::Column::LinkedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(profile)
}

pub fn attribute_row(
    profile_id: i64,
    attribute_id: i64,
    v: &AttrValue,
    at: DateTime<Utc>,
) -> user_attribute::ActiveModel {
    let (mut text, mut folded, mut number, mut boolean, mut time) = (None, None, None, None, None);
    match v {
        AttrValue::Text { raw, folded: f } => {
            text = Some(raw.clone());
            folded = Some(f.clone());
        }
        AttrValue::Number(n) => number = Some(*n),
        AttrValue::Bool(b) => boolean = Some(*b),
        AttrValue::Time(t) => time = Some(*t),
    }
    user_attribute::ActiveModel {
        profile_id: Set(profile_id),
        attribute_id: Set(attribute_id),
        value_text: Set(text),
        value_folded: Set(folded),
        value_number: Set(number),
        value_bool: Set(boolean),
        value_time: Set(time),
        updated_at: Set(at),
    }
}

async fn write_attribute(
    db: &impl ConnectionTrait,
    profile_id: i64,
    attribute_id: i64,
    value: Option<AttrValue>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    use user_attribute::Column as C;
    match value {
        None => {
            user_attribute::Entity::delete_many()
                .filter(C::ProfileId.eq(profile_id))
                .filter(C::AttributeId.eq(attribute_id))
                .exec(db)
                .await?;
        }
        Some(v) => {
            user_attribute::Entity::insert(attribute_row(profile_id, attribute_id, &v, at))
                .on_conflict(value_upsert())
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(())
}

/// An attribute value written over the profile's current one (its primary key).
pub(super) fn value_upsert() -> OnConflict {
    use user_attribute::Column as C;
    OnConflict::columns([C::ProfileId, C::AttributeId])
        .update_columns([
            C::ValueText,
            C::ValueFolded,
            C::ValueNumber,
            C::ValueBool,
            C::ValueTime,
            C::UpdatedAt,
        ])
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        for (n, ok) in [
            ("spend", true),
            ("customer_since", true),
            ("a1", true),
            ("", false),
            ("Spend", false),
            ("a-b", false),
            ("é", false),
        ] {
            assert_eq!(valid_name(n), ok, "{n}");
        }
        assert!(valid_name(&"a".repeat(50)));
        assert!(!valid_name(&"a".repeat(51)));
    }

    #[test]
    fn value_types() {
        let kind = |v: Value| typed("x", &v).ok().flatten().map(|(k, _)| k);
        assert_eq!(kind(json!("fr")), Some(AttrKind::String));
        assert_eq!(kind(json!(12.5)), Some(AttrKind::Number));
        assert_eq!(kind(json!(true)), Some(AttrKind::Boolean));
        assert_eq!(kind(json!("2024-05-01")), Some(AttrKind::Date));
        assert_eq!(
            kind(json!("2024-05-01T10:00:00+02:00")),
            Some(AttrKind::Date)
        );
        assert_eq!(kind(json!(null)), None);
        assert!(typed("x", &json!({"a": 1})).is_err());
        assert!(typed("x", &json!([1])).is_err());
        assert!(typed("x", &json!("a".repeat(101))).is_err());
        assert!(typed("x", &json!("a".repeat(100))).is_ok());
        // A date-like string is still a string for a STRING attribute; the reverse is refused.
        let v = json!("2024-05-01");
        let own = typed("x", &v).ok().flatten().expect("typed");
        assert!(matches!(
            as_kind("x", AttrKind::String, &v, own),
            Ok(AttrValue::Text { .. })
        ));
        let v = json!("soon");
        let own = typed("x", &v).ok().flatten().expect("typed");
        assert!(as_kind("x", AttrKind::Date, &v, own).is_err());
    }
}
