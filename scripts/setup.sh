#!/usr/bin/env bash
# Create .venv (once) and install rubric into it, with an extra when named: "test" (which
# includes "web") or "web". Installs again only when the packaging files changed (the code
# itself is an editable install), so a second run is instant.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
fi
extra="${1:-}"
case "$extra" in
  "") satisfied_by=(base web test) ;;
  web) satisfied_by=(web test) ;;
  test) satisfied_by=(test) ;;
  *) echo "usage: scripts/setup.sh [test|web]" >&2; exit 2 ;;
esac
wanted=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
current=false
for kind in "${satisfied_by[@]}"; do
  if [ "$(cat ".venv/.rubric-installed-$kind" 2>/dev/null || true)" = "$wanted" ]; then
    current=true
  fi
done
if ! $current || ! .venv/bin/python -c "import rubric" 2>/dev/null; then
  # setuptools explains editable installs at length on every install: show pip only if it fails.
  if ! log=$(.venv/bin/python -m pip install --quiet --disable-pip-version-check \
      -e ".${extra:+[$extra]}" 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
  fi
  echo "$wanted" > ".venv/.rubric-installed-${extra:-base}"
fi
