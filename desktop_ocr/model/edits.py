"""Page and document edits of the open project, no Qt: the checks every edit makes and the deletions
Undo can take back.

:class:`PageEdits` works on whatever project its :class:`~desktop_ocr.model.session.ProjectSession`
holds now. Nothing is changed while the project is open read-only, and no text is set on a page that
is queued or being read (``is_busy``, the reading service's). Refusals and the undo stack go to an
:class:`EditEvents` listener (plain callbacks): the Controller turns them into its signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from desktop_ocr.model.blocks import Span, page_layout
from desktop_ocr.model.document import Project, Removed
from desktop_ocr.model.session import ProjectSession
from desktop_ocr.model.store import TextVersion

#: Deletions of pages that Undo can take back, newest last.
MAX_UNDO_DELETES = 20


class EditEvents:
    """What the edits report (each method does nothing unless overridden)."""

    def read_only(self) -> None:
        """An edit was refused: the project is open read-only."""

    def refused(self, operation: str, error: Exception) -> None:
        """``operation`` ("move", "rename", "split", "merge") was refused by the project: ``error``."""

    def deletions_changed(self, count: int) -> None:
        """How many deletions :meth:`PageEdits.undo_delete` can take back now."""

    def pages_restored(self, page_ids: list[str]) -> None:
        """An undo put these pages back."""


class PageEdits:
    """The user's edits of pages and documents (see the module docstring)."""

    def __init__(
        self,
        session: ProjectSession,
        is_busy: Callable[[str], bool],
        deleting: Callable[[list[str]], object],
        events: EditEvents | None = None,
    ) -> None:
        """``deleting(page_ids)`` is called before pages are deleted (to stop reading them)."""
        self.session = session
        self.is_busy = is_busy
        self.deleting = deleting
        self.events = events or EditEvents()
        self._deleted: list[Removed] = []  # what undo_delete() puts back

    @property
    def project(self) -> Project:
        return self.session.project

    def _writable(self) -> bool:
        if self.session.read_only:
            self.events.read_only()
            return False
        return True

    def _idle(self, page_id: str) -> bool:
        """The page exists and is not queued or being read."""
        return self.project.has_page(page_id) and not self.is_busy(page_id)

    # -- text ------------------------------------------------------------------------------------
    def set_page_text(
        self, page_id: str, text: str, spans: Iterable[Span] | None = None, origin: str = "edit"
    ) -> None:
        """The editor's text and blocks for a page; ignored while it is being read or unchanged.

        ``spans``: the page's blocks in ``text``, or None. ``origin``: "edit" (typing and block edits,
        kept as one version per burst) or another word (e.g. "region"), which always starts a version
        of its own in the history."""
        if not self._writable() or not self._idle(page_id):
            return
        page = self.project.page(page_id)
        spans = tuple(spans) if spans is not None else None
        if (
            page.text == text
            and (page.is_edited or page.result is not None)
            and (spans is None or spans == page_layout(page).spans)
        ):
            return
        self.project.set_text(page_id, text, origin=origin or "edit", spans=spans)

    def text_versions(self, page_id: str) -> list[TextVersion]:
        """Every version of a page's text (OCR results, editing bursts, restores), newest first."""
        if not self.project.has_page(page_id):
            return []
        return self.session.store.versions(page_id)

    def restore_text(self, page_id: str, text: str, spans: tuple[Span, ...] | None = None) -> None:
        """Make an earlier text (and its blocks) the page's again (kept as a new version)."""
        if self._writable() and self._idle(page_id):
            self.project.set_text(page_id, text, origin="restore", spans=spans)

    # -- pages -----------------------------------------------------------------------------------
    def rotate_pages(self, page_ids: Sequence[str], degrees: int) -> None:
        """Rotate pages not being read."""
        if not self._writable():
            return
        ids = [p for p in page_ids if self._idle(p)]
        if ids:
            self.project.rotate_pages(ids, degrees)

    def set_reviewed(self, page_ids: Sequence[str], reviewed: bool = True) -> None:
        if self._writable():
            self.project.set_reviewed([p for p in page_ids if self.project.has_page(p)], reviewed)

    def delete_pages(self, page_ids: Sequence[str]) -> None:
        """Delete pages (and documents left empty); :meth:`undo_delete` puts them back."""
        if not self._writable():
            return
        ids = [p for p in page_ids if self.project.has_page(p)]
        self.deleting(ids)
        if ids:
            self._deleted.append(self.project.delete_pages(ids))
            del self._deleted[:-MAX_UNDO_DELETES]
            self.events.deletions_changed(len(self._deleted))

    @property
    def can_undo_delete(self) -> bool:
        return bool(self._deleted)

    def undo_delete(self) -> list[str]:
        """Put the pages of the last deletion back, with their text and results; their ids."""
        if not self._deleted:
            return []
        back = self.project.restore_pages(self._deleted.pop())
        self.events.deletions_changed(len(self._deleted))
        if back:
            self.events.pages_restored(back)
        return back

    def forget_deletions(self) -> None:
        """Another project: nothing of the old one to put back."""
        self._deleted.clear()
        self.events.deletions_changed(0)

    def move_pages(self, page_ids: list[str], document_id: str, position: int) -> None:
        self._refusable("move", lambda: self.project.move_pages(page_ids, document_id, position))

    # -- documents -------------------------------------------------------------------------------
    def rename_document(self, document_id: str, name: str) -> bool:
        return self._refusable("rename", lambda: self.project.rename_document(document_id, name))

    def split_document(self, document_id: str, at_index: int) -> None:
        self._refusable("split", lambda: self.project.split_document(document_id, at_index))

    def merge_documents(self, document_ids: list[str]) -> None:
        self._refusable("merge", lambda: self.project.merge_documents(document_ids))

    def _refusable(self, operation: str, edit: Callable[[], object]) -> bool:
        """Run ``edit``; False (reported) when the project is read-only or refuses it."""
        if not self._writable():
            return False
        try:
            edit()
        except (KeyError, ValueError) as exc:
            self.events.refused(operation, exc)
            return False
        return True
