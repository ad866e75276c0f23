"""Hugging Face transformers' text-classification pipeline on the inputs and weights the Rust
benchmark uses, for comparison with `cargo bench -p sentiment --bench throughput`.

Set-up (once; torch 2.4.0 from the wheel scripts/setup verifies, transformers from PyPI):

    python3 -m venv /tmp/loupe-hf && . /tmp/loupe-hf/bin/activate
    pip install torch==2.4.0 transformers==4.44.2 safetensors
    cargo bench -p sentiment --bench throughput -- \
        --write-answers /tmp/answers.json --write-distilbert-base /tmp/distilbert-base

Run (2 threads, like the Rust side on this machine):

    python sentiment/bench/python_pipeline.py --model /tmp/distilbert-base \
        --answers /tmp/answers.json --batch 32 --threads 2

The model folder's model.safetensors is written by tch without the `format` metadata
`from_pretrained` insists on, so the weights are loaded into a model built from config.json.
"""

import argparse
import json
import time

import torch
from safetensors.torch import load_file
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, pipeline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="a folder written by --write-distilbert-base")
    parser.add_argument("--answers", required=True, help="a JSON list written by --write-answers")
    parser.add_argument("--batch", type=int, nargs="+", default=[32])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    config = AutoConfig.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_config(config)
    missing, unexpected = model.load_state_dict(load_file(f"{args.model}/model.safetensors"), strict=False)
    # Buffers such as position_ids are not in the file; every learned weight must be.
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"weights do not match: missing {missing}, unexpected {unexpected}")
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    with open(args.answers) as f:
        answers = json.load(f)

    words = sum(len(a.split()) for a in answers) / len(answers)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {len(answers)} answers, {words:.1f} words on average")
    for batch in args.batch:
        classify = pipeline("text-classification", model=model, tokenizer=tokenizer, device=-1)
        with torch.inference_mode():
            classify(answers[: batch * 4], batch_size=batch, truncation=True)  # warm-up
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                out = classify(answers, batch_size=batch, truncation=True)
                best = min(best, time.perf_counter() - started)
        assert len(out) == len(answers)
        print(f"batch {batch:>3}: {len(answers) / best:>7.0f} answers/s (best of {args.repeat}: {best:.3f} s)")
    print("first answers:", [(a, o["label"], round(o["score"], 4)) for a, o in zip(answers[:3], out[:3])])


if __name__ == "__main__":
    main()
