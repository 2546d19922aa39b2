#!/usr/bin/env bash
# Installs the pinned schemathesis into a virtual environment under
# $HOME/.cache/souk-schemathesis (once) and prints the path of its `st`.
set -euo pipefail
version="4.32.5"
venv="${SOUK_SCHEMATHESIS_VENV:-$HOME/.cache/souk-schemathesis}"
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
fi
echo "$venv/bin/st"
