#!/usr/bin/env bash
# Fetch axe-core (the accessibility rules the HTML report is checked against) from the npm
# registry into .cache/axe (git-ignored). The test skips with a reason when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "get-axe: npm is not installed; the accessibility test will be skipped" >&2
  exit 0
fi
npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4 >/dev/null
