"""Imports of the open project waiting for their plan, no Qt: which are still wanted, who is asked
about documents the project has already, and the plan applied to the project.

The import worker prepares a plan off the GUI thread (sources validated and stored); when it comes
back, :meth:`ImportRequests.prepared` applies it, unless the project was replaced meanwhile (the
request was dropped) or the user, asked about duplicates, cancelled. The outcome goes to an
:class:`ImportEvents` listener (plain callbacks).
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_ocr.model.document import Project
from desktop_ocr.model.importer import ImportOutcome, ImportPlan, already_imported, apply_plan

#: ``confirm(names)`` -> "again" (add them once more), "skip" (leave them out) or "cancel".
ConfirmDuplicates = Callable[[list[str]], str]


class ImportEvents:
    """What an applied import reports (each method does nothing unless overridden)."""

    def imported(self, outcome: ImportOutcome) -> None:
        """Documents were added (perhaps none), with the problems of the files that were not."""

    def import_cancelled(self) -> None:
        """The user, asked about documents the project has already, imported nothing."""


class ImportRequests:
    """Import jobs asked and not applied yet, by job id."""

    def __init__(self, events: ImportEvents | None = None) -> None:
        self.events = events or ImportEvents()
        self._ids: set[int] = set()
        self._confirm: dict[int, ConfirmDuplicates] = {}

    def add(self, job_id: int, confirm_duplicates: ConfirmDuplicates | None = None) -> None:
        self._ids.add(job_id)
        if confirm_duplicates is not None:
            self._confirm[job_id] = confirm_duplicates

    def drop_all(self) -> None:
        """Another project: no plan prepared for the old one is applied."""
        self._ids.clear()
        self._confirm.clear()

    def failed(self, job_id: int) -> None:
        self._ids.discard(job_id)
        self._confirm.pop(job_id, None)

    def prepared(self, project: Project, job_id: int, plan: object) -> None:
        """Apply a prepared plan to ``project`` if it is still wanted (duplicates asked about first)."""
        if job_id not in self._ids or not isinstance(plan, ImportPlan):
            return  # the project changed meanwhile: drop
        self._ids.discard(job_id)
        confirm = self._confirm.pop(job_id, None)
        reuse = False
        if confirm is not None and (names := already_imported(project, plan)):
            answer = confirm(names)
            if answer == "cancel":
                self.events.import_cancelled()
                return
            reuse = answer == "skip"
        self.events.imported(apply_plan(project, plan, reuse_existing=reuse))
