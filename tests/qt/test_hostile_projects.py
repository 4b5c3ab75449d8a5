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
    assert c.is_untitled and c.project.page_count == 0, "not opened without the user's yes"
    assert any("did not write" in r.getMessage() for r in caplog.records)

    _answer_question(qtbot, "Remove and Open", seen)
    window.open_paths([str(path)])
    assert len(seen) == 2
    assert not c.is_untitled and c.project.page_count == 2
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


def test_a_damaged_name_is_refused_and_the_window_goes_on(qtbot, window, tmp_path, caplog):
    path = make(by_name("document_name_is_binary"), make_base(tmp_path / "base"), tmp_path)
    c = window.controller
    with caplog.at_level(logging.WARNING):
        window.open_paths([str(path)])
    assert c.is_untitled and c.project.page_count == 0
    shown = [r.getMessage() for r in caplog.records if path.name in r.getMessage()]
    assert shown and "documents.name" in shown[0] and "binary data" in shown[0]
    window.page_list.grab()  # the window still paints
    window.grab()
    good = make_base(tmp_path / "good")  # and a good project opens after it
    window.open_paths([str(good)])
    assert c.project.page_count == 2
    qtbot.waitUntil(lambda: window.page_list.model().rowCount() == 2, timeout=5000)
    window.page_list.grab()
