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
echo
echo "== Quads (example membership) and the 32 authorities"
"$rubric" quads --quads-file quads.yaml
echo
echo "== Templates for the example Quad 'FG1 Quad A' (HGIOEA-style framework)"
"$rubric" template frameworks/hgioea/1.0.0.yaml --quad "FG1 Quad A" --quads-file quads.yaml \
  --cycle 2025-26 -o "$out/templates" --force
echo
echo "== Validate the four example returns (fictional Example Authorities A-D)"
"$rubric" validate responses/examples
