"""Item roles, drag MIME type, state names and the row the delegate paints (``PageItem``), shared by
the page list model, view and delegate."""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMimeData, Qt
from PySide6.QtGui import QImage

from desktop_ocr.model.document import PageState

_USER = Qt.ItemDataRole.UserRole

PAGE_ID_ROLE = _USER + 1
DOCUMENT_ID_ROLE = _USER + 2
DOCUMENT_NAME_ROLE = _USER + 3
STATE_ROLE = _USER + 4
REVIEWED_ROLE = _USER + 5
PROGRESS_ROLE = _USER + 6
FIRST_OF_DOCUMENT_ROLE = _USER + 7
DOCUMENT_PAGE_COUNT_ROLE = _USER + 8
PAGE_SIZE_ROLE = _USER + 9  # (width, height) as displayed
ERROR_ROLE = _USER + 10

#: MIME type of dragged pages: a JSON list of page ids.
PAGE_IDS_MIME = "application/x-desktop-ocr-page-ids"

STATE_TEXT = {
    PageState.NOT_READ: QT_TRANSLATE_NOOP("PageState", "Not read"),
    PageState.QUEUED: QT_TRANSLATE_NOOP("PageState", "Queued"),
    PageState.READING: QT_TRANSLATE_NOOP("PageState", "Reading"),
    PageState.READ: QT_TRANSLATE_NOOP("PageState", "Read"),
    PageState.EDITED: QT_TRANSLATE_NOOP("PageState", "Edited"),
    PageState.FAILED: QT_TRANSLATE_NOOP("PageState", "Failed"),
    PageState.INCOMPLETE: QT_TRANSLATE_NOOP("PageState", "Incomplete"),
}


def state_text(state: PageState) -> str:
    """A page state's name as shown to users, in their language ("" for an unknown state)."""
    text = STATE_TEXT.get(state, "")
    return QCoreApplication.translate("PageState", str(text)) if text else ""


def page_ids_from_mime(data: QMimeData | None) -> list[str]:
    """The page ids carried by a drag, or [] when it carries none."""
    if data is None or not data.hasFormat(PAGE_IDS_MIME):
        return []
    try:
        ids = json.loads(bytes(data.data(PAGE_IDS_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [str(i) for i in ids] if isinstance(ids, list) else []


def unreadable_boxes_note(n: int) -> str:
    """What a page whose result has ``n`` blocks with unreadable boxes says about them."""
    if n == 1:
        note = QCoreApplication.translate(
            "PageState",
            "{n} block of this page had a box that could not be read: kept as text, without a box.",
        )
    else:
        note = QCoreApplication.translate(
            "PageState",
            "{n} blocks of this page had a box that could not be read: kept as text, without a box.",
        )
    return note.format(n=n)


@dataclass(frozen=True, slots=True)
class PageItem:
    """Everything the delegate paints for one row, fetched in one Python call.

    (Reading roles through ``QModelIndex.data`` from Python costs a call per role, and in
    PySide6 6.12 on Python 3.11 every empty QVariant converted to None drops a reference to
    None, which eventually aborts the interpreter; the delegate avoids both.)
    """

    page_id: str
    label: str
    document_name: str
    document_page_count: int
    first_of_document: bool
    state: PageState
    reviewed: bool
    progress: float
    size: tuple[int, int]
    image: QImage | None
    error: str
