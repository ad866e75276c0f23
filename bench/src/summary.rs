//! `summary-bench <database_url> [responses=100000] [runs=30]`: seeds one survey (NPS,
//! single choice, rating, short text) with that many responses through the production
//! batch writer, then times `survey.summary` — unfiltered and filtered to one device —
//! and prints the median and p95 of each.

use std::time::{Duration, Instant};

use api::domain::surveys::answers::{AnswerValue, CheckedAnswer};
use api::domain::surveys::definition::{QuestionConfig, QuestionDef, QuestionType};
use api::domain::surveys::store::{self, QuestionInput};
use api::domain::surveys::summary::{compute, ResponseFilter};
use api::domain::surveys::writes::{write_batch, NewResponse};
use api::domain::visitor::ClientContext;

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

fn stats(mut times: Vec<Duration>) -> (f64, f64) {
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
    let (survey, ids) = loupe_bench::survey(
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
    for start in (0..n).step_by(1000) {
        let rows: Vec<NewResponse> = (start..(start + 1000).min(n))
            .map(|i| {
                let mut answers = vec![CheckedAnswer {
                    question_id: ids[0],
                    value: AnswerValue::Number((i * 7 % 11) as i32),
                    comment: None,
                }];
                if i % 5 != 0 {
                    answers.push(CheckedAnswer {
                        question_id: ids[1],
                        value: AnswerValue::Choices {
                            selected: vec![plans[i % 3].into()],
                            other: None,
                        },
                        comment: None,
                    });
                }
                if i % 2 == 0 {
                    answers.push(CheckedAnswer {
                        question_id: ids[2],
                        value: AnswerValue::Number((i % 5 + 1) as i32),
                        comment: None,
                    });
                }
                if i % 3 == 0 {
                    answers.push(CheckedAnswer {
                        question_id: ids[3],
                        value: AnswerValue::Text(format!("reason {i}")),
                        comment: None,
                    });
                }
                NewResponse {
                    organization_id: org.id,
                    survey_id: survey.id,
                    site_id: site.id,
                    visitor_id: Some(format!("v{i}")),
                    complete: true,
                    context: ClientContext {
                        device: Some(devices[i % 3]),
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
        write_batch(&db, &refs).await.map_err(fail)?;
    }
    eprintln!(
        "seeded {n} responses in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    for (label, filter) in [
        ("all responses", ResponseFilter::default()),
        (
            "device = mobile",
            ResponseFilter {
                device: Some("mobile".into()),
                ..Default::default()
            },
        ),
    ] {
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            let t = Instant::now();
            last = Some(
                compute(&db, survey.id, questions.clone(), &filter)
                    .await
                    .map_err(fail)?,
            );
            times.push(t.elapsed());
        }
        let s = last.ok_or("no runs")?;
        let (p50, p95) = stats(times);
        println!(
            "summary over {} of {n} responses ({label}): median {p50:.1} ms, p95 {p95:.1} ms, NPS {:.1}",
            s.responses,
            s.questions[0].nps.as_ref().and_then(|x| x.score).unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
