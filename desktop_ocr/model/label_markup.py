"""A block's Markdown as its label says it is: headings, captions, lists, tables, formulas. No Qt.

A relabel rewrites the block's Markdown: :func:`plain` takes off the marks of the label it had
(heading ``#`` marks whatever the label was, since a heading that is no title is what the user
relabels away), :func:`marked` puts on those of the new label:

- ``title`` ``# text``, ``sub_title`` ``## text`` (one line: a heading cannot span lines);
- ``image_caption`` / ``table_caption`` emphasised, ``*text*``;
- ``list`` one ``- item`` per line;
- ``table`` a pipe table, one row per line, cells split at tabs, ``|`` or runs of spaces (the first
  row the header); a table made text again has one line per row, cells apart by tabs (an HTML
  table, as DeepSeek-OCR writes them, too);
- ``equation`` / ``formula`` display math, ``\\[ ... \\]`` as DeepSeek-OCR writes it (``$$ ... $$``
  is read too);
- every other label (text, footnote, header, footer, page number...) plain paragraphs, as the
  engines write them.

Figure blocks keep their ``![](figure:N)`` links; the relabel in :mod:`desktop_ocr.model.blocks`
adds one where it is missing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HEADING_MARKS = {"title": "# ", "sub_title": "## "}
CAPTION_LABELS = frozenset({"image_caption", "table_caption"})
MATH_LABELS = frozenset({"equation", "formula"})
TABLE_LABEL = "table"
LIST_LABEL = "list"

_HEADING_OPEN = re.compile(r"[ \t]{0,3}#{1,6}(?=[ \t]|$)")
_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_PIPE_DELIM = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"\t| {2,}")


class _Rows(HTMLParser):
    """The cells of an HTML table, row by row (a cell's line breaks become spaces)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._end_cell()
            if not self.rows:
                self.rows.append([])
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
        self._cell = None


def _unwrap(text: str, opening: str, closing: str) -> str | None:
    t = text.strip()
    if len(t) > len(opening) + len(closing) and t.startswith(opening) and t.endswith(closing):
        return t[len(opening) : len(t) - len(closing)].strip()
    return None


def _table_lines(text: str) -> str | None:
    """A table's rows as lines of tab-separated cells, or None when ``text`` is no table."""
    if "<table" in text.lower():
        parser = _Rows()
        parser.feed(text)
        parser.close()
        rows = [r for r in parser.rows if any(r)]
        return "\n".join("\t".join(r) for r in rows) if rows else None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and all(ln.strip().startswith("|") and ln.strip().endswith("|") for ln in lines):
        rows = [ln.strip()[1:-1].split("|") for ln in lines if not _PIPE_DELIM.match(ln)]
        return "\n".join("\t".join(c.strip() for c in r) for r in rows)
    return None


def plain(text: str, label: str) -> str:
    """``text`` (a block's Markdown, stripped) without the marks of ``label`` and without headings."""
    if label in MATH_LABELS:
        for opening, closing in (("$$", "$$"), ("\\[", "\\]")):
            inner = _unwrap(text, opening, closing)
            if inner is not None:
                return inner
        return text
    if label == TABLE_LABEL:
        rows = _table_lines(text)
        return rows if rows is not None else text
    if label in CAPTION_LABELS:
        for mark in ("**", "*", "_"):
            inner = _unwrap(text, mark, mark)
            if inner is not None and mark not in inner:
                text = inner
                break
    lines = text.splitlines()
    out = []
    for line in lines:
        line = _heading_text(line)
        if label == LIST_LABEL:
            line = _LIST_ITEM.sub("", line, count=1)
        out.append(line)
    return "\n".join(out).strip()


def _heading_text(line: str) -> str:
    """An ATX heading line's text (its ``#`` marks, and closing ones, removed); other lines as they are."""
    m = _HEADING_OPEN.match(line)
    if m is None:
        return line
    rest = line[m.end() :].strip()
    body = rest.rstrip("#")
    if body != rest and (not body or body[-1] in " \t"):
        rest = body.strip()
    return rest


def _pipe_table(text: str) -> str:
    rows = [[c.strip() for c in _split_cells(ln)] for ln in text.splitlines() if ln.strip()]
    if not rows:
        return text
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(rows[0]), line(["---"] * width), *(line(r) for r in rows[1:])])


def _split_cells(line: str) -> list[str]:
    s = line.strip()
    if "|" in s:
        return s.strip("|").split("|")
    return _CELL_SPLIT.split(s)


def marked(text: str, label: str) -> str:
    """Plain ``text`` with the Markdown marks of ``label`` (see the module docstring)."""
    if not text.strip():
        return text
    if label in HEADING_MARKS:
        return HEADING_MARKS[label] + " ".join(text.split())
    if label in CAPTION_LABELS:
        return f"*{text.strip()}*"
    if label == LIST_LABEL:
        return "\n".join(f"- {ln.strip()}" if ln.strip() else ln for ln in text.splitlines())
    if label == TABLE_LABEL:
        return _pipe_table(text)
    if label in MATH_LABELS:
        return f"\\[\n{text.strip()}\n\\]"  # display math as DeepSeek-OCR writes it
    return text


def remarked(text: str, old_label: str, new_label: str) -> str:
    """A block's Markdown (stripped) relabelled from ``old_label`` to ``new_label``."""
    if new_label == TABLE_LABEL and old_label == TABLE_LABEL:
        return text
    if new_label == TABLE_LABEL and "<table" in text.lower():
        return text  # already a table (the model's HTML): kept as it is
    return marked(plain(text, old_label), new_label)


def is_paragraph(text: str, label: str) -> bool:
    """Whether a block's Markdown is running text, which a merge joins into one paragraph."""
    if label in MATH_LABELS or label in (TABLE_LABEL, LIST_LABEL):
        return False
    t = text.strip()
    return not (t.startswith(("![", "<", "|", "$$", "\\[", "```", "~~~")) or t.endswith(("|", ">", "$$")))
