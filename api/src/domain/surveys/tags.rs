//! Tags on responses: a team's own labels ("bug", "pricing") to sort feedback by. Loupe
//! tags whole responses; Hotjar's REST API shows tags per answer, so REST repeats a
//! response's tags on each of its answers.

use std::collections::HashMap;

use entity::{response, response_tag};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::domain::now;
use crate::error::{AppError, AppResult};

pub const MAX_TAG_CHARS: usize = 40;
pub const MAX_TAGS_PER_RESPONSE: u64 = 20;

/// Tags as a client gives them: trimmed, each 1–40 characters without control
/// characters, at most 20, duplicates dropped (first spelling kept, order kept).
/// Errors name the field: `tags` or `tags[2]`.
pub fn check(tags: &[String]) -> AppResult<Vec<String>> {
    if tags.is_empty() {
        return Err(AppError::bad_input("tags", "give at least one tag"));
    }
    if tags.len() as u64 > MAX_TAGS_PER_RESPONSE {
        return Err(AppError::bad_input(
            "tags",
            format!("at most {MAX_TAGS_PER_RESPONSE} tags"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for (i, raw) in tags.iter().enumerate() {
        let t = raw.trim();
        let n = t.chars().count();
        if n == 0 || n > MAX_TAG_CHARS {
            return Err(AppError::bad_input(
                format!("tags[{i}]"),
                format!("a tag is 1–{MAX_TAG_CHARS} characters"),
            ));
        }
        if t.chars().any(char::is_control) {
            return Err(AppError::bad_input(
                format!("tags[{i}]"),
                "a tag has no control characters",
            ));
        }
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// The response if it belongs to `org_id`; another organization's is not found.
async fn owned(db: &impl ConnectionTrait, org_id: i64, id: i64) -> AppResult<response::Model> {
    response::Entity::find_by_id(id)
        .filter(response::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Adds tags to a response of `org_id` (ones it has stay as they are). A response holds at
/// most 20 tags: more is `BAD_USER_INPUT` on `tags` and nothing changes.
#[tracing::instrument(skip(db, tags))]
pub async fn add(
    db: &DatabaseConnection,
    org_id: i64,
    response_id: i64,
    tags: &[String],
) -> AppResult<()> {
    let tags = check(tags)?;
    let txn = crate::db::begin_write(db).await?;
    owned(&txn, org_id, response_id).await?;
    let at = now();
    response_tag::Entity::insert_many(tags.iter().map(|t| response_tag::ActiveModel {
        response_id: Set(response_id),
        tag: Set(t.clone()),
        created_at: Set(at),
    }))
    .on_conflict(
        OnConflict::columns([response_tag::Column::ResponseId, response_tag::Column::Tag])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let held = response_tag::Entity::find()
        .filter(response_tag::Column::ResponseId.eq(response_id))
        .count(&txn)
        .await?;
    if held > MAX_TAGS_PER_RESPONSE {
        txn.rollback().await?;
        return Err(AppError::bad_input(
            "tags",
            format!("a response holds at most {MAX_TAGS_PER_RESPONSE} tags ({held} asked)"),
        ));
    }
    super::facts::refresh(&txn, &[response_id]).await?;
    txn.commit().await?;
    Ok(())
}

/// Removes tags from a response of `org_id`; tags it does not have are ignored.
#[tracing::instrument(skip(db, tags))]
pub async fn remove(
    db: &DatabaseConnection,
    org_id: i64,
    response_id: i64,
    tags: &[String],
) -> AppResult<()> {
    let tags = check(tags)?;
    let txn = crate::db::begin_write(db).await?;
    owned(&txn, org_id, response_id).await?;
    response_tag::Entity::delete_many()
        .filter(response_tag::Column::ResponseId.eq(response_id))
        .filter(response_tag::Column::Tag.is_in(tags))
        .exec(&txn)
        .await?;
    super::facts::refresh(&txn, &[response_id]).await?;
    txn.commit().await?;
    Ok(())
}

/// The tags of these responses, each list in alphabetical order (one query).
pub async fn of_responses(
    db: &impl ConnectionTrait,
    response_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in response_ids.chunks(1000) {
        for t in response_tag::Entity::find()
            .filter(response_tag::Column::ResponseId.is_in(chunk.iter().copied()))
            .order_by_asc(response_tag::Column::ResponseId)
            .order_by_asc(response_tag::Column::Tag)
            .all(db)
            .await?
        {
            out.entry(t.response_id).or_default().push(t.tag);
        }
    }
    Ok(out)
}

/// Deletes the tags of these responses (before the responses themselves).
pub async fn delete_of(db: &impl ConnectionTrait, response_ids: &[i64]) -> AppResult<u64> {
    Ok(response_tag::Entity::delete_many()
        .filter(response_tag::Column::ResponseId.is_in(response_ids.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn checked_tags() {
        assert_eq!(
            check(&s(&[" bug ", "bug", "Pricing"])).ok(),
            Some(s(&["bug", "Pricing"]))
        );
        assert_eq!(
            check(&s(&["é".repeat(40).as_str()])).ok().map(|v| v.len()),
            Some(1)
        );
        for (bad, field) in [
            (s(&[]), "tags"),
            (s(&["ok", "  "]), "tags[1]"),
            (s(&["x".repeat(41).as_str()]), "tags[0]"),
            (s(&["a\u{7}b"]), "tags[0]"),
            (s(&["line\nbreak"]), "tags[0]"),
        ] {
            match check(&bad) {
                Err(AppError::BadInput { field: Some(f), .. }) => assert_eq!(f, field, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(matches!(check(&many), Err(AppError::BadInput { .. })));
    }
}
