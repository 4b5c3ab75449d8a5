#!/usr/bin/env bash
# Refresh the Qt Linguist sources from the code, then compile them into the package.
#   scripts/update_translations.sh          -> resources/translations/*.ts updated, desktop_ocr/resources/translations/*.qm built
# Translate with pyside6-linguist (or any .ts editor), then run this again and commit both files.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DESKTOP_OCR_VENV:-$ROOT/.venv}"
cd "$ROOT"
LUPDATE="$VENV/bin/pyside6-lupdate"
[ -x "$LUPDATE" ] || LUPDATE="$(command -v pyside6-lupdate)"
# The whole package: widgets use self.tr()/QCoreApplication.translate(); the Qt-free layers (model,
# engine, export, models, pipeline...) mark their messages with desktop_ocr.messages.QT_TRANSLATE_NOOP.
mapfile -t SOURCES < <(find desktop_ocr -name '*.py' -not -path '*/resources/*' | sort)
for ts in resources/translations/desktop_ocr_*.ts; do
  "$LUPDATE" -silent -no-obsolete -locations none "${SOURCES[@]}" -ts "$ts"
done
"$VENV/bin/python" scripts/build_resources.py --no-png
for ts in resources/translations/desktop_ocr_*.ts; do
  total=$(grep -c "<message" "$ts" || true)
  open=$(grep -c 'type="unfinished"' "$ts" || true)
  echo "$(basename "$ts"): $total strings, $open not translated yet"
done
