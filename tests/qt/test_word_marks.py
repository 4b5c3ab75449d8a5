"""Doubtful words in the real window: the engine's uncertain words and unknown words are underlined,
F8 / Shift+F8 step through them, a corrected word loses its mark, and both can be switched off."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from sample_docs import write_pdf

from desktop_ocr import spelling
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult, ScoredWord
from desktop_ocr.ui.word_marks import DocumentMarks

pytestmark = pytest.mark.gui

TEXT = "# Harbour survey\n\nThe qnick brown fox\n\njumped ovcr the wall."
DOUBTFUL = {"qnick": 0.41, "ovcr": 0.6, "wall": 0.9}  # "wall" is above the 85 % default


def _result() -> PageResult:
    paras = TEXT.split("\n\n")
    blocks = tuple(
        Block("title" if i == 0 else "text", (Box(50, 100 + 200 * i, 900, 180 + 200 * i),), p)
        for i, p in enumerate(paras)
    )
    words = tuple(
        ScoredWord(TEXT.index(w), TEXT.index(w) + len(w), s)
        for w, s in sorted(DOUBTFUL.items(), key=lambda kv: TEXT.index(kv[0]))
    )
    return PageResult(blocks, raw=TEXT, markdown=TEXT, engine="test", words=words)


@pytest.fixture
def marked_page(qtbot, window, tmp_path):
    c = window.controller
    c.settings.spell_languages = []  # only the engine's marks unless a test asks for spelling
    window.editor.editor.word_marks.apply_settings(c.settings)
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "survey.pdf", [["Harbour survey", "text"]] * 2))])
    pages = c.project.documents[0].pages
    c.project.set_result(pages[0].id, _result())
    qtbot.waitUntil(lambda: window.current_page_id() == pages[0].id, timeout=5000)
    window.show_page(pages[0].id)
    assert window.editor.text() == TEXT
    window.activateWindow()
    editor = window.editor.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    cur = editor.textCursor()
    cur.setPosition(0)
    editor.setTextCursor(cur)
    return window, pages


def _underlined(editor, word: str, kind: str = "uncertain") -> bool:
    """Whether every character of ``word`` is drawn with the highlighter's underline of ``kind``."""
    text = editor.toPlainText()
    start = text.index(word)
    block = editor.document().findBlock(start)
    want = editor.highlighter.format_for(kind)
    ranges = block.layout().formats()
    for pos in range(start - block.position(), start - block.position() + len(word)):
        fmts = [r.format for r in ranges if r.start <= pos < r.start + r.length]
        if not any(
            f.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
            and f.underlineColor() == want.underlineColor()
            for f in fmts
        ):
            return False
    return True


def _any_underline(editor) -> bool:
    block = editor.document().firstBlock()
    while block.isValid():
        if any(
            r.format.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
            for r in block.layout().formats()
        ):
            return True
        block = block.next()
    return False


def _selected(editor) -> str:
    return editor.textCursor().selectedText()


def test_f8_steps_through_the_uncertain_words_and_typing_a_correction_removes_the_mark(qtbot, marked_page):
    window, pages = marked_page
    editor = window.editor.editor
    assert _underlined(editor, "qnick") and _underlined(editor, "ovcr")
    assert not _underlined(editor, "wall")  # sure enough for the default 85 %
    assert not _underlined(editor, "brown")

    qtbot.keyClick(editor, Qt.Key.Key_F8)
    assert _selected(editor) == "qnick"
    qtbot.keyClick(editor, Qt.Key.Key_F8)
    assert _selected(editor) == "ovcr"
    qtbot.keyClick(editor, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert _selected(editor) == "qnick"
    assert window.current_page_id() == pages[0].id  # the keys stayed in the text

    # the user types the correction over the selected word
    qtbot.keyClicks(editor, "quick")
    assert "The quick brown fox" in editor.toPlainText()
    assert not _underlined(editor, "quick")
    assert _underlined(editor, "ovcr")  # the other mark moved along and stays
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_F8)
    assert _selected(editor) == "ovcr"

    # typing onto the end of a word changes it too
    cur = editor.textCursor()
    cur.setPosition(cur.selectionEnd())
    editor.setTextCursor(cur)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, "er")
    assert "jumped over the wall." in editor.toPlainText()
    assert not _underlined(editor, "over")
    assert [editor.toPlainText()[w.start : w.end] for w in DocumentMarks.of(editor.document()).words()] == [
        "wall"
    ]

    # past the last mark F8 is the window's "next page needing attention" again
    qtbot.keyClick(editor, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.current_page_id() == pages[1].id, timeout=3000)
    # the next page has no marks, and none of the first page's is drawn on its text
    window.editor.editor.setPlainText("The qnick brown fox jumped ovcr the wall.")
    assert not _any_underline(window.editor.editor)


def test_the_marks_follow_the_saved_correction_when_the_page_is_shown_again(qtbot, marked_page):
    window, pages = marked_page
    editor = window.editor.editor
    qtbot.keyClick(editor, Qt.Key.Key_F8)
    qtbot.keyClicks(editor, "quick")
    window.editor.flush()
    window.acts.next_page.trigger()
    qtbot.waitUntil(lambda: window.current_page_id() == pages[1].id, timeout=3000)
    window.editor.forget_documents()  # as after re-opening: the marks come from the stored result
    window.acts.prev_page.trigger()
    qtbot.waitUntil(lambda: window.current_page_id() == pages[0].id, timeout=3000)
    editor = window.editor.editor
    assert "The quick brown" in editor.toPlainText()
    assert not _underlined(editor, "quick") and _underlined(editor, "ovcr")


def test_the_view_menu_switches_the_marks_off_and_on(qtbot, marked_page):
    window, pages = marked_page
    editor = window.editor.editor
    window.acts.mark_uncertain.trigger()
    assert not window.controller.settings.mark_uncertain
    assert not _underlined(editor, "qnick")
    qtbot.keyClick(editor, Qt.Key.Key_F8)  # nothing to step to: F8 is the window's again
    qtbot.waitUntil(lambda: window.current_page_id() == pages[1].id, timeout=3000)
    window.acts.prev_page.trigger()
    qtbot.waitUntil(lambda: window.current_page_id() == pages[0].id, timeout=3000)
    window.acts.mark_uncertain.trigger()
    assert window.acts.mark_uncertain.isChecked() and window.controller.settings.mark_uncertain
    assert _underlined(editor, "qnick")


@pytest.mark.skipif(not spelling.available(), reason="no spelling dictionaries installed")
def test_unknown_words_are_underlined_in_the_chosen_language(qtbot, marked_page):
    window, _pages = marked_page
    editor = window.editor.editor
    marks = editor.word_marks
    c = window.controller
    c.settings.mark_uncertain = False
    c.settings.spell_languages = ["en_US"]
    marks.apply_settings(c.settings)
    qtbot.waitUntil(lambda: _underlined(editor, "qnick", "misspelled"), timeout=20_000)
    assert marks.spelling.wait()
    assert _underlined(editor, "ovcr", "misspelled")
    assert _underlined(editor, "Harbour", "misspelled")  # British: not in the American dictionary
    for word in ("survey", "brown", "jumped", "wall"):
        assert not _underlined(editor, word, "misspelled"), word
    c.settings.spell_languages = ["en_US", "en_GB"]
    marks.apply_settings(c.settings)
    # While the new dictionaries load, the old marks are gone: wait for the new ones, not the gap.
    qtbot.waitUntil(
        lambda: (
            not _underlined(editor, "Harbour", "misspelled") and _underlined(editor, "qnick", "misspelled")
        ),
        timeout=20_000,
    )
    assert marks.spelling.wait()
    assert _underlined(editor, "qnick", "misspelled")
    qtbot.keyClick(editor, Qt.Key.Key_F8)
    assert _selected(editor) == "qnick"
    window.acts.check_spelling.trigger()  # off
    assert not _underlined(editor, "qnick", "misspelled")
    window.acts.check_spelling.trigger()


def test_screenshot_of_the_marks(qtbot, marked_page, tmp_path):
    """A picture to look at (DESKTOP_OCR_SHOTS=folder keeps it)."""
    window, _pages = marked_page
    if spelling.available():
        window.controller.settings.spell_languages = ["en_US"]
        window.editor.editor.word_marks.apply_settings(window.controller.settings)
        qtbot.waitUntil(lambda: _underlined(window.editor.editor, "ovcr", "misspelled") or True, timeout=100)
        window.editor.editor.word_marks.spelling.wait()
        qtbot.wait(100)
    window.resize(1300, 700)
    qtbot.wait(50)
    folder = os.environ.get("DESKTOP_OCR_SHOTS") or str(tmp_path)
    assert window.grab().save(os.path.join(folder, "word-marks.png"))


def test_a_dictionary_that_is_not_there_is_named_in_the_status_bar(qtbot, marked_page):
    window, _pages = marked_page
    c = window.controller
    c.settings.spell_languages = ["xx_NOPE"]
    window.editor.editor.word_marks.apply_settings(c.settings)
    window.editor.editor.highlighter.rehighlight()  # asks for the words: the worker starts
    qtbot.waitUntil(lambda: "xx_NOPE" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.editor.editor.word_marks.spelling.wait()


def test_the_marks_stay_on_their_words_after_block_operations(qtbot, marked_page):
    """Delete Block, Relabel, Move Block: Qt reports such an edit as the whole text replaced, so
    every mark was dropped, and the lines kept underlines at the old places (on "The q", "D." of
    "J. D. Ergle" on a real form after its signature block was deleted)."""
    from PySide6.QtTest import QTest

    window, _pages = marked_page
    editor = window.editor.editor
    ctrl_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier

    def click(phrase: str) -> None:
        cur = editor.textCursor()
        cur.setPosition(editor.toPlainText().index(phrase))
        editor.setTextCursor(cur)
        QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.cursorRect(cur).center())

    def marked_words() -> list[str]:
        """The words drawn with the uncertain-word underline, line by line."""
        want = editor.highlighter.format_for("uncertain").underlineColor()
        out = []
        block = editor.document().firstBlock()
        while block.isValid():
            for r in block.layout().formats():
                if (
                    r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
                    and r.format.underlineColor() == want
                ):
                    out.append(block.text()[r.start : r.start + r.length])
            block = block.next()
        return out

    assert marked_words() == ["qnick", "ovcr"]

    def drawn(words: list[str]) -> None:
        qtbot.waitUntil(lambda: marked_words() == words, timeout=2000)

    click("Harbour survey")
    QTest.keyClick(editor, Qt.Key.Key_D, ctrl_alt)  # Block > Delete Block
    assert editor.toPlainText() == "The qnick brown fox\n\njumped ovcr the wall."
    drawn(["qnick", "ovcr"])
    click("jumped")
    QTest.keyClick(editor, Qt.Key.Key_PageUp, ctrl_alt)  # Block > Move Block Earlier
    assert editor.toPlainText() == "jumped ovcr the wall.\n\nThe qnick brown fox"
    drawn(["ovcr", "qnick"])
    click("The qnick")
    window.blocks.menu.aboutToShow.emit()  # the Block menu opened on the cursor's block
    relabel = next(a.menu() for a in window.blocks.menu.actions() if a.menu() is not None)
    next(a for a in relabel.actions() if a.text() == "Title").trigger()  # Block > Relabel > Title
    assert editor.toPlainText() == "jumped ovcr the wall.\n\n# The qnick brown fox"
    drawn(["ovcr", "qnick"])
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "jumped ovcr the wall.\n\nThe qnick brown fox"
    drawn(["ovcr", "qnick"])
