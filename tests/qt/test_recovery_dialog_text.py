"""The recovery question counts its pages in words a reader expects ("1 page", "3 pages")."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_ocr.ui import dialogs


def _informative_text(qtbot, pages: int) -> str:
    seen: list[str] = []

    def answer() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w.informativeText())
                w.reject()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    session = SimpleNamespace(modified=time.time(), documents=["scan.png"], page_count=pages)
    dialogs.offer_recovery(None, [session])
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return seen[0]


@pytest.mark.parametrize(("pages", "words"), [(1, "1 page in: scan.png"), (3, "3 pages in: scan.png")])
def test_the_recovery_question_counts_pages_in_words(qtbot, pages, words):
    text = _informative_text(qtbot, pages)
    assert words in text
    assert "1 pages" not in text
