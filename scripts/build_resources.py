"""Build the packaged resources (desktop_ocr/resources/) from the sources in resources/.

Renders the SVG icons to PNG at every hicolor size, copies the SVGs and the Linux desktop files,
and compiles the translations (pyside6-lrelease). The results are committed, so a plain
``pip install`` needs no build tools; ``tests/unit/test_desktop_files.py`` checks they are in sync.

Usage: python scripts/build_resources.py [--no-png] [--no-translations]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "resources"
DST = ROOT / "desktop_ocr" / "resources"
sys.path.insert(0, str(ROOT))

from desktop_ocr.bundled import (  # noqa: E402
    APP_ICON_NAME,
    ICON_SIZES,
    LINUX_FILES,
    PROJECT_ICON_NAME,
)

ICONS = {APP_ICON_NAME: "apps", PROJECT_ICON_NAME: "mimetypes"}


def render_png(svg: Path, png: Path, size: int) -> None:
    """Render ``svg`` to a ``size`` x ``size`` PNG with rsvg-convert, or with Qt when it is missing."""
    png.parent.mkdir(parents=True, exist_ok=True)
    rsvg = shutil.which("rsvg-convert")
    if rsvg:
        subprocess.run([rsvg, "-w", str(size), "-h", str(size), "-o", str(png), str(svg)], check=True)
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(png)):
        raise RuntimeError(f"could not write {png}")


def build_icons(render: bool) -> None:
    for name, context in ICONS.items():
        svg = SRC / "icons" / f"{name}.svg"
        scalable = DST / "icons" / "hicolor" / "scalable" / context / f"{name}.svg"
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(svg, scalable)
        if render:
            for size in ICON_SIZES:
                render_png(svg, DST / "icons" / "hicolor" / f"{size}x{size}" / context / f"{name}.png", size)


def build_platform_icons() -> None:
    """The Windows .ico and macOS .icns used by the PyInstaller builds and the installer."""
    from PIL import Image

    out = ROOT / "packaging" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    png = {s: DST / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ICON_NAME}.png" for s in ICON_SIZES}
    big = Image.open(png[512]).convert("RGBA")
    big.save(out / "desktop-ocr.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(out / "desktop-ocr.icns")
    doc = Image.open(DST / "icons" / "hicolor" / "512x512" / "mimetypes" / f"{PROJECT_ICON_NAME}.png")
    doc.convert("RGBA").save(
        out / "desktop-ocr-project.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
    )
    doc.convert("RGBA").save(out / "desktop-ocr-project.icns")


def build_linux_files() -> None:
    (DST / "linux").mkdir(parents=True, exist_ok=True)
    for name in LINUX_FILES:
        shutil.copyfile(SRC / "linux" / name, DST / "linux" / name)


def build_translations() -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    out = DST / "translations"
    out.mkdir(parents=True, exist_ok=True)
    for ts in sorted((SRC / "translations").glob("*.ts")):
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(out / f"{ts.stem}.qm")], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-png", action="store_true", help="do not render the PNG icons again")
    parser.add_argument("--no-translations", action="store_true", help="do not compile translations")
    args = parser.parse_args(argv)
    build_icons(render=not args.no_png)
    build_platform_icons()
    build_linux_files()
    if not args.no_translations:
        build_translations()
    print(f"resources built into {DST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
