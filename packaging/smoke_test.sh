#!/usr/bin/env bash
# Smoke-test the Linux build made by packaging/build_linux.sh (see packaging/smoke_test.py).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DESKTOP_OCR_VENV:-$ROOT/.venv}"
exec "$VENV/bin/python" "$ROOT/packaging/smoke_test.py" "${1:-$ROOT/build/dist/desktop-ocr}"
