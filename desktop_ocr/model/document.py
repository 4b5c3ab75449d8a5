"""Documents and pages in memory, with the operations users perform on them. No Qt.

A :class:`Project` is the in-memory truth while the app runs. Every mutation goes through a
method here and is announced to listeners as a :class:`Change`, so that persistence
(``model.store``) and the Qt adapter (``worker.controller``) stay in sync without the model
knowing about either.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.blocks import Layout, Span
from desktop_ocr.model.result import Completion, PageResult


def new_id() -> str:
    return uuid.uuid4().hex


class PageState(str, enum.Enum):
    NOT_READ = "not_read"
    QUEUED = "queued"
    READING = "reading"
    READ = "read"
    EDITED = "edited"
    FAILED = "failed"
    INCOMPLETE = "incomplete"

    @property
    def transient(self) -> bool:
        """Queued/reading only exist while the app runs; they are stored as not read."""
        return self in (PageState.QUEUED, PageState.READING)


class SourceKind(str, enum.Enum):
    PDF = "pdf"
    IMAGE = "image"  # a single-frame raster file stored as given
    MULTIFRAME = "multiframe"  # TIFF/GIF/WebP with several frames; Page.index selects the frame


@dataclass(slots=True)
class Source:
    """An imported file, stored whole inside the project (its bytes live in the store)."""

    id: str
    name: str  # the original file name, for messages and default document names
    kind: SourceKind
    sha256: str
    size: int
    page_count: int = 1


@dataclass(slots=True)
class Page:
    """One page: where its image comes from, what was read, and what the user made of it."""

    id: str
    source_id: str
    index: int = 0  # page number in a PDF or frame number in a multi-frame image (0-based)
    width: int = 0  # pixel size of the upright image at the project's DPI, before user rotation
    height: int = 0
    rotation: int = 0  # user rotation, clockwise degrees: 0, 90, 180, 270
    state: PageState = PageState.NOT_READ
    result: PageResult | None = None
    #: The user's text. None means "not edited": the current text is the result's Markdown.
    edited_text: str | None = None
    error: str = ""
    reviewed: bool = False
    label: str = ""  # e.g. "scan.pdf p. 3"; shown in the page list
    #: The user's blocks in ``edited_text`` (see ``model.blocks``); None: found from the result's.
    spans: tuple[Span, ...] | None = None

    @property
    def text(self) -> str:
        """The page's current Markdown: the user's edit when there is one, else the result's."""
        if self.edited_text is not None:
            return self.edited_text
        return self.result.markdown if self.result else ""

    @property
    def is_edited(self) -> bool:
        return self.edited_text is not None

    @property
    def display_size(self) -> tuple[int, int]:
        """Pixel size after the user's rotation."""
        if self.rotation % 180:
            return self.height, self.width
        return self.width, self.height


@dataclass(slots=True)
class Document:
    id: str
    name: str
    pages: list[Page] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Removed:
    """Pages taken out by :meth:`Project.delete_pages`: per document (its position then, its id and
    name), each page with its position in it."""

    documents: tuple[tuple[int, Document, tuple[tuple[int, Page], ...]], ...] = ()

    @property
    def page_count(self) -> int:
        return sum(len(pages) for _pos, _doc, pages in self.documents)


class ChangeKind(str, enum.Enum):
    DOCUMENTS = "documents"  # documents added/removed/reordered/renamed; page membership changed
    PAGES = "pages"  # page fields changed (state, rotation, reviewed, error) for ``page_ids``
    RESULT = "result"  # a new engine result for ``page_ids`` (kept in history)
    TEXT = "text"  # the user's text of ``page_ids`` changed
    SOURCES = "sources"  # sources added
    META = "meta"  # project settings or view state


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    page_ids: tuple[str, ...] = ()
    document_ids: tuple[str, ...] = ()
    #: Origin of a TEXT change: "edit" (typing), "restore" (history), "ocr" (new result).
    origin: str = ""


Listener = Callable[[Change], None]


def _is_engine_text(page: Page, text: str, spans: tuple[Span, ...] | None) -> bool:
    """``text`` (and its blocks) is exactly what the engine read for ``page``."""
    if page.result is None or text != page.result.markdown:
        return False
    return spans is None or spans == Layout.from_blocks(text, page.result.blocks).spans


class Project:
    """All documents of one project, in memory, with change notifications."""

    def __init__(self) -> None:
        self.documents: list[Document] = []
        self.sources: dict[str, Source] = {}
        self.meta: dict[str, Any] = {"dpi": 144}
        self._pages: dict[str, Page] = {}
        self._page_doc: dict[str, str] = {}
        self._listeners: list[Listener] = []

    # -- listeners -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- lookup ------------------------------------------------------------------------------
    def page(self, page_id: str) -> Page:
        return self._pages[page_id]

    def has_page(self, page_id: str) -> bool:
        return page_id in self._pages

    def document(self, document_id: str) -> Document:
        for d in self.documents:
            if d.id == document_id:
                return d
        raise KeyError(document_id)

    def document_of(self, page_id: str) -> Document:
        return self.document(self._page_doc[page_id])

    def all_pages(self) -> Iterator[Page]:
        for d in self.documents:
            yield from d.pages

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def _reindex(self) -> None:
        self._pages = {p.id: p for d in self.documents for p in d.pages}
        self._page_doc = {p.id: d.id for d in self.documents for p in d.pages}

    # -- structure -------------------------------------------------------------------------
    def add_source(self, source: Source) -> None:
        self.sources[source.id] = source
        self._emit(Change(ChangeKind.SOURCES))

    def add_document(self, name: str, pages: Iterable[Page], position: int | None = None) -> Document:
        doc = Document(new_id(), name, list(pages))
        if position is None:
            self.documents.append(doc)
        else:
            self.documents.insert(position, doc)
        self._reindex()
        self._emit(Change(ChangeKind.DOCUMENTS, document_ids=(doc.id,)))
        return doc

    def rename_document(self, document_id: str, name: str) -> None:
        name = name.strip()
        if not name:
            raise ValueError(QT_TRANSLATE_NOOP("Project", "A document needs a name."))
        self.document(document_id).name = name
        self._emit(Change(ChangeKind.DOCUMENTS, document_ids=(document_id,)))

    def remove_document(self, document_id: str) -> None:
        self.documents = [d for d in self.documents if d.id != document_id]
        self._reindex()
        self._emit(Change(ChangeKind.DOCUMENTS, document_ids=(document_id,)))

    def move_document(self, document_id: str, position: int) -> None:
        doc = self.document(document_id)
        self.documents.remove(doc)
        self.documents.insert(max(0, min(position, len(self.documents))), doc)
        self._emit(Change(ChangeKind.DOCUMENTS, document_ids=(document_id,)))

    def split_document(self, document_id: str, at_index: int, new_name: str | None = None) -> Document:
        """Move pages from ``at_index`` on into a new document placed right after this one."""
        doc = self.document(document_id)
        if not 0 < at_index < len(doc.pages):
            raise ValueError(QT_TRANSLATE_NOOP("Project", "Split a document between two of its pages."))
        tail = doc.pages[at_index:]
        del doc.pages[at_index:]
        pos = self.documents.index(doc) + 1
        new = Document(new_id(), new_name or f"{doc.name} (2)", tail)
        self.documents.insert(pos, new)
        self._reindex()
        self._emit(Change(ChangeKind.DOCUMENTS, document_ids=(doc.id, new.id)))
        return new

    def merge_documents(self, document_ids: list[str]) -> Document:
        """Append the pages of the later documents to the first; the others disappear."""
        if len(document_ids) < 2:
            raise ValueError(QT_TRANSLATE_NOOP("Project", "Choose at least two documents to merge."))
        docs = [self.document(i) for i in document_ids]
        docs.sort(key=self.documents.index)
        first = docs[0]
        for other in docs[1:]:
            first.pages.extend(other.pages)
            self.documents.remove(other)
        self._reindex()
        self._emit(Change(ChangeKind.DOCUMENTS, document_ids=tuple(document_ids)))
        return first

    def move_pages(self, page_ids: list[str], document_id: str, position: int | None = None) -> None:
        """Move pages (in the given order) into a document at ``position`` (end by default).

        Documents left empty are removed.
        """
        target = self.document(document_id)
        moving = [self._pages[i] for i in page_ids]
        moving_ids = set(page_ids)
        if position is None:
            position = len(target.pages)
        # Positions count in the target as it is before the move.
        before = sum(1 for p in target.pages[:position] if p.id in moving_ids)
        for d in self.documents:
            d.pages = [p for p in d.pages if p.id not in moving_ids]
        position = max(0, min(position - before, len(target.pages)))
        target.pages[position:position] = moving
        self.documents = [d for d in self.documents if d.pages or d is target]
        self._reindex()
        self._emit(Change(ChangeKind.DOCUMENTS, page_ids=tuple(page_ids), document_ids=(document_id,)))

    def delete_pages(self, page_ids: Iterable[str]) -> Removed:
        """Take pages out (documents left empty go too); what :meth:`restore_pages` puts back."""
        ids = set(page_ids)
        removed = Removed(
            tuple(
                (
                    position,
                    Document(d.id, d.name, []),
                    tuple((i, p) for i, p in enumerate(d.pages) if p.id in ids),
                )
                for position, d in enumerate(self.documents)
                if any(p.id in ids for p in d.pages)
            )
        )
        for d in self.documents:
            d.pages = [p for p in d.pages if p.id not in ids]
        self.documents = [d for d in self.documents if d.pages]
        self._reindex()
        self._emit(Change(ChangeKind.DOCUMENTS, page_ids=tuple(ids)))
        return removed

    def restore_pages(self, removed: Removed) -> list[str]:
        """Put deleted pages back where they were, with their text, results and history (the
        project store kept them); a document that went with them comes back under its name and
        id. Pages that are in the project again meanwhile are left. The ids put back."""
        back: list[str] = []
        for position, doc, pages in removed.documents:
            wanted = [(i, p) for i, p in pages if p.id not in self._pages and p.id not in back]
            if not wanted:
                continue
            target = next((d for d in self.documents if d.id == doc.id), None)
            if target is None:
                target = Document(doc.id, doc.name, [])
                self.documents.insert(min(position, len(self.documents)), target)
            for i, page in wanted:
                if page.state.transient:  # it was waiting to be read: it waits no more
                    page.state = PageState.NOT_READ if page.result is None else PageState.READ
                    if page.is_edited:
                        page.state = PageState.EDITED
                target.pages.insert(min(i, len(target.pages)), page)
                back.append(page.id)
        if back:
            self._reindex()
            self._emit(Change(ChangeKind.DOCUMENTS, page_ids=tuple(back)))
        return back

    # -- page fields -------------------------------------------------------------------------
    def rotate_pages(self, page_ids: Iterable[str], degrees: int) -> None:
        """Turn pages clockwise; what was read on them turns with them (boxes stay on the text)."""
        ids = tuple(page_ids)
        for i in ids:
            p = self._pages[i]
            p.rotation = (p.rotation + degrees) % 360
            if p.result is not None:
                p.result = p.result.turned(degrees)
            if p.spans is not None:
                p.spans = tuple(replace(s, boxes=tuple(b.turned(degrees) for b in s.boxes)) for s in p.spans)
        self._emit(Change(ChangeKind.PAGES, page_ids=ids, origin="rotate"))

    def set_state(self, page_ids: Iterable[str], state: PageState, error: str = "") -> None:
        ids = tuple(page_ids)
        for i in ids:
            p = self._pages[i]
            p.state = state
            p.error = error if state == PageState.FAILED else ""
        self._emit(Change(ChangeKind.PAGES, page_ids=ids))

    def set_reviewed(self, page_ids: Iterable[str], reviewed: bool = True) -> None:
        ids = tuple(page_ids)
        for i in ids:
            self._pages[i].reviewed = reviewed
        self._emit(Change(ChangeKind.PAGES, page_ids=ids))

    def set_result(self, page_id: str, result: PageResult) -> None:
        """Store a new engine result. The user's edit, if any, is kept as a version (in the
        store's history) and replaced: callers ask the user before re-reading an edited page."""
        p = self._pages[page_id]
        turn = result.turned_by_engine
        # The engine found the page on its side or upside down and read it turned: show it so.
        p.rotation = (p.rotation + turn) % 360
        p.result = result.settled(p.rotation)
        p.edited_text = None
        p.spans = None
        p.error = ""
        p.reviewed = False
        p.state = PageState.INCOMPLETE if result.completion != Completion.COMPLETE else PageState.READ
        self._emit(Change(ChangeKind.RESULT, page_ids=(page_id,), origin="ocr"))
        if turn:
            self._emit(Change(ChangeKind.PAGES, page_ids=(page_id,), origin="ocr"))

    def set_text(
        self, page_id: str, text: str, origin: str = "edit", spans: tuple[Span, ...] | None = None
    ) -> None:
        """The user's text for a page (typing, block edits, or restoring a version from history).

        ``spans`` are the page's blocks in ``text`` (None: found again from the result's blocks)."""
        p = self._pages[page_id]
        if p.text == text and p.edited_text is not None and p.spans == spans:
            return
        if _is_engine_text(p, text, spans):  # undone back to what was read: not edited any more
            if p.edited_text is None:
                return
            p.edited_text = None
            p.spans = None
            if p.state == PageState.EDITED:
                incomplete = p.result is not None and p.result.completion != Completion.COMPLETE
                p.state = (
                    PageState.FAILED if p.error else PageState.INCOMPLETE if incomplete else PageState.READ
                )
            self._emit(Change(ChangeKind.TEXT, page_ids=(page_id,), origin=origin))
            return
        p.edited_text = text
        p.spans = spans
        if p.state in (PageState.READ, PageState.INCOMPLETE, PageState.NOT_READ, PageState.FAILED):
            p.state = PageState.EDITED
        self._emit(Change(ChangeKind.TEXT, page_ids=(page_id,), origin=origin))

    def set_meta(self, key: str, value: Any) -> None:
        self.meta[key] = value
        self._emit(Change(ChangeKind.META))
