//! For this crate's own programs and tests (train-head, the benchmark, random test models); not a
//! stable API.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rust_bert::distilbert::{DistilBertConfig, DistilBertModelClassifier};
use tch::{nn, Device, Tensor};

pub use crate::net::Pooling;
use crate::net::{self, PooledEncoder};
use crate::tokenize::{self, TextTokenizer};

/// A BERT encoder folder (all-MiniLM-L6-v2) turned into one vector per text, the features the
/// default model's head is trained on.
pub struct SentenceEncoder {
    encoder: PooledEncoder,
    tokenizer: TextTokenizer,
    max_tokens: usize,
    _vs: nn::VarStore,
}

impl SentenceEncoder {
    pub fn load(
        dir: &Path,
        pooling: Pooling,
        normalize: bool,
        max_tokens: usize,
    ) -> anyhow::Result<SentenceEncoder> {
        let threads = std::env::var("LOUPE_SENTIMENT_THREADS")
            .ok()
            .and_then(|v| v.parse().ok());
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as i32));
        tch::set_num_threads(threads);
        let mut vs = nn::VarStore::new(Device::Cpu);
        let (encoder, tokenizer) = net::load_encoder(dir, &mut vs, pooling, normalize)
            .with_context(|| format!("loading the encoder in {}", dir.display()))?;
        Ok(SentenceEncoder {
            encoder,
            tokenizer,
            max_tokens,
            _vs: vs,
        })
    }

    pub fn hidden_size(&self) -> i64 {
        self.encoder.hidden_size
    }

    /// `[texts, hidden]` f32 sentence vectors, in the order of `texts`.
    pub fn embed(&self, texts: &[&str], batch: usize) -> anyhow::Result<Tensor> {
        let special = self.tokenizer.special();
        let inputs: Vec<_> = texts
            .iter()
            .map(|t| self.tokenizer.encode(t, self.max_tokens, &special))
            .collect();
        tokenize::run_batched(&inputs, special.pad, batch, |ids, mask| {
            self.encoder.embed(ids, mask)
        })
    }
}

/// The shape of a random DistilBERT sequence classifier written by [`write_random_distilbert`].
pub struct RandomDistilBert {
    pub dim: i64,
    pub layers: i64,
    pub heads: i64,
    pub hidden_dim: i64,
    /// `id2label` in order, e.g. `["NEGATIVE", "POSITIVE"]`.
    pub labels: Vec<String>,
    /// A WordPiece `vocab.txt` to copy (e.g. the default model's, which is bert-base-uncased's);
    /// `None` writes a tiny vocabulary of letters and a few words.
    pub vocab: Option<PathBuf>,
    /// Makes the classifier answer exactly these logits (one per label) for every text: its
    /// weight is zeroed and its bias set to them.
    pub classifier_bias: Option<Vec<f32>>,
    pub seed: i64,
}

impl RandomDistilBert {
    /// distilbert-base-uncased's shape (66M parameters).
    pub fn base(labels: &[&str], vocab: Option<PathBuf>) -> RandomDistilBert {
        RandomDistilBert {
            dim: 768,
            layers: 6,
            heads: 12,
            hidden_dim: 3072,
            labels: labels.iter().map(|l| l.to_string()).collect(),
            vocab,
            classifier_bias: None,
            seed: 7,
        }
    }

    /// A few-kilobyte model for tests.
    pub fn tiny(labels: &[&str]) -> RandomDistilBert {
        RandomDistilBert {
            dim: 32,
            layers: 2,
            heads: 4,
            hidden_dim: 64,
            ..RandomDistilBert::base(labels, None)
        }
    }
}

/// Writes a Hugging Face style DistilBERT sequence-classification folder with random weights:
/// `config.json`, `vocab.txt`, `tokenizer_config.json` and `model.safetensors` (Hugging Face's
/// tensor names).
pub fn write_random_distilbert(dir: &Path, spec: &RandomDistilBert) -> anyhow::Result<()> {
    fs::create_dir_all(dir)?;
    let vocab = dir.join("vocab.txt");
    match &spec.vocab {
        Some(source) => {
            fs::copy(source, &vocab).with_context(|| format!("copying {}", source.display()))?;
        }
        None => fs::write(&vocab, tiny_vocab())?,
    }
    let vocab_size = fs::read_to_string(&vocab)?.lines().count();
    let id2label: serde_json::Map<String, serde_json::Value> = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (i.to_string(), l.as_str().into()))
        .collect();
    let label2id: serde_json::Map<String, serde_json::Value> = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), i.into()))
        .collect();
    let config = serde_json::json!({
        "architectures": ["DistilBertForSequenceClassification"],
        "model_type": "distilbert",
        "activation": "gelu",
        "attention_dropout": 0.1,
        "dim": spec.dim,
        "dropout": 0.1,
        "hidden_dim": spec.hidden_dim,
        "initializer_range": 0.02,
        "max_position_embeddings": 512,
        "n_heads": spec.heads,
        "n_layers": spec.layers,
        "pad_token_id": 0,
        "qa_dropout": 0.1,
        "seq_classif_dropout": 0.2,
        "sinusoidal_pos_embds": false,
        "tie_weights_": true,
        "vocab_size": vocab_size,
        "id2label": id2label,
        "label2id": label2id,
    });
    fs::write(
        dir.join("config.json"),
        serde_json::to_string_pretty(&config)?,
    )?;
    fs::write(
        dir.join("tokenizer_config.json"),
        r#"{"do_lower_case": true, "model_max_length": 512, "tokenizer_class": "DistilBertTokenizer"}"#,
    )?;
    let config: DistilBertConfig = serde_json::from_value(config)?;
    tch::manual_seed(spec.seed);
    let vs = nn::VarStore::new(Device::Cpu);
    let _model = DistilBertModelClassifier::new(vs.root(), &config)?;
    if let Some(bias) = &spec.classifier_bias {
        let mut variables = vs.variables();
        tch::no_grad(|| -> anyhow::Result<()> {
            let weight = variables
                .get_mut("classifier.weight")
                .context("no classifier weight")?;
            let _ = weight.zero_();
            let target = variables
                .get_mut("classifier.bias")
                .context("no classifier bias")?;
            target.copy_(&Tensor::from_slice(bias));
            Ok(())
        })?;
    }
    vs.save(dir.join("model.safetensors"))?;
    Ok(())
}

fn tiny_vocab() -> String {
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .map(String::from)
        .into();
    vocab.extend(('a'..='z').map(String::from));
    vocab.extend(('a'..='z').map(|c| format!("##{c}")));
    vocab.extend([".", ",", "!", "?", "'"].map(String::from));
    vocab.extend(
        [
            "the", "it", "is", "this", "good", "bad", "great", "love", "hate", "slow", "fast",
        ]
        .map(String::from),
    );
    vocab.join("\n") + "\n"
}

/// `n` short free-text survey answers (3–15 words), like those an NPS or feedback question
/// collects; the same sequence on every call (for benchmarks).
pub fn survey_answers(n: usize) -> Vec<String> {
    const OPENERS: &[&str] = &[
        "",
        "",
        "",
        "honestly",
        "overall",
        "to be fair",
        "so far",
        "I think",
        "really",
        "well",
    ];
    const SUBJECTS: &[&str] = &[
        "the app",
        "checkout",
        "the new dashboard",
        "support",
        "your team",
        "the search",
        "delivery",
        "the price",
        "onboarding",
        "the mobile site",
        "billing",
        "the export feature",
        "it",
        "the update",
        "customer service",
        "the login page",
    ];
    const VERBS: &[&str] = &["is", "was", "feels", "has been", "seems", "keeps being"];
    const ADJECTIVES: &[&str] = &[
        "great",
        "fine",
        "slow",
        "confusing",
        "really helpful",
        "too expensive",
        "easy to use",
        "broken again",
        "ok I guess",
        "much better than before",
        "a bit buggy",
        "amazing",
        "frustrating",
        "fast",
        "pretty average",
        "useless",
        "clear and simple",
        "hard to find",
    ];
    const TAILS: &[&str] = &[
        "",
        "",
        "",
        "thanks",
        "please fix it",
        "keep it up",
        "would recommend",
        "not sure why",
        "since the last release",
        "for what I need",
        "most of the time",
        "on my phone",
        "compared to other tools",
        "and I waited two days for an answer",
        "love it",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut pick = |items: &'static [&'static str]| {
        // xorshift64*: a fixed sequence, so every run scores the same answers.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        items[(state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % items.len()]
    };
    (0..n)
        .map(|_| {
            let parts = [
                pick(OPENERS),
                pick(SUBJECTS),
                pick(VERBS),
                pick(ADJECTIVES),
                pick(TAILS),
            ];
            let text = parts
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => text,
            }
        })
        .collect()
}
