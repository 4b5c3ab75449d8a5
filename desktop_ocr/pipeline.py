"""The steps the GUI and the command line share: import files, read pages with an engine. No Qt.

The GUI's workers and ``desktop-ocr convert`` call these same functions, so a page is rendered, read
and stored the same way in both. :func:`read_batch` is thread-agnostic (it touches no Project);
:func:`read_pages` drives a whole run on the thread that owns the project.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop_ocr.engine.base import (
    BlockCallback,
    Engine,
    EngineCancelled,
    PageFailure,
    PageInput,
    ReadOptions,
    TextCallback,
)
from desktop_ocr.model import importer
from desktop_ocr.model.document import Page, PageState, Project, SourceKind
from desktop_ocr.model.result import Completion, PageResult
from desktop_ocr.model.sources import DEFAULT_DPI, PageRenderer, SourceError
from desktop_ocr.text import QT_TRANSLATE_NOOP, joined, message_of

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)


# --- import -------------------------------------------------------------------------------------


def import_paths(
    project: Project,
    paths: Sequence[Any],
    dpi: int = DEFAULT_DPI,
    passwords: Mapping[str, str] | None = None,
    *,
    sink: importer.SourceSink,
    reuse_existing: bool = False,
    on_progress: Callable[[int, int, str], None] | None = None,
    cancel: threading.Event | None = None,
) -> importer.ImportOutcome:
    """Import files and folders into ``project`` (originals go to ``sink``, the project store).

    ``outcome.problems`` lists the files that were not imported, each with its reason.
    """
    return importer.import_paths(
        project,
        paths,
        sink,
        dpi,
        passwords,
        reuse_existing=reuse_existing,
        on_progress=on_progress,
        cancel=cancel,
    )


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageJob:
    """A frozen snapshot of one page to read: safe to hand to another thread."""

    page_id: str
    source_id: str
    kind: SourceKind
    index: int
    rotation: int
    dpi: int
    label: str

    @classmethod
    def of(cls, project: Project, page: Page) -> PageJob:
        src = project.sources[page.source_id]
        label = page.label or (src.name if src.page_count == 1 else f"{src.name} p. {page.index + 1}")
        dpi = int(project.meta.get("dpi", DEFAULT_DPI))
        return cls(page.id, src.id, src.kind, page.index, page.rotation, dpi, label)


def page_jobs(project: Project, page_ids: Sequence[str]) -> list[PageJob]:
    return [PageJob.of(project, project.page(pid)) for pid in page_ids]


def render_job(renderer: PageRenderer, job: PageJob) -> Image.Image:
    """The image the engine reads: upright, at the project DPI, with the user's rotation."""
    return renderer.render(job.source_id, job.kind, job.index, job.dpi, job.rotation)


Outcome = PageResult | PageFailure


def read_batch(
    engine: Engine,
    jobs: Sequence[PageJob],
    renderer: PageRenderer,
    options: ReadOptions,
    *,
    on_text: TextCallback | None = None,
    on_block: BlockCallback | None = None,
    on_rendered: Callable[[PageJob], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[tuple[PageJob, Outcome]]:
    """Render and read up to ``engine.info.max_batch`` pages; one outcome per job, in order.

    Rendering failures and engine errors become :class:`PageFailure` (reason "render", "oom",
    "cancelled" or "error"); nothing raises except programming errors.
    """
    outcomes: dict[str, Outcome] = {}
    inputs: list[PageInput] = []
    for job in jobs:
        try:
            image = render_job(renderer, job)
        except SourceError as exc:
            outcomes[job.page_id] = PageFailure(job.page_id, joined(job.label, exc.reason), "render")
            continue
        except Exception as exc:
            log.warning("Rendering %s failed", job.label, exc_info=True)
            outcomes[job.page_id] = PageFailure(
                job.page_id,
                QT_TRANSLATE_NOOP("Reading", "{page} could not be rendered ({error})").format(
                    page=job.label, error=str(exc)
                ),
                "render",
            )
            continue
        if on_rendered:
            on_rendered(job)
        inputs.append(PageInput(job.page_id, image, options))
    if inputs:
        for page_input, res in zip(inputs, _engine_read(engine, inputs, on_text, on_block, cancel)):
            outcomes[page_input.key] = res
    out = []
    for job in jobs:
        res = outcomes[job.page_id]
        if isinstance(res, PageResult):
            extra = {**res.extra, "rotation": job.rotation, "dpi": job.dpi}
            res = dataclasses.replace(res, extra=extra)
        out.append((job, res))
    return out


def _engine_read(
    engine: Engine,
    inputs: list[PageInput],
    on_text: TextCallback | None,
    on_block: BlockCallback | None,
    cancel: threading.Event | None,
) -> list[Outcome]:
    try:
        results = list(engine.read(inputs, on_text=on_text, on_block=on_block, cancel=cancel))
    except EngineCancelled:
        return [PageFailure(p.key, QT_TRANSLATE_NOOP("Reading", "Cancelled."), "cancelled") for p in inputs]
    except MemoryError:
        return [
            PageFailure(
                p.key,
                QT_TRANSLATE_NOOP("Reading", "Out of memory while reading this page."),
                "oom",
                {"batch_size": 1},
            )
            for p in inputs
        ]
    except Exception as exc:
        log.exception("The engine failed on pages %s", [p.key for p in inputs])
        failed = QT_TRANSLATE_NOOP("Reading", "The engine failed on this page: {error}").format(
            error=message_of(exc)
        )
        return [PageFailure(p.key, failed, "error") for p in inputs]
    if len(results) != len(inputs):
        missing = QT_TRANSLATE_NOOP("Reading", "The engine returned no result for this page.")
        return [PageFailure(p.key, missing, "error") for p in inputs]
    return results


def is_cancelled(outcome: Outcome) -> bool:
    if isinstance(outcome, PageFailure):
        return outcome.reason == "cancelled"
    return outcome.completion == Completion.CANCELLED


def settled_state(page: Page) -> PageState:
    """What a page is when it is not queued or being read (used after a cancel)."""
    if page.edited_text is not None:
        return PageState.EDITED
    if page.result is not None:
        return PageState.INCOMPLETE if page.result.completion != Completion.COMPLETE else PageState.READ
    if page.error:
        return PageState.FAILED
    return PageState.NOT_READ


@dataclass(frozen=True, slots=True)
class ReadProgress:
    """Where a run stands, after each page."""

    done: int
    total: int
    failed: int
    page_id: str
    label: str
    ok: bool
    message: str  # the failure message when not ok
    page_seconds: float
    elapsed_s: float
    eta_s: float  # -1 when unknown


@dataclass(slots=True)
class ReadSummary:
    read: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # page id -> message
    cancelled: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled


def needs_reading(page: Page) -> bool:
    """Pages a "read what is not read yet" run picks: never read, or failed."""
    return page.result is None and page.edited_text is None


def read_pages(
    engine: Engine,
    project: Project,
    page_ids: Sequence[str],
    renderer: PageRenderer,
    options: ReadOptions | None = None,
    on_progress: Callable[[ReadProgress], None] | None = None,
    cancel: threading.Event | None = None,
    *,
    on_text: TextCallback | None = None,
    on_block: BlockCallback | None = None,
) -> ReadSummary:
    """Read pages in batches of ``engine.info.max_batch`` and store the outcomes in ``project``.

    Results go through :meth:`Project.set_result`; failures through ``set_state(FAILED, message)``;
    cancelled pages return to the state they had. Runs on the thread that owns ``project``.
    """
    options = options or ReadOptions()
    summary = ReadSummary()
    jobs = page_jobs(project, page_ids)
    if not jobs:
        return summary
    project.set_state([j.page_id for j in jobs], PageState.QUEUED)
    batch_size = max(1, int(engine.info.max_batch))
    started = time.monotonic()
    per_page = float(engine.info.seconds_per_page_estimate)
    done = 0
    pending = list(jobs)
    while pending:
        if cancel is not None and cancel.is_set():
            break
        batch, pending = pending[:batch_size], pending[batch_size:]
        project.set_state([j.page_id for j in batch], PageState.READING)
        t0 = time.monotonic()
        outcomes = read_batch(
            engine, batch, renderer, options, on_text=on_text, on_block=on_block, cancel=cancel
        )
        page_seconds = (time.monotonic() - t0) / len(batch)
        for job, res in outcomes:
            page = project.page(job.page_id)
            message = ""
            if is_cancelled(res) or (cancel is not None and cancel.is_set() and isinstance(res, PageFailure)):
                summary.cancelled.append(job.page_id)
                project.set_state([job.page_id], settled_state(page))
                continue
            if isinstance(res, PageResult):
                project.set_result(job.page_id, res)
                summary.read.append(job.page_id)
            else:
                message = res.message
                project.set_state([job.page_id], PageState.FAILED, message)
                summary.failed[job.page_id] = message
            done += 1
            elapsed = time.monotonic() - started
            per_page = elapsed / max(done, 1)
            remaining = len(jobs) - done - len(summary.cancelled)
            if on_progress:
                on_progress(
                    ReadProgress(
                        done,
                        len(jobs),
                        len(summary.failed),
                        job.page_id,
                        job.label,
                        isinstance(res, PageResult),
                        message,
                        page_seconds,
                        elapsed,
                        per_page * remaining if remaining > 0 else 0.0,
                    )
                )
    left = [j.page_id for j in pending]
    for pid in left:
        summary.cancelled.append(pid)
        project.set_state([pid], settled_state(project.page(pid)))
    return summary
