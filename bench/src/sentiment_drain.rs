//! `sentiment-drain-bench <database_url> [answers=4000] [jobs_per_round=256]`: queues that many
//! short text answers through the production batch writer (one job each, as submissions do),
//! then drains the queue with the worker's own `round` — claim, score on the model thread,
//! store the scores and delete the jobs — and prints answers/s end to end next to the time the
//! model alone took, so the queue's overhead is visible.

use std::time::Instant;

use api::domain::surveys::answers::{AnswerValue, CheckedAnswer};
use api::domain::surveys::definition::{QuestionDef, QuestionType};
use api::domain::surveys::sentiment;
use api::domain::surveys::store::QuestionInput;
use api::domain::surveys::writes::{write_batch, NewResponse};
use api::domain::visitor::ClientContext;
use api::jobs::sentiment::{round, Round, Scorer as _};
use sentiment_worker::Scorer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: sentiment-drain-bench <database_url> [answers] [jobs_per_round]";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().ok_or(usage)?;
    let n: usize = args.get(1).map_or(Ok(4000), |a| a.parse())?;
    let per_round: u64 = args.get(2).map_or(Ok(256), |a| a.parse())?;
    let fail = |e: api::error::AppError| format!("{e:?}");

    let db = api::db::connect_and_migrate(url).await?;
    let (org, site) = loupe_bench::scale_site(&db).await?;
    let question = QuestionInput {
        id: None,
        def: QuestionDef {
            key: String::new(),
            kind: QuestionType::ShortText,
            prompt: "Anything to add?".into(),
            required: false,
            config: Default::default(),
            logic: vec![],
        },
    };
    let (survey, ids) = loupe_bench::survey(&db, org.id, site.id, vec![question]).await?;
    sentiment::set_enabled(
        &db,
        &api::changes::Changes::default(),
        &org,
        survey.id,
        true,
    )
    .await
    .map_err(fail)?;
    let question = ids[0];

    let answers = ::sentiment::tools::survey_answers(n);
    for chunk in answers.chunks(500) {
        let rows: Vec<NewResponse> = chunk
            .iter()
            .map(|text| NewResponse {
                organization_id: org.id,
                survey_id: survey.id,
                site_id: site.id,
                visitor_id: None,
                complete: true,
                context: ClientContext::default(),
                page_url: None,
                answers: vec![CheckedAnswer {
                    question_id: question,
                    value: AnswerValue::Text(text.clone()),
                    comment: None,
                }],
                score_sentiment: true,
                hidden_fields: None,
                recording_session_id: None,
            })
            .collect();
        let refs: Vec<&NewResponse> = rows.iter().collect();
        write_batch(&db, &refs).await.map_err(fail)?;
    }
    let queued = sentiment::pending(&db).await.map_err(fail)?;
    println!("{queued} answers queued; {per_round} jobs per round");

    let scorer = Scorer::start(None).await?;
    // Warm-up outside the clock: the first forward passes allocate and pick kernels.
    let warm: Vec<String> = answers.iter().take(64).cloned().collect();
    scorer.score(warm).await?;
    let model_only = Instant::now();
    for chunk in answers.chunks(per_round as usize) {
        scorer.score(chunk.to_vec()).await?;
    }
    let model_only = model_only.elapsed();

    let started = Instant::now();
    let mut scored = 0;
    loop {
        match round(&db, &scorer, per_round).await.map_err(fail)? {
            Round::Scored(k) => scored += k,
            Round::Idle => break,
            other => return Err(format!("round failed: {other:?}").into()),
        }
    }
    let drained = started.elapsed();
    println!(
        "model alone: {:.0} answers/s ({:.2} s); through the queue: {:.0} answers/s ({:.2} s, {scored} scored); queue overhead {:.1} %",
        n as f64 / model_only.as_secs_f64(),
        model_only.as_secs_f64(),
        scored as f64 / drained.as_secs_f64(),
        drained.as_secs_f64(),
        (drained.as_secs_f64() / model_only.as_secs_f64() - 1.0) * 100.0
    );
    Ok(())
}
