#!/usr/bin/env bash
# The web service on the bundled example data with example accounts (see README): set up .venv
# with the web extra, then serve on http://127.0.0.1:8000/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web
mkdir -p out/service
exec .venv/bin/rubric serve --example --db out/service/rubric-history.sqlite "$@"
