"""An encrypted PDF opened in the real window: what the status bar says when the password question
is answered wrongly or skipped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

pytestmark = pytest.mark.gui


def _locked_pdf(tmp_path):
    import pymupdf
    from sample_docs import make_text_pdf

    src = pymupdf.open(stream=make_text_pdf(), filetype="pdf")
    locked = tmp_path / "minutes-locked.pdf"
    src.save(str(locked), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="owner")
    src.close()
    return locked


def _answer(qtbot, typed: str | None, seen: list) -> None:
    """Answer the next password question: type ``typed`` and press Return, or press Escape (None);
    ``seen`` gets the question and what the status bar said while it was asked."""

    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QInputDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append((dlg.labelText(), dlg.parent().statusBar().currentMessage()))
        field = dlg.findChild(QLineEdit)
        if typed is None:
            qtbot.keyClick(field, Qt.Key.Key_Escape)
        else:
            qtbot.keyClicks(field, typed)
            qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(50, answer)


def test_a_wrong_or_skipped_password_is_said_not_imported_0_documents(qtbot, window, tmp_path):
    """Found in the new-user pass: the status bar said 'Imported 0 documents, 0 pages' while asking
    for the password, and went on saying it after a wrong password or a skipped question."""
    locked = _locked_pdf(tmp_path)
    c, bar = window.controller, window.statusBar()
    seen: list[str] = []
    _answer(qtbot, "wrong", seen)  # the first question: a wrong password
    _answer(qtbot, None, seen)  # the second ("the password is wrong"): skipped
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(locked)])
    # the wrong password's import, then the skipped question
    qtbot.waitUntil(lambda: len(seen) == 2 and QApplication.activeModalWidget() is None, timeout=30_000)
    qtbot.waitUntil(lambda: "was not imported" in bar.currentMessage(), timeout=10_000)
    assert seen[1][0].startswith("The password for minutes-locked.pdf is wrong.")
    assert seen[1][1] == "Nothing was imported: the password for minutes-locked.pdf is wrong"
    message = bar.currentMessage()
    assert "Imported" not in message and "0 documents" not in message
    assert message == "minutes-locked.pdf was not imported: the password was wrong"
    assert c.project.page_count == 0


def test_the_import_waiting_for_a_password_says_so(qtbot, window, tmp_path):
    locked = _locked_pdf(tmp_path)
    c, bar = window.controller, window.statusBar()
    seen: list[str] = []
    _answer(qtbot, None, seen)
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(locked)])
    qtbot.waitUntil(lambda: len(seen) == 1 and QApplication.activeModalWidget() is None, timeout=30_000)
    # while the question is asked, the status bar says why nothing is there yet
    assert seen[0][1] == "Nothing was imported yet: minutes-locked.pdf needs a password"
    assert bar.currentMessage() == "minutes-locked.pdf was not imported: no password was given"
