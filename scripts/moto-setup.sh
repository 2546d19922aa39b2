#!/usr/bin/env bash
# Makes the pinned moto (a local S3-compatible server, in its server mode)
# available and prints the command that starts it: the system's when it is
# that version, else one installed with pip into a virtual environment
# under $HOME/.cache/souk-moto (once).
set -euo pipefail
version="5.2.1"
venv="${SOUK_MOTO_VENV:-$HOME/.cache/souk-moto}"
has_server() {
  "$1" -c "import moto, moto.server, flask_cors, sys; sys.exit(moto.__version__ != '$version')" 2>/dev/null
}
if has_server python3; then
  echo "python3 -m moto.server"
  exit 0
fi
if ! has_server "$venv/bin/python"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version" >&2
fi
echo "$venv/bin/python -m moto.server"
