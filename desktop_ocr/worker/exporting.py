"""The Controller's export commands (a mixin of ``Controller``): exports run in a background
thread on a frozen copy of the documents; existing files are never replaced without asking."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from desktop_ocr.worker.export_worker import ExportJob
from desktop_ocr.worker.jobs import next_job_id

if TYPE_CHECKING:
    from desktop_ocr.worker.controller import Controller as _Base
else:
    _Base = object


class ExportMixin(_Base):
    """Export documents; ask before replacing files."""

    # -- export ---------------------------------------------------------------------------------
    def export(
        self,
        document_ids: Sequence[str],
        out_dir: str | Path,
        formats: Sequence[str] | None = None,
        separator: str | None = None,
        policy: str = "error",
    ) -> int:
        """Export documents (with the user's edited text) in the background; 0 if one is running.

        ``export_finished`` follows, or ``export_overwrite_requested`` when files exist and the
        policy is "error" (nothing is written then; :meth:`resolve_export_conflict` goes on).
        """
        ids = tuple(d for d in document_ids if any(doc.id == d for doc in self.project.documents))
        if not ids:
            self.status_message.emit(self.tr("Nothing to export"), 3000)
            return 0
        job = ExportJob(
            next_job_id(),
            ids,
            Path(out_dir),
            tuple(formats or self.settings.export_formats),
            separator or self.settings.separator,
            policy,
            self._opener,
        )
        return self.run_export(job)

    def resolve_export_conflict(self, policy: str) -> int:
        """Run the export that stopped at existing files again: policy "overwrite" or "rename"."""
        job = self._export_waiting
        self._export_waiting = None
        if job is None or policy not in ("overwrite", "rename"):
            return 0
        return self.run_export(dataclasses.replace(job, job_id=next_job_id(), policy=policy))

    def run_export(self, job: ExportJob) -> int:
        self._export_jobs[job.job_id] = job
        if not self.exports.start(job, self.project):
            self.status_message.emit(self.tr("An export is already running"), 3000)
            return 0
        self.status_message.emit(self.tr("Exporting {n} document(s)...").format(n=len(job.document_ids)), 0)
        return job.job_id

    @Slot(int, list, list)
    def _on_export_finished(self, job_id: int, written: list, problems: list) -> None:
        job = self._export_jobs.pop(job_id, None)
        folder = job.out_dir if job else (Path(written[0]).parent if written else "")
        self.status_message.emit(
            self.tr("Exported {n} file(s) to {folder}").format(n=len(written), folder=folder), 8000
        )
        if problems:
            self.problems_reported.emit(self.tr("The export is done, with some problems"), problems)
        self.export_finished.emit(written)

    @Slot(int, list)
    def _on_export_overwrite(self, job_id: int, existing: list) -> None:
        self.status_message.emit("", 1)
        self._export_waiting = self._export_jobs.pop(job_id, None)
        self.export_overwrite_requested.emit(existing)
