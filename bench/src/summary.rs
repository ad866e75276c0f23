//! `summary-bench <database_url> [responses=100000] [runs=30]`: seeds one survey (NPS,
//! single choice, rating, short text) with that many responses through the production
//! batch writer (spread over a year, three devices, five countries), then times
//! `survey.summary` unfiltered and with a device, date, answer and segment filter, each
//! run interleaved with the reference path (joins from every match, checked equal), and
//! `responses(first: 50)` with the segment filter and without.

use std::time::{Duration, Instant};

use api::domain::pagination::PageArgs;
use api::domain::surveys::answers::{AnswerValue, CheckedAnswer};
use api::domain::surveys::definition::{QuestionConfig, QuestionDef, QuestionType};
use api::domain::surveys::responses;
use api::domain::surveys::store::{self, QuestionInput};
use api::domain::surveys::summary::{
    compute, reference, AnswerCondition, AnswerOp, ResponseFilter, SegmentChoice,
};
use api::domain::surveys::writes::{write_batch, NewResponse};
use api::domain::visitor::ClientContext;
use chrono::{TimeDelta, Utc};
use entity::{response, site_user, visitor_link};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

fn q(kind: QuestionType, prompt: &str, options: &[&str]) -> QuestionInput {
    QuestionInput {
        id: None,
        def: QuestionDef {
            key: String::new(),
            kind,
            prompt: prompt.into(),
            required: false,
            config: QuestionConfig {
                options: options.iter().map(|o| o.to_string()).collect(),
                ..Default::default()
            },
            logic: vec![],
        },
    }
}

/// Median and p99.
fn quantiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(times[times.len() / 2]),
        ms(times[(times.len() * 99 / 100).min(times.len() - 1)]),
    )
}

/// Median and p95 (`NaN` without runs).
fn stats(mut times: Vec<Duration>) -> (f64, f64) {
    if times.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(times[times.len() / 2]),
        ms(times[(times.len() * 95 / 100).min(times.len() - 1)]),
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: summary-bench <database_url> [responses] [runs]")?;
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let fail = |e: api::error::AppError| format!("{e:?}");

    let db = api::db::connect_and_migrate(&url).await?;
    let (org, site) = loupe_bench::scale_site(&db).await?;
    let (survey, qids) = loupe_bench::survey(
        &db,
        org.id,
        site.id,
        vec![
            q(QuestionType::Nps, "Recommend?", &[]),
            q(
                QuestionType::SingleChoice,
                "Plan?",
                &["Basic", "Pro", "Team"],
            ),
            q(QuestionType::Rating, "Rate", &[]),
            q(QuestionType::ShortText, "Why?", &[]),
        ],
    )
    .await?;
    let questions: Vec<_> = store::questions(&db, survey.id)
        .await
        .map_err(fail)?
        .iter()
        .map(store::to_question)
        .collect::<Result<_, _>>()
        .map_err(fail)?;

    let seeding = Instant::now();
    let plans = ["Basic", "Pro", "Team"];
    let devices = ["desktop", "mobile", "tablet"];
    let countries = ["FR", "DE", "US", "GB", "ES"];
    let mut ids: Vec<i64> = Vec::with_capacity(n);
    for start in (0..n).step_by(2000) {
        let rows: Vec<NewResponse> = (start..(start + 2000).min(n))
            .map(|i| {
                let mut answers = vec![CheckedAnswer {
                    question_id: qids[0],
                    value: AnswerValue::Number((i * 7 % 11) as i32),
                    comment: None,
                }];
                if i % 5 != 0 {
                    answers.push(CheckedAnswer {
                        question_id: qids[1],
                        value: AnswerValue::Choices {
                            selected: vec![plans[i % 3].into()],
                            other: None,
                        },
                        comment: None,
                    });
                }
                if i % 2 == 0 {
                    answers.push(CheckedAnswer {
                        question_id: qids[2],
                        value: AnswerValue::Number((i % 5 + 1) as i32),
                        comment: None,
                    });
                }
                if i % 3 == 0 {
                    answers.push(CheckedAnswer {
                        question_id: qids[3],
                        value: AnswerValue::Text(format!("reason {i}")),
                        comment: None,
                    });
                }
                NewResponse {
                    organization_id: org.id,
                    survey_id: survey.id,
                    site_id: site.id,
                    visitor_id: Some(format!("v{i}")),
                    complete: i % 10 != 9,
                    context: ClientContext {
                        device: Some(devices[i % 3]),
                        country: Some(countries[i % 5].into()),
                        ..Default::default()
                    },
                    page_url: None,
                    answers,
                    score_sentiment: false,
                    hidden_fields: None,
                    recording_session_id: None,
                }
            })
            .collect();
        let refs: Vec<&NewResponse> = rows.iter().collect();
        ids.extend(write_batch(&db, &refs).await.map_err(fail)?);
    }
    // A year of responses, oldest first: one UPDATE per day over its id range.
    let now = Utc::now();
    let per_day = n.div_ceil(365).max(1);
    for (day, chunk) in ids.chunks(per_day).enumerate() {
        let at = now - TimeDelta::days(365 - day as i64) + TimeDelta::minutes(7);
        response::Entity::update_many()
            .col_expr(response::Column::CreatedAt, Expr::value(at))
            .filter(response::Column::Id.between(chunk[0], chunk[chunk.len() - 1]))
            .exec(&db)
            .await?;
    }
    // One identified profile per visitor (its country, for a profile segment), linked.
    for start in (0..n).step_by(2000) {
        let range = start..(start + 2000).min(n);
        site_user::Entity::insert_many(range.clone().map(|i| site_user::ActiveModel {
            id: Set(i as i64 + 1),
            site_id: Set(site.id),
            user_key: Set(format!("u:{i}")),
            user_id: Set(Some(format!("user-{i}"))),
            first_seen: Set(now),
            last_seen: Set(now),
            sessions: Set(1),
            device: Set(Some(devices[i % 3].into())),
            country: Set(Some(countries[i / 7 % 5].into())),
        }))
        .exec_without_returning(&db)
        .await?;
        visitor_link::Entity::insert_many(range.map(|i| visitor_link::ActiveModel {
            site_id: Set(site.id),
            visitor_id: Set(format!("v{i}")),
            profile_id: Set(i as i64 + 1),
            linked_at: Set(now),
        }))
        .exec_without_returning(&db)
        .await?;
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // What autovacuum would have done by the time anyone reads a survey this large.
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    eprintln!(
        "seeded {n} responses in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let segment = |rule: serde_json::Value| Some(SegmentChoice::Inline(rule));
    let filters = [
        ("all responses", ResponseFilter::default()),
        (
            "device = mobile",
            ResponseFilter {
                device: Some("mobile".into()),
                ..Default::default()
            },
        ),
        (
            "last 90 days",
            ResponseFilter {
                from: Some(now - TimeDelta::days(90)),
                ..Default::default()
            },
        ),
        (
            "answer plan = Pro",
            ResponseFilter {
                answers: vec![AnswerCondition {
                    question_id: qids[1],
                    op: AnswerOp::Equals,
                    value: Some("Pro".into()),
                }],
                ..Default::default()
            },
        ),
        (
            "segment: profile country in FR, DE",
            ResponseFilter {
                segment: segment(serde_json::json!(
                    {"visit": "COUNTRY", "operator": "IN", "value": ["FR", "DE"]}
                )),
                ..Default::default()
            },
        ),
        (
            "segment: detractors",
            ResponseFilter {
                segment: segment(serde_json::json!(
                    {"answer": {"question_id": qids[0], "operator": "LTE", "value": 6}}
                )),
                ..Default::default()
            },
        ),
    ];
    // Each run times the summary then the reference (joins from every match), interleaved
    // so both see the same machine; the reference gets fewer runs over large sets.
    let reference_runs = if n > 200_000 { runs.min(3) } else { runs };
    for (label, filter) in &filters {
        let (mut fast, mut slow) = (Vec::with_capacity(runs), Vec::new());
        let mut last = None;
        for run in 0..runs {
            let t = Instant::now();
            let s = compute(&db, survey.id, questions.clone(), filter)
                .await
                .map_err(fail)?;
            fast.push(t.elapsed());
            if run < reference_runs {
                let t = Instant::now();
                let r = reference(&db, survey.id, questions.clone(), filter)
                    .await
                    .map_err(fail)?;
                slow.push(t.elapsed());
                if format!("{s:?}") != format!("{r:?}") {
                    return Err(format!("summary and reference differ for {label}").into());
                }
            }
            last = Some(s);
        }
        let s = last.ok_or("no runs")?;
        let (p50, p95) = stats(fast);
        let (r50, r95) = stats(slow);
        println!(
            "summary over {} of {n} responses ({label}): median {p50:.1} ms, p95 {p95:.1} ms; \
             reference (joins) median {r50:.1} ms, p95 {r95:.1} ms; NPS {:.1}",
            s.responses,
            s.questions[0]
                .nps
                .as_ref()
                .and_then(|x| x.score)
                .unwrap_or(f64::NAN)
        );
    }

    // The responses list with a segment filter, and unfiltered as its peer; with
    // `totalCount` (a count of every match) and without it (the page alone).
    for (label, filter) in [&filters[0], &filters[4], &filters[5]] {
        for count in [true, false] {
            let mut times = Vec::with_capacity(runs * 3);
            let mut shown = 0;
            for _ in 0..runs * 3 {
                let t = Instant::now();
                let page = responses::list(
                    &db,
                    org.id,
                    survey.id,
                    filter,
                    PageArgs {
                        first: 50,
                        after: None,
                    },
                    count,
                )
                .await
                .map_err(fail)?;
                times.push(t.elapsed());
                shown = page.items.len();
            }
            let (p50, p99) = quantiles(times);
            let with = if count {
                "with totalCount"
            } else {
                "page alone"
            };
            println!(
                "responses(first: 50) over {n} responses ({label}, {with}, {shown} shown): median {p50:.1} ms, p99 {p99:.1} ms"
            );
        }
    }
    Ok(())
}
