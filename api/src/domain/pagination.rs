//! Forward cursor pagination over rows with increasing integer ids. Cursors are opaque
//! (base64url of a versioned id) and stay valid while rows are inserted.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::error::{AppError, AppResult};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageArgs {
    pub first: u64,
    pub after: Option<i64>,
}

impl PageArgs {
    pub fn parse(first: Option<i32>, after: Option<&str>) -> AppResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 0 => {
                return Err(AppError::bad_input("first", "`first` must not be negative"))
            }
            Some(n) if n as u64 > MAX_PAGE_SIZE => {
                return Err(AppError::bad_input(
                    "first",
                    format!("`first` must be at most {MAX_PAGE_SIZE}"),
                ))
            }
            Some(n) => n as u64,
        };
        let after = after.map(decode_cursor).transpose()?;
        Ok(PageArgs { first, after })
    }
}

pub fn encode_cursor(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("c1:{id}"))
}

pub fn decode_cursor(cursor: &str) -> AppResult<i64> {
    let invalid = || AppError::bad_input("after", "`after` is not a cursor returned by this API");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid())?;
    text.strip_prefix("c1:")
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or_else(invalid)
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
    pub total_count: u64,
}

impl<T> Page<T> {
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            end_cursor: self.end_cursor,
            total_count: self.total_count,
        }
    }
}

/// One page of `select`, oldest first by `id_col`, plus the total count of `select`.
pub async fn paginate<E, C>(
    db: &C,
    select: Select<E>,
    id_col: E::Column,
    id_of: impl Fn(&E::Model) -> i64,
    args: PageArgs,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync + Send,
    C: ConnectionTrait,
{
    paginate_ordered(db, select, id_col, id_of, args, false, true).await
}

/// Like [`paginate`], newest first.
pub async fn paginate_newest_first<E, C>(
    db: &C,
    select: Select<E>,
    id_col: E::Column,
    id_of: impl Fn(&E::Model) -> i64,
    args: PageArgs,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync + Send,
    C: ConnectionTrait,
{
    paginate_ordered(db, select, id_col, id_of, args, true, true).await
}

/// Like [`paginate_newest_first`] without counting every match (`total_count` is 0): for
/// callers that count apart, or not at all.
pub async fn page_newest_first<E, C>(
    db: &C,
    select: Select<E>,
    id_col: E::Column,
    id_of: impl Fn(&E::Model) -> i64,
    args: PageArgs,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync + Send,
    C: ConnectionTrait,
{
    paginate_ordered(db, select, id_col, id_of, args, true, false).await
}

/// Like [`paginate`] without counting every match (`total_count` is 0).
pub async fn page_oldest_first<E, C>(
    db: &C,
    select: Select<E>,
    id_col: E::Column,
    id_of: impl Fn(&E::Model) -> i64,
    args: PageArgs,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync + Send,
    C: ConnectionTrait,
{
    paginate_ordered(db, select, id_col, id_of, args, false, false).await
}

async fn paginate_ordered<E, C>(
    db: &C,
    select: Select<E>,
    id_col: E::Column,
    id_of: impl Fn(&E::Model) -> i64,
    args: PageArgs,
    newest_first: bool,
    count: bool,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync + Send,
    C: ConnectionTrait,
{
    let total_count = if count {
        select.clone().count(db).await?
    } else {
        0
    };
    let mut query = if newest_first {
        select.order_by_desc(id_col)
    } else {
        select.order_by_asc(id_col)
    };
    if let Some(after) = args.after {
        query = query.filter(if newest_first {
            id_col.lt(after)
        } else {
            id_col.gt(after)
        });
    }
    let mut rows = query.limit(args.first + 1).all(db).await?;
    let has_next_page = rows.len() as u64 > args.first;
    rows.truncate(args.first as usize);
    let items: Vec<(String, E::Model)> = rows
        .into_iter()
        .map(|m| (encode_cursor(id_of(&m)), m))
        .collect();
    let end_cursor = items.last().map(|(c, _)| c.clone());
    Ok(Page {
        items,
        has_next_page,
        end_cursor,
        total_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_rejects_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(42)).ok(), Some(42));
        for bad in ["", "!!", "YWJj", &URL_SAFE_NO_PAD.encode("c1:x")] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_size_bounds() {
        assert_eq!(PageArgs::parse(None, None).ok().map(|p| p.first), Some(20));
        assert_eq!(
            PageArgs::parse(Some(100), None).ok().map(|p| p.first),
            Some(100)
        );
        assert!(PageArgs::parse(Some(101), None).is_err());
        assert!(PageArgs::parse(Some(-1), None).is_err());
    }
}
