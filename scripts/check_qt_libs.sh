#!/usr/bin/env bash
# Which system libraries Qt's xcb platform plugin (the app's window on X11 and XWayland) cannot
# find, and the Debian/Ubuntu packages that provide them. Needs no root: asks ldd.
#   scripts/check_qt_libs.sh [PYTHON]    (PYTHON: the one with PySide6; default: python3)
# Exit status: 0 when nothing is missing (or it cannot tell: no PySide6, no ldd), 1 when something
# is; then it prints what is missing and the apt-get command on stderr.
set -uo pipefail
PY="${1:-python3}"

# soname -> Debian/Ubuntu package, for every library the plugin and the Qt libraries it loads need
# (found with readelf/ldd and dpkg -S on Debian 12; the same names on Ubuntu 22.04 and 24.04).
declare -A PKG=(
  [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4
  [libxcb-keysyms.so.1]=libxcb-keysyms1 [libxcb-image.so.0]=libxcb-image0
  [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-render.so.0]=libxcb-render0
  [libxcb-shape.so.0]=libxcb-shape0 [libxcb-randr.so.0]=libxcb-randr0
  [libxcb-xfixes.so.0]=libxcb-xfixes0 [libxcb-sync.so.1]=libxcb-sync1 [libxcb-shm.so.0]=libxcb-shm0
  [libxcb-xkb.so.1]=libxcb-xkb1 [libxcb-glx.so.0]=libxcb-glx0 [libxcb-util.so.1]=libxcb-util1
  [libxcb.so.1]=libxcb1 [libX11-xcb.so.1]=libx11-xcb1 [libX11.so.6]=libx11-6
  [libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libxkbcommon.so.0]=libxkbcommon0
  [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libOpenGL.so.0]=libopengl0 [libGLX.so.0]=libglx0
  [libfontconfig.so.1]=libfontconfig1 [libfreetype.so.6]=libfreetype6 [libdbus-1.so.3]=libdbus-1-3
  [libglib-2.0.so.0]=libglib2.0-0 [libgthread-2.0.so.0]=libglib2.0-0
)

command -v ldd >/dev/null 2>&1 || exit 0
plugin="$("$PY" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms", "libqxcb.so"))' 2>/dev/null)" || exit 0
[ -f "$plugin" ] || exit 0

missing_libs=()
while read -r lib _; do
  missing_libs+=("$lib")
done < <(ldd "$plugin" 2>/dev/null | awk '/=> not found/ {print $1}' | sort -u)
[ "${#missing_libs[@]}" -eq 0 ] && exit 0

packages=()
unknown=()
for lib in "${missing_libs[@]}"; do
  if [ -n "${PKG[$lib]:-}" ]; then
    case " ${packages[*]:-} " in *" ${PKG[$lib]} "*) ;; *) packages+=("${PKG[$lib]}") ;; esac
  else
    unknown+=("$lib")
  fi
done

{
  echo "The app's window (Qt's xcb plugin) needs libraries this system lacks: ${missing_libs[*]}"
  if [ "${#packages[@]}" -gt 0 ]; then
    echo "On Debian/Ubuntu install them with:"
    echo "  sudo apt-get install ${packages[*]}"
  fi
  if [ "${#unknown[@]}" -gt 0 ]; then
    echo "(no package known here for: ${unknown[*]}; your distribution's package search finds them)"
  fi
  echo "Without them only the headless 'desktop-ocr convert' and QT_QPA_PLATFORM=offscreen work."
} >&2
exit 1
