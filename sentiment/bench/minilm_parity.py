"""The default model in Python: transformers' BertModel + mean pooling over the attention mask +
L2 normalisation + the committed head — the same computation as `sentiment::Model` on the default
model (there is no stock `pipeline` for a pooled custom head).

Parity: prints `LABEL<TAB>score<TAB>text` for lines on stdin, the format of
`cargo run --release -p sentiment --bin sentiment-score`, to check that the Rust side maps the
weights, tokenises and pools the same way:

    python sentiment/bench/minilm_parity.py < answers.txt > python.tsv
    cargo run --release -p sentiment --bin sentiment-score < answers.txt > rust.tsv

Throughput: with `--answers FILE` (a JSON list written by the throughput bench's
`--write-answers`) it times the whole list like `cargo bench -p sentiment --bench throughput`:

    python sentiment/bench/minilm_parity.py --answers /tmp/answers.json --batch 32 --threads 2

Needs the venv described in python_pipeline.py and `scripts/setup` (for .cache/sentiment-model).
"""

import argparse
import json
import pathlib
import sys
import time

import torch
from safetensors.torch import load_file
from transformers import BertModel, BertTokenizerFast

MODEL = pathlib.Path(__file__).resolve().parents[2] / ".cache" / "sentiment-model"


class DefaultModel:
    def __init__(self) -> None:
        self.config = json.loads((MODEL / "head.json").read_text())
        head = load_file(str(MODEL / "head.safetensors"))
        self.weight, self.bias = head["weight"], head["bias"]
        self.tokenizer = BertTokenizerFast(str(MODEL / "vocab.txt"), do_lower_case=True)
        self.encoder = BertModel.from_pretrained(str(MODEL), add_pooling_layer=False).eval()

    def probabilities(self, texts: list[str]) -> torch.Tensor:
        inputs = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.config["max_tokens"], return_tensors="pt"
        )
        states = self.encoder(**inputs).last_hidden_state
        mask = inputs["attention_mask"].unsqueeze(-1).float()
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if self.config.get("normalize"):
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
        return (pooled @ self.weight.T + self.bias).softmax(-1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", help="time this JSON list of answers instead of scoring stdin")
    parser.add_argument("--batch", type=int, nargs="+", default=[32])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = DefaultModel()

    with torch.inference_mode():
        if not args.answers:
            lines = [line.rstrip("\n") for line in sys.stdin]
            labels = model.config["labels"]
            for start in range(0, len(lines), 32):
                batch = lines[start : start + 32]
                for text, row in zip(batch, model.probabilities(batch)):
                    best = int(row.argmax())
                    print(f"{labels[best]}\t{row[best]:.4f}\t{text}")
            return

        with open(args.answers) as f:
            answers = json.load(f)
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {len(answers)} answers")
        for batch in args.batch:
            for start in range(0, batch * 4, batch):  # warm-up
                model.probabilities(answers[start : start + batch])
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                scored = 0
                for start in range(0, len(answers), batch):
                    scored += len(model.probabilities(answers[start : start + batch]))
                best = min(best, time.perf_counter() - started)
            assert scored == len(answers)
            print(f"batch {batch:>3}: {len(answers) / best:>7.0f} answers/s (best of {args.repeat}: {best:.3f} s)")


if __name__ == "__main__":
    main()
