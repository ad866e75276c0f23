#!/usr/bin/env bash
# Answers/s for short survey answers: Rust (sentiment::Model, the bench `throughput`) next to
# Python transformers on the same weights and inputs, alternating, in one run.
#
#   sentiment/bench/compare.sh [rounds]      # needs scripts/setup and the venv in python_pipeline.py
#
# Default model: Rust (f32, and bf16 for reference) vs minilm_parity.py (BertModel + mean pooling +
# head).
# DistilBERT-base shape, random weights: Rust vs python_pipeline.py (the text-classification pipeline).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
py=${LOUPE_BENCH_PYTHON:-/tmp/loupe-hf/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
threads=${LOUPE_SENTIMENT_THREADS:-2}
export LOUPE_SENTIMENT_THREADS=$threads

cargo bench -q -p sentiment --bench throughput --no-run
bench() { cargo bench -q -p sentiment --bench throughput -- "$@" 2>/dev/null; }
bench --write-answers "$work/answers.json" --write-distilbert-base "$work/distilbert-base" >/dev/null

for round in $(seq "$rounds"); do
  echo "== round $round"
  echo "-- default model, rust";    bench --repeat 3 | grep 'answers/s'
  echo "-- default model, rust bf16"; LOUPE_SENTIMENT_PRECISION=bf16 bench --repeat 3 | grep 'answers/s'
  echo "-- default model, python";  "$py" sentiment/bench/minilm_parity.py --answers "$work/answers.json" --threads "$threads" 2>/dev/null | grep 'answers/s'
  echo "-- distilbert-base, rust";  bench --repeat 3 --model "$work/distilbert-base" | grep 'answers/s'
  echo "-- distilbert-base, python"; "$py" sentiment/bench/python_pipeline.py --model "$work/distilbert-base" --answers "$work/answers.json" --threads "$threads" 2>/dev/null | grep 'answers/s'
done
