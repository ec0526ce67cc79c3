#!/usr/bin/env bash
# Create .venv (once) and install rubric into it; "test" also installs the test extra.
# Installs again only when the packaging files changed (the code itself is an editable install).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
fi
extra=""
if [ "${1:-}" = "test" ]; then extra="[test]"; fi
stamp=".venv/.rubric-installed${extra:+-test}"
wanted=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
installed=$(cat "$stamp" 2>/dev/null || true)
if [ -z "$extra" ] && [ "$installed" != "$wanted" ]; then installed=$(cat "$stamp-test" 2>/dev/null || true); fi
if [ "$installed" != "$wanted" ] || ! .venv/bin/python -c "import rubric" 2>/dev/null; then
  # setuptools explains editable installs at length on every install: show pip only if it fails.
  if ! log=$(.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}" 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
  fi
  echo "$wanted" > "$stamp"
fi
