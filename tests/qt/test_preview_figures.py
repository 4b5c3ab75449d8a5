"""The preview shows a page's figures: on a page switch its Markdown is rendered before the page
image has arrived from the render thread, and the figures are cut from that image."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

pytestmark = pytest.mark.gui

SCAN = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-c03-29.jpeg"
TEXT = "# Chapter III\n\n![](figure:1)\n\nMISS WATSON'S LECTURE."


def _figure_height(preview) -> float:
    """Height of the tallest image laid out in the preview's document (0: none shown)."""
    doc = preview.document()
    tallest = 0.0
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                tallest = max(tallest, doc.documentLayout().blockBoundingRect(block).height())
            it += 1
        block = block.next()
    return tallest


def _show_scan_with_figure(qtbot, window, figure_right: int):
    """The committed book scan opened in the window and shown with a result whose figure block spans
    x = 15..``figure_right`` px of the scan (a title above, a caption below); the figure's page."""
    w, h = Image.open(SCAN).size
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(SCAN)])
    page = c.project.documents[0].pages[0]
    blocks = (
        Block("title", (Box.from_pixels(145, 0, 920, 151, w, h),), "# Chapter III"),
        Block("image", (Box.from_pixels(15, 248, figure_right, 674, w, h),), "![](figure:1)"),
        Block("image_caption", (Box.from_pixels(117, 660, 337, 685, w, h),), "MISS WATSON'S LECTURE."),
    )
    c.project.set_result(page.id, PageResult(blocks, "raw", TEXT, width=w, height=h))
    window.show_page(page.id)  # the page is shown again with its result, as after reading
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)


def test_the_preview_shows_the_figure_once_the_page_image_arrives(qtbot, window, tmp_path):
    if not SCAN.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    _show_scan_with_figure(qtbot, window, 427)
    qtbot.waitUntil(lambda: not window.editor.preview.pending(), timeout=5000)
    qtbot.wait(300)
    # the picture (426 px of the scan, scaled to the preview's width) is there, not an empty link
    assert _figure_height(window.editor.preview) > 100


def test_a_figure_fits_the_preview_when_the_text_dock_gets_narrower(qtbot, window, tmp_path):
    """Found in the new-user pass: after a project was reopened the preview had a horizontal scroll
    bar. The figure was scaled to the preview's width at the first render, before the window put
    the Text dock back at its saved (narrower) width, and kept that size: the page was laid out
    wider than the pane."""
    if not SCAN.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    from PySide6.QtCore import Qt

    window.resizeDocks([window._text_dock], [560], Qt.Orientation.Horizontal)
    _show_scan_with_figure(qtbot, window, 927)
    preview = window.editor.preview
    qtbot.waitUntil(lambda: not preview.pending() and _figure_height(preview) > 100, timeout=5000)
    wide = preview.viewport().width()
    # the dock made narrower, as the window's saved state does when a project is opened
    window.resizeDocks([window._text_dock], [380], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: preview.viewport().width() < wide - 60, timeout=5000)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not preview.pending(), timeout=5000)
    window.grab().save(str(tmp_path / "narrowed.png"))
    assert preview.document().size().width() <= preview.viewport().width() + 1
    assert preview.horizontalScrollBar().maximum() == 0
    assert _figure_height(preview) > 50  # the figure is still shown, smaller
