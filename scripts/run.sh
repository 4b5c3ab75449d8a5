#!/usr/bin/env bash
# Install desktop-ocr into ./.venv (first time only) and start it. Arguments: files or folders to open.
source "$(dirname "$0")/_venv.sh"
if [ ! -f "$VENV/.desktop-ocr-installed" ] || [ "$ROOT/pyproject.toml" -nt "$VENV/.desktop-ocr-installed" ]; then
  echo "Installing desktop-ocr into $VENV (first run only)..." >&2
  vpip install --disable-pip-version-check -q -e "$ROOT[spelling,documents]"
  touch "$VENV/.desktop-ocr-installed"
fi
# Name the system libraries Qt's window needs that are missing (and the apt-get line), then try anyway.
if [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  "$ROOT/scripts/check_qt_libs.sh" "$VENV/bin/python" || true
fi
exec "$VENV/bin/python" -m desktop_ocr "$@"
