//! Answers per second for ~2000 short survey answers (3–15 words, generated deterministically).
//!
//! ```text
//! cargo bench -p sentiment --bench throughput -- [--call 2000[,32…]] [--answers 2000]
//!     [--repeat 3] [--model DIR | --distilbert-base]
//!     [--write-answers FILE] [--write-distilbert-base DIR]
//! ```
//! `--call` is the number of answers per `score_batch` call (a worker's claim: within a call
//! answers are sorted by length and run `LOUPE_SENTIMENT_BATCH` (default `MAX_BATCH`) at a time).
//! `LOUPE_SENTIMENT_THREADS` and `LOUPE_SENTIMENT_PRECISION=bf16` apply as in the library. The
//! default model is `Model::default_dir()`; `--distilbert-base` scores with a random-weight model of
//! distilbert-base-uncased's shape (written to a temporary folder with the default model's
//! vocabulary). `--write-answers` and `--write-distilbert-base` write the inputs and that model for
//! `sentiment/bench/python_pipeline.py`, then exit.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use sentiment::tools::{survey_answers, write_random_distilbert, RandomDistilBert};
use sentiment::Model;

struct Args {
    calls: Vec<usize>,
    answers: usize,
    repeat: usize,
    model: Option<PathBuf>,
    distilbert_base: bool,
    write_answers: Option<PathBuf>,
    write_distilbert: Option<PathBuf>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        calls: vec![2000],
        answers: 2000,
        repeat: 3,
        model: None,
        distilbert_base: false,
        write_answers: None,
        write_distilbert: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--call" => {
                args.calls = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
            }
            "--answers" => args.answers = value()?.parse()?,
            "--repeat" => args.repeat = value()?.parse()?,
            "--model" => args.model = Some(value()?.into()),
            "--distilbert-base" => args.distilbert_base = true,
            "--write-answers" => args.write_answers = Some(value()?.into()),
            "--write-distilbert-base" => args.write_distilbert = Some(value()?.into()),
            // cargo bench passes --bench to every bench target.
            "--bench" => {}
            other => {
                bail!("unknown argument {other} (see the comment at the top of throughput.rs)")
            }
        }
    }
    Ok(args)
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let answers = survey_answers(args.answers);
    if let Some(path) = &args.write_answers {
        std::fs::write(path, serde_json::to_string_pretty(&answers)?)?;
        eprintln!("wrote {} answers to {}", answers.len(), path.display());
    }
    if let Some(dir) = &args.write_distilbert {
        write_distilbert_base(dir)?;
        eprintln!(
            "wrote a random distilbert-base sentiment model to {}",
            dir.display()
        );
    }
    if args.write_answers.is_some() || args.write_distilbert.is_some() {
        return Ok(());
    }

    let temp;
    let dir = if args.distilbert_base {
        temp = tempfile::tempdir()?;
        write_distilbert_base(temp.path())?;
        temp.path().to_path_buf()
    } else {
        args.model.clone().unwrap_or_else(Model::default_dir)
    };
    let started = Instant::now();
    let model = Model::load(&dir)?;
    let words: usize = answers.iter().map(|a| a.split_whitespace().count()).sum();
    println!(
        "model {} loaded in {:.2?}; {} answers, {:.1} words on average; {} threads",
        dir.display(),
        started.elapsed(),
        answers.len(),
        words as f64 / answers.len() as f64,
        tch::get_num_threads()
    );
    let texts: Vec<&str> = answers.iter().map(String::as_str).collect();
    for &batch in &args.calls {
        // Warm-up: first calls allocate and pick kernels.
        for chunk in texts.chunks(batch).take(4) {
            model.score_batch(chunk)?;
        }
        let mut best = f64::INFINITY;
        for _ in 0..args.repeat {
            let started = Instant::now();
            let mut scored = 0;
            for chunk in texts.chunks(batch) {
                scored += model.score_batch(chunk)?.len();
            }
            assert_eq!(scored, texts.len());
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!(
            "{batch:>5} per call: {:>6.0} answers/s (best of {}: {:.3} s for {})",
            texts.len() as f64 / best,
            args.repeat,
            best,
            texts.len()
        );
    }
    Ok(())
}

fn write_distilbert_base(dir: &Path) -> anyhow::Result<()> {
    let vocab = Model::default_dir().join("vocab.txt");
    let vocab = vocab.is_file().then_some(vocab);
    write_random_distilbert(
        dir,
        &RandomDistilBert::base(&["NEGATIVE", "POSITIVE"], vocab),
    )
}
