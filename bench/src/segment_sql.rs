//! `segment-sql-bench <database_url> [users=100000] [runs=30]`: seeds that many identified
//! users with twenty typed attributes each (see `segment_fixtures`), then times a
//! 3-condition segment through `segments::preview` (matching count and sample) and the
//! first page of `segments::users` (50 users), printing the median, minimum and maximum
//! of `runs` timed calls after a warm-up. PostgreSQL tables are vacuumed and analysed
//! after seeding, as autovacuum would; SQLite ones only with `SEGMENT_BENCH_ANALYZE=1`.
//! With `SEGMENT_BENCH_EXPLAIN=1` it also prints the database's plan for the count query.

use std::future::Future;
use std::time::{Duration, Instant};

use api::domain::pagination::{Page, PageArgs};
use api::domain::people::attributes::definitions;
use api::domain::people::identify::attribute_row;
use api::domain::segments::rule::Rule;
use api::domain::{now, organizations, segments, sites};
use entity::{site_user, user_attribute, user_attribute_def};
use loupe_bench::segment_fixtures::{self as fx, Rng, ATTRIBUTES};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement, TransactionTrait,
};
use serde_json::json;

type BoxError = Box<dyn std::error::Error>;

/// Users per transaction.
const BATCH: u64 = 1000;
/// Rows per INSERT: 8 columns × 2000 = 16 000 parameters, under both databases' limits
/// (SQLite 32 766, PostgreSQL 65 535).
const ROWS_PER_INSERT: usize = 2000;
const WARM_UP: usize = 3;

fn fail(e: api::error::AppError) -> BoxError {
    format!("{e:?}").into()
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms, min {:.1} ms, max {:.1} ms",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    )
}

async fn timed<T, Fut>(runs: usize, mut f: impl FnMut() -> Fut) -> Result<(String, T), BoxError>
where
    Fut: Future<Output = Result<T, BoxError>>,
{
    for _ in 0..WARM_UP {
        f().await?;
    }
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await?);
        times.push(t.elapsed());
    }
    Ok((stats(times), last.ok_or("no runs")?))
}

/// Seeds `n` identified users `u:1`… with the fixtures' attributes; returns how many of
/// them the in-memory evaluator says `rule` matches (a cross-check of the SQL count).
async fn seed(
    db: &DatabaseConnection,
    site_id: i64,
    n: u64,
    rule: &Rule,
) -> Result<usize, BoxError> {
    let at = now();
    let defs = ATTRIBUTES
        .iter()
        .map(|(name, kind)| user_attribute_def::ActiveModel {
            site_id: Set(site_id),
            name: Set((*name).to_owned()),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(at),
            ..Default::default()
        });
    user_attribute_def::Entity::insert_many(defs)
        .exec_without_returning(db)
        .await?;
    let defs = definitions(db, site_id).await.map_err(fail)?;
    let db_ids = ATTRIBUTES
        .iter()
        .map(|(name, _)| defs.get(*name).map(|(id, _)| *id))
        .collect::<Option<Vec<i64>>>()
        .ok_or("attribute definitions missing")?;

    let mut rng = Rng::new(42);
    let mut expected = 0;
    for start in (1..=n).step_by(BATCH as usize) {
        let profiles: Vec<_> = (start..(start + BATCH).min(n + 1))
            .map(|i| fx::visitor(&mut rng, i, at))
            .collect();
        expected += profiles.iter().filter(|p| rule.matches(p, at)).count();
        let tx = db.begin().await?;
        let users = profiles.iter().map(|p| site_user::ActiveModel {
            site_id: Set(site_id),
            user_key: Set(format!("u:{}", p.id)),
            user_id: Set(Some(p.id.to_string())),
            first_seen: Set(p.first_seen),
            last_seen: Set(p.last_seen),
            sessions: Set(p.sessions),
            device: Set(p.device.clone()),
            country: Set(p.country.clone()),
            ..Default::default()
        });
        site_user::Entity::insert_many(users)
            .exec_without_returning(&tx)
            .await?;
        let keys: Vec<String> = profiles.iter().map(|p| format!("u:{}", p.id)).collect();
        let ids: std::collections::HashMap<String, i64> = site_user::Entity::find()
            .select_only()
            .columns([site_user::Column::UserKey, site_user::Column::Id])
            .filter(site_user::Column::SiteId.eq(site_id))
            .filter(site_user::Column::UserKey.is_in(keys))
            .into_tuple::<(String, i64)>()
            .all(&tx)
            .await?
            .into_iter()
            .collect();
        let mut rows = Vec::with_capacity(profiles.len() * ATTRIBUTES.len());
        for p in &profiles {
            let profile_id = *ids.get(&format!("u:{}", p.id)).ok_or("profile not found")?;
            for (fixture_id, value) in &p.attributes {
                let attribute_id = db_ids[(*fixture_id - 1) as usize];
                rows.push(attribute_row(profile_id, attribute_id, value, at));
            }
        }
        while !rows.is_empty() {
            let rest = rows.split_off(rows.len().min(ROWS_PER_INSERT));
            user_attribute::Entity::insert_many(std::mem::replace(&mut rows, rest))
                .exec_without_returning(&tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(expected)
}

/// The database's plan for the count `segments::preview` and `segments::users` run.
async fn explain(db: &DatabaseConnection, site_id: i64, rule: &Rule) -> Result<(), BoxError> {
    let backend = db.get_database_backend();
    let inner = site_user::Entity::find()
        .filter(site_user::Column::SiteId.eq(site_id))
        .filter(site_user::Column::UserId.is_not_null())
        .filter(rule.sql(backend, now()))
        .into_query();
    let count = SelectStatement::new()
        .expr(Expr::cust("COUNT(*) AS num_items"))
        .from_subquery(inner, "sub_query")
        .to_owned();
    let sql = backend.build(&count).to_string();
    let prefix = match backend {
        DbBackend::Postgres => "EXPLAIN (ANALYZE, BUFFERS)",
        _ => "EXPLAIN QUERY PLAN",
    };
    println!("{sql}");
    for row in db
        .query_all(Statement::from_string(backend, format!("{prefix} {sql}")))
        .await?
    {
        let line = match backend {
            DbBackend::Postgres => row.try_get::<String>("", "QUERY PLAN")?,
            _ => format!(
                "{} {}",
                row.try_get::<i64>("", "parent")?,
                row.try_get::<String>("", "detail")?
            ),
        };
        println!("  {line}");
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: segment-sql-bench <database_url> [users] [runs]")?;
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);

    let db = api::db::connect_and_migrate(&url).await?;
    let org = organizations::create(&db, "bench", entity::organization::Plan::Scale)
        .await
        .map_err(fail)?;
    let site = sites::create(
        &db,
        org.id,
        sites::NewSite {
            name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;

    // About 5 % of users: spend over 1000 (half), on a paid team plan (40 %), customers
    // for less than a year (a quarter).
    let rule_json = json!({"and": [
        {"attribute": "spend", "operator": "GT", "value": 1000},
        {"attribute": "plan", "operator": "IN", "value": ["Pro", "Team"]},
        {"attribute": "customer_since", "operator": "WITHIN_LAST_DAYS", "value": 365},
    ]});
    let seeding = Instant::now();
    let expected = seed(&db, site.id, n, &fx::compile(&rule_json).map_err(fail)?).await?;
    eprintln!(
        "seeded {n} users × {} attributes in {:.1} s",
        ATTRIBUTES.len(),
        seeding.elapsed().as_secs_f64()
    );
    match db.get_database_backend() {
        // What autovacuum does within a minute of a bulk load; timing before it has run
        // measures unset hint bits and visibility maps, and plans without statistics.
        DbBackend::Postgres => {
            db.execute_unprepared("VACUUM ANALYZE site_user, user_attribute")
                .await?;
        }
        // Loupe never runs ANALYZE on SQLite, so by default neither does the bench.
        _ if std::env::var_os("SEGMENT_BENCH_ANALYZE").is_some() => {
            db.execute_unprepared("ANALYZE").await?;
        }
        _ => {}
    }
    let rule = segments::check(&db, site.id, &rule_json, "rule")
        .await
        .map_err(fail)?;
    if std::env::var_os("SEGMENT_BENCH_EXPLAIN").is_some() {
        explain(&db, site.id, &rule).await?;
    }

    let (preview_time, preview) = timed(runs, || async {
        segments::preview(&db, site.id, &rule).await.map_err(fail)
    })
    .await?;
    let first = PageArgs {
        first: 50,
        after: None,
    };
    let (users_time, page) = timed(runs, || async {
        segments::users(&db, site.id, Some(&rule), first, true)
            .await
            .map_err(fail)
    })
    .await?;
    let (alone_time, alone) = timed(runs, || async {
        segments::users(&db, site.id, Some(&rule), first, false)
            .await
            .map_err(fail)
    })
    .await?;
    let ids =
        |p: &Page<site_user::Model>| -> Vec<i64> { p.items.iter().map(|(_, u)| u.id).collect() };
    if ids(&alone) != ids(&page) || alone.has_next_page != page.has_next_page {
        return Err("the page alone lists other users than the counted page".into());
    }
    // Both forms of the rule for the page alone, to show which one each database wants.
    let backend = db.get_database_backend();
    let mut forms = vec![];
    for (form, cond) in [
        ("row form", rule.row_sql(backend, now())),
        ("set form", rule.sql(backend, now())),
    ] {
        let q = site_user::Entity::find()
            .filter(site_user::Column::SiteId.eq(site.id))
            .filter(site_user::Column::UserId.is_not_null())
            .filter(cond)
            .order_by_asc(site_user::Column::Id)
            .limit(first.first + 1);
        let (t, rows) = timed(runs, || {
            let q = q.clone();
            let db = &db;
            async move { q.all(db).await.map_err(BoxError::from) }
        })
        .await?;
        let listed: Vec<i64> = rows
            .iter()
            .take(first.first as usize)
            .map(|u| u.id)
            .collect();
        if listed != ids(&page) {
            return Err(format!("the {form} lists other users than the counted page").into());
        }
        forms.push((form, t));
    }
    if preview.matching_users != expected as u64 || page.total_count != expected as u64 {
        return Err(format!(
            "the database counts {} / {} matching users, the in-memory evaluator {expected}",
            preview.matching_users, page.total_count
        )
        .into());
    }
    println!(
        "segment of 3 conditions over {n} users: {} match ({:.1} %)",
        preview.matching_users,
        100.0 * preview.matching_users as f64 / n as f64
    );
    println!(
        "preview (matchingUsers + sample of {}): {preview_time}",
        preview.sample.len()
    );
    println!(
        "users (first {}, with totalCount): {users_time}",
        page.items.len()
    );
    println!(
        "users (first {}, page alone): {alone_time}",
        alone.items.len()
    );
    for (form, t) in forms {
        println!("users page alone, {form} ({backend:?}): {t}");
    }
    Ok(())
}
