#!/usr/bin/env bash
# Quick start: set up, then run the main job on the bundled data; everything lands in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rubric=.venv/bin/rubric
out=out
mkdir -p "$out"

echo "== Lint the bundled frameworks"
"$rubric" framework lint frameworks/*/*.yaml
echo
echo "== The bundled frameworks"
"$rubric" framework list frameworks
