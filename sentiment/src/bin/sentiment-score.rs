//! Scores each line of standard input with the default model (or `--model DIR`) and prints
//! `LABEL<TAB>score<TAB>text`.
//!
//! ```text
//! printf 'Love it\nToo slow\n' | cargo run --release -p sentiment --bin sentiment-score
//! ```

use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;
use sentiment::{Model, MAX_BATCH};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = match (args.next().as_deref(), args.next()) {
        (Some("--model"), Some(dir)) => PathBuf::from(dir),
        (None, _) => Model::default_dir(),
        _ => anyhow::bail!("usage: sentiment-score [--model DIR] < lines"),
    };
    let model = Model::load(&dir)?;
    let lines = io::stdin()
        .lock()
        .lines()
        .collect::<Result<Vec<_>, _>>()
        .context("reading stdin")?;
    let mut out = io::stdout().lock();
    for chunk in lines.chunks(MAX_BATCH) {
        let texts: Vec<&str> = chunk.iter().map(String::as_str).collect();
        for (text, score) in texts.iter().zip(model.score_batch(&texts)?) {
            writeln!(out, "{}\t{:.4}\t{text}", score.label.as_str(), score.score)?;
        }
    }
    Ok(())
}
