//! The statements of [`super::group`] on PostgreSQL, each with a text that does not depend
//! on how many calls a group holds: every column travels as one array parameter (`= ANY`
//! for lookups, `unnest` for writes). With `IN ($2, …, $n)` and multi-row `VALUES`, each
//! group size was its own statement, so a writer's connection prepared and planned the
//! same lookups again and again (164 variants of one lookup in a benchmark run, against
//! sqlx's cache of 100 statements per connection).
//!
//! The arrays are PostgreSQL array literals bound as one text parameter each and cast in
//! the statement, so nothing of a value ever becomes SQL.

use chrono::{DateTime, Utc};
use entity::{site_user, user_attribute, visitor_link};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, Value};

use crate::error::AppResult;

/// A PostgreSQL array literal of these items, each quoted (`{"a","b\"c",NULL}`); cast in
/// the statement to the column's type (`$2::varchar[]`, `$3::float8[]`).
pub(super) fn array<I, S>(items: I) -> String
where
    I: IntoIterator<Item = Option<S>>,
    S: AsRef<str>,
{
    let mut out = String::from("{");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            None => out.push_str("NULL"),
            Some(s) => {
                out.push('"');
                for c in s.as_ref().chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
        }
    }
    out.push('}');
    out
}

/// A time as PostgreSQL reads it, to the microsecond it stores.
fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// One column of `rows` as an array literal ([`array`]).
fn column<R>(rows: &[R], item: impl Fn(&R) -> Option<String>) -> String {
    array(rows.iter().map(item))
}

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

const PROFILE_COLUMNS: &str =
    "id, site_id, user_key, user_id, first_seen, last_seen, sessions, device, country";

pub(super) async fn links(
    txn: &impl ConnectionTrait,
    site_id: i64,
    visitors: &[&str],
) -> AppResult<Vec<visitor_link::Model>> {
    Ok(visitor_link::Entity::find()
        .from_raw_sql(statement(
            "SELECT site_id, visitor_id, profile_id, linked_at FROM visitor_link \
             WHERE site_id = $1 AND visitor_id = ANY($2::varchar[])",
            vec![site_id.into(), array(visitors.iter().map(Some)).into()],
        ))
        .all(txn)
        .await?)
}

pub(super) async fn profiles_by_id(
    txn: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<Vec<site_user::Model>> {
    Ok(site_user::Entity::find()
        .from_raw_sql(statement(
            &format!("SELECT {PROFILE_COLUMNS} FROM site_user WHERE id = ANY($1::bigint[])"),
            vec![array(ids.iter().map(|i| Some(i.to_string()))).into()],
        ))
        .all(txn)
        .await?)
}

/// Locked in id order (see [`super::group`]).
pub(super) async fn profiles_by_key(
    txn: &impl ConnectionTrait,
    site_id: i64,
    keys: &[String],
) -> AppResult<Vec<site_user::Model>> {
    Ok(site_user::Entity::find()
        .from_raw_sql(statement(
            &format!(
                "SELECT {PROFILE_COLUMNS} FROM site_user \
                 WHERE site_id = $1 AND user_key = ANY($2::varchar[]) ORDER BY id FOR UPDATE"
            ),
            vec![site_id.into(), array(keys.iter().map(Some)).into()],
        ))
        .all(txn)
        .await?)
}

/// New profiles (key, user id, device, country), first seen now with one session; a key
/// another node inserted meanwhile is left as it is.
pub(super) async fn insert_profiles(
    txn: &impl ConnectionTrait,
    site_id: i64,
    rows: &[site_user::ActiveModel],
    at: DateTime<Utc>,
) -> AppResult<()> {
    txn.execute(statement(
        "INSERT INTO site_user (site_id, user_key, user_id, first_seen, last_seen, sessions, device, country) \
         SELECT $1, k, u, $2, $2, 1, d, c \
         FROM unnest($3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[]) AS t(k, u, d, c) \
         ON CONFLICT (site_id, user_key) DO NOTHING",
        vec![
            site_id.into(),
            at.into(),
            column(rows, |r| Some(r.user_key.as_ref().clone())).into(),
            column(rows, |r| r.user_id.as_ref().clone()).into(),
            column(rows, |r| r.device.as_ref().clone()).into(),
            column(rows, |r| r.country.as_ref().clone()).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Visit facts of existing profiles, locked by [`profiles_by_key`].
pub(super) async fn update_profiles(
    txn: &impl ConnectionTrait,
    rows: &[site_user::Model],
) -> AppResult<()> {
    txn.execute(statement(
        "UPDATE site_user SET last_seen = t.l, sessions = t.n, device = t.d, country = t.c \
         FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::varchar[], $5::varchar[]) \
           AS t(id, l, n, d, c) \
         WHERE site_user.id = t.id",
        vec![
            array(rows.iter().map(|r| Some(r.id.to_string()))).into(),
            array(rows.iter().map(|r| Some(time(&r.last_seen)))).into(),
            array(rows.iter().map(|r| Some(r.sessions.to_string()))).into(),
            array(rows.iter().map(|r| r.device.as_deref())).into(),
            array(rows.iter().map(|r| r.country.as_deref())).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Visitor → profile links, made or moved now.
pub(super) async fn write_links(
    txn: &impl ConnectionTrait,
    site_id: i64,
    rows: &[(&str, i64)],
    at: DateTime<Utc>,
) -> AppResult<()> {
    txn.execute(statement(
        "INSERT INTO visitor_link (site_id, visitor_id, profile_id, linked_at) \
         SELECT $1, v, p, $2 FROM unnest($3::varchar[], $4::bigint[]) AS t(v, p) \
         ON CONFLICT (site_id, visitor_id) \
         DO UPDATE SET profile_id = excluded.profile_id, linked_at = excluded.linked_at",
        vec![
            site_id.into(),
            at.into(),
            array(rows.iter().map(|(v, _)| Some(*v))).into(),
            array(rows.iter().map(|(_, p)| Some(p.to_string()))).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Attribute values, set or replaced.
pub(super) async fn write_values(
    txn: &impl ConnectionTrait,
    rows: &[user_attribute::ActiveModel],
) -> AppResult<()> {
    txn.execute(statement(
        "INSERT INTO user_attribute \
           (profile_id, attribute_id, value_text, value_folded, value_number, value_bool, value_time, updated_at) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::varchar[], $4::text[], \
           $5::float8[], $6::boolean[], $7::timestamptz[], $8::timestamptz[]) \
         ON CONFLICT (profile_id, attribute_id) DO UPDATE SET value_text = excluded.value_text, \
           value_folded = excluded.value_folded, value_number = excluded.value_number, \
           value_bool = excluded.value_bool, value_time = excluded.value_time, \
           updated_at = excluded.updated_at",
        vec![
            column(rows, |r| Some(r.profile_id.as_ref().to_string())).into(),
            column(rows, |r| Some(r.attribute_id.as_ref().to_string())).into(),
            column(rows, |r| r.value_text.as_ref().clone()).into(),
            column(rows, |r| r.value_folded.as_ref().clone()).into(),
            column(rows, |r| r.value_number.as_ref().map(|n| n.to_string())).into(),
            column(rows, |r| r.value_bool.as_ref().map(|b| b.to_string())).into(),
            column(rows, |r| r.value_time.as_ref().as_ref().map(time)).into(),
            column(rows, |r| Some(time(r.updated_at.as_ref()))).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Removed attribute values (profile id, attribute id).
pub(super) async fn delete_values(
    txn: &impl ConnectionTrait,
    pairs: &[(i64, i64)],
) -> AppResult<()> {
    txn.execute(statement(
        "DELETE FROM user_attribute USING unnest($1::bigint[], $2::bigint[]) AS t(p, a) \
         WHERE user_attribute.profile_id = t.p AND user_attribute.attribute_id = t.a",
        vec![
            array(pairs.iter().map(|(p, _)| Some(p.to_string()))).into(),
            array(pairs.iter().map(|(_, a)| Some(a.to_string()))).into(),
        ],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::array;

    #[test]
    fn array_literals_quote_every_item() {
        assert_eq!(array::<_, &str>([]), "{}");
        assert_eq!(
            array([
                Some("a"),
                None,
                Some(r#"b"c\d"#),
                Some("NULL"),
                Some("{x,y}")
            ]),
            r#"{"a",NULL,"b\"c\\d","NULL","{x,y}"}"#
        );
    }
}
