"""Export requests of the open project, no Qt: the frozen job, the copy an export thread writes from,
the writing of a job (:func:`write`, the one step the GUI's export thread and ``desktop-ocr convert``
both run) and the export that waits for the user's answer about files that exist already.

:class:`ExportRequests` builds an :class:`ExportJob` for the documents still in the project, keeps
each running job until it is answered, and keeps the job that stopped at existing files (policy
"error": nothing was written) so that :meth:`ExportRequests.resolve` can run it again with the
policy the user chose ("overwrite" or "rename").
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop_ocr.export.documents import ExportResult, export_documents
from desktop_ocr.model.document import Project
from desktop_ocr.model.sources import SourceData

#: A thread-safe ``opener(source_id) -> bytes | path`` (the project store's ``source_opener()``).
Opener = Callable[[str], SourceData]


@dataclass(frozen=True, slots=True)
class ExportJob:
    job_id: int
    document_ids: tuple[str, ...]
    out_dir: Path
    formats: tuple[str, ...]
    separator: str
    policy: str = "error"  # "error" (ask first), "overwrite" or "rename"
    opener: Opener | None = field(default=None, repr=False, compare=False)
    pdfa: bool = False  # the PDF as PDF/A-2b


def snapshot(project: Project, document_ids: tuple[str, ...]) -> Project:
    """A detached copy of the chosen documents (and their sources): safe to read in another thread."""
    snap = Project()
    snap.meta = copy.deepcopy(project.meta)
    wanted = set(document_ids)
    snap.documents = [copy.deepcopy(d) for d in project.documents if d.id in wanted]
    used = {p.source_id for d in snap.documents for p in d.pages}
    snap.sources = {sid: copy.deepcopy(s) for sid, s in project.sources.items() if sid in used}
    snap._reindex()
    return snap


def write(
    job: ExportJob, project: Project, progress: Callable[[float, str], None] | None = None
) -> ExportResult:
    """Write ``job``'s files from ``project`` on this thread (the export thread passes its
    :func:`snapshot`); the exporters' errors are raised as they come (an ``ExportConflict``, a
    ``FileExistsError``, when the policy is "error" and files exist: nothing is written then)."""
    return export_documents(
        project,
        list(job.document_ids),
        job.out_dir,
        formats=list(job.formats),
        separator=job.separator,
        policy=job.policy,
        opener=job.opener,
        pdfa=job.pdfa,
        progress=progress,
    )


def existing_outputs(error: BaseException) -> list[Path]:
    """The files an exporter refused to overwrite, from its exception (empty if not that case)."""
    files = getattr(error, "existing", None) or getattr(error, "paths", None)
    if files:
        return [Path(f) for f in files]
    if isinstance(error, FileExistsError):
        return [Path(error.filename)] if error.filename else [Path(str(error))]
    return []


class ExportRequests:
    """Exports asked and not answered yet, and the one waiting for an overwrite answer."""

    def __init__(self, new_id: Callable[[], int]) -> None:
        self.new_id = new_id
        self._jobs: dict[int, ExportJob] = {}
        self._waiting: ExportJob | None = None

    def job(
        self,
        project: Project,
        document_ids: Sequence[str],
        out_dir: str | Path,
        formats: Sequence[str],
        separator: str,
        policy: str = "error",
        opener: Opener | None = None,
        pdfa: bool = False,
    ) -> ExportJob | None:
        """The job for the documents among ``document_ids`` still in ``project``; None when none is."""
        present = {doc.id for doc in project.documents}
        ids = tuple(d for d in document_ids if d in present)
        if not ids:
            return None
        return ExportJob(self.new_id(), ids, Path(out_dir), tuple(formats), separator, policy, opener, pdfa)

    def started(self, job: ExportJob) -> None:
        self._jobs[job.job_id] = job

    def finished(self, job_id: int) -> ExportJob | None:
        """The job an answer belongs to (None when not known); it is over."""
        return self._jobs.pop(job_id, None)

    def needs_overwrite(self, job_id: int) -> None:
        """The job stopped at existing files: it waits for :meth:`resolve`."""
        self._waiting = self._jobs.pop(job_id, None)

    def resolve(self, policy: str) -> ExportJob | None:
        """The waiting job again, with a new id and ``policy`` ("overwrite" or "rename"); None when
        none waits or the policy is neither (the waiting job is dropped either way)."""
        job, self._waiting = self._waiting, None
        if job is None or policy not in ("overwrite", "rename"):
            return None
        return dataclasses.replace(job, job_id=self.new_id(), policy=policy)
