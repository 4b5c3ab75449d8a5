#!/usr/bin/env bash
# Install desktop-ocr with the test and DeepSeek extras into ./.venv and run the whole test suite.
# Extra arguments go to pytest.
source "$(dirname "$0")/_venv.sh"
vpip install --disable-pip-version-check -q -e "$ROOT[deepseek,test]"
cd "$ROOT"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec "$VENV/bin/python" -m pytest "$@"
