//! Text to token ids, with our own truncation (see the crate docs) and padding.

use std::path::Path;

use anyhow::Context;
use rust_tokenizers::tokenizer::{BertTokenizer, RobertaTokenizer, Tokenizer};
use rust_tokenizers::vocab::{BertVocab, RobertaVocab, Vocab};
use tch::Tensor;

/// Input bytes kept per token of the model's budget before tokenising. Only text that averages
/// more than this many bytes per token (runs of whitespace, very long "words") loses anything it
/// would otherwise have kept; it bounds the tokeniser's work on huge inputs.
const BYTES_PER_TOKEN: usize = 64;

pub(crate) enum TextTokenizer {
    Bert(Box<BertTokenizer>),
    Roberta(Box<RobertaTokenizer>),
}

/// One text as model input: `[CLS] tokens… [SEP]` (or `<s> … </s>`).
pub(crate) type TokenIds = Vec<i64>;

pub(crate) struct Special {
    cls: i64,
    sep: i64,
    pub(crate) pad: i64,
}

impl TextTokenizer {
    /// A WordPiece tokeniser from `vocab.txt`. `lower_case` also strips accents unless
    /// `strip_accents` says otherwise (Hugging Face's BertTokenizer does the same).
    pub(crate) fn bert(
        vocab: &Path,
        lower_case: bool,
        strip_accents: Option<bool>,
    ) -> anyhow::Result<Self> {
        let tokenizer =
            BertTokenizer::from_file(vocab, lower_case, strip_accents.unwrap_or(lower_case))
                .with_context(|| format!("reading the WordPiece vocabulary {}", vocab.display()))?;
        Ok(TextTokenizer::Bert(Box::new(tokenizer)))
    }

    /// A byte-level BPE tokeniser from `vocab.json` and `merges.txt`.
    pub(crate) fn roberta(
        vocab: &Path,
        merges: &Path,
        lower_case: bool,
        add_prefix_space: bool,
    ) -> anyhow::Result<Self> {
        let tokenizer = RobertaTokenizer::from_file(vocab, merges, lower_case, add_prefix_space)
            .with_context(|| {
                format!(
                    "reading the BPE vocabulary {} and {}",
                    vocab.display(),
                    merges.display()
                )
            })?;
        Ok(TextTokenizer::Roberta(Box::new(tokenizer)))
    }

    pub(crate) fn special(&self) -> Special {
        match self {
            TextTokenizer::Bert(t) => {
                let v: &BertVocab = t.vocab();
                Special {
                    cls: v.token_to_id(v.get_cls_value()),
                    sep: v.token_to_id(v.get_sep_value()),
                    pad: v.token_to_id(v.get_pad_value()),
                }
            }
            TextTokenizer::Roberta(t) => {
                let v: &RobertaVocab = t.vocab();
                Special {
                    cls: v.token_to_id(v.get_cls_value()),
                    sep: v.token_to_id(v.get_sep_value()),
                    pad: v.token_to_id(v.get_pad_value()),
                }
            }
        }
    }

    /// Token ids of `text` with the special tokens, at most `max_tokens` long: tokens past the
    /// budget are dropped from the end, `[SEP]` is kept.
    pub(crate) fn encode(&self, text: &str, max_tokens: usize, special: &Special) -> TokenIds {
        let text = cut_at_char_boundary(text, max_tokens.saturating_mul(BYTES_PER_TOKEN));
        let body = max_tokens.saturating_sub(2);
        let mut ids = Vec::with_capacity(body.min(text.len()) + 2);
        ids.push(special.cls);
        match self {
            TextTokenizer::Bert(t) => push_ids(&mut ids, t.vocab(), &t.tokenize(text), body),
            TextTokenizer::Roberta(t) => push_ids(&mut ids, t.vocab(), &t.tokenize(text), body),
        }
        ids.push(special.sep);
        ids
    }
}

fn push_ids<V: Vocab>(ids: &mut Vec<i64>, vocab: &V, tokens: &[String], budget: usize) {
    ids.extend(
        tokens
            .iter()
            .take(budget)
            .map(|token| vocab.token_to_id(token)),
    );
}

fn cut_at_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Most padding a batch may hold, as a share of its token cells, before a longer text starts a
/// new batch: a few more, smaller forward passes cost less than computing on padding (measured
/// on short answers: 0.1 beat 0.25 and unlimited).
const MAX_PADDING: f64 = 0.1;

/// Splits `order` (indices sorted by ascending length) into runs of at most `batch` texts whose
/// padding stays under [`MAX_PADDING`].
fn length_chunks(order: &[usize], len: impl Fn(usize) -> usize, batch: usize) -> Vec<&[usize]> {
    let mut chunks = Vec::new();
    let (mut start, mut real) = (0, 0);
    for (pos, &i) in order.iter().enumerate() {
        let n = pos - start;
        // Sorted ascending: the new text is the longest, so the chunk would pad to its length.
        let cells = (n + 1) * len(i);
        let padded = cells - (real + len(i));
        if n > 0 && (n == batch || padded as f64 > MAX_PADDING * cells as f64) {
            chunks.push(&order[start..pos]);
            (start, real) = (pos, 0);
        }
        real += len(i);
    }
    if start < order.len() {
        chunks.push(&order[start..]);
    }
    chunks
}

/// Runs `forward` over `inputs` in batches of at most `batch` texts of similar length (little
/// padding), and returns its rows in the order of `inputs`. `forward` gets the padded ids and the
/// attention mask (1 for real tokens, 0 for padding), both `[b, longest]` Int64, and returns `[b, k]`.
pub(crate) fn run_batched(
    inputs: &[TokenIds],
    pad: i64,
    batch: usize,
    mut forward: impl FnMut(&Tensor, &Tensor) -> anyhow::Result<Tensor>,
) -> anyhow::Result<Tensor> {
    anyhow::ensure!(!inputs.is_empty(), "no texts to run");
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| inputs[i].len());
    let mut outputs = Vec::with_capacity(inputs.len().div_ceil(batch));
    for chunk in length_chunks(&order, |i| inputs[i].len(), batch.max(1)) {
        let longest = chunk.iter().map(|&i| inputs[i].len()).max().unwrap_or(0);
        let mut ids = vec![pad; chunk.len() * longest];
        let mut mask = vec![0i64; chunk.len() * longest];
        for (row, &i) in chunk.iter().enumerate() {
            let start = row * longest;
            ids[start..start + inputs[i].len()].copy_from_slice(&inputs[i]);
            mask[start..start + inputs[i].len()].fill(1);
        }
        let shape = [chunk.len() as i64, longest as i64];
        let ids = Tensor::from_slice(&ids).view(shape);
        let mask = Tensor::from_slice(&mask).view(shape);
        outputs.push(tch::no_grad(|| forward(&ids, &mask))?);
    }
    // Row r of `sorted` is input order[r]; put each input's row back at its own index.
    let sorted = Tensor::cat(&outputs, 0);
    let mut inverse = vec![0i64; order.len()];
    for (row, &i) in order.iter().enumerate() {
        inverse[i] = row as i64;
    }
    Ok(sorted.index_select(0, &Tensor::from_slice(&inverse)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_only_at_char_boundaries() {
        assert_eq!(cut_at_char_boundary("héllo", 2), "h");
        assert_eq!(cut_at_char_boundary("héllo", 3), "hé");
        assert_eq!(cut_at_char_boundary("hi", 10), "hi");
    }

    #[test]
    fn chunks_bound_padding_and_size() {
        let lens = [2, 2, 3, 10, 10, 10, 10, 11];
        let order: Vec<usize> = (0..lens.len()).collect();
        let chunks = length_chunks(&order, |i| lens[i], 3);
        // {2, 2} would pad to 3 by a third: a new chunk; {10 ×4} splits at the size limit, and 11
        // joins 10s within 10% padding.
        assert_eq!(chunks, vec![&[0, 1][..], &[2], &[3, 4, 5], &[6, 7]]);
    }

    #[test]
    fn batches_come_back_in_input_order() -> anyhow::Result<()> {
        let inputs: Vec<TokenIds> = [11, 10, 10, 11, 3].map(|n| vec![7; n]).into();
        // Each row's output is its number of real tokens and the padded length it was run at.
        let out = run_batched(&inputs, 0, 4, |ids, mask| {
            let len = mask.sum_dim_intlist(1, false, tch::Kind::Int64);
            let width = Tensor::full(
                [ids.size()[0]],
                ids.size()[1],
                (tch::Kind::Int64, tch::Device::Cpu),
            );
            Ok(Tensor::stack(&[len, width], 1))
        })?;
        let rows: Vec<Vec<i64>> = (0..5)
            .map(|r| Vec::<i64>::try_from(out.get(r)))
            .collect::<Result<_, _>>()?;
        // Sorted by length: {3} alone (padding it to 10 would waste too much), then the four
        // others padded to 11.
        assert_eq!(
            rows,
            vec![
                vec![11, 11],
                vec![10, 11],
                vec![10, 11],
                vec![11, 11],
                vec![3, 3]
            ]
        );
        Ok(())
    }
}
