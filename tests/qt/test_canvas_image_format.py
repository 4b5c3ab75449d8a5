"""A page's big image reaches the canvas ready to draw: the render thread makes it in the raster
pixmaps' own format, so the GUI thread's ``QPixmap.fromImage`` shares its pixels instead of
converting 11 MP (46-126 ms on the GUI thread before; benchmarks/bench_canvas_image.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

PAGE = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-typewriter.png"


def test_the_canvas_pixmap_shares_the_rendered_pages_pixels(qtbot, window):
    c = window.controller
    arrived: list = []
    c.page_image_ready.connect(lambda page_id, image: arrived.append((page_id, image)))
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(PAGE)])
    page = c.project.documents[0].pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=30_000)
    image = next(img for pid, img in arrived if pid == page.id)
    assert (image.width(), image.height()) == (4000, 2864)
    shown = window.canvas.image_item().pixmap().toImage()
    # the same pixels (one shared buffer), not a converted copy made on the GUI thread
    assert shown.cacheKey() == image.cacheKey(), (image.format(), shown.format())
