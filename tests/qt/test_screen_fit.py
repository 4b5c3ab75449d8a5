"""The first window, and a window geometry saved on a larger monitor, fit the screen they open on:
nothing of the window is cut off on a 1366×768 laptop or a 1280×1024 monitor. Each window is the
real one, started in a process of its own on a virtual screen of that size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

#: Opens the real main window (as the app does), lets it settle, prints where it is, and closes it as
#: a user would (which saves its geometry); ``geometry`` first moves and resizes it there.
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from desktop_ocr.settings import Settings
    from desktop_ocr.ui.main_window import MainWindow
    from desktop_ocr.worker.controller import Controller
    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    w = MainWindow(c)
    w.show()
    for _ in range(20):
        app.processEvents()
    if len(sys.argv) > 1:
        w.setGeometry(QRect(*map(int, sys.argv[1].split(","))))
        app.processEvents()
    f, g, a = w.frameGeometry(), w.geometry(), w.screen().availableGeometry()
    print("GEOMETRY=" + json.dumps({"frame": f.getRect(), "client": g.getRect(), "screen": a.getRect()}))
    c.discard_untitled()
    w.close()
    c.shutdown()
    """
)


def _window_on(tmp_path: Path, width: int, height: int, geometry: str = "") -> dict:
    screen = tmp_path / f"screen-{width}x{height}.json"
    screen.write_text(
        json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height}]})
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
        DESKTOP_OCR_BASEDIR=str(tmp_path / "base"),
        PYTHONPATH=str(ROOT),
    )
    args = [sys.executable, "-c", SCRIPT, *([geometry] if geometry else [])]
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=180, cwd=ROOT)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("GEOMETRY=")), None)
    assert line, out.stderr[-3000:]
    return json.loads(line.removeprefix("GEOMETRY="))


def _inside(rect, screen) -> bool:
    x, y, w, h = rect
    sx, sy, sw, sh = screen
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


@pytest.mark.parametrize("size", [(1366, 768), (1280, 1024), (800, 600)])
def test_the_first_window_fits_a_small_screen(tmp_path, size):
    shown = _window_on(tmp_path, *size)
    assert _inside(shown["frame"], shown["screen"]), shown
    width, height = shown["client"][2:]
    assert width >= min(1400, size[0]) - 40 and height >= min(900, size[1]) - 80, shown  # not tiny


def test_the_first_window_keeps_its_size_where_there_is_room(tmp_path):
    shown = _window_on(tmp_path, 1920, 1200)
    assert shown["client"][2:] == [1400, 900], shown


def test_a_geometry_saved_on_a_larger_screen_fits_the_smaller_one(tmp_path):
    # on a 2560×1440 monitor: a large window in its lower right part; saved on closing
    before = _window_on(tmp_path, 2560, 1440, geometry="1100,500,1400,900")
    assert before["client"] == [1100, 500, 1400, 900], before
    # the same profile, now on a 1366×768 laptop
    shown = _window_on(tmp_path, 1366, 768)
    assert _inside(shown["frame"], shown["screen"]), shown
