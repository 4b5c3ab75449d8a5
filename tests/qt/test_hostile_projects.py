"""A project file from someone else in the real window: planted SQL is named in a question and removed
only when the user agrees; a damaged file is refused with its reason and the window goes on."""

from __future__ import annotations

import logging
import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from hostile_corpus import by_name, make, make_base

from desktop_ocr.model import lockfile

pytestmark = pytest.mark.gui


def _answer_question(qtbot, button_text: str | None, seen: list[str]) -> None:
    """Answer the next question box by clicking a button (None: Cancel)."""

    def later() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, later)
            return
        seen.append(box.text() + "\n" + box.informativeText() + "\n" + box.detailedText())
        if button_text is None:
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(50, later)


def test_planted_sql_is_named_and_removed_only_when_the_user_agrees(qtbot, window, tmp_path, caplog):
    path = make(by_name("trigger_tampers_on_autosave"), make_base(tmp_path / "base"), tmp_path)
    c = window.controller
    seen: list[str] = []
    _answer_question(qtbot, None, seen)
    with caplog.at_level(logging.WARNING):
        window.open_paths([str(path)])
    assert len(seen) == 1 and path.name in seen[0] and "trigger tamper" in seen[0]
    assert c.session.is_untitled and c.project.page_count == 0, "not opened without the user's yes"
    assert any("did not write" in r.getMessage() for r in caplog.records)

    _answer_question(qtbot, "Remove and Open", seen)
    window.open_paths([str(path)])
    assert len(seen) == 2
    assert not c.session.is_untitled and c.project.page_count == 2
    qtbot.waitUntil(lambda: window.page_list.model().rowCount() == 2, timeout=5000)
    page = c.project.documents[0].pages[0]
    window.page_list.select_page(page.id)
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    qtbot.waitUntil(lambda: "corrected" in window.editor.editor.toPlainText(), timeout=5000)
    qtbot.keyClicks(window.editor.editor, " typed in the window")  # what autosave writes
    window.editor.flush()
    typed = c.project.page(page.id).text
    assert "typed in the window" in typed
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 0
        stored = conn.execute("SELECT edited_text FROM pages WHERE id = ?", (page.id,)).fetchone()[0]
        assert stored == typed
        assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] >= 1
    finally:
        conn.close()


def test_a_damaged_value_opens_read_only_and_save_as_repairs_it(qtbot, window, tmp_path, caplog):
    path = make(by_name("document_name_is_binary"), make_base(tmp_path / "base"), tmp_path)
    before = path.read_bytes()
    c = window.controller
    with caplog.at_level(logging.WARNING):
        window.open_paths([str(path)])
    assert c.session.read_only and c.project.page_count == 2
    shown = [r.getMessage() for r in caplog.records if "read-only" in r.getMessage()]
    assert shown and path.name in shown[0] and "documents.name" in shown[0] and "binary data" in shown[0]
    assert "read-only" in window.windowTitle()
    assert not lockfile.is_held(path)
    qtbot.waitUntil(lambda: window.page_list.model().rowCount() == 2, timeout=5000)
    window.page_list.grab()  # the window paints the page list (the damaged name crashed it natively)
    window.grab()
    page = c.project.documents[0].pages[0]
    window.page_list.select_page(page.id)
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    qtbot.waitUntil(lambda: "corrected" in window.editor.text(), timeout=5000)
    editor = window.editor.editor
    assert editor.isReadOnly() and "Save As" in window.editor.banner.text()
    qtbot.keyClicks(editor, "typed")
    assert "typed" not in window.editor.text()
    assert c.read_pages([page.id]) == 0  # nothing is read into it either
    assert path.read_bytes() == before

    copy = tmp_path / "repaired.deskocr"
    assert c.save_as(copy)
    assert not c.session.read_only and "read-only" not in window.windowTitle()
    qtbot.waitUntil(lambda: not editor.isReadOnly(), timeout=5000)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " typed after Save As")
    window.editor.flush()
    assert "typed after Save As" in c.project.page(page.id).text
    assert path.read_bytes() == before, "the damaged file is left as it was"
    conn = sqlite3.connect(copy)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM documents")]
        assert all(isinstance(n, str) for n in names)
    finally:
        conn.close()


def test_damage_outside_values_is_refused_and_the_window_goes_on(qtbot, window, tmp_path, caplog):
    path = make(by_name("altered_table"), make_base(tmp_path / "base"), tmp_path)
    c = window.controller
    with caplog.at_level(logging.WARNING):
        window.open_paths([str(path)])
    assert c.session.is_untitled and c.project.page_count == 0 and not c.session.read_only
    shown = [r.getMessage() for r in caplog.records if path.name in r.getMessage()]
    assert shown and "documents" in shown[0]
    assert not lockfile.is_held(path)
    window.grab()
    good = make_base(tmp_path / "good")  # and a good project opens after it
    window.open_paths([str(good)])
    assert c.project.page_count == 2
    qtbot.waitUntil(lambda: window.page_list.model().rowCount() == 2, timeout=5000)
    window.page_list.grab()
