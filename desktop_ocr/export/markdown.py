"""A document's Markdown: pages joined by a separator, figure links rewritten to the exported crops."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Sequence

#: Page separators by settings key. "official" is what the DeepSeek-OCR scripts write between pages.
SEPARATORS: dict[str, str] = {
    "official": "\n<--- Page Split --->\n",
    "none": "\n\n",
    "hr": "\n\n---\n\n",
}
DEFAULT_SEPARATOR = "official"

#: ``![alt](figure:N)`` or ``![alt](figure:N "title")``: the N-th figure box of the page (1-based).
FIGURE_LINK = re.compile(r'!\[(?P<alt>[^\]\n]*)\]\(\s*<?figure:(?P<n>\d{1,9})>?(?:\s+"[^"\n]*")?\s*\)')
#: The HTML form some users type: ``<img src="figure:N" ...>``.
FIGURE_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']figure:(?P<n>\d{1,9})["'][^>]*>""", re.I)


def separator_text(separator: str | None) -> str:
    """The text between two pages: a key of :data:`SEPARATORS` or the literal text to use."""
    if separator is None or separator == "":
        return SEPARATORS[DEFAULT_SEPARATOR]
    return SEPARATORS.get(separator, separator)


def figure_numbers(text: str) -> list[int]:
    """The figure numbers (``N`` of ``figure:N``) a page's text links to, in order of appearance."""
    found = [(m.start(), int(m.group("n"))) for m in FIGURE_LINK.finditer(text)]
    found += [(m.start(), int(m.group("n"))) for m in FIGURE_IMG.finditer(text)]
    return [n for _pos, n in sorted(found)]


def link_path(folder: str, file_name: str) -> str:
    """A relative link to ``folder/file_name`` that Markdown viewers accept (spaces etc. %-encoded)."""
    return urllib.parse.quote(f"{folder}/{file_name}", safe="/()")


def rewrite_figure_links(text: str, target: Callable[[int], str | None]) -> str:
    """Replace each ``figure:N`` link by ``target(N)``; a link whose target is None is removed
    together with the blank space it leaves (no empty line pairs, no dangling spaces)."""

    def md(m: re.Match[str]) -> str:
        path = target(int(m.group("n")))
        return "\0" if path is None else f"![{m.group('alt')}]({path})"

    def html(m: re.Match[str]) -> str:
        path = target(int(m.group("n")))
        if path is None:
            return "\0"
        return re.sub(r"""figure:\d+""", path, m.group(0), count=1)

    out = FIGURE_IMG.sub(html, FIGURE_LINK.sub(md, text))
    if "\0" not in out:
        return out
    # A removed link alone on its line takes the line with it; inside a line, one space goes too.
    out = re.sub(r"(?m)^[ \t]*\0[ \t]*(?:\n|$)", "", out)
    out = re.sub(r"[ \t]?\0", "", out)
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n") if out.strip() else ""


def join_pages(pages: Sequence[str], separator: str | None = DEFAULT_SEPARATOR) -> str:
    """The pages' Markdown joined by the separator; each page trimmed, the file ending in one newline."""
    sep = separator_text(separator)
    body = sep.join(p.strip("\n") for p in pages)
    return body.rstrip("\n") + "\n" if body.strip() else ""
