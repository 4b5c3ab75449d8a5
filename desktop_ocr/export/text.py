"""Plain text from a page's Markdown: marks and HTML removed, tables as tab-separated lines, LaTeX kept."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_CODE_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
#: Link texts are bounded, so that a line of unclosed "[" costs linear time, not quadratic.
_LINK = re.compile(r"\[([^\]\n]{1,500})\]\((?:[^()\n]|\([^)\n]*\))*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_DELIM = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPHASIS = [
    re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"),
    re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"),
    re.compile(r"(~~)(?=\S)(.+?)(?<=\S)\1"),
]
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
#: HTML tags DeepSeek-OCR and users put in Markdown (only these, with ``name="value"`` attributes:
#: "a<b and c>d" is not a tag).
HTML_TAG = _TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|sup|sub|span|div|p|center|font|small|big|mark|del|ins|code|pre|"
    r"h[1-6]|ul|ol|li|img|figure|figcaption|caption|thead|tbody|tfoot|table|tr|td|th|hr|br)\b"
    r"""(?:\s+[\w:.-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))*\s*/?>""",
    re.I,
)
_BR = re.compile(r"<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|center)\s*>", re.I)
#: Markdown backslash escapes; not brackets, braces or backslashes, which LaTeX needs as written.
_ESCAPE = re.compile(r"\\([`*_#+\-.!|<>~])")


class _TableParser(HTMLParser):
    """Rows and cells of an HTML table (``colspan`` cells repeated as empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self._close_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 100 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr", "table"):
            self._close_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self.rows:
            text = " ".join("".join(self._cell).split())
            self.rows[-1].append(text)
            self.rows[-1].extend([""] * (self._span - 1))
        self._cell = None
        self._span = 1


def html_table_to_tsv(table_html: str) -> str:
    """An HTML table as lines of tab-separated cells."""
    parser = _TableParser()
    parser.feed(table_html)
    parser.close()
    return "\n".join("\t".join(row) for row in parser.rows if any(c for c in row))


def _pipe_row_to_tsv(line: str) -> str:
    cells = line.strip().strip("|").split("|")
    return "\t".join(c.strip() for c in cells)


def _inline(text: str) -> str:
    """Inline Markdown and HTML removed from one line."""
    text = _IMAGE.sub(lambda m: m.group(1), text)
    if "](" in text:
        text = _LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _INLINE_CODE.sub(lambda m: m.group(1), text)
    for pattern in _EMPHASIS:
        text = pattern.sub(lambda m: m.group(2), text)
    text = _TAG.sub("", text)
    text = _ESCAPE.sub(lambda m: m.group(1), text)
    return html.unescape(text)


_TABLE_START = re.compile(r"<table\b", re.I)
_TABLE_END = re.compile(r"</table\s*>", re.I)


def _tables_to_tsv(text: str) -> str:
    """Every ``<table ...</table>`` as tab-separated lines, in one pass (a table that
    is never closed is looked for once, not again from every later ``<table``)."""
    out: list[str] = []
    pos = 0
    while (start := _TABLE_START.search(text, pos)) is not None:
        end = _TABLE_END.search(text, start.end())
        if end is None:
            break
        out.append(text[pos : start.start()])
        out.append("\n" + html_table_to_tsv(text[start.start() : end.end()]) + "\n")
        pos = end.end()
    out.append(text[pos:])
    return "".join(out)


def markdown_to_text(markdown: str) -> str:
    """Readable plain text from Markdown as DeepSeek-OCR and users write it.

    Headings lose their ``#``, emphasis and links their marks (the link text stays), images go
    (their alt text stays when there is one), HTML tables and pipe tables become tab-separated
    lines, other HTML tags are dropped and entities decoded, code fences are removed but the code
    kept. LaTeX is kept as written.
    """
    text = markdown.replace("\r\n", "\n").replace("\r", "\n")
    text = _tables_to_tsv(text)
    text = _BR.sub("\n", text)
    text = _BLOCK_END.sub(lambda m: m.group(0) + "\n", text)
    out: list[str] = []
    in_code = False
    for line in text.split("\n"):
        if _CODE_FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            out.append(line)
            continue
        if "\t" in line and not line.lstrip().startswith("|"):  # a converted HTML table row
            out.append(line)
            continue
        if _PIPE_DELIM.match(line) and "-" in line and "|" in line:
            continue
        if _PIPE_ROW.match(line):
            out.append(_inline(_pipe_row_to_tsv(line)))
            continue
        if _RULE.match(line) or (_SETEXT.match(line) and out and out[-1].strip()):
            out.append("")
            continue
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _QUOTE.sub("", line)
        out.append(_inline(line).rstrip())
    result = "\n".join(out)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip("\n")
