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
echo
echo "== Scores of Example Authority B, explained (first lines)"
"$rubric" score --explain responses/examples/example-authority-b.xlsx > "$out/scores-b.txt"
head -n 12 "$out/scores-b.txt"
echo "   ... (all of it in $out/scores-b.txt)"
echo
echo "== Quad comparison of the four example returns"
"$rubric" compare responses/examples -o "$out/quad-comparison.xlsx" \
  --html "$out/quad-comparison.html" --force
echo
echo "Done. Open $out/quad-comparison.xlsx and $out/quad-comparison.html; blank templates are"
echo "in $out/templates/."
