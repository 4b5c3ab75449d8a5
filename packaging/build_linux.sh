#!/usr/bin/env bash
# Build the Linux app folder and archive with PyInstaller, then print their sizes.
#   packaging/build_linux.sh            -> build/dist/desktop-ocr/  and  build/desktop-ocr-<ver>-linux-<arch>.tar.gz
# Uses ./.venv (made by scripts/run.sh or scripts/test.sh); installs PyInstaller into it when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DESKTOP_OCR_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
cd "$ROOT"
if [ ! -x "$PY" ]; then
  echo "No virtual environment at $VENV: run scripts/run.sh once (or set DESKTOP_OCR_VENV)." >&2
  exit 2
fi
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  "$PY" -m pip install --disable-pip-version-check -q "pyinstaller>=6.10"
fi
"$PY" -m pip install --disable-pip-version-check -q --no-deps -e "$ROOT" >/dev/null
# Qt's X11 platform plugin needs these xcb libraries; present at build time they get bundled, so the
# build also runs on desktops that lack them (Debian/Ubuntu names).
XCB_PKGS="libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
          libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-sync1 libxcb-xkb1"
if command -v dpkg >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  missing=""
  for p in $XCB_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

VERSION="$("$PY" -c 'import desktop_ocr; print(desktop_ocr.__version__)')"
ARCH="$(uname -m)"
DIST="$ROOT/build/dist"
ARCHIVE="$ROOT/build/desktop-ocr-$VERSION-linux-$ARCH.tar.gz"

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$ROOT/build/pyinstaller" \
  packaging/pyinstaller/desktop-ocr.spec
# Nothing of the GPU stack may have slipped in.
if find "$DIST/desktop-ocr" -iname "libtorch*" -o -iname "libcudnn*" -o -iname "libcublas*" | grep -q .; then
  echo "error: torch/CUDA libraries ended up in the base build" >&2
  exit 1
fi
tar -C "$DIST" -czf "$ARCHIVE" desktop-ocr
end=$(date +%s)

echo "Built in $((end - start)) s:"
echo "  folder : $DIST/desktop-ocr  ($(du -sh "$DIST/desktop-ocr" | cut -f1), $(find "$DIST/desktop-ocr" -type f | wc -l) files)"
echo "  archive: $ARCHIVE  ($(du -h "$ARCHIVE" | cut -f1))"
echo "Try it:   $DIST/desktop-ocr/desktop-ocr --help      Smoke test: packaging/smoke_test.sh"
