#!/usr/bin/env bash
# Quick start: set up with the test extra, then run ruff and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check rubric tests bench scripts
.venv/bin/python -m pytest "$@"
