"""Doubtful words in the page editor: the engine's uncertain words and the spell checker's unknown ones.

- :class:`DocumentMarks` holds the uncertain words of one page's document and moves them with the
  user's edits; a word the user changes (or types onto) stops being marked.
- :class:`SpellingService` checks words in a worker thread (dictionaries load in seconds) and asks
  for a new highlighting pass when answers arrive; nothing Qt is touched from the thread.
- :class:`WordMarks` is what the editor's highlighter asks for the underlines of a line, and what
  F8 / Shift+F8 step through.
- :class:`ProofreadingBox` is the settings dialog's group for all of it.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QTextBlock, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from desktop_ocr import spelling
from desktop_ocr.model.confidence import WORD_RE
from desktop_ocr.model.result import ScoredWord
from desktop_ocr.settings import Settings
from desktop_ocr.ui.block_text import common_ends

UNCERTAIN, MISSPELLED = "uncertain", "misspelled"


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    score: float
    word: str  # the text it marks: a mark whose text changed is dropped


class DocumentMarks(QObject):
    """The uncertain words of one document, following its edits (a child of the document)."""

    # a mark was dropped or moved: the lines around ``position`` need a new highlighting pass
    changed = Signal(int)

    def __init__(self, document: QTextDocument, words: Sequence[ScoredWord]) -> None:
        super().__init__(document)
        self.setObjectName("uncertain_words")
        text = document.toPlainText()
        self._marks = [
            _Mark(w.start, w.end, w.score, text[w.start : w.end])
            for w in sorted(words, key=lambda w: w.start)
            if w.end <= len(text)
        ]
        self._text = text  # as it was before the next change (kept while there are marks)
        self._redraw: tuple[int, int] | None = None  # the stretch of lines to draw again
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(0)
        self._redraw_timer.timeout.connect(self._emit_redraw)
        document.contentsChange.connect(self._on_change)

    @staticmethod
    def of(document: QTextDocument) -> DocumentMarks | None:
        found = document.findChild(DocumentMarks, "uncertain_words")
        return found if isinstance(found, DocumentMarks) else None

    @classmethod
    def install(cls, document: QTextDocument, words: Sequence[ScoredWord]) -> DocumentMarks:
        """Replace the document's marks with ``words`` (positions in its current text)."""
        old = cls.of(document)
        if old is not None:
            document.contentsChange.disconnect(old._on_change)
            old.setParent(None)
            old.deleteLater()
        return cls(document, words)

    def words(self) -> list[ScoredWord]:
        return [ScoredWord(m.start, m.end, m.score) for m in self._marks]

    def between(self, start: int, end: int) -> list[ScoredWord]:
        """Marks that overlap ``[start, end)``."""
        i = bisect.bisect_left(self._marks, start, key=lambda m: m.end)
        out = []
        while i < len(self._marks) and self._marks[i].start < end:
            m = self._marks[i]
            out.append(ScoredWord(m.start, m.end, m.score))
            i += 1
        return out

    def _on_change(self, pos: int, removed: int, added: int) -> None:
        if not self._marks:
            return
        doc = self.parent()
        assert isinstance(doc, QTextDocument)
        text = doc.toPlainText()
        shown = (pos, pos + added)  # what the highlighter drew again, before the marks followed
        old = self._text
        pos, removed, added = _real_change(old, text, pos, removed, added)
        self._text = text
        if removed == added == 0:
            return  # only formats changed (a block operation marks every block's characters)
        delta = added - removed
        kept: list[_Mark] = []
        dropped = False
        for m in self._marks:
            if m.end < pos:  # before the change, not touching it
                kept.append(m)
                continue
            if m.start > pos + removed:  # after it
                kept.append(_Mark(m.start + delta, m.end + delta, m.score, m.word))
                continue
            # touching or overlapping: kept only where its word is still there, whole
            if m.end <= pos:
                start = m.start
            elif m.start >= pos + removed:
                start = m.start + delta
            elif removed == added:  # as long as before: perhaps only formats changed
                start = m.start
            else:
                start = -1
            if not self._whole_at(text, start, m.word):
                moved_to = _line_moved(old, text, m.start)  # its line moved or got marks (a block edit)
                if moved_to is None or not self._whole_at(text, moved_to, m.word):
                    dropped = True
                    continue
                start = moved_to
            kept.append(_Mark(start, start + len(m.word), m.score, m.word))
        kept.sort(key=lambda m: m.start)  # a moved block's marks come before or after the others
        moved = [(m.start, m.end) for m in kept] != [(m.start, m.end) for m in self._marks]
        self._marks = kept
        if dropped or moved:
            # the highlighter drew the reported lines with the marks as they were: draw them again,
            # once the document has finished reporting the change (a redraw inside it is undone)
            self._redraw = (
                min(shown[0], pos, self._redraw[0]) if self._redraw else min(shown[0], pos),
                max(shown[1], pos + added, self._redraw[1]) if self._redraw else max(shown[1], pos + added),
            )
            if not self._redraw_timer.isActive():
                self._redraw_timer.start()

    @staticmethod
    def _whole_at(text: str, start: int, word: str) -> bool:
        """Whether ``word`` stands at ``start`` of ``text``, as a whole word."""
        end = start + len(word)
        if start < 0 or text[start:end] != word:
            return False
        return (start == 0 or not _word_char(text[start - 1])) and (
            end >= len(text) or not _word_char(text[end])
        )

    def _emit_redraw(self) -> None:
        span, self._redraw = self._redraw, None
        doc = self.parent()
        if span is None or not isinstance(doc, QTextDocument):
            return
        block = doc.findBlock(span[0])
        last = doc.findBlock(min(span[1], max(0, doc.characterCount() - 1)))
        while block.isValid():
            self.changed.emit(block.position())
            if block == last:
                break
            block = block.next()


def _line_moved(old: str, new: str, position: int) -> int | None:
    """Where ``position`` of ``old`` is in ``new`` when its whole line is there unchanged, once (a
    block operation moves lines, adds or removes a heading's marks before them): else None."""
    start = old.rfind("\n", 0, position) + 1
    end = old.find("\n", position)
    line = old[start : len(old) if end < 0 else end]
    if not line.strip():
        return None
    found = new.find(line)
    if found < 0 or new.find(line, found + 1) >= 0:
        return None
    return found + position - start


def _real_change(old: str, new: str, pos: int, removed: int, added: int) -> tuple[int, int, int]:
    """The stretch that really changed, as (position, removed, added). Qt reports one change for a
    whole edit block: a block operation replaces a few characters and marks every block's
    characters, which it reports as the whole text replaced."""
    if len(old) - removed != len(new) - added or pos + removed > len(old):
        pos, removed, added = 0, len(old), len(new)  # a report that does not fit: compare it all
    a, b = old[pos : pos + removed], new[pos : pos + added]
    if a == b:
        return pos, 0, 0
    lead, trail = common_ends(a, b)
    return pos + lead, len(a) - lead - trail, len(b) - lead - trail


def _word_char(ch: str) -> bool:
    return bool(WORD_RE.match(ch))


class SpellingService(QObject):
    """Spell checking off the GUI thread: :meth:`status` answers from the cache or queues the word;
    ``checked`` is emitted (on the GUI thread) when queued words have their answers."""

    checked = Signal()
    # the dictionaries that could not be loaded (codes), once per set of languages
    unavailable = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speller: spelling.Speller | None = None
        self._pending: list[str] = []
        self._queued: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failed: list[str] | None = None
        self._done = 0  # batches answered by the thread
        self._seen = 0
        self._poll = QTimer(self)
        self._poll.setInterval(60)
        self._poll.timeout.connect(self._collect)

    def set_languages(self, codes: Sequence[str]) -> None:
        codes = tuple(c for c in codes if c)
        if self._speller is not None and self._speller.languages == codes:
            return
        with self._lock:
            self._pending.clear()
            self._queued.clear()
        self._speller = spelling.Speller(codes) if codes else None
        self._failed = None

    def languages(self) -> tuple[str, ...]:
        return self._speller.languages if self._speller is not None else ()

    def status(self, word: str) -> bool | None:
        """True: known (or not for the checker), False: unknown, None: being checked."""
        speller = self._speller
        if speller is None or not spelling.checkable(word):
            return True
        answer = speller.cached(word)
        if answer is None:
            with self._lock:
                if word not in self._queued:
                    self._queued.add(word)
                    self._pending.append(word)
            self._start(speller)
        return answer

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float = 10.0) -> bool:
        """Let the worker finish (tests, shutdown); True when it did."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._collect()
        return not self.busy()

    def _start(self, speller: spelling.Speller) -> None:
        if self.busy():
            return
        self._thread = threading.Thread(target=self._run, args=(speller,), name="spelling", daemon=True)
        self._thread.start()
        self._poll.start()

    def _run(self, speller: spelling.Speller) -> None:
        failed = speller.load()
        if failed and self._failed is None:
            self._failed = failed
        while True:
            with self._lock:
                if speller is not self._speller or not self._pending:
                    return
                batch, self._pending[:] = self._pending[:400], self._pending[400:]
            for word in batch:
                speller.known(word)
            with self._lock:
                self._queued.difference_update(batch)
                self._done += 1

    def _collect(self) -> None:
        """On the GUI thread: announce answers the worker found since the last look."""
        if self._failed:
            failed, self._failed = self._failed, []
            self.unavailable.emit(failed)
        if self._done != self._seen:
            self._seen = self._done
            self.checked.emit()
        if not self.busy():
            self._poll.stop()


class WordMarks(QObject):
    """The underlines of the editor and the words F8 steps through."""

    # what is shown changed (switched on/off, other languages, new answers): highlight again
    changed = Signal()
    # new settings were applied (the View menu's switches follow)
    settings_applied = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.show_uncertain = True
        self.threshold = 0.85
        self.spell_check = True
        # while the page is being read (text streaming in) nothing is spell checked
        self.paused = False
        self.spelling = SpellingService(self)
        self.spelling.checked.connect(self.changed)

    def set_paused(self, paused: bool) -> None:
        if paused != self.paused:
            self.paused = paused
            if not paused and self.spell_check and self.spelling.languages():
                self.changed.emit()

    def apply_settings(self, settings: Settings) -> None:
        before = (self.show_uncertain, self.threshold, self.spell_check, self.spelling.languages())
        self.show_uncertain = settings.mark_uncertain
        self.threshold = settings.uncertain_below / 100
        self.spell_check = settings.spell_check
        self.spelling.set_languages(settings.spell_languages)
        if before != (self.show_uncertain, self.threshold, self.spell_check, self.spelling.languages()):
            self.changed.emit()
        self.settings_applied.emit()

    def line_marks(
        self, block: QTextBlock, text: str, in_markup: Callable[[int], bool]
    ) -> list[tuple[int, int, str]]:
        """``(start, length, kind)`` in the line ``block`` (whose text is ``text``)."""
        out: list[tuple[int, int, str]] = []
        base = block.position()
        uncertain: list[tuple[int, int]] = []
        if self.show_uncertain:
            marks = DocumentMarks.of(block.document())
            if marks is not None:
                for w in marks.between(base, base + len(text)):
                    if w.score < self.threshold:
                        uncertain.append((max(0, w.start - base), min(len(text), w.end - base)))
        out.extend((a, b - a, UNCERTAIN) for a, b in uncertain)
        if self.spell_check and not self.paused and self.spelling.languages():
            for m in WORD_RE.finditer(text):
                a, b = m.span()
                if any(a < ue and ua < b for ua, ue in uncertain) or in_markup(a):
                    continue
                if self.spelling.status(m.group()) is False:
                    out.append((a, b - a, MISSPELLED))
        return out

    def document_marks(self, document: QTextDocument) -> list[tuple[int, int]]:
        """Every marked word of ``document`` in text order, as ``(start, end)``."""
        spans: set[tuple[int, int]] = set()
        if self.show_uncertain and (marks := DocumentMarks.of(document)) is not None:
            spans.update((w.start, w.end) for w in marks.words() if w.score < self.threshold)
        if self.spell_check and not self.paused and self.spelling.languages():
            text = document.toPlainText()
            for m in WORD_RE.finditer(text):
                if self.spelling.status(m.group()) is False:
                    spans.add(m.span())
        return sorted(spans)

    def step(self, document: QTextDocument, start: int, end: int, forward: bool) -> tuple[int, int] | None:
        """The marked word after the selection ``[start, end)`` (or before it), or None."""
        spans = self.document_marks(document)
        if forward:
            return next(((a, b) for a, b in spans if a >= end and (a, b) != (start, end)), None)
        return next(((a, b) for a, b in reversed(spans) if b <= start), None)


def bind_proofreading(
    uncertain: QAction, spelling_action: QAction, marks: WordMarks, controller: Any
) -> None:
    """The View menu's switches: they show and change ``controller.settings`` (saved at quit)."""

    def sync() -> None:
        for action, on in ((uncertain, controller.settings.mark_uncertain),
                           (spelling_action, controller.settings.spell_check)):  # fmt: skip
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def toggled(name: str, on: bool) -> None:
        setattr(controller.settings, name, on)
        marks.apply_settings(controller.settings)

    def unavailable(codes: list[str]) -> None:
        message = QCoreApplication.translate(
            "WordMarks", "These spelling dictionaries could not be loaded: {codes}"
        ).format(codes=", ".join(str(c) for c in codes))
        controller.status_message.emit(message, 8000)

    marks.spelling.unavailable.connect(unavailable)
    marks.apply_settings(controller.settings)
    sync()
    marks.settings_applied.connect(sync)
    uncertain.toggled.connect(lambda on: toggled("mark_uncertain", on))
    spelling_action.toggled.connect(lambda on: toggled("spell_check", on))


def language_title(code: str) -> str:
    """ "en_US" -> "English (United States)" in that language's own words where Qt knows them."""
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    name = locale.nativeLanguageName() or QLocale.languageToString(locale.language())
    if "_" in code:
        territory = locale.nativeTerritoryName() or QLocale.territoryToString(locale.territory())
        return f"{name} ({territory}) – {code}"
    return f"{name} – {code}"


class ProofreadingBox(QGroupBox):
    """The settings of uncertain-word marks and spell checking."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Proofreading"))
        form = QFormLayout(self)
        self.uncertain = QCheckBox(self.tr("Underline words the engine was unsure of"))
        self.uncertain.setChecked(settings.mark_uncertain)
        form.addRow(self.uncertain)
        self.threshold = QSpinBox(minimum=1, maximum=95, suffix=" %")
        self.threshold.setValue(settings.uncertain_below)
        self.threshold.setToolTip(self.tr("Words read with a lower confidence are underlined"))
        form.addRow(self.tr("Confidence below"), self.threshold)
        self.spell = QCheckBox(self.tr("Underline words not in the dictionaries"))
        self.spell.setChecked(settings.spell_check)
        form.addRow(self.spell)
        self.languages = QListWidget()
        self.languages.setMaximumHeight(120)
        codes = spelling.available()
        for code in codes:
            item = QListWidgetItem(language_title(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if code in settings.spell_languages else Qt.CheckState.Unchecked
            )
            self.languages.addItem(item)
        self.languages.sortItems()
        form.addRow(self.tr("Dictionaries"), self.languages)
        if not codes:
            note = QLabel(
                self.tr(
                    "No dictionaries are installed. Install desktop-ocr with its 'spelling' extra "
                    "to check spelling."
                )
            )
            note.setWordWrap(True)
            form.addRow(note)
            self.languages.hide()
        form.addRow(QLabel(self.tr("F8 in the text goes to the next marked word, Shift+F8 to the previous.")))

    def apply(self, settings: Settings) -> None:
        settings.mark_uncertain = self.uncertain.isChecked()
        settings.uncertain_below = self.threshold.value()
        settings.spell_check = self.spell.isChecked()
        chosen = [
            self.languages.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.languages.count())
            if self.languages.item(i).checkState() == Qt.CheckState.Checked
        ]
        settings.spell_languages = [str(c) for c in chosen]
