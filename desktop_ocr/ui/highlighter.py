"""Markdown syntax highlighting for the page editor: colours only, the text is never changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

# Block states (one per text block, i.e. per line) for constructs spanning lines.
_NORMAL, _CODE_FENCE, _DISPLAY_MATH, _DOLLAR_MATH, _COMMENT = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Theme:
    heading: str
    emphasis: str
    link: str
    url: str
    code: str
    code_bg: str
    tag: str
    attribute: str
    math: str
    math_delim: str
    marker: str
    comment: str
    uncertain: str  # underline of words the engine was unsure of
    uncertain_bg: str
    misspelled: str  # underline of words not in the dictionaries


#: Colours picked to keep good contrast on a white and on a near-black editor background.
LIGHT = Theme(
    heading="#b5302a",
    emphasis="#6f3fb0",
    link="#1f5fbf",
    url="#5b7aa6",
    code="#0b6e4f",
    code_bg="#eef3f0",
    tag="#9c4a00",
    attribute="#8a6d1d",
    math="#0d6f80",
    math_delim="#5f9aa6",
    marker="#c0541a",
    comment="#7d8590",
    uncertain="#d97a00",
    uncertain_bg="#fff1d6",
    misspelled="#d0202a",
)
DARK = Theme(
    heading="#ff8a7a",
    emphasis="#c9a0ff",
    link="#79b8ff",
    url="#8fa8c8",
    code="#7ee0b0",
    code_bg="#24302b",
    tag="#f0a458",
    attribute="#e0c070",
    math="#66d9e8",
    math_delim="#7fb0b8",
    marker="#ffa657",
    comment="#8b949e",
    uncertain="#ffb340",
    uncertain_bg="#3d2e12",
    misspelled="#ff6b6b",
)

_HEADING = re.compile(r"^ {0,3}(#{1,6})(\s.*|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_LIST = re.compile(r"^\s*([-*+]|\d+[.)])\s")
_QUOTE = re.compile(r"^\s*(>+)")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(
    r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)|(?<![_\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])"
)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)((?:\s+[^<>]*?)?)\s*/?>")
_ATTR = re.compile(r"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_INLINE_MATH = re.compile(
    r"\\\((.+?)\\\)|(?<![\\$])\$(?!\$)(?=\S)(.+?)(?<=\S)(?<!\\)\$(?!\$)|\$\$(.+?)\$\$|\\\[(.+?)\\\]"
)
_COMMENT_START, _COMMENT_END = "<!--", "-->"


#: ``(line, its text, in_markup(position)) -> [(start, length, kind)]``: words to underline in a
#: line, kind "uncertain" or "misspelled" (``ui.word_marks.WordMarks.line_marks``).
LineMarks = Callable[[QTextBlock, str, Callable[[int], bool]], list[tuple[int, int, str]]]
_MARKUP = ("tag", "attribute", "url", "code", "math", "math_delim", "comment")


class MarkdownHighlighter(QSyntaxHighlighter):
    """Headings, emphasis, links/images, code, HTML tags (tables), LaTeX and comments; and the
    underlines of doubtful words that ``marks_for_line`` gives."""

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self._markup_colours: set[int] = set()
        self.marks_for_line: LineMarks | None = None
        self.set_dark(dark)

    @staticmethod
    def dark_palette(palette: QPalette) -> bool:
        return palette.color(QPalette.ColorRole.Base).lightness() < 128

    def set_dark(self, dark: bool) -> None:
        theme = DARK if dark else LIGHT
        self._dark = dark

        def fmt(
            colour: str, bold: bool = False, italic: bool = False, bg: str | None = None
        ) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(QColor(colour))
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            if italic:
                f.setFontItalic(True)
            if bg:
                f.setBackground(QColor(bg))
            return f

        strike = QTextCharFormat()
        strike.setFontStrikeOut(True)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        italic = QTextCharFormat()
        italic.setFontItalic(True)
        self._formats = {
            "heading": fmt(theme.heading, bold=True),
            "heading_marker": fmt(theme.marker, bold=True),
            "bold": bold,
            "italic": italic,
            "strike": strike,
            "emphasis_marker": fmt(theme.emphasis),
            "link": fmt(theme.link),
            "url": fmt(theme.url),
            "code": fmt(theme.code, bg=theme.code_bg),
            "tag": fmt(theme.tag),
            "attribute": fmt(theme.attribute),
            "math": fmt(theme.math),
            "math_delim": fmt(theme.math_delim, bold=True),
            "marker": fmt(theme.marker, bold=True),
            "comment": fmt(theme.comment, italic=True),
            "uncertain": _underline(theme.uncertain, theme.uncertain_bg),
            "misspelled": _underline(theme.misspelled),
        }
        self._markup_colours = {self._formats[k].foreground().color().rgba() for k in _MARKUP}
        self.rehighlight()

    def format_for(self, name: str) -> QTextCharFormat:
        """The format used for a kind of span (for tests and legends)."""
        return QTextCharFormat(self._formats[name])

    # -- highlighting --------------------------------------------------------------------------
    def highlightBlock(self, text: str) -> None:
        self._markdown(text)
        if self.marks_for_line is not None and text:
            for start, length, kind in self.marks_for_line(self.currentBlock(), text, self._in_markup):
                for pos in range(start, start + length):
                    merged = QTextCharFormat(self.format(pos))
                    merged.merge(self._formats[kind])
                    self.setFormat(pos, 1, merged)

    def _in_markup(self, position: int) -> bool:
        """Whether the character at ``position`` of the current line is markup (a tag, URL, code,
        math): no word there is spell checked."""
        fmt = self.format(position)
        return fmt.hasProperty(fmt.Property.ForegroundBrush) and fmt.foreground().color().rgba() in (
            self._markup_colours
        )

    def _markdown(self, text: str) -> None:
        f = self._formats
        prev = self.previousBlockState()
        self.setCurrentBlockState(_NORMAL)
        start = 0
        if prev == _CODE_FENCE:
            self.setFormat(0, len(text), f["code"])
            if not _FENCE.match(text):
                self.setCurrentBlockState(_CODE_FENCE)
            return
        if prev in (_DISPLAY_MATH, _DOLLAR_MATH):
            closing = r"\]" if prev == _DISPLAY_MATH else "$$"
            end = text.find(closing)
            if end < 0:
                self.setFormat(0, len(text), f["math"])
                self.setCurrentBlockState(prev)
                return
            self.setFormat(0, end, f["math"])
            self.setFormat(end, len(closing), f["math_delim"])
            start = end + len(closing)
        elif prev == _COMMENT:
            end = text.find(_COMMENT_END)
            if end < 0:
                self.setFormat(0, len(text), f["comment"])
                self.setCurrentBlockState(_COMMENT)
                return
            self.setFormat(0, end + 3, f["comment"])
            start = end + 3
        if start == 0:
            if _FENCE.match(text):
                self.setFormat(0, len(text), f["code"])
                self.setCurrentBlockState(_CODE_FENCE)
                return
            if self._line_markers(text):
                return
        self._inline(text, start)

    def _line_markers(self, text: str) -> bool:
        """Whole-line constructs; True when the line needs nothing more."""
        f = self._formats
        m = _HEADING.match(text)
        if m:
            self.setFormat(0, len(text), f["heading"])
            self.setFormat(m.start(1), len(m.group(1)), f["heading_marker"])
            self._inline(text, m.end(1))
            return True
        if _RULE.match(text) or _SETEXT.match(text):
            self.setFormat(0, len(text), f["marker"])
            return True
        m = _LIST.match(text) or _QUOTE.match(text)
        if m:
            self.setFormat(m.start(1), len(m.group(1)), f["marker"])
        return False

    def _inline(self, text: str, start: int) -> None:
        f = self._formats
        protected: list[tuple[int, int]] = []  # code and math: nothing else inside

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in protected)

        for m in _CODE.finditer(text, start):
            self.setFormat(m.start(), m.end() - m.start(), f["code"])
            protected.append((m.start(), m.end()))
        for m in _INLINE_MATH.finditer(text, start):
            if not free(m.start(), m.end()):
                continue
            self._math(m.start(), m.end(), 2 if text.startswith(("\\(", "\\[", "$$"), m.start()) else 1)
            protected.append((m.start(), m.end()))
        # an unclosed display math opener continues on the next lines
        for opener, state in (("\\[", _DISPLAY_MATH), ("$$", _DOLLAR_MATH)):
            pos = text.rfind(opener, start)
            if pos >= 0 and free(pos, pos + 2):
                self.setFormat(pos, 2, f["math_delim"])
                self.setFormat(pos + 2, len(text) - pos - 2, f["math"])
                self.setCurrentBlockState(state)
                protected.append((pos, len(text)))
                break
        pos = text.find(_COMMENT_START, start)
        if pos >= 0 and free(pos, pos + 4):
            end = text.find(_COMMENT_END, pos + 4)
            stop = len(text) if end < 0 else end + 3
            self.setFormat(pos, stop - pos, f["comment"])
            protected.append((pos, stop))
            if end < 0:
                self.setCurrentBlockState(_COMMENT)
        for m in _TAG.finditer(text, start):
            if not free(m.start(), m.end()):
                continue
            self.setFormat(m.start(), m.end() - m.start(), f["tag"])
            attrs_at = m.start(2)
            for a in _ATTR.finditer(m.group(2)):
                self.setFormat(attrs_at + a.start(), a.end() - a.start(), f["attribute"])
        for m in _LINK.finditer(text, start):
            if not free(m.start(), m.end()):
                continue
            self.setFormat(m.start(), m.end() - m.start(), f["link"])
            self.setFormat(m.start(3), len(m.group(3)), f["url"])
        for rx, name in ((_BOLD, "bold"), (_ITALIC, "italic"), (_STRIKE, "strike")):
            for m in rx.finditer(text, start):
                if not free(m.start(), m.end()):
                    continue
                for pos in range(m.start(), m.end()):
                    merged = QTextCharFormat(self.format(pos))
                    merged.merge(f[name])
                    self.setFormat(pos, 1, merged)
                marker = 1 if name == "italic" else 2
                self.setFormat(m.start(), marker, f["emphasis_marker"])
                self.setFormat(m.end() - marker, marker, f["emphasis_marker"])

    def _math(self, start: int, end: int, delim: int) -> None:
        f = self._formats
        self.setFormat(start, end - start, f["math"])
        self.setFormat(start, delim, f["math_delim"])
        self.setFormat(end - delim, delim, f["math_delim"])


def _underline(colour: str, background: str | None = None) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    f.setUnderlineColor(QColor(colour))
    if background:
        f.setBackground(QColor(background))
    return f
