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
"$rubric" framework list
echo
echo "== Quads (example membership) and the 32 authorities"
"$rubric" quads --quads-file quads.yaml
echo
echo "== Templates for the example Quad 'FG1 Quad A' (HGIOEA-style framework)"
"$rubric" template hgioea@1.0.0 --quad "FG1 Quad A" --quads-file quads.yaml \
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
echo "== Second cycle: keep both cycles' returns in a history database"
db="$out/history.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
"$rubric" ingest responses/examples --db "$db"   # each return's cycle from its workbook
"$rubric" ingest responses/examples/2026-27 --cycle 2026-27 --db "$db"
echo
echo "== Follow-up template for 2026-27 (last cycle's next steps beside a progress column)"
"$rubric" template hgioea --authority "Example Authority C" \
  --allow-unlisted --cycle 2026-27 --follow-up --db "$db" -o "$out/templates/follow-up-c.xlsx" \
  --force
echo
echo "== Trend of Example Authority C across both cycles (1.0.0 -> 1.1.0 mapped)"
"$rubric" trend --authority "Example Authority C" --db "$db" > "$out/trend-c.txt"
head -n 8 "$out/trend-c.txt"
echo "   ... (all of it in $out/trend-c.txt)"
echo
echo "== 2026-27 Quad comparison with the trend since 2025-26 and follow-up of next steps"
"$rubric" compare responses/examples/2026-27 --previous-cycle 2025-26 --db "$db" \
  -o "$out/quad-comparison-2026-27.xlsx" --html "$out/quad-comparison-2026-27.html" --force
"$rubric" export --cycle 2026-27 --format csv --db "$db" -o "$out/answers-2026-27.csv" --force
echo
echo "== The Quad meeting for 2026-27: pack (pre-reading, agenda, a page per member) and record"
rm -rf "$out/meeting"
"$rubric" meeting pack responses/examples/2026-27 --meeting-date 2026-11-12 -o "$out/meeting"
echo
echo "== The Quad fills in its record (through the record workbook's own answer cells)"
.venv/bin/python scripts/fill_record.py "$out/meeting/record.xlsx" responses/examples/2026-27 \
  -o "$out/meeting/record-filled.xlsx" --force
"$rubric" meeting record "$out/meeting/record-filled.xlsx" --db "$db"
echo
echo "== Report for Example Authority C (HTML and Word)"
"$rubric" report --authority "Example Authority C" --cycle 2026-27 --db "$db" \
  -o "$out/report-c-2026-27.html" --force
"$rubric" report --authority "Example Authority C" --cycle 2026-27 --db "$db" \
  -o "$out/report-c-2026-27.docx" --force
echo
echo "== 2027-28: follow-up workbooks list the agreed actions; returns come back with statuses"
rm -rf "$out/returns-2027-28"
.venv/bin/python scripts/follow_up_returns.py make --db "$db" --cycle 2027-28 \
  -o "$out/returns-2027-28" --force
"$rubric" compare "$out/returns-2027-28" -o "$out/quad-comparison-2027-28.xlsx" \
  --html "$out/quad-comparison-2027-28.html" --force
.venv/bin/python scripts/follow_up_returns.py check "$out/returns-2027-28/typed.json" \
  "$out/quad-comparison-2027-28.xlsx"
echo
echo "== The national picture: 32 fictional councils, two cycles (1.0.0 then 1.1.0), measures"
.venv/bin/python scripts/national_demo.py "$out/national" --force
"$rubric" national "$out/national/returns-2025-26" --db "$out/national/history.sqlite" \
  -o "$out/national/national.xlsx" --html "$out/national/national.html" \
  --json-file "$out/national/national.json" --force
"$rubric" national "$out/national/returns-2025-26" --db "$out/national/history.sqlite" \
  --anonymise --html "$out/national/national-anonymised.html" --force
echo

echo "Done. Open $out/quad-comparison.xlsx and .html (2025-26), $out/quad-comparison-2026-27.xlsx"
echo "and .html (2026-27, with Trend and Follow-up sheets); templates are in $out/templates/;"
echo "the meeting pack and record in $out/meeting/, Example Authority C's report in"
echo "$out/report-c-2026-27.html and .docx, and 2027-28's follow-up in $out/quad-comparison-2027-28.*."
echo "The national picture is in $out/national/ (national.xlsx, .html, .json; anonymised .html)."
