//! Local sentiment scoring of free-text answers with [rust-bert] on libtorch (CPU).
//!
//! ```no_run
//! let model = sentiment::Model::load_default()?;
//! let scores = model.score_batch(&["Love it!", "Too slow and it crashed twice."])?;
//! assert_eq!(scores.len(), 2);
//! # anyhow::Ok(())
//! ```
//!
//! # Models
//! [`Model::load`] accepts two kinds of folder:
//! - **The default model** (`head.safetensors` present): all-MiniLM-L6-v2 (`config.json`,
//!   `vocab.txt`, `model.safetensors`; a BERT encoder used without its pooler), its token states
//!   mean-pooled over the attention mask and L2-normalised as sentence-transformers does, then a
//!   linear head (`head.safetensors`: `weight` `[labels, 384]`, `bias` `[labels]`) whose label order
//!   and pooling are in `head.json`. The head is trained by `src/bin/train-head.rs` and committed in
//!   `sentiment/model/` (see its `MODEL_CARD.md`); `scripts/setup` assembles the folder in
//!   `.cache/sentiment-model/`.
//! - **A Hugging Face sequence-classification folder**: `config.json` whose `model_type` is
//!   `distilbert`, `bert` or `roberta`, `model.safetensors` (names as Hugging Face writes them:
//!   `distilbert.…`/`pre_classifier.…`, `bert.…`, `roberta.…`, `classifier.…`), and `vocab.txt`
//!   (WordPiece) or `vocab.json` + `merges.txt` (RoBERTa BPE). `tokenizer_config.json` is read for
//!   `do_lower_case` (default true for WordPiece, false for RoBERTa), `strip_accents` and
//!   `add_prefix_space`. `id2label` must name 2 or 3 sentiments; names match case-insensitively:
//!   `negative`/`neg`, `neutral`/`neu`, `positive`/`pos`, or generic `LABEL_i` read as
//!   `LABEL_0` negative, `LABEL_1` positive for two labels and `LABEL_0` negative, `LABEL_1`
//!   neutral, `LABEL_2` positive for three. A two-label model answers NEUTRAL when its winning
//!   probability is below 0.75; that [`Score::score`] is then the winning label's probability
//!   (how sure it was of the polarity it did not commit to), so it lies in `0.5..0.75`.
//!
//! [`Model::load_default`] loads `$LOUPE_SENTIMENT_MODEL` if set, else the folder fixed at compile
//! time by `LOUPE_DEFAULT_SENTIMENT_MODEL` (`.cargo/config.toml` sets it to the repository's
//! `.cache/sentiment-model`).
//!
//! # Inputs
//! Texts longer than the model's token budget ([`Model::max_tokens`]: 128 for the default model,
//! like all-MiniLM-L6-v2's training; `max_position_embeddings` capped at 512 otherwise) are cut
//! from the end: the first `max_tokens - 2` word pieces are kept between `[CLS]` and `[SEP]`.
//! Before tokenising, a text is also cut to 64 bytes per token of budget, which only matters for
//! inputs that are mostly whitespace or absurdly long words. The default model's tokenizer is
//! uncased (lower-cases and strips accents). Empty or whitespace-only answers have no sentiment:
//! check [`is_scorable`] first, the model would still return a (meaningless) score for them.
//!
//! # Batching
//! [`Model::score_batch`] sorts its texts by length and runs them in batches of at most
//! [`MAX_BATCH`] (or `$LOUPE_SENTIMENT_BATCH`) texts whose padding stays under 10% of their
//! tokens, with an attention mask, so padding never changes a text's score: batched scores equal
//! one-at-a-time scores (to float rounding). rust-bert's own `SequenceClassificationModel::predict`
//! passes no mask, which is why it is not used. The more texts one call gets, the less padding:
//! a worker with a backlog should pass a few hundred answers at once rather than 32.
//!
//! # Threads and precision
//! libtorch runs each batch on `$LOUPE_SENTIMENT_THREADS` threads, else on all available cores.
//! A [`Model`] is `Send` but meant to be owned by one worker thread.
//! `LOUPE_SENTIMENT_PRECISION=bf16` runs the network in bfloat16 (head, pooling and softmax stay
//! f32): 2–3× the throughput on CPUs with AVX512-BF16 or AMX (slower elsewhere), probabilities
//! move by up to about 0.02, and batched and one-at-a-time scores then agree to about 1e-3
//! instead of 1e-6. The default is f32.
//!
//! # Building
//! torch-sys needs `LIBTORCH` (a libtorch 2.4.0 folder) and `LIBTORCH_CXX11_ABI=0`; the workspace's
//! `.cargo/config.toml` points them at what `scripts/setup` assembles. This crate's `build.rs`
//! embeds `$LIBTORCH/lib` as an rpath in its own binaries and tests. **A crate with a binary that
//! links this one (api's `loupe`) needs the same line in its own `build.rs`**, because link
//! arguments do not propagate to dependents:
//!
//! ```text
//! fn main() {
//!     println!("cargo:rerun-if-env-changed=LIBTORCH");
//!     if let Ok(libtorch) = std::env::var("LIBTORCH") {
//!         println!("cargo:rustc-link-arg=-Wl,-rpath,{libtorch}/lib");
//!     }
//! }
//! ```
//!
//! [rust-bert]: https://docs.rs/rust-bert/0.23.0

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;
use tch::Kind;

mod net;
mod tokenize;

#[doc(hidden)]
pub mod tools;

use net::{Loaded, Net, Precision};
use tokenize::TextTokenizer;

/// Texts per forward pass: enough to keep both cores busy on short answers, small enough that
/// one long answer does not pad many short ones far.
pub const MAX_BATCH: usize = 32;

/// A two-label model whose winning probability is below this answers [`Label::Neutral`].
const TWO_LABEL_NEUTRAL_BELOW: f32 = 0.75;

/// The fallback when `LOUPE_DEFAULT_SENTIMENT_MODEL` was not set at compile time.
const FALLBACK_MODEL_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../.cache/sentiment-model");

/// The sentiment of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Label {
    Negative,
    Neutral,
    Positive,
}

impl Label {
    /// The stored label, back to its variant (`None` for anything else).
    pub fn parse(s: &str) -> Option<Label> {
        match s {
            "NEGATIVE" => Some(Label::Negative),
            "NEUTRAL" => Some(Label::Neutral),
            "POSITIVE" => Some(Label::Positive),
            _ => None,
        }
    }

    /// `"NEGATIVE"`, `"NEUTRAL"` or `"POSITIVE"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Label::Negative => "NEGATIVE",
            Label::Neutral => "NEUTRAL",
            Label::Positive => "POSITIVE",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = anyhow::Error;

    /// The names [`Label::as_str`] gives, in any case.
    fn from_str(s: &str) -> anyhow::Result<Label> {
        [Label::Negative, Label::Neutral, Label::Positive]
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .with_context(|| {
                format!("{s:?} is not a sentiment label (NEGATIVE, NEUTRAL or POSITIVE)")
            })
    }
}

/// A text's sentiment and the model's probability for it, in `0.0..=1.0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub label: Label,
    pub score: f32,
}

/// A loaded sentiment model. Not `Sync`-shared: give it to one worker thread.
pub struct Model {
    net: Net,
    tokenizer: TextTokenizer,
    labels: Vec<Label>,
    max_tokens: usize,
    threads: i32,
    batch: usize,
    // Owns the weights the network's tensors point into.
    _vs: tch::nn::VarStore,
}

impl Model {
    /// Loads a default-model folder or a Hugging Face sequence-classification folder (see the
    /// crate docs), with clear errors for missing files or unsupported checkpoints.
    pub fn load(dir: &Path) -> anyhow::Result<Model> {
        anyhow::ensure!(
            dir.is_dir(),
            "sentiment model folder {} does not exist (run scripts/setup for the default model, \
             or set LOUPE_SENTIMENT_MODEL)",
            dir.display()
        );
        let threads = configure_threads();
        let precision = match std::env::var("LOUPE_SENTIMENT_PRECISION")
            .as_deref()
            .map(str::trim)
        {
            Err(_) | Ok("") | Ok("f32") => Precision::F32,
            Ok("bf16") => Precision::Bf16,
            Ok(other) => anyhow::bail!("LOUPE_SENTIMENT_PRECISION is f32 or bf16, not {other:?}"),
        };
        let loaded = if dir.join("head.safetensors").exists() {
            net::load_pooled(dir, precision)
        } else {
            net::load_hf(dir, precision)
        };
        let Loaded {
            vs,
            net,
            tokenizer,
            labels,
            max_tokens,
        } = loaded.with_context(|| format!("loading the sentiment model in {}", dir.display()))?;
        // Texts per forward pass; a tuning knob for benchmarks, MAX_BATCH otherwise.
        let batch = std::env::var("LOUPE_SENTIMENT_BATCH")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(MAX_BATCH);
        Ok(Model {
            net,
            tokenizer,
            labels,
            max_tokens,
            threads,
            batch,
            _vs: vs,
        })
    }

    /// Loads [`Model::default_dir`].
    pub fn load_default() -> anyhow::Result<Model> {
        Model::load(&Model::default_dir())
    }

    /// `$LOUPE_SENTIMENT_MODEL` if set and not empty, else the compile-time default folder.
    pub fn default_dir() -> PathBuf {
        match std::env::var_os("LOUPE_SENTIMENT_MODEL") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => PathBuf::from(
                option_env!("LOUPE_DEFAULT_SENTIMENT_MODEL").unwrap_or(FALLBACK_MODEL_DIR),
            ),
        }
    }

    /// One [`Score`] per text, in order. Texts are batched by length with an attention mask, so
    /// each score is the one the text gets alone.
    pub fn score_batch(&self, texts: &[&str]) -> anyhow::Result<Vec<Score>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // libtorch's thread count is per calling thread (OpenMP): the worker may not be the
        // thread that loaded the model.
        if tch::get_num_threads() != self.threads {
            tch::set_num_threads(self.threads);
        }
        let special = self.tokenizer.special();
        let inputs: Vec<_> = texts
            .iter()
            .map(|t| self.tokenizer.encode(t, self.max_tokens, &special))
            .collect();
        let probs = tokenize::run_batched(&inputs, special.pad, self.batch, |ids, mask| {
            Ok(self.net.logits(ids, mask)?.softmax(-1, Kind::Float))
        })?;
        let n = self.labels.len();
        let flat = Vec::<f32>::try_from(probs.contiguous().view(-1))
            .context("reading the model's output")?;
        anyhow::ensure!(
            flat.len() == texts.len() * n,
            "the model returned {} values for {} texts",
            flat.len(),
            texts.len()
        );
        Ok(flat.chunks(n).map(|row| self.decide(row)).collect())
    }

    /// The most tokens a text is scored on, `[CLS]` and `[SEP]` included.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    fn decide(&self, probs: &[f32]) -> Score {
        let (best, &p) = probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((0, &0.0));
        let label = self.labels[best];
        if self.labels.len() == 2 && p < TWO_LABEL_NEUTRAL_BELOW {
            return Score {
                label: Label::Neutral,
                score: p,
            };
        }
        Score { label, score: p }
    }
}

/// Whether `text` has anything to score: false for empty text, or text of only whitespace and
/// invisible characters (zero-width spaces and joiners, byte-order marks, soft hyphens,
/// direction marks, variation selectors, Hangul fillers).
pub fn is_scorable(text: &str) -> bool {
    !is_blank(text)
}

/// True for text that shows nothing: see [`is_scorable`].
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// Sets libtorch's intra-op threads for the calling thread: `$LOUPE_SENTIMENT_THREADS`, else the
/// available cores. Returns the count.
fn configure_threads() -> i32 {
    let threads = std::env::var("LOUPE_SENTIMENT_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<i32>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as i32));
    tch::set_num_threads(threads);
    threads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_through_their_names() -> anyhow::Result<()> {
        for label in [Label::Negative, Label::Neutral, Label::Positive] {
            assert_eq!(label.as_str().parse::<Label>()?, label);
            assert_eq!(label.as_str().to_lowercase().parse::<Label>()?, label);
        }
        assert!("happy".parse::<Label>().is_err());
        Ok(())
    }

    #[test]
    fn scorable_means_some_non_whitespace() {
        for (text, expected) in [
            ("", false),
            ("   ", false),
            ("\n\t \u{a0}", false),
            ("\u{200B}", false),
            ("\u{FEFF} \u{200D}\u{2060}", false),
            ("\u{00AD}\u{3164}", false),
            ("ok\u{200B}", true),
            ("👍", true),
            ("ok", true),
            ("  no ", true),
        ] {
            assert_eq!(is_scorable(text), expected, "{text:?}");
        }
    }

    #[test]
    fn model_can_move_to_a_worker_thread() {
        fn send<T: Send>() {}
        send::<Model>();
    }
}
