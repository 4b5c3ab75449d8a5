"""The page list: a Qt model over the project's pages, thumbnail sources, and the list view."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QImage

from desktop_ocr.model.document import Change, ChangeKind, PageState, Project
from desktop_ocr.ui import page_roles as roles
from desktop_ocr.ui.page_delegate import PageDelegate
from desktop_ocr.ui.page_roles import PAGE_IDS_MIME, PageItem, page_ids_from_mime
from desktop_ocr.ui.page_view import PageListView

__all__ = [
    "PAGE_IDS_MIME",
    "PageDelegate",
    "PageItem",
    "PageListModel",
    "PageListView",
    "StaticThumbnailSource",
    "ThumbnailSource",
    "Thumbnails",
]

#: Thumbnails the model keeps itself (the source keeps its own cache as well).
_CACHE_LIMIT = 400


class Thumbnails(Protocol):
    """What the page list uses of a thumbnail source: a ``ThumbnailSource`` or the Controller's
    ``thumbnails`` (``worker.render_worker.ThumbnailPort`` over the render worker, a layer below,
    which cannot subclass a widget's class)."""

    @property
    def thumbnail_ready(self) -> SignalInstance: ...

    def request(self, page_id: str, rotation: int, size: int) -> QImage | None: ...


class ProjectFeed(Protocol):
    """The open project when it can be swapped for another: the Controller
    (``worker.controller.Controller``, a layer below), which re-emits the changes of whichever
    project is open and says when it swaps one for another."""

    @property
    def project(self) -> Project: ...

    @property
    def project_changed(self) -> SignalInstance: ...

    @property
    def project_replaced(self) -> SignalInstance: ...


class ThumbnailSource(QObject):
    """A base for thumbnail sources written for the page list (the Controller's port has the same API).

    ``request`` must be cheap: return a cached image or ``None`` and schedule the rendering,
    then emit ``thumbnail_ready`` from the GUI thread.
    """

    thumbnail_ready = Signal(str, QImage)

    def request(self, page_id: str, rotation: int, size: int) -> QImage | None:  # pragma: no cover
        raise NotImplementedError


class StaticThumbnailSource(ThumbnailSource):
    """Thumbnails from a callable, delivered later on the event loop (demos, tests, benchmarks).

    ``make(page_id, rotation, size)`` returns a QImage or None. With ``deferred`` (the default)
    every first request answers None and the image arrives through ``thumbnail_ready`` once
    ``deliver()`` runs (called by a zero-delay timer), as the real render worker behaves.
    """

    def __init__(
        self,
        make: Callable[[str, int, int], QImage | None],
        deferred: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QTimer

        self._make = make
        self._deferred = deferred
        self._cache: dict[tuple[str, int, int], QImage] = {}
        self._pending: dict[tuple[str, int, int], None] = {}
        self.requests: list[tuple[str, int, int]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.deliver)

    def request(self, page_id: str, rotation: int, size: int) -> QImage | None:
        key = (page_id, rotation, size)
        image = self._cache.get(key)
        if image is not None:
            return image
        if key not in self._pending:
            self.requests.append(key)
            self._pending[key] = None
            if not self._deferred:
                self.deliver()
                return self._cache.get(key)
            self._timer.start()
        return None

    def deliver(self) -> None:
        pending, self._pending = self._pending, {}
        for key in pending:
            image = self._make(*key)
            if image is not None and not image.isNull():
                self._cache[key] = image
                self.thumbnail_ready.emit(key[0], image)


@dataclass(slots=True)
class _Row:
    page_id: str
    document_id: str
    number: int  # 1-based page number within its document
    first_of_document: bool


class PageListModel(QStringListModel):
    """The project's pages in order, one row per page; documents are given by roles.

    The number of rows lives in Qt's own list model (a list of empty strings, one per row), not in
    Python: a paint of the page list asked ``rowCount`` 17 times and ``flags`` 9 times (Qt's
    ``index()`` asks ``rowCount``), and while pages are read each call from Qt into Python waits for
    the reading thread to give up the GIL (and then for a core): a paint of 3-7 ms of CPU took up
    to 300 ms on a busy machine (``benchmarks/bench_page_list_reading.py``). The Python rows change
    in the model's own slot of Qt's ``rowsInserted``/``rowsRemoved``, connected first, so that the
    views see the old rows before a change and the new ones after it. Items are editable and
    accept drops in Qt's flags; the view edits nothing and handles page drops itself.

    Over a :class:`ProjectFeed` (the window's: the Controller) the model is made once and follows
    whichever project is open through the feed's signals (a swap resets it); over a plain
    :class:`Project` it follows that one project. The model never changes the project: drops emit
    ``pages_move_requested``.
    """

    PageIdRole = roles.PAGE_ID_ROLE
    DocumentIdRole = roles.DOCUMENT_ID_ROLE
    DocumentNameRole = roles.DOCUMENT_NAME_ROLE
    StateRole = roles.STATE_ROLE
    ReviewedRole = roles.REVIEWED_ROLE
    ProgressRole = roles.PROGRESS_ROLE
    FirstOfDocumentRole = roles.FIRST_OF_DOCUMENT_ROLE
    DocumentPageCountRole = roles.DOCUMENT_PAGE_COUNT_ROLE
    PageSizeRole = roles.PAGE_SIZE_ROLE
    ErrorRole = roles.ERROR_ROLE

    pages_move_requested = Signal(list, str, int)

    def __init__(
        self, project: Project | ProjectFeed, thumbnails: Thumbnails, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._feed = None if isinstance(project, Project) else project
        self._project = project if isinstance(project, Project) else project.project
        self._thumbnails = thumbnails
        self._rows: list[_Row] = []
        self._row_of: dict[str, int] = {}
        self._progress: dict[str, float] = {}
        self._images: OrderedDict[tuple[str, int], QImage] = OrderedDict()
        #: Requested thumbnail size (longest side, device pixels).
        self.thumbnail_size = 240
        self._rows = self._build_rows()
        self._reindex()
        # the rows a structural change (insertRows/removeRows) brings, taken when Qt announces it
        self._next_rows: list[_Row] | None = None
        self.rowsInserted.connect(self._take_next_rows)
        self.rowsRemoved.connect(self._take_next_rows)
        self.setStringList([""] * len(self._rows))
        if self._feed is None:
            self._unsubscribe = self._project.subscribe(self.apply_change)
        else:  # the model's own slots: Qt disconnects them when the model goes
            self._feed.project_changed.connect(self.apply_change)
            self._feed.project_replaced.connect(self._follow_feed)
            self._unsubscribe = self._stop_following_feed
        thumbnails.thumbnail_ready.connect(self._on_thumbnail_ready)

    def close(self) -> None:
        """Stop listening to the project (the model outlives nothing it observes)."""
        self._unsubscribe()
        self._unsubscribe = lambda: None

    def _stop_following_feed(self) -> None:
        if self._feed is not None:
            self._feed.project_changed.disconnect(self.apply_change)
            self._feed.project_replaced.disconnect(self._follow_feed)

    def _follow_feed(self) -> None:
        if self._feed is not None:
            self.set_project(self._feed.project)

    def set_project(self, project: Project) -> None:
        """Show another project's pages (a reset: nothing of the one before is kept)."""
        if self._feed is None:  # following a plain project: follow the new one instead
            self._unsubscribe()
            self._unsubscribe = project.subscribe(self.apply_change)
        self._project = project
        self._progress.clear()
        self._images.clear()
        self._rows = self._build_rows()
        self._reindex()
        self.setStringList([""] * len(self._rows))  # the reset (Qt's begin/endResetModel)

    # -- rows ---------------------------------------------------------------------------------
    def _build_rows(self) -> list[_Row]:
        rows: list[_Row] = []
        for doc in self._project.documents:
            for n, page in enumerate(doc.pages, 1):
                rows.append(_Row(page.id, doc.id, n, n == 1))
        return rows

    def _reindex(self) -> None:
        self._row_of = {r.page_id: i for i, r in enumerate(self._rows)}

    def _take_next_rows(self, *_args) -> None:
        """Qt's list has just taken rows in or out: the Python rows follow, before any view hears."""
        if self._next_rows is not None:
            self._rows, self._next_rows = self._next_rows, None
            self._reindex()

    def _change_rows(self, rows: list[_Row], first: int, count: int, insert: bool) -> None:
        self._next_rows = rows
        done = self.insertRows(first, count) if insert else self.removeRows(first, count)
        assert done and self._next_rows is None, "Qt's list and the rows disagree"

    def row_of(self, page_id: str) -> int:
        return self._row_of.get(page_id, -1)

    def index_of(self, page_id: str) -> QModelIndex:
        row = self._row_of.get(page_id, -1)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def page_id_at(self, row: int) -> str:
        return self._rows[row].page_id

    def item(self, row: int) -> PageItem | None:
        if not 0 <= row < len(self._rows):
            return None
        r = self._rows[row]
        if not self._project.has_page(r.page_id):
            return None
        page = self._project.page(r.page_id)
        doc = self._project.document(r.document_id)
        return PageItem(
            page_id=r.page_id,
            label=self.tr("p. {n}").format(n=r.number),
            document_name=doc.name,
            document_page_count=len(doc.pages),
            first_of_document=r.first_of_document,
            state=page.state,
            reviewed=page.reviewed,
            progress=self._progress.get(r.page_id, 0.0) if page.state == PageState.READING else 0.0,
            size=page.display_size,
            image=self._thumbnail(r.page_id, page.rotation),
            error=page.error,
        )

    def page_ids(self) -> list[str]:
        return [r.page_id for r in self._rows]

    # -- Qt model API ------------------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("p. {n}").format(n=row.number)
        if role == self.PageIdRole:
            return row.page_id
        if role == self.DocumentIdRole:
            return row.document_id
        if role == self.FirstOfDocumentRole:
            return row.first_of_document
        if not self._project.has_page(row.page_id):
            return None
        page = self._project.page(row.page_id)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(row.page_id, page.rotation)
        if role == self.StateRole:
            return page.state
        if role == self.ReviewedRole:
            return page.reviewed
        if role == self.ProgressRole:
            return self._progress.get(row.page_id, 0.0) if page.state == PageState.READING else None
        if role == self.PageSizeRole:
            return page.display_size
        if role == self.ErrorRole:
            return page.error
        if role in (self.DocumentNameRole, self.DocumentPageCountRole, Qt.ItemDataRole.ToolTipRole):
            doc = self._project.document(row.document_id)
            if role == self.DocumentNameRole:
                return doc.name
            if role == self.DocumentPageCountRole:
                return len(doc.pages)
            tip = self.tr("{document}, page {n} of {total}").format(
                document=doc.name, n=row.number, total=len(doc.pages)
            )
            tip += "\n" + roles.state_text(page.state)
            if page.reviewed:
                tip += self.tr(", reviewed")
            if page.error:
                tip += f"\n{page.error}"
            if page.result is not None and page.result.unreadable_boxes:
                tip += "\n" + roles.unreadable_boxes_note(page.result.unreadable_boxes)
            return tip
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = super().roleNames()
        for role, name in (
            (self.PageIdRole, b"pageId"),
            (self.DocumentIdRole, b"documentId"),
            (self.DocumentNameRole, b"documentName"),
            (self.StateRole, b"state"),
            (self.ReviewedRole, b"reviewed"),
            (self.ProgressRole, b"progress"),
        ):
            names[role] = QByteArray(name)
        return names

    # -- thumbnails --------------------------------------------------------------------------
    def _thumbnail(self, page_id: str, rotation: int) -> QImage | None:
        key = (page_id, rotation)
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        # Asked again on every paint while missing: the source de-duplicates, and a repeated
        # request moves the page to the front of its queue (visible rows render first).
        image = self._thumbnails.request(page_id, rotation, self.thumbnail_size)
        if image is None or image.isNull():
            return None
        self._remember(key, image)
        return image

    def _remember(self, key: tuple[str, int], image: QImage) -> None:
        self._images[key] = image
        self._images.move_to_end(key)
        while len(self._images) > _CACHE_LIMIT:
            self._images.popitem(last=False)

    def _on_thumbnail_ready(self, page_id: str, image: QImage) -> None:
        row = self._row_of.get(page_id, -1)
        if row < 0 or not self._project.has_page(page_id):
            return
        page = self._project.page(page_id)
        rotation = page.rotation
        w, h = page.display_size
        if (
            w
            and h
            and image.width()
            and (w > h) != (image.width() > image.height())
            and abs(w - h) > 0.05 * max(w, h)
        ):
            return  # a late thumbnail of the page before it was rotated
        self._remember((page_id, rotation), image)
        idx = self.index(row, 0)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])

    # -- progress ----------------------------------------------------------------------------
    def set_progress(self, page_id: str, fraction: float) -> None:
        """Progress (0..1) of a page being read; shown while its state is READING."""
        self._progress[page_id] = max(0.0, min(1.0, float(fraction)))
        row = self._row_of.get(page_id, -1)
        if row >= 0:
            idx = self.index(row, 0)
            self.dataChanged.emit(idx, idx, [self.ProgressRole])

    # -- project changes ---------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """A change of the project shown (the feed's ``project_changed``, or the project's own)."""
        if change.kind == ChangeKind.DOCUMENTS:
            self._sync_structure()
        elif change.kind in (ChangeKind.PAGES, ChangeKind.RESULT, ChangeKind.TEXT):
            for page_id in change.page_ids:
                row = self._row_of.get(page_id, -1)
                if row < 0:
                    continue
                if self._project.has_page(page_id) and self._project.page(page_id).state != PageState.READING:
                    self._progress.pop(page_id, None)
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [])

    def _sync_structure(self) -> None:
        """Bring rows in line with the project with removes, a layout change and inserts, so that
        views keep their selection and current page across moves."""
        new_rows = self._build_rows()
        new_ids = {r.page_id for r in new_rows}
        # 1. removals, as contiguous ranges from the end
        gone = [i for i, r in enumerate(self._rows) if r.page_id not in new_ids]
        for first, last in reversed(_ranges(gone)):
            self._change_rows(self._rows[:first] + self._rows[last + 1 :], first, last - first + 1, False)
        self._reindex()
        # 2. reorder / regroup the rows that stay
        kept = {r.page_id for r in self._rows}
        target = [r for r in new_rows if r.page_id in kept]
        if [r.page_id for r in target] != [r.page_id for r in self._rows]:
            self.layoutAboutToBeChanged.emit()
            old_persistent = self.persistentIndexList()
            old_ids = [self._rows[p.row()].page_id for p in old_persistent]
            self._rows = target
            self._reindex()
            self.changePersistentIndexList(
                old_persistent, [self.index(self._row_of[pid], 0) for pid in old_ids]
            )
            self.layoutChanged.emit()
        else:
            self._rows = target
        # 3. insertions, in ascending final position
        added = [i for i, r in enumerate(new_rows) if r.page_id not in kept]
        for first, last in _ranges(added):
            rows = self._rows[:first] + new_rows[first : last + 1] + self._rows[first:]
            self._change_rows(rows, first, last - first + 1, True)
        self._rows = new_rows  # numbers / first-of-document flags may have changed
        self._reindex()
        for key in [k for k in self._images if k[0] not in new_ids]:
            del self._images[key]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0), [])

    # -- drag and drop -----------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PAGE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(PAGE_IDS_MIME, QByteArray(json.dumps([self._rows[r].page_id for r in rows]).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data is not None and data.hasFormat(PAGE_IDS_MIME)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        """Drop before ``row`` (or on ``parent``'s row; at the end when both are invalid)."""
        page_ids = page_ids_from_mime(data)
        if not page_ids or action == Qt.DropAction.IgnoreAction:
            return False
        if row < 0 and parent is not None and parent.isValid():
            row = parent.row()
        self.request_move(page_ids, row, after=False)
        return False  # the controller moves the pages; the view must not remove rows itself

    def drop_target(self, row: int, after: bool = False) -> tuple[str, int] | None:
        """(document id, position in it) for a drop before ``row`` (after it with ``after``)."""
        if not self._rows:
            return None
        if row < 0 or row >= len(self._rows):
            last = self._rows[-1]
            return last.document_id, last.number
        r = self._rows[row]
        return r.document_id, r.number if after else r.number - 1

    def request_move(self, page_ids: list[str], row: int, after: bool = False) -> None:
        target = self.drop_target(row, after)
        if target is None:
            return
        ids = [p for p in page_ids if p in self._row_of]
        if ids:
            self.pages_move_requested.emit(ids, target[0], target[1])


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as contiguous (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out
