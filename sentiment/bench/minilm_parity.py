"""Scores lines with the default model in Python (transformers' BertModel + mean pooling + L2
normalisation + the committed head) and prints `LABEL<TAB>score<TAB>text`, the same format as
`cargo run --release -p sentiment --bin sentiment-score`, to check that the Rust side maps the
weights, tokenises and pools the same way.

    python sentiment/bench/minilm_parity.py < answers.txt > python.tsv
    cargo run --release -p sentiment --bin sentiment-score < answers.txt > rust.tsv

Needs the venv described in python_pipeline.py and `scripts/setup` (for .cache/sentiment-model).
"""

import json
import pathlib
import sys

import torch
from safetensors.torch import load_file
from transformers import BertModel, BertTokenizer

MODEL = pathlib.Path(__file__).resolve().parents[2] / ".cache" / "sentiment-model"


def main() -> None:
    torch.set_num_threads(2)
    head_config = json.loads((MODEL / "head.json").read_text())
    head = load_file(str(MODEL / "head.safetensors"))
    tokenizer = BertTokenizer(str(MODEL / "vocab.txt"), do_lower_case=True)
    encoder = BertModel.from_pretrained(str(MODEL), add_pooling_layer=False).eval()
    lines = [line.rstrip("\n") for line in sys.stdin]
    with torch.inference_mode():
        for start in range(0, len(lines), 32):
            batch = lines[start : start + 32]
            inputs = tokenizer(batch, padding=True, truncation=True, max_length=head_config["max_tokens"], return_tensors="pt")
            states = encoder(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).float()
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            if head_config.get("normalize"):
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
            probs = (pooled @ head["weight"].T + head["bias"]).softmax(-1)
            for text, row in zip(batch, probs):
                best = int(row.argmax())
                print(f"{head_config['labels'][best]}\t{row[best]:.4f}\t{text}")


if __name__ == "__main__":
    main()
