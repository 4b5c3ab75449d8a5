"""The searchable PDF's invisible text lies on the words of the scan after the user fixed the
reading order and typed (the real window, a real scan read by the embedded engine, the PDF read
back by PyMuPDF)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.geometry import NORM

pytestmark = [pytest.mark.gui, pytest.mark.slow]

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SCAN = REAL / "ocrmypdf-c03-29.jpeg"  # Huckleberry Finn p. 29: title, text, picture, caption, text


def _click_text(editor, position: int) -> None:
    cur = editor.textCursor()
    cur.setPosition(position)
    editor.setTextCursor(cur)
    editor.ensureCursorVisible()
    point = editor.cursorRect(cur).center()
    point.setX(point.x() + 2)
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_pdf_text_follows_moved_blocks_captions_and_typed_words(window, qtbot, tmp_path):
    if not SCAN.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(SCAN)])
    page = c.project.documents[0].pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=180_000, check_params_cb=lambda on: on is False):
        window.acts.read_selected.trigger()
    qtbot.waitUntil(lambda: "set down" in window.editor.text(), timeout=5000)
    editor = window.editor.editor
    editor.setFocus()
    # the user fixes the reading order: the last paragraph is put first, with the keyboard
    _click_text(editor, window.editor.text().index("set down"))
    last = len(window.editor.block_layout().spans) - 1
    assert editor.current_block() == last
    for _ in range(last):
        QTest.keyClick(
            editor, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
    assert window.editor.text().lstrip("# ").startswith("I set down")
    # and adds a note at the very end of the page's text (now the caption's end)
    QTest.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, " Proofread")
    window.editor.flush()
    qtbot.waitUntil(lambda: (page.edited_text or "").endswith("Proofread"), timeout=3000)

    with qtbot.waitSignal(c.export_finished, timeout=60_000):
        c.export([c.project.documents[0].id], tmp_path, ["pdf"], "official")
    pdf = pymupdf.open(next(tmp_path.glob("*.pdf")))
    p = pdf[0]
    sx, sy = p.rect.width / NORM, p.rect.height / NORM
    words = p.get_text("words")  # (x0, y0, x1, y1, word, ...)

    def block_of(needle: str):
        layout = page_layout(page)
        return next(b for b in layout.blocks() if needle in b.text)

    def inside(word: str, block) -> bool:
        hits = [w for w in words if w[4].strip(".,;:'\"") == word]
        assert hits, f"{word!r} is not in the PDF's text"
        return all(
            any(
                b.x1 * sx - 4 <= (w[0] + w[2]) / 2 <= b.x2 * sx + 4
                and b.y1 * sy - 4 <= (w[1] + w[3]) / 2 <= b.y2 * sy + 4
                for b in block.boxes
            )
            for w in hits
        )

    moved = block_of("set down")
    for word in ("Deacon", "snuff-box", "spiritual"):
        assert inside(word, moved), (word, [w[:5] for w in words if word in w[4]])
    caption = block_of("LECTURE")
    assert inside("LECTURE", caption) and inside("Proofread", caption)
    first = block_of("going-over")
    assert inside("going-over", first) and inside("fool", first)


def test_pdf_of_a_born_digital_page_has_its_text_once(window, qtbot, tmp_path):
    """A born-digital PDF page keeps its own (exact) text; an invisible layer over it doubled every
    word for search, copy and pdftotext."""
    import subprocess

    pdf_in = REAL / "born-digital-two-column.pdf"
    if not pdf_in.exists():
        pytest.skip("the real corpus (tests/data/real) is not here")
    c = window.controller
    c.settings.use_text_layer = True  # Settings: read born-digital pages from their own text
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(pdf_in)])
    page = c.project.documents[0].pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=180_000, check_params_cb=lambda on: on is False):
        window.acts.read_selected.trigger()
    qtbot.waitUntil(lambda: "gutter" in window.editor.text(), timeout=5000)
    with qtbot.waitSignal(c.export_finished, timeout=60_000):
        c.export([c.project.documents[0].id], tmp_path, ["pdf"], "official")
    out = next(tmp_path.glob("*.pdf"))

    def words(path) -> list[str]:
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return text.split()

    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    original, exported = words(pdf_in), words(out)
    assert exported.count("gutter") == original.count("gutter") >= 1
    assert len(exported) == len(original)


def test_pdf_of_a_scan_with_an_old_ocr_layer_has_only_the_new_text(window, qtbot, tmp_path):
    """A searchable PDF read again (a scanner's or another tool's OCR): its old invisible layer is
    replaced by the corrected one, not kept under it (every word was found twice)."""
    if not SCAN.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(SCAN)])
    first = c.project.documents[0]
    qtbot.waitUntil(lambda: window.current_page_id() == first.pages[0].id, timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=180_000, check_params_cb=lambda on: on is False):
        window.acts.read_selected.trigger()
    old = tmp_path / "old"
    with qtbot.waitSignal(c.export_finished, timeout=60_000):
        c.export([first.id], old, ["pdf"], "official")
    searchable = next(old.glob("*.pdf"))
    once = len(pymupdf.open(searchable)[0].get_text("words"))
    # the searchable PDF comes back to be read and corrected again
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(searchable)])
    second = c.project.documents[-1]
    window.page_list.select_page(second.pages[0].id)
    qtbot.waitUntil(lambda: window.current_page_id() == second.pages[0].id, timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=180_000, check_params_cb=lambda on: on is False):
        window.acts.read_selected.trigger()
    qtbot.waitUntil(lambda: "set down" in window.editor.text(), timeout=5000)
    editor = window.editor.editor
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, " Reviewed")
    window.editor.flush()
    new = tmp_path / "new"
    with qtbot.waitSignal(c.export_finished, timeout=60_000):
        c.export([second.id], new, ["pdf"], "official")
    page = pymupdf.open(next(new.glob("*.pdf")))[0]
    words = [w[4] for w in page.get_text("words")]
    assert words.count("Reviewed") == 1
    assert abs(len(words) - (once + 1)) <= 5, (len(words), once)  # not twice as many
    assert len(page.get_images()) == 1  # the scan itself is kept


def test_pdf_text_stays_on_the_words_of_a_page_turned_after_reading(window, qtbot, tmp_path):
    """A read page the user turns (Rotate Right, or twice, or back): the searchable PDF's words keep
    lying on the scan's words, turned with the page. Each word's box was the whole line's length and
    a point wide (the upright text squeezed into the turned line box), so a search highlighted a
    sliver and a selection took the wrong words."""
    from PySide6.QtWidgets import QToolBar, QToolButton

    if not SCAN.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(SCAN)])
    doc = c.project.documents[0]
    page = doc.pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=180_000, check_params_cb=lambda on: on is False):
        window.acts.read_selected.trigger()

    def export(folder: str):
        out = tmp_path / folder
        with qtbot.waitSignal(c.export_finished, timeout=60_000):
            c.export([doc.id], out, ["pdf"], "official")
        p = pymupdf.open(next(out.glob("*.pdf")))[0]
        return p.rect, p.get_text("words")

    upright, upright_words = export("upright")
    assert len(upright_words) > 100
    toolbar = window.findChild(QToolBar)
    button = next(
        b for b in toolbar.findChildren(QToolButton) if b.defaultAction() is window.acts.rotate_right
    )
    W, H = upright.width, upright.height
    expected = {
        90: lambda x0, y0, x1, y1: (H - y1, x0, H - y0, x1),
        180: lambda x0, y0, x1, y1: (W - x1, H - y1, W - x0, H - y0),
        270: lambda x0, y0, x1, y1: (y0, W - x1, y1, W - x0),
    }
    for turn in (90, 180, 270):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda t=turn: page.rotation == t, timeout=5000)
        rect, words = export(f"turned{turn}")
        assert (rect.width, rect.height) == ((H, W) if turn % 180 else (W, H))
        assert [w[4] for w in words] == [w[4] for w in upright_words]
        off = [
            (w[4], tuple(round(v) for v in w[:4]))
            for u, w in zip(upright_words, words)
            if max(abs(a - b) for a, b in zip(expected[turn](*u[:4]), w[:4])) > 3
        ]
        assert not off, (turn, len(off), off[:5])
