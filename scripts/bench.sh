#!/usr/bin/env bash
# Benchmarks (not tests): set up .venv with the optional pandas baseline, then print the tables.
# bench_performance.py prints issue 16's table: every row a paired ratio, its target, met or not.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[bench]"
.venv/bin/python bench/bench_frameworks.py
.venv/bin/python bench/bench_returns.py
.venv/bin/python bench/bench_performance.py "$@"
