# Shared by run.sh and test.sh: make .venv (also where Debian's python3-venv/ensurepip is missing)
# and install into it with the system's pip when the venv has none of its own.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
VENV="${DESKTOP_OCR_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV" 2>/dev/null || "$PY" -m venv --without-pip "$VENV"
fi
if "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  vpip() { "$VENV/bin/python" -m pip "$@"; }
else
  vpip() { "$PY" -m pip --python "$VENV/bin/python" "$@"; }
fi
