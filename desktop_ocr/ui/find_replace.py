"""Find and replace bar for a text editor: next/previous, case, whole word, regex, replace all."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPalette, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

#: Matches highlighted at most (the count is still exact).
MAX_HIGHLIGHTS = 2000


class FindReplaceBar(QWidget):
    """A bar above an editor. Replace all is one undo step; regex replacements accept \\1 or $1."""

    matches_changed = Signal(int, int)  # current (1-based, 0 when none), total
    closed = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._matches: list[tuple[int, int]] = []
        self._error = ""
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setPlaceholderText(self.tr("Replace with"))
        self.replace_edit.setClearButtonEnabled(True)
        self.case_button = self._toggle("Aa", self.tr("Match case"))
        self.word_button = self._toggle("W", self.tr("Whole words"))
        self.regex_button = self._toggle(".*", self.tr("Regular expression"))
        self.prev_button = self._button("↑", self.tr("Previous match (Shift+F3)"), self.find_previous)
        self.next_button = self._button("↓", self.tr("Next match (F3)"), self.find_next)
        self.replace_button = self._button(
            self.tr("Replace"), self.tr("Replace this match"), self.replace_current
        )
        self.replace_all_button = self._button(
            self.tr("Replace all"), self.tr("Replace every match"), self.replace_all
        )
        self.close_button = self._button("✕", self.tr("Close (Esc)"), self.hide_bar)
        self.close_button.setAutoRaise(True)
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(80)
        muted = QPalette(self.count_label.palette())
        self.count_label.setPalette(muted)

        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addWidget(self.case_button, 0, 1)
        grid.addWidget(self.word_button, 0, 2)
        grid.addWidget(self.regex_button, 0, 3)
        grid.addWidget(self.prev_button, 0, 4)
        grid.addWidget(self.next_button, 0, 5)
        grid.addWidget(self.count_label, 0, 6)
        grid.addWidget(self.close_button, 0, 7)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addWidget(self.replace_button, 1, 1, 1, 3)
        grid.addWidget(self.replace_all_button, 1, 4, 1, 3)
        grid.setColumnStretch(0, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)
        self._refresh_timer.timeout.connect(self.refresh)
        self.find_edit.textChanged.connect(self._on_pattern_changed)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_current)
        for b in (self.case_button, self.word_button, self.regex_button):
            b.toggled.connect(self._on_pattern_changed)
        editor.textChanged.connect(self._schedule_refresh)  # follows the editor to another document
        for seq, slot in (("F3", self.find_next), ("Shift+F3", self.find_previous)):
            sc = QShortcut(QKeySequence(seq), editor, slot)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_replace_visible(False)
        self.hide()

    def _toggle(self, text: str, tip: str) -> QToolButton:
        return toggle_button(self, text, tip)

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    # -- showing ------------------------------------------------------------------------------
    def show_find(self, replace: bool = False) -> None:
        """Open the bar (with the replace row), seeded with the editor's selection."""
        self.set_replace_visible(replace)
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()
        self.refresh()

    def set_replace_visible(self, visible: bool) -> None:
        for w in (self.replace_edit, self.replace_button, self.replace_all_button):
            w.setVisible(visible)

    def hide_bar(self) -> None:
        self.hide()
        self._editor.setExtraSelections([])
        self._editor.setFocus()
        self.closed.emit()

    def event(self, event: QEvent) -> bool:
        # Esc closes the bar: it is taken before the window's shortcuts see it (Esc there cancels
        # the page being read, which is not what Esc in a find field means)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide_bar()
            return
        super().keyPressEvent(event)

    # -- matching -----------------------------------------------------------------------------
    def set_options(self, case: bool = False, whole_word: bool = False, regex: bool = False) -> None:
        for b, on in ((self.case_button, case), (self.word_button, whole_word), (self.regex_button, regex)):
            b.blockSignals(True)
            b.setChecked(on)
            b.blockSignals(False)
        self.refresh()

    def expression(self) -> QRegularExpression | None:
        pattern = self.find_edit.text()
        if not pattern:
            return None
        if not self.regex_button.isChecked():
            pattern = QRegularExpression.escape(pattern)
        if self.word_button.isChecked():
            pattern = rf"\b(?:{pattern})\b"
        options = (
            QRegularExpression.PatternOption.MultilineOption
            | QRegularExpression.PatternOption.UseUnicodePropertiesOption
        )
        if not self.case_button.isChecked():
            options |= QRegularExpression.PatternOption.CaseInsensitiveOption
        rx = QRegularExpression(pattern, options)
        return rx if rx.isValid() else None

    def _on_pattern_changed(self, *_args) -> None:
        self.refresh()
        if self._matches:
            self._select_from(self._editor.textCursor().selectionStart(), forward=True)

    def _schedule_refresh(self) -> None:
        if self.isVisible():
            self._refresh_timer.start()

    def matches(self) -> list[tuple[int, int]]:
        """(start, end) of every match, in document positions."""
        return list(self._matches)

    def refresh(self) -> None:
        """Recount the matches and highlight them."""
        rx = self.expression()
        self._matches = []
        self._error = ""
        if rx is None:
            if self.find_edit.text():
                self._error = self.tr("Invalid expression")
        else:
            text = self._editor.document().toPlainText()
            it = rx.globalMatch(text)
            while it.hasNext():
                m = it.next()
                if m.capturedLength() == 0:
                    continue
                self._matches.append((m.capturedStart(), m.capturedEnd()))
        self._highlight()

    def _current_index(self) -> int:
        cur = self._editor.textCursor()
        span = (cur.selectionStart(), cur.selectionEnd())
        for i, m in enumerate(self._matches):
            if m == span:
                return i
        return -1

    def _highlight(self) -> None:
        selections = []
        if self.isVisible():
            colour = QColor("#ffd54f")
            dark = self._editor.palette().color(QPalette.ColorRole.Base).lightness() < 128
            colour.setAlpha(110 if dark else 150)
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            doc = self._editor.document()
            for start, end in self._matches[:MAX_HIGHLIGHTS]:
                sel = QTextEdit.ExtraSelection()
                cur = QTextCursor(doc)
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cur
                sel.format = fmt
                selections.append(sel)
        self._editor.setExtraSelections(selections)
        self._update_count()

    def _update_count(self) -> None:
        total = len(self._matches)
        current = self._current_index() + 1
        if self._error:
            text = self._error
        elif not self.find_edit.text():
            text = ""
        elif total == 0:
            text = self.tr("No matches")
        else:
            if current:
                text = self.tr("{current} of {total}").format(current=current, total=total)
            elif total == 1:
                text = self.tr("1 match")
            else:
                text = self.tr("{total} matches").format(total=total)
        self.count_label.setText(text)
        bad = bool(self._error) or (total == 0 and bool(self.find_edit.text()))
        self.find_edit.setStyleSheet("QLineEdit { background: rgba(214, 69, 69, 60); }" if bad else "")
        self.matches_changed.emit(current, total)

    def _select(self, index: int) -> None:
        start, end = self._matches[index]
        cur = self._editor.textCursor()
        cur.setPosition(start)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cur)
        self._editor.ensureCursorVisible()
        self._update_count()

    def _select_from(self, position: int, forward: bool) -> bool:
        if not self._matches:
            self._update_count()
            return False
        if forward:
            index = next((i for i, (s, _e) in enumerate(self._matches) if s >= position), 0)
        else:
            index = next(
                (i for i in range(len(self._matches) - 1, -1, -1) if self._matches[i][1] <= position), -1
            )
            index %= len(self._matches)
        self._select(index)
        return True

    def find_next(self) -> bool:
        self.refresh()
        cur = self._editor.textCursor()
        i = self._current_index()
        start = cur.selectionEnd() if i >= 0 else cur.position()
        if i >= 0 and self._matches[i][0] == self._matches[i][1]:
            start += 1
        return self._select_from(start, forward=True)

    def find_previous(self) -> bool:
        self.refresh()
        return self._select_from(self._editor.textCursor().selectionStart(), forward=False)

    # -- replacing ----------------------------------------------------------------------------
    def _replacement(self, start: int, end: int) -> str:
        template = self.replace_edit.text()
        if not self.regex_button.isChecked():
            return template
        rx = self.expression()
        if rx is None:
            return template
        m = rx.match(self._editor.document().toPlainText(), start)
        if not m.hasMatch() or m.capturedStart() != start:
            return template

        def group(g: re.Match[str]) -> str:
            name = g.group(1) or g.group(2) or g.group(3)
            return m.captured(int(name)) if name.isdigit() else m.captured(name)

        out = re.sub(r"\\(\d)|\$(\d)|\\g<(\w+)>", group, template)
        return out.replace("\\n", "\n").replace("\\t", "\t")

    def replace_current(self) -> bool:
        """Replace the selected match (if the selection is one) and go to the next match."""
        if self._editor.isReadOnly():
            return False
        self.refresh()
        i = self._current_index()
        if i < 0:
            return self.find_next()
        start, end = self._matches[i]
        text = self._replacement(start, end)
        cur = self._editor.textCursor()
        cur.insertText(text)
        self._editor.setTextCursor(cur)
        self.refresh()
        return self._select_from(start + len(text), forward=True) or True

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        if self._editor.isReadOnly():
            return 0
        self.refresh()
        if not self._matches:
            return 0
        replacements = [(s, e, self._replacement(s, e)) for s, e in self._matches]
        cur = QTextCursor(self._editor.document())
        cur.beginEditBlock()
        for start, end, text in reversed(replacements):
            cur.setPosition(start)
            cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cur.insertText(text)
        cur.endEditBlock()
        self.refresh()
        n = len(replacements)
        self.count_label.setText(self.tr("Replaced {n}").format(n=n))
        return n


def toggle_button(parent: QWidget, text: str, tip: str) -> QToolButton:
    """A small checkable option button ("Aa", ".*") as the find bars use."""
    b = QToolButton(parent)
    b.setText(text)
    b.setToolTip(tip)
    b.setCheckable(True)
    b.setAutoRaise(True)
    return b
