//! `growth-seed <database_url> <survey_id> <from> <to>`: adds sessions, responses and
//! identified users number `from`…`to - 1` to the survey's site, so that bench/growth.sh can
//! grow one database from 10k to 100k to 1M and time the same queries at each size.
//!
//! Per number `i`: a recording row `seed-i` (visitor `v<i>`), a complete response to the
//! survey through the production batch writer (`write_batch`: answers, choices, the
//! summary's bookkeeping), and a user `i` linked to visitor `v<i>` with three typed
//! attributes (`plan`, `spend`, `trial`). Rows go in multi-row inserts, 1000 numbers per
//! transaction. The survey must have an NPS, a single-choice (Basic / Pro / Team) and a
//! short-text question, in that order (the script creates it over GraphQL).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use api::domain::people::attributes::{definitions, AttrKind, AttrValue};
use api::domain::people::identify::attribute_row;
use api::domain::surveys::answers::{AnswerValue, CheckedAnswer};
use api::domain::surveys::writes::{write_batch, NewResponse};
use api::domain::visitor::ClientContext;
use chrono::{DateTime, TimeDelta, Utc};
use entity::{recording, site_user, survey, user_attribute, user_attribute_def, visitor_link};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const STEP: usize = 1000;
const DEVICES: [&str; 3] = ["desktop", "mobile", "tablet"];
const COUNTRIES: [&str; 6] = ["US", "DE", "FR", "GB", "IN", "BR"];
const PLANS: [&str; 3] = ["Basic", "Pro", "Team"];
const ATTRIBUTES: [(&str, AttrKind); 3] = [
    ("plan", AttrKind::String),
    ("spend", AttrKind::Number),
    ("trial", AttrKind::Boolean),
];

fn fail(e: api::error::AppError) -> String {
    format!("{e:?}")
}

/// A fixed pseudo-random number per `i` and purpose (the same rows whatever the steps).
fn hash(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64) ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn device(i: usize) -> &'static str {
    match hash(i, 1) % 100 {
        0..=59 => DEVICES[0],
        60..=94 => DEVICES[1],
        _ => DEVICES[2],
    }
}

async fn recordings(
    db: &impl ConnectionTrait,
    s: &survey::Model,
    range: std::ops::Range<usize>,
    base: DateTime<Utc>,
) -> Res<()> {
    let rows: Vec<recording::ActiveModel> = range
        .map(|i| {
            // 30 days per million sessions, newest last (as they arrive).
            let started = base + TimeDelta::milliseconds(i as i64 * 2_592);
            let duration = (hash(i, 2) % 600_000) as i64 + 1_000;
            let rage = if hash(i, 3) % 100 < 8 {
                (hash(i, 4) % 3) as i64 + 1
            } else {
                0
            };
            let page = i % 500;
            recording::ActiveModel {
                organization_id: Set(s.organization_id),
                site_id: Set(s.site_id),
                session_id: Set(format!("seed-{i}")),
                visitor_id: Set(Some(format!("v{i}"))),
                started_at: Set(started),
                ended_at: Set(started + TimeDelta::milliseconds(duration)),
                duration_ms: Set(duration),
                page_views: Set(2),
                entry_url: Set(Some("https://shop.example/".into())),
                exit_url: Set(Some(format!("https://shop.example/products/p{page}"))),
                pages: Set(format!(
                    r#"[[{},"https://shop.example/"],[{},"https://shop.example/products/p{page}"]]"#,
                    started.timestamp_millis(),
                    started.timestamp_millis() + 9_000
                )),
                clicks: Set((hash(i, 5) % 40) as i64),
                rage_clicks: Set(rage),
                u_turns: Set(i64::from(hash(i, 6) % 100 < 5)),
                device: Set(Some(device(i).into())),
                browser: Set(Some("Chrome".into())),
                os: Set(Some("Windows".into())),
                country: Set(Some(COUNTRIES[i % COUNTRIES.len()].into())),
                viewport_width: Set(Some(1440)),
                viewport_height: Set(Some(900)),
                viewport_at: Set(Some(started.timestamp_millis())),
                event_count: Set((hash(i, 7) % 3000) as i64 + 50),
                chunk_count: Set((hash(i, 8) % 60) as i64 + 1),
                raw_bytes: Set(1_000_000),
                stored_bytes: Set(120_000),
                created_at: Set(started),
                updated_at: Set(started),
                ..Default::default()
            }
        })
        .collect();
    // 29 columns: 500 rows stay under SQLite's 32766 bound parameters.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<_> = rows.by_ref().take(500).collect();
        recording::Entity::insert_many(part)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn responses(
    db: &DatabaseConnection,
    s: &survey::Model,
    q: &[i64],
    range: std::ops::Range<usize>,
) -> Res<()> {
    let rows: Vec<NewResponse> = range
        .map(|i| {
            let mut answers = vec![CheckedAnswer {
                question_id: q[0],
                value: AnswerValue::Number((hash(i, 9) % 11) as i32),
                comment: None,
            }];
            if !i.is_multiple_of(5) {
                answers.push(CheckedAnswer {
                    question_id: q[1],
                    value: AnswerValue::Choices {
                        selected: vec![PLANS[(hash(i, 10) % 3) as usize].into()],
                        other: None,
                    },
                    comment: None,
                });
            }
            if i.is_multiple_of(3) {
                answers.push(CheckedAnswer {
                    question_id: q[2],
                    value: AnswerValue::Text(format!("reason {}", i % 1000)),
                    comment: None,
                });
            }
            NewResponse {
                organization_id: s.organization_id,
                survey_id: s.id,
                site_id: s.site_id,
                visitor_id: Some(format!("v{i}")),
                complete: true,
                context: ClientContext {
                    device: Some(device(i)),
                    country: Some(COUNTRIES[i % COUNTRIES.len()].into()),
                    ..Default::default()
                },
                page_url: Some("https://shop.example/pricing".into()),
                answers,
                score_sentiment: false,
                hidden_fields: None,
                recording_session_id: i.is_multiple_of(10).then(|| format!("seed-{i}")),
            }
        })
        .collect();
    let refs: Vec<&NewResponse> = rows.iter().collect();
    write_batch(db, &refs).await.map_err(fail)?;
    Ok(())
}

async fn users(
    db: &impl ConnectionTrait,
    site_id: i64,
    attrs: &[i64],
    range: std::ops::Range<usize>,
    base: DateTime<Utc>,
) -> Res<()> {
    let rows = range.clone().map(|i| site_user::ActiveModel {
        site_id: Set(site_id),
        user_key: Set(format!("u:{i}")),
        user_id: Set(Some(i.to_string())),
        first_seen: Set(base + TimeDelta::milliseconds(i as i64 * 2_592)),
        last_seen: Set(base + TimeDelta::milliseconds(i as i64 * 2_592 + 600_000)),
        sessions: Set((hash(i, 11) % 20) as i64 + 1),
        device: Set(Some(device(i).into())),
        country: Set(Some(COUNTRIES[i % COUNTRIES.len()].into())),
        ..Default::default()
    });
    site_user::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    let keys: Vec<String> = range.clone().map(|i| format!("u:{i}")).collect();
    let ids: HashMap<String, i64> = site_user::Entity::find()
        .select_only()
        .columns([site_user::Column::UserKey, site_user::Column::Id])
        .filter(site_user::Column::SiteId.eq(site_id))
        .filter(site_user::Column::UserKey.is_in(keys))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut links = Vec::with_capacity(range.len());
    let mut values = Vec::with_capacity(range.len() * 3);
    for i in range {
        let profile = *ids
            .get(&format!("u:{i}"))
            .ok_or("a seeded user is missing")?;
        links.push(visitor_link::ActiveModel {
            site_id: Set(site_id),
            visitor_id: Set(format!("v{i}")),
            profile_id: Set(profile),
            linked_at: Set(base),
        });
        let plan = PLANS[(hash(i, 12) % 3) as usize];
        let v = [
            AttrValue::Text {
                raw: plan.into(),
                folded: plan.to_lowercase(),
            },
            AttrValue::Number((hash(i, 13) % 500_000) as f64 / 100.0),
            AttrValue::Bool(hash(i, 14).is_multiple_of(4)),
        ];
        for (attr, value) in attrs.iter().zip(&v) {
            values.push(attribute_row(profile, *attr, value, base));
        }
    }
    visitor_link::Entity::insert_many(links)
        .exec_without_returning(db)
        .await?;
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let part: Vec<_> = values.by_ref().take(1000).collect();
        user_attribute::Entity::insert_many(part)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, survey_id, from, to] = args.as_slice() else {
        return Err("usage: growth-seed <database_url> <survey_id> <from> <to>".into());
    };
    let (from, to): (usize, usize) = (from.parse()?, to.parse()?);
    let db = api::db::connect_and_migrate(url).await?;
    let s = survey::Entity::find_by_id(survey_id.parse::<i64>()?)
        .one(&db)
        .await?
        .ok_or("no such survey")?;
    let questions: Vec<i64> = api::domain::surveys::store::questions(&db, s.id)
        .await
        .map_err(fail)?
        .iter()
        .map(|q| q.id)
        .collect();
    if questions.len() < 3 {
        return Err("the survey needs NPS, single-choice and short-text questions".into());
    }

    let mut defs = definitions(&db, s.site_id).await.map_err(fail)?;
    let missing: Vec<_> = ATTRIBUTES
        .iter()
        .filter(|(name, _)| !defs.contains_key(*name))
        .map(|(name, kind)| user_attribute_def::ActiveModel {
            site_id: Set(s.site_id),
            name: Set((*name).to_owned()),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .collect();
    if !missing.is_empty() {
        user_attribute_def::Entity::insert_many(missing)
            .exec_without_returning(&db)
            .await?;
        defs = definitions(&db, s.site_id).await.map_err(fail)?;
    }
    let attrs: Vec<i64> = ATTRIBUTES
        .iter()
        .map(|(name, _)| defs.get(*name).map(|d| d.0))
        .collect::<Option<_>>()
        .ok_or("attribute definitions missing")?;

    let base = Utc::now() - TimeDelta::days(40);
    let mut took = [Duration::ZERO; 3];
    for start in (from..to).step_by(STEP) {
        let range = start..(start + STEP).min(to);
        let t = Instant::now();
        let tx = db.begin().await?;
        recordings(&tx, &s, range.clone(), base).await?;
        tx.commit().await?;
        took[0] += t.elapsed();
        let t = Instant::now();
        responses(&db, &s, &questions, range.clone()).await?;
        took[1] += t.elapsed();
        let t = Instant::now();
        let tx = db.begin().await?;
        users(&tx, s.site_id, &attrs, range, base).await?;
        tx.commit().await?;
        took[2] += t.elapsed();
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // As autovacuum would after a bulk load: fresh statistics for the planner.
        db.execute_unprepared("ANALYZE").await?;
    }
    let rate = |d: Duration| (to - from) as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "seeded {}..{}: recordings {:.1} s ({:.0}/s), responses {:.1} s ({:.0}/s), users {:.1} s ({:.0}/s)",
        from,
        to,
        took[0].as_secs_f64(),
        rate(took[0]),
        took[1].as_secs_f64(),
        rate(took[1]),
        took[2].as_secs_f64(),
        rate(took[2]),
    );
    Ok(())
}
