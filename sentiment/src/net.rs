//! The networks behind a [`crate::Model`]: what each kind of model folder holds and how it is
//! turned into logits.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, ensure, Context};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertForSequenceClassification, BertModel};
use rust_bert::distilbert::{DistilBertConfig, DistilBertModelClassifier};
use rust_bert::roberta::RobertaForSequenceClassification;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tch::{nn, Device, Kind, Tensor};

use crate::tokenize::TextTokenizer;
use crate::Label;

/// The default model's tokens budget. all-MiniLM-L6-v2 was trained on 128-token inputs
/// (sentence-transformers runs it at up to 256); survey answers are far shorter, and the cap keeps
/// a pathological answer's cost bounded.
pub(crate) const DEFAULT_MAX_TOKENS: usize = 128;
/// No model sees more than this many tokens, whatever its position table allows.
const MAX_TOKENS_CAP: usize = 512;

/// How token states become one sentence vector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pooling {
    /// Average of the states of real (unmasked) tokens, as sentence-transformers does.
    #[default]
    Mean,
    /// The state of the first token (`[CLS]`).
    Cls,
}

/// A BERT encoder without pooler, pooled into one vector per text (all-MiniLM-L6-v2).
pub(crate) struct PooledEncoder {
    bert: BertModel<BertEmbeddings>,
    pooling: Pooling,
    normalize: bool,
    pub(crate) hidden_size: i64,
}

impl PooledEncoder {
    /// `[b, hidden]` sentence vectors for padded `ids` and their attention `mask`.
    pub(crate) fn embed(&self, ids: &Tensor, mask: &Tensor) -> anyhow::Result<Tensor> {
        let states = self
            .bert
            .forward_t(Some(ids), Some(mask), None, None, None, None, None, false)?
            .hidden_state
            .to_kind(Kind::Float);
        let pooled = match self.pooling {
            Pooling::Mean => {
                let weights = mask.unsqueeze(-1).to_kind(states.kind());
                let summed = (&states * &weights).sum_dim_intlist(1, false, None);
                summed / weights.sum_dim_intlist(1, false, None).clamp_min(1e-9)
            }
            Pooling::Cls => states.select(1, 0),
        };
        Ok(if self.normalize {
            let norm = pooled.norm_scalaropt_dim(2.0, [-1], true).clamp_min(1e-12);
            pooled / norm
        } else {
            pooled
        })
    }
}

pub(crate) enum Net {
    /// The default model: pooled MiniLM sentence vector through a linear head.
    Pooled {
        encoder: PooledEncoder,
        weight: Tensor,
        bias: Tensor,
    },
    DistilBert(DistilBertModelClassifier),
    Bert(BertForSequenceClassification),
    Roberta(RobertaForSequenceClassification),
}

impl Net {
    /// `[b, labels]` logits.
    pub(crate) fn logits(&self, ids: &Tensor, mask: &Tensor) -> anyhow::Result<Tensor> {
        Ok(match self {
            Net::Pooled {
                encoder,
                weight,
                bias,
            } => encoder.embed(ids, mask)?.linear(weight, Some(bias)),
            Net::DistilBert(m) => m.forward_t(Some(ids), Some(mask), None, false)?.logits,
            Net::Bert(m) => {
                m.forward_t(Some(ids), Some(mask), None, None, None, false)
                    .logits
            }
            Net::Roberta(m) => {
                m.forward_t(Some(ids), Some(mask), None, None, None, false)
                    .logits
            }
        })
    }
}

/// Everything a model folder yields.
pub(crate) struct Loaded {
    pub(crate) vs: nn::VarStore,
    pub(crate) net: Net,
    pub(crate) tokenizer: TextTokenizer,
    /// The sentiment of each logit.
    pub(crate) labels: Vec<Label>,
    pub(crate) max_tokens: usize,
}

/// `head.json` beside the default model's `head.safetensors`.
#[derive(Debug, Deserialize)]
pub(crate) struct HeadConfig {
    /// The label of each output row of `weight`, e.g. `["NEGATIVE", "NEUTRAL", "POSITIVE"]`.
    pub(crate) labels: Vec<String>,
    #[serde(default)]
    pub(crate) pooling: Pooling,
    /// L2-normalise the pooled vector before the head (sentence-transformers' Normalize module).
    #[serde(default)]
    pub(crate) normalize: bool,
    pub(crate) max_tokens: Option<usize>,
}

/// The parts of `config.json` read before picking an architecture.
#[derive(Debug, Deserialize)]
struct ConfigHead {
    model_type: Option<String>,
    max_position_embeddings: Option<usize>,
    #[serde(default)]
    id2label: HashMap<String, String>,
}

/// The parts of `tokenizer_config.json` that change tokenisation.
#[derive(Debug, Default, Deserialize)]
struct TokenizerConfig {
    do_lower_case: Option<bool>,
    strip_accents: Option<bool>,
    add_prefix_space: Option<bool>,
}

pub(crate) fn require(dir: &Path, files: &[&str]) -> anyhow::Result<()> {
    let missing: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    ensure!(
        missing.is_empty(),
        "sentiment model folder {} lacks {} (run scripts/setup for the default model, or point \
         LOUPE_SENTIMENT_MODEL at a complete folder)",
        dir.display(),
        missing.join(", ")
    );
    Ok(())
}

fn read_json<T: DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

fn tokenizer_config(dir: &Path) -> anyhow::Result<TokenizerConfig> {
    let path = dir.join("tokenizer_config.json");
    if path.is_file() {
        read_json(&path)
    } else {
        Ok(TokenizerConfig::default())
    }
}

/// The tensor names in a safetensors file, from its header alone.
pub(crate) fn tensor_names(path: &Path) -> anyhow::Result<HashSet<String>> {
    let mut file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut len = [0u8; 8];
    file.read_exact(&mut len)
        .with_context(|| format!("{} is not a safetensors file", path.display()))?;
    let len = u64::from_le_bytes(len);
    ensure!(
        len < 100 << 20,
        "{} is not a safetensors file (header of {len} bytes)",
        path.display()
    );
    let mut header = vec![0u8; len as usize];
    file.read_exact(&mut header)
        .with_context(|| format!("{} is truncated", path.display()))?;
    let header: HashMap<String, serde_json::Value> = serde_json::from_slice(&header)
        .with_context(|| format!("{} has no safetensors header", path.display()))?;
    Ok(header.into_keys().filter(|k| k != "__metadata__").collect())
}

/// The number format the network computes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Precision {
    F32,
    /// bfloat16 weights and activations (the head, pooling and softmax stay f32): several times
    /// faster matrix products on CPUs with AVX512-BF16 or AMX, at about ±0.02 on probabilities.
    Bf16,
}

/// Loads `path` into `vs`, all weights as f32 (some checkpoints store f16).
fn load_weights(vs: &mut nn::VarStore, path: &Path, what: &str) -> anyhow::Result<()> {
    vs.load(path)
        .with_context(|| format!("loading {what} weights from {}", path.display()))?;
    vs.float();
    Ok(())
}

/// Builds a pooled BERT encoder from a folder with config.json, vocab.txt and model.safetensors
/// (a plain `BertModel` checkpoint; weight names with or without a `bert.` prefix).
pub(crate) fn load_encoder(
    dir: &Path,
    vs: &mut nn::VarStore,
    pooling: Pooling,
    normalize: bool,
) -> anyhow::Result<(PooledEncoder, TextTokenizer)> {
    require(dir, &["config.json", "vocab.txt", "model.safetensors"])?;
    let config: BertConfig = read_json(&dir.join("config.json"))?;
    let weights = dir.join("model.safetensors");
    let names = tensor_names(&weights)?;
    let root = vs.root();
    let path = if names.contains("bert.embeddings.word_embeddings.weight") {
        &root / "bert"
    } else {
        root
    };
    let bert = BertModel::<BertEmbeddings>::new_with_optional_pooler(path, &config, false);
    load_weights(vs, &weights, "encoder")?;
    let tok = tokenizer_config(dir)?;
    let tokenizer = TextTokenizer::bert(
        &dir.join("vocab.txt"),
        tok.do_lower_case.unwrap_or(true),
        tok.strip_accents,
    )?;
    let encoder = PooledEncoder {
        bert,
        pooling,
        normalize,
        hidden_size: config.hidden_size,
    };
    Ok((encoder, tokenizer))
}

/// The default kind: a MiniLM encoder folder plus `head.safetensors` and `head.json`.
pub(crate) fn load_pooled(dir: &Path, precision: Precision) -> anyhow::Result<Loaded> {
    require(
        dir,
        &[
            "config.json",
            "vocab.txt",
            "model.safetensors",
            "head.safetensors",
            "head.json",
        ],
    )?;
    let head: HeadConfig = read_json(&dir.join("head.json"))?;
    let labels = head
        .labels
        .iter()
        .map(|l| l.parse())
        .collect::<anyhow::Result<Vec<Label>>>()
        .with_context(|| format!("labels of {}", dir.join("head.json").display()))?;
    check_label_set(&labels)?;
    let mut vs = nn::VarStore::new(Device::Cpu);
    let (encoder, tokenizer) = load_encoder(dir, &mut vs, head.pooling, head.normalize)?;
    if precision == Precision::Bf16 {
        vs.bfloat16();
    }
    let head_path = dir.join("head.safetensors");
    let tensors: HashMap<String, Tensor> = Tensor::read_safetensors(&head_path)
        .with_context(|| format!("reading {}", head_path.display()))?
        .into_iter()
        .collect();
    let (Some(weight), Some(bias)) = (tensors.get("weight"), tensors.get("bias")) else {
        bail!(
            "{} needs the tensors `weight` and `bias`",
            head_path.display()
        );
    };
    let n = labels.len() as i64;
    ensure!(
        weight.size() == [n, encoder.hidden_size] && bias.size() == [n],
        "{}: weight {:?} and bias {:?} do not fit {n} labels over {} features",
        head_path.display(),
        weight.size(),
        bias.size(),
        encoder.hidden_size
    );
    let weight = weight.to_kind(Kind::Float);
    let bias = bias.to_kind(Kind::Float);
    let max_tokens = head
        .max_tokens
        .unwrap_or(DEFAULT_MAX_TOKENS)
        .clamp(2, MAX_TOKENS_CAP);
    Ok(Loaded {
        vs,
        net: Net::Pooled {
            encoder,
            weight,
            bias,
        },
        tokenizer,
        labels,
        max_tokens,
    })
}

/// A Hugging Face sequence-classification folder (DistilBERT, BERT or RoBERTa).
pub(crate) fn load_hf(dir: &Path, precision: Precision) -> anyhow::Result<Loaded> {
    require(dir, &["config.json", "model.safetensors"])?;
    let config_path = dir.join("config.json");
    let head: ConfigHead = read_json(&config_path)?;
    let model_type = head
        .model_type
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let labels = labels_from_id2label(&head.id2label)
        .with_context(|| format!("id2label of {}", config_path.display()))?;
    let tok = tokenizer_config(dir)?;
    let weights = dir.join("model.safetensors");
    let mut vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let positions = head.max_position_embeddings.unwrap_or(MAX_TOKENS_CAP);
    let (net, tokenizer, positions) = match model_type.as_str() {
        "distilbert" => {
            require(dir, &["vocab.txt"])?;
            let config: DistilBertConfig = read_json(&config_path)?;
            let net = Net::DistilBert(DistilBertModelClassifier::new(root, &config)?);
            let tokenizer =
                TextTokenizer::bert(&dir.join("vocab.txt"), tok.do_lower_case.unwrap_or(true), tok.strip_accents)?;
            (net, tokenizer, positions)
        }
        "bert" => {
            require(dir, &["vocab.txt"])?;
            let config: BertConfig = read_json(&config_path)?;
            let net = Net::Bert(BertForSequenceClassification::new(root, &config)?);
            let tokenizer =
                TextTokenizer::bert(&dir.join("vocab.txt"), tok.do_lower_case.unwrap_or(true), tok.strip_accents)?;
            (net, tokenizer, positions)
        }
        "roberta" => {
            require(dir, &["vocab.json", "merges.txt"])?;
            let config: BertConfig = read_json(&config_path)?;
            let net = Net::Roberta(RobertaForSequenceClassification::new(root, &config)?);
            let tokenizer = TextTokenizer::roberta(
                &dir.join("vocab.json"),
                &dir.join("merges.txt"),
                tok.do_lower_case.unwrap_or(false),
                tok.add_prefix_space.unwrap_or(false),
            )?;
            // RoBERTa's positions start after the padding index: 514 positions hold 512 tokens.
            (net, tokenizer, positions.saturating_sub(2))
        }
        other => bail!(
            "{}: model_type {other:?} is not supported (distilbert, bert or roberta sequence classification)",
            config_path.display()
        ),
    };
    load_weights(&mut vs, &weights, &model_type)?;
    if precision == Precision::Bf16 {
        vs.bfloat16();
    }
    let max_tokens = positions.clamp(2, MAX_TOKENS_CAP);
    Ok(Loaded {
        vs,
        net,
        tokenizer,
        labels,
        max_tokens,
    })
}

/// Maps a checkpoint's `id2label` onto sentiments, see the crate docs for the accepted names.
pub(crate) fn labels_from_id2label(
    id2label: &HashMap<String, String>,
) -> anyhow::Result<Vec<Label>> {
    let n = id2label.len();
    ensure!(
        n == 2 || n == 3,
        "a sentiment model needs 2 or 3 labels, this one has {n}"
    );
    let mut labels = Vec::with_capacity(n);
    for index in 0..n {
        let Some(name) = id2label.get(&index.to_string()) else {
            bail!("label ids must be 0..{n}, {index} is missing");
        };
        let label = label_from_name(name, index, n).with_context(|| {
            format!("label {index} ({name:?}) is not a sentiment this crate knows")
        })?;
        labels.push(label);
    }
    check_label_set(&labels)?;
    Ok(labels)
}

fn label_from_name(name: &str, index: usize, n: usize) -> Option<Label> {
    let name = name.trim().to_ascii_lowercase();
    match name.as_str() {
        "negative" | "neg" => Some(Label::Negative),
        "neutral" | "neu" => Some(Label::Neutral),
        "positive" | "pos" => Some(Label::Positive),
        // Generic names follow the common checkpoints' order: SST-2 style for two labels,
        // cardiffnlp twitter-roberta style for three.
        _ if name == format!("label_{index}") => match (n, index) {
            (2, 0) | (3, 0) => Some(Label::Negative),
            (3, 1) => Some(Label::Neutral),
            (2, 1) | (3, 2) => Some(Label::Positive),
            _ => None,
        },
        _ => None,
    }
}

fn check_label_set(labels: &[Label]) -> anyhow::Result<()> {
    let has = |l| labels.contains(&l);
    let ok = match labels.len() {
        2 => has(Label::Negative) && has(Label::Positive),
        3 => has(Label::Negative) && has(Label::Neutral) && has(Label::Positive),
        _ => false,
    };
    ensure!(
        ok,
        "labels {labels:?} must be NEGATIVE and POSITIVE, optionally with NEUTRAL, each once"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [Label]);

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn id2label_names_map_case_insensitively() -> anyhow::Result<()> {
        use Label::*;
        let cases: &[Case] = &[
            (
                &[("0", "NEGATIVE"), ("1", "POSITIVE")],
                &[Negative, Positive],
            ),
            (
                &[("0", "positive"), ("1", "Negative")],
                &[Positive, Negative],
            ),
            (
                &[("0", "neg"), ("1", "neu"), ("2", "pos")],
                &[Negative, Neutral, Positive],
            ),
            (&[("0", "LABEL_0"), ("1", "LABEL_1")], &[Negative, Positive]),
            (
                &[("0", "LABEL_0"), ("1", "LABEL_1"), ("2", "LABEL_2")],
                &[Negative, Neutral, Positive],
            ),
        ];
        for (pairs, expected) in cases {
            assert_eq!(labels_from_id2label(&map(pairs))?, *expected, "{pairs:?}");
        }
        Ok(())
    }

    #[test]
    fn unknown_or_incomplete_labels_are_refused() {
        let cases: &[&[(&str, &str)]] = &[
            &[("0", "joy"), ("1", "anger")],
            &[("0", "NEGATIVE"), ("1", "NEGATIVE")],
            &[("0", "NEGATIVE"), ("2", "POSITIVE")],
            &[("0", "NEGATIVE")],
            &[
                ("0", "1 star"),
                ("1", "2 stars"),
                ("2", "3 stars"),
                ("3", "4 stars"),
            ],
        ];
        for pairs in cases {
            assert!(labels_from_id2label(&map(pairs)).is_err(), "{pairs:?}");
        }
    }
}
