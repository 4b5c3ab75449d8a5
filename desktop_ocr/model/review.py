"""The review flow: which pages need attention, a document's progress, and find across a document.

No Qt. Reasons are short codes; the UI turns them into translated words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.document import Document, Page, PageState, Project
from desktop_ocr.model.result import Completion

#: Reading failed (the page keeps its error message).
FAILED = "failed"
#: Generation hit the token cap without finishing (possible repetition) or was stopped.
INCOMPLETE = "incomplete"
#: The page has not been read yet.
NOT_READ = "not_read"
#: The user changed the text and has not marked the page reviewed since.
EDITED = "edited"
#: Nobody has marked the page reviewed.
NOT_REVIEWED = "not_reviewed"

#: Most serious first; ``needs_attention`` returns reasons in this order.
REASONS = (FAILED, INCOMPLETE, NOT_READ, EDITED, NOT_REVIEWED)


def needs_attention(page: Page) -> list[str]:
    """Why a page needs the user's attention (most serious first); empty when it does not.

    A failed page always needs attention; any other page stops needing it once reviewed.
    """
    reasons: list[str] = []
    if page.state == PageState.FAILED:
        reasons.append(FAILED)
    if page.reviewed:
        return reasons
    incomplete = page.state == PageState.INCOMPLETE or (
        page.result is not None and page.result.completion != Completion.COMPLETE
    )
    if incomplete:
        reasons.append(INCOMPLETE)
    unread = (PageState.NOT_READ, PageState.QUEUED, PageState.READING)
    if page.result is None and page.edited_text is None and page.state in unread:
        reasons.append(NOT_READ)
    if page.is_edited:
        reasons.append(EDITED)
    reasons.append(NOT_REVIEWED)
    return reasons


def _pages_in_scope(project: Project, document_id: str | None) -> list[Page]:
    if document_id is not None:
        return list(project.document(document_id).pages)
    return list(project.all_pages())


def next_attention(
    project: Project, from_page_id: str | None, direction: int = 1, document_id: str | None = None
) -> str | None:
    """The id of the next page (``direction`` +1) or previous one (-1) that needs attention.

    The search starts after ``from_page_id`` and wraps around; the starting page itself is not
    returned. With ``document_id`` only that document's pages count, else the whole project's.
    None when no other page needs attention.
    """
    pages = _pages_in_scope(project, document_id)
    if not pages:
        return None
    step = 1 if direction >= 0 else -1
    ids = [p.id for p in pages]
    inside = from_page_id is not None and from_page_id in ids
    start = ids.index(from_page_id or "") if inside else (-1 if step > 0 else len(pages))
    n = len(pages)
    for k in range(1, n + 1):
        i = start + step * k
        if inside:
            i %= n
        elif not 0 <= i < n:
            break
        page = pages[i]
        if page.id == from_page_id:
            break
        if needs_attention(page):
            return page.id
    return None


def document_progress(document: Document) -> tuple[int, int]:
    """(reviewed pages, all pages) of a document."""
    return sum(1 for p in document.pages if p.reviewed), len(document.pages)


def attention_count(document: Document) -> int:
    """How many pages of a document need attention."""
    return sum(1 for p in document.pages if needs_attention(p))


# -- find ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Match:
    """One hit: a character range of a page's current text, and the result block holding it."""

    page_id: str
    start: int
    end: int
    #: Index of the page's block (``model.blocks.page_layout``) holding the match, or None.
    block_index: int | None


def compile_query(query: str, case: bool = False, regex: bool = False) -> re.Pattern[str]:
    """The pattern for a query; ValueError with a readable message for a bad regular expression."""
    flags = 0 if case else re.IGNORECASE
    try:
        return re.compile(query if regex else re.escape(query), flags | re.MULTILINE)
    except re.error as e:
        raise ValueError(f"Not a valid regular expression: {e}") from None


def find_in_page(page: Page, pattern: re.Pattern[str]) -> list[Match]:
    text = page.text
    if not text:
        return []
    layout = page_layout(page)
    out: list[Match] = []
    for m in pattern.finditer(text):
        if m.end() == m.start():  # empty matches (e.g. "^") find nothing useful
            continue
        index = layout.index_at(m.start())
        out.append(Match(page.id, m.start(), m.end(), index if index >= 0 else None))
    return out


def find_in_document(
    document: Document, query: str, case: bool = False, regex: bool = False, limit: int = 5000
) -> list[Match]:
    """Every occurrence of ``query`` in the current text of a document's pages, in page order.

    Raises ValueError for an invalid regular expression. At most ``limit`` matches.
    """
    if not query:
        return []
    pattern = compile_query(query, case, regex)
    out: list[Match] = []
    for page in document.pages:
        out.extend(find_in_page(page, pattern))
        if len(out) >= limit:
            return out[:limit]
    return out


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str, str]:
    """(before, match, after) around a match, on one line, trimmed to about ``width`` each side."""

    def flat(s: str) -> str:
        return " ".join(s.split())

    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    lead = "…" if start - width > 0 else ""
    tail = "…" if end + width < len(text) else ""
    b = flat(before)
    if before and before[-1].isspace():
        b += " "
    a = flat(after)
    if after and after[0].isspace():
        a = " " + a
    return lead + b, flat(text[start:end]), a + tail
