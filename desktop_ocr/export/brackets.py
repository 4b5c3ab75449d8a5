"""Angle brackets that are text, not HTML: written so that every Markdown reader shows them.

OCR text has ``<`` in it (``a<b``, ``<lazy>``, ``<<=``) and so does what users type. Markdown
readers take ``<lazy>`` for an HTML tag and hide it, and often everything after it. The page text
(the editor's source) keeps such characters as typed; what renders or exports the Markdown (the
preview, the ``.md`` file, pandoc's input for HTML/DOCX/ODT/EPUB) passes it through
:func:`escape_stray_brackets` first, which writes each ``<`` that opens no HTML tag as ``&lt;``.

Kept as they are: the HTML tags the model writes and users put in Markdown (tables, ``<br>``,
``<sup>``... the list in :data:`desktop_ocr.export.text.HTML_TAG`), comments, autolinks
(``<https://...>``), and everything inside code spans, fenced code and LaTeX math. The plain text
export and the PDF text layer read the source's tags with the same list, so they show ``<lazy>``
as typed without this step. Linear in the text.
"""

from __future__ import annotations

import re

from desktop_ocr.export.text import HTML_TAG

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_SPECIAL = re.compile(r"`+|\$\$|\$|\\\[|\\\(|<")
_CLOSERS = {"$$": "$$", "\\[": "\\]", "\\(": "\\)"}
#: Inline math as pandoc reads it: no space inside the dollars, no digit right after the closing one.
_INLINE_DOLLAR = re.compile(r"\$(?!\$)(?=\S)([^\n$]+?)(?<=\S)\$(?![$\d])")


def escape_stray_brackets(markdown: str) -> str:
    """``markdown`` with each ``<`` that is text written ``&lt;`` (see the module docstring)."""
    if "<" not in markdown:
        return markdown
    out: list[str] = []
    last = 0
    for start, end in _fenced_blocks(markdown):
        out.append(_escape_inline(markdown[last:start]))
        out.append(markdown[start:end])
        last = end
    out.append(_escape_inline(markdown[last:]))
    return "".join(out)


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    """Where fenced code blocks are (an unclosed fence runs to the end, as in CommonMark)."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    while (m := _FENCE_LINE.search(text, pos)) is not None:
        fence = m.group(1)
        line_end = text.find("\n", m.end())
        if line_end < 0:
            blocks.append((m.start(), len(text)))
            break
        closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        close = closing.search(text, line_end + 1)
        end = close.end() if close else len(text)
        blocks.append((m.start(), end))
        pos = end
    return blocks


def _escape_inline(text: str) -> str:
    out: list[str] = []
    pos = last = 0
    unclosed: set[str] = set()
    while (m := _SPECIAL.search(text, pos)) is not None:
        token, start = m.group(0), m.start()
        if token == "<":
            if start > 0 and text[start - 1] == "\\":  # already escaped
                pos = start + 1
                continue
            kept = HTML_TAG.match(text, start) or _COMMENT.match(text, start) or _AUTOLINK.match(text, start)
            if kept:
                pos = kept.end()
            else:
                out.append(text[last:start] + "&lt;")
                pos = last = start + 1
            continue
        end = _protected_end(text, token, start, unclosed)
        pos = end if end > start else start + len(token)
    out.append(text[last:])
    return "".join(out)


def _protected_end(text: str, token: str, start: int, unclosed: set[str]) -> int:
    """Where a code span or math span opened by ``token`` at ``start`` ends (``start``: none).
    A delimiter of a kind that is never closed is looked for once, so the scan stays linear."""
    if start > 0 and text[start - 1] == "\\" and token in ("$", "$$"):
        return start
    if token.startswith("`"):
        if token in unclosed:
            return start
        close = re.compile(r"(?<!`)" + token + r"(?!`)").search(text, start + len(token))
        if close is None:
            unclosed.add(token)
            return start
        return close.end()
    if token == "$":
        inline = _INLINE_DOLLAR.match(text, start)
        return inline.end() if inline else start
    if token in unclosed:
        return start
    found = text.find(_CLOSERS[token], start + len(token) + 1)
    if found < 0:
        unclosed.add(token)
        return start
    return found + len(_CLOSERS[token])
