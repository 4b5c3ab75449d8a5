"""File > Export in the real window: tick formats (remembered), the unread-pages question, files on disk."""

from __future__ import annotations

import pymupdf
import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QLineEdit, QMessageBox

from desktop_ocr.model.document import PageState
from desktop_ocr.model.result import PageResult

pytestmark = pytest.mark.gui


def _scan(path):
    img = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(img).rectangle((100, 100, 300, 140), fill="black")
    img.save(path, dpi=(100, 100))
    return path


def _when_modal(qtbot, kind, act, delay=100):
    def later() -> None:
        w = QApplication.activeModalWidget()
        if not isinstance(w, kind):
            QTimer.singleShot(50, later)
            return
        act(w)

    QTimer.singleShot(delay, later)


def _drive_dialog(qtbot, folder, tick):
    def act(dlg):
        for box in dlg.findChildren(QCheckBox):
            want = any(box.text().startswith(t) for t in tick)
            if box.isChecked() != want and box.isEnabled():
                # on the indicator: a check box takes clicks on its box and label only
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        edit = dlg.findChild(QLineEdit)
        edit.setText(str(folder))
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    return act


def test_export_pdf_asks_about_unread_pages_and_remembers_the_formats(qtbot, window, tmp_path):
    from desktop_ocr.ui.dialogs import ExportDialog

    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=20_000):
        c.import_paths([str(_scan(tmp_path / "a.png")), str(_scan(tmp_path / "b.png"))])
    doc = c.project.documents[0]
    assert len(doc.pages) == 2
    first = doc.pages[0]
    c.project.set_result(first.id, PageResult((), "raw", "Hello archive", width=800, height=600))
    c.project.set_state([doc.pages[1].id], PageState.FAILED, "broken")
    out = tmp_path / "out"

    # first: untick all but PDF and Word; the unread question is answered Cancel: nothing written
    _when_modal(qtbot, ExportDialog, _drive_dialog(qtbot, out, ["Searchable PDF", "As PDF/A", "Word"]))
    asked: list[str] = []

    def cancel(box):
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    _when_modal(qtbot, QMessageBox, cancel, delay=300)
    window.acts.export.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert ": page 2 (failed)" in asked[0]
    assert not out.exists() or not list(out.iterdir())
    assert c.settings.export_formats == ["pdf", "docx"] and c.settings.export_pdfa

    # again, answered Yes: the export runs with the remembered formats ticked
    def keep(dlg):
        boxes = {b.text(): b.isChecked() for b in dlg.findChildren(QCheckBox)}
        assert [t for t, on in boxes.items() if on][:1][0].startswith("Searchable PDF")
        _drive_dialog(qtbot, out, ["Searchable PDF", "As PDF/A", "Word"])(dlg)

    _when_modal(qtbot, ExportDialog, keep)
    _when_modal(qtbot, QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), delay=300)
    with qtbot.waitSignal(c.export_finished, timeout=60_000) as done:
        window.acts.export.trigger()
    names = sorted(p.rsplit("/", 1)[-1] for p in done.args[0])
    stem = doc.name
    assert f"{stem}.pdf" in names
    pdf = pymupdf.open(out / f"{stem}.pdf")
    assert pdf.page_count == 2
    assert "<pdfaid:part>2</pdfaid:part>" in pdf.get_xml_metadata()
    assert pdf[0].get_text().split() == ["Hello", "archive"]
    assert pdf[1].get_text().strip() == ""


def test_formats_pandoc_writes_cannot_be_ticked_without_pandoc(qtbot, window, tmp_path, monkeypatch):
    """A plain install without the documents extra: Word, ODT, HTML and EPUB are greyed out with
    the reason, not offered and then reported failed for every document after the export."""
    import sys

    from PySide6.QtWidgets import QLabel

    from desktop_ocr.ui.dialogs import ExportDialog

    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=20_000):
        c.import_paths([str(_scan(tmp_path / "a.png"))])
    page = c.project.documents[0].pages[0]
    c.project.set_result(page.id, PageResult((), "raw", "Hello archive", width=800, height=600))
    c.settings.export_formats = ["md", "docx"]  # remembered from an install that had pandoc
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # as if the wheel were not installed
    seen: dict = {}

    def look(dlg):
        boxes = {b.text(): b for b in dlg.findChildren(QCheckBox)}
        seen["word"] = (boxes["Word (.docx)"].isEnabled(), boxes["Word (.docx)"].isChecked())
        seen["epub"] = boxes["E-book (.epub)"].isEnabled()
        seen["md"] = boxes["Markdown (.md) with figure images"].isChecked()
        note = dlg.findChild(QLabel, "unavailable_formats")
        seen["note"] = note.text() if note is not None and note.isVisibleTo(dlg) else ""
        # the user tries to tick Word anyway, then exports
        word = boxes["Word (.docx)"]
        qtbot.mouseClick(word, Qt.MouseButton.LeftButton, pos=QPoint(8, word.height() // 2))
        _drive_dialog(qtbot, tmp_path / "out", ["Markdown", "Word"])(dlg)

    _when_modal(qtbot, ExportDialog, look)
    problems: list[str] = []
    watching = [True]

    def close_problems() -> None:  # a report of problems after the export, if one comes
        w = QApplication.activeModalWidget()
        if isinstance(w, QMessageBox):
            problems.append(w.text() + w.informativeText())
            w.accept()
        if watching[0]:
            QTimer.singleShot(50, close_problems)

    QTimer.singleShot(50, close_problems)
    try:
        with qtbot.waitSignal(c.export_finished, timeout=60_000) as done:
            window.acts.export.trigger()
        qtbot.wait(500)
    finally:
        watching[0] = False
    assert seen["word"] == (False, False) and seen["epub"] is False and seen["md"] is True
    assert "pypandoc-binary" in seen["note"]
    assert [p.rsplit("/", 1)[-1] for p in done.args[0]] == [f"{c.project.documents[0].name}.md"]
    assert not problems  # no "could not be written" for a format that was never offered
