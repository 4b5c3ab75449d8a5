"""Export documents: ``<name>.md`` with ``<name>_images/``, ``.txt``, ``.json``, a searchable ``.pdf``, and
``.docx``, ``.odt``, ``.html``, ``.epub`` (through pandoc) per document.

A format that fails for a document (pandoc missing, a source that cannot be read) is reported in
``ExportResult.problems`` and ``failed``, naming the document and the reason; the other formats and
documents go on. Every file is written atomically; nothing is overwritten unless the policy says so, and with the
default policy an export that would overwrite writes nothing at all (:class:`ExportConflict`).
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from desktop_ocr.export import crops, json_, markdown, naming, text
from desktop_ocr.export.brackets import escape_stray_brackets
from desktop_ocr.export.naming import ConflictPolicy, ExportConflict
from desktop_ocr.fsutil import atomic_write_bytes, atomic_write_text
from desktop_ocr.messages import QT_TRANSLATE_NOOP, joined, message_of
from desktop_ocr.model.blocks import page_figures
from desktop_ocr.model.document import Document, Page, PageState, Project

log = logging.getLogger(__name__)

FORMATS = ("md", "txt", "json", "pdf", "docx", "odt", "html", "epub")
#: The formats written unless the caller chooses (what the export always wrote).
DEFAULT_FORMATS = ("md", "txt", "json")
#: Formats made by pandoc from the Markdown (they embed the figure crops).
PANDOC_FORMATS = ("docx", "odt", "html", "epub")
IMAGES_SUFFIX = "_images"

#: ``page_image(page)``: the page's full-resolution image, upright as the engine read it.
PageImage = Callable[[Page], Image.Image]
#: ``progress(fraction 0..1, message)``.
Progress = Callable[[float, str], None]


class ExportCancelled(Exception):
    """The export was cancelled; files already written stay (each is complete)."""


class ExportResult(list[Path]):
    """The files written, in order (a list of paths), with the problems met on the way."""

    def __init__(self) -> None:
        super().__init__()
        #: Messages for the user, e.g. a figure that could not be cut out (its link was left out).
        self.problems: list[str] = []
        #: Document id -> the file stem used (differs from the name after renaming or sanitising).
        self.stems: dict[str, str] = {}
        #: (document name, format, reason) for each file that could not be written.
        self.failed: list[tuple[str, str, str]] = []
        #: Document name -> the 1-based numbers of its pages that were never read or failed
        #: (exported without text: an empty page is never passed off as read).
        self.unread: dict[str, list[int]] = {}


@dataclass
class _Plan:
    document: Document
    stem: str
    files: dict[str, Path] = field(default_factory=dict)  # format -> path
    images: Path | None = None

    def targets(self) -> list[Path]:
        return list(self.files.values()) + ([self.images] if self.images is not None else [])


def export_documents(
    project: Project,
    document_ids: Iterable[str] | None,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    separator: str | None = markdown.DEFAULT_SEPARATOR,
    policy: ConflictPolicy | str = ConflictPolicy.ERROR,
    overwrite: bool = False,
    page_image: PageImage | None = None,
    opener: Callable[[str], Any] | None = None,
    jpeg_quality: int = crops.JPEG_QUALITY,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    pdfa: bool = False,
) -> ExportResult:
    """Export documents (all when ``document_ids`` is None) into ``out_dir``.

    Text is each page's CURRENT text (the user's edit when there is one). ``separator`` is a key of
    :data:`~desktop_ocr.export.markdown.SEPARATORS` ("official", "none", "hr") or literal text.
    Figures linked as ``![](figure:N)`` are cut from ``page_image(page)`` (or, given ``opener``,
    from the page rendered out of its source) into ``<name>_images/K.jpg``, K counting the
    document's figures from 1; a figure that cannot be cut out is reported in ``problems`` and its
    link removed, and later figures keep their numbers. ``policy``: "error" (default; raises
    :class:`ExportConflict` listing the existing files and writes nothing), "overwrite", or "rename"
    ("name (2).md"); ``overwrite=True`` is the same as policy "overwrite". The PDF needs ``opener``
    (the original pages go into it); ``pdfa`` makes it PDF/A-2b.
    """
    policy = ConflictPolicy.OVERWRITE if overwrite else ConflictPolicy(policy)
    fmts = _formats(formats)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(
            QT_TRANSLATE_NOOP("Export", "{path} is a file, not a folder.").format(path=str(out))
        )
    docs = _select(project, document_ids)
    plans = _plan(docs, out, fmts, policy)
    if policy == ConflictPolicy.ERROR:
        existing = [p for plan in plans for p in plan.targets() if _occupied(p)]
        if existing:
            raise ExportConflict(existing)
    out.mkdir(parents=True, exist_ok=True)

    close: Callable[[], None] = lambda: None  # noqa: E731
    if page_image is None and opener is not None and _cuts_figures(fmts):
        page_image, close = _renderer_page_image(project, opener)
    result = ExportResult()
    per_doc = 1 + ("pdf" in fmts) + sum(f in PANDOC_FORMATS for f in fmts) / 4
    total = sum(max(1, len(plan.document.pages)) * per_doc for plan in plans) or 1
    done = 0.0
    try:
        for plan in plans:
            result.stems[plan.document.id] = plan.stem

            def step(message: str, plan: _Plan = plan, weight: float = 1.0) -> None:
                nonlocal done
                if cancel is not None and cancel.is_set():
                    raise ExportCancelled(QT_TRANSLATE_NOOP("Export", "The export was cancelled."))
                done += weight
                if progress:
                    progress(min(1.0, done / total), joined(plan.document.name, message))

            unread = [n for n, p in enumerate(plan.document.pages, 1) if not is_read(p)]
            if unread:
                result.unread[plan.document.name] = unread
            _export_one(project, plan, fmts, separator, page_image, jpeg_quality, result, step, opener, pdfa)
    finally:
        close()
    if progress:
        progress(1.0, "Export finished")
    return result


# --- planning ---------------------------------------------------------------------------------------
def is_read(page: Page) -> bool:
    """A page with text the user can stand by: read (fully or not) or edited; not never-read or failed."""
    if page.edited_text is not None:
        return True
    return page.result is not None and page.state not in (PageState.NOT_READ, PageState.FAILED)


def unread_pages(project: Project, document_ids: Iterable[str] | None = None) -> dict[str, list[int]]:
    """Document name -> the 1-based numbers of its pages never read or failed (for asking first)."""
    return {
        d.name: numbers
        for d in _select(project, document_ids)
        if (numbers := [n for n, p in enumerate(d.pages, 1) if not is_read(p)])
    }


def pages_without_text(
    project: Project, document_ids: Iterable[str] | None = None
) -> dict[str, list[tuple[int, str]]]:
    """Document name -> (1-based number, why) of each of its pages that would be exported without
    text, why being "not_read", "failed" or "empty" (read, but no text was found or it was all
    deleted): the export asks before writing their empty sections."""
    found: dict[str, list[tuple[int, str]]] = {}
    for d in _select(project, document_ids):
        for n, p in enumerate(d.pages, 1):
            if not is_read(p):
                why = "failed" if p.state == PageState.FAILED else "not_read"
            elif not p.text.strip():
                why = "empty"
            else:
                continue
            found.setdefault(d.name, []).append((n, why))
    return found


def _cuts_figures(fmts: Sequence[str]) -> bool:
    return "md" in fmts or any(f in PANDOC_FORMATS for f in fmts)


def parse_formats(formats: Sequence[str] | str) -> list[str]:
    """Format names (a sequence or "md,pdf,docx") checked and without repeats; ValueError names a bad one."""
    if isinstance(formats, str):
        formats = [f for f in formats.split(",") if f.strip()]
    return _formats(formats)


def _formats(formats: Sequence[str]) -> list[str]:
    fmts = []
    for f in formats:
        key = f.strip().lower().lstrip(".")
        key = {"markdown": "md", "mmd": "md", "text": "txt"}.get(key, key)
        if key not in FORMATS:
            raise ValueError(
                QT_TRANSLATE_NOOP(
                    "Export", "Unknown export format '{format}' (choose from {formats})."
                ).format(format=f, formats=", ".join(FORMATS))
            )
        if key not in fmts:
            fmts.append(key)
    if not fmts:
        raise ValueError(QT_TRANSLATE_NOOP("Export", "Choose at least one export format."))
    return fmts


def _select(project: Project, document_ids: Iterable[str] | None) -> list[Document]:
    if document_ids is None:
        return list(project.documents)
    wanted = list(dict.fromkeys(document_ids))
    known = {d.id: d for d in project.documents}
    missing = [i for i in wanted if i not in known]
    if missing:
        raise KeyError(f"No such document: {', '.join(missing)}")
    order = {d.id: k for k, d in enumerate(project.documents)}
    return sorted((known[i] for i in wanted), key=lambda d: order[d.id])


def _plan(docs: list[Document], out: Path, fmts: list[str], policy: ConflictPolicy) -> list[_Plan]:
    """File names per document: distinct within this export (ignoring case), and with the rename
    policy also distinct from files already there."""
    taken: set[str] = set()
    plans: list[_Plan] = []
    for doc in docs:
        base = naming.safe_filename(doc.name)
        n = 1
        while True:
            stem = naming.numbered(base, n)
            plan = _Plan(doc, stem, {f: out / f"{stem}.{f}" for f in fmts})
            if "md" in fmts:
                plan.images = out / f"{stem}{IMAGES_SUFFIX}"
            clash = stem.casefold() in taken
            if not clash and policy == ConflictPolicy.RENAME:
                clash = any(_occupied(p) for p in plan.targets())
            if not clash:
                break
            n += 1
        taken.add(stem.casefold())
        plans.append(plan)
    return plans


def _occupied(path: Path) -> bool:
    """An output path already in use: an existing file, or an images folder with files in it."""
    if path.name.endswith(IMAGES_SUFFIX) and path.is_dir():
        return any(path.iterdir())
    return path.exists()


# --- writing ------------------------------------------------------------------------------------------
def _export_one(
    project: Project,
    plan: _Plan,
    fmts: list[str],
    separator: str | None,
    page_image: PageImage | None,
    quality: int,
    result: ExportResult,
    step: Callable[..., None],
    opener: Callable[[str], Any] | None = None,
    pdfa: bool = False,
) -> None:
    with contextlib.ExitStack() as stack:
        images = plan.images
        if images is None and _cuts_figures(fmts):  # crops only for DOCX etc.: a folder of our own
            images = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="deskocr-crops-"))) / (
                plan.stem + IMAGES_SUFFIX
            )
        page_texts, figure_files = _pages(plan, images, fmts, page_image, quality, result, step)
        _write_formats(
            project, plan, images, fmts, separator, page_texts, figure_files, result, step, opener, pdfa
        )


def _pages(
    plan: _Plan,
    images: Path | None,
    fmts: list[str],
    page_image: PageImage | None,
    quality: int,
    result: ExportResult,
    step: Callable[..., None],
) -> tuple[list[str], dict[str, dict[int, str | None]]]:
    """Each page's Markdown with its figures cut out into ``images`` and the links rewritten."""
    doc = plan.document
    counter = 0
    page_texts: list[str] = []
    figure_files: dict[str, dict[int, str | None]] = {}
    for number, page in enumerate(doc.pages, 1):
        step(QT_TRANSLATE_NOOP("Export", "page {n}").format(n=number))
        current = page.text
        wanted = markdown.figure_numbers(current) if images is not None else []
        links: dict[int, str | None] = {}
        if wanted:
            image = None
            image_error = ""
            boxes = page_figures(page)
            for n in dict.fromkeys(wanted):
                counter += 1  # every linked figure takes a number, cut out or not
                where = QT_TRANSLATE_NOOP("Export", "{document}, page {page}: figure {n}").format(
                    document=doc.name, page=number, n=n
                )
                if n not in boxes:
                    result.problems.append(
                        QT_TRANSLATE_NOOP(
                            "Export", "{figure} does not exist on the page; its link was left out."
                        ).format(figure=where)
                    )
                    links[n] = None
                    continue
                if image is None and not image_error:
                    image, image_error = _page_image(page_image, page)
                if image is None:
                    result.problems.append(_not_cut_out(where, image_error))
                    links[n] = None
                    continue
                assert images is not None
                target = images / f"{counter}.jpg"
                try:
                    crops.save_jpeg(crops.crop_box(image, boxes[n]), target, quality)
                except (crops.CropError, OSError, ValueError) as exc:
                    result.problems.append(_not_cut_out(where, message_of(exc)))
                    links[n] = None
                    continue
                if images == plan.images:
                    result.append(target)
                links[n] = markdown.link_path(images.name, target.name)
        figure_files[page.id] = links
        page_texts.append(markdown.rewrite_figure_links(current, links.get) if wanted else current)
    return page_texts, figure_files


def _write_formats(
    project: Project,
    plan: _Plan,
    images: Path | None,
    fmts: list[str],
    separator: str | None,
    page_texts: list[str],
    figure_files: dict[str, dict[int, str | None]],
    result: ExportResult,
    step: Callable[..., None],
    opener: Callable[[str], Any] | None,
    pdfa: bool,
) -> None:
    doc = plan.document
    if "md" in fmts:
        shown = [escape_stray_brackets(t) for t in page_texts]  # "<lazy>" shows as typed
        atomic_write_text(plan.files["md"], markdown.join_pages(shown, separator))
        result.append(plan.files["md"])
        if plan.images is not None:
            _remove_stale_crops(plan.images, {p.name for p in result if p.parent == plan.images})
    if "txt" in fmts:
        plain = [text.markdown_to_text(t) for t in page_texts]
        atomic_write_text(plan.files["txt"], markdown.join_pages(plain, separator))
        result.append(plan.files["txt"])
    if "json" in fmts:
        data = json_.document_json(doc, project, figure_files if "md" in fmts else None)
        atomic_write_text(plan.files["json"], json_.dumps(data))
        result.append(plan.files["json"])
    if "pdf" in fmts:
        _guarded(result, doc.name, "pdf", lambda: _write_pdf(project, plan, opener, pdfa, step, result))
    for fmt in (f for f in fmts if f in PANDOC_FORMATS):
        step(fmt.upper(), weight=max(1, len(doc.pages)) / 4)

        def write(fmt: str = fmt) -> None:
            from desktop_ocr.export import pandoc_

            resources = images.parent if images is not None else None
            atomic_write_bytes(plan.files[fmt], pandoc_.convert(page_texts, fmt, doc.name, resources))
            result.append(plan.files[fmt])

        _guarded(result, doc.name, fmt, write)


def _guarded(result: ExportResult, document: str, fmt: str, write: Callable[[], None]) -> None:
    """Run ``write``; a failure is recorded (document, format, reason) and the export goes on."""
    try:
        write()
    except ExportCancelled:
        raise
    except Exception as exc:
        log.warning("Export of %s as %s failed", document, fmt, exc_info=True)
        reason = message_of(exc) or type(exc).__name__
        result.failed.append((document, fmt, reason))
        result.problems.append(
            QT_TRANSLATE_NOOP(
                "Export", "{document}: the {format} file could not be written ({error})."
            ).format(document=document, format=fmt.upper(), error=reason)
        )


def _write_pdf(
    project: Project,
    plan: _Plan,
    opener: Callable[[str], Any] | None,
    pdfa: bool,
    step: Callable[..., None],
    result: ExportResult,
) -> None:
    from desktop_ocr.export import pdf

    if opener is None:
        raise pdf.PdfError(QT_TRANSLATE_NOOP("Export", "the original pages are not available"))
    data = pdf.write_pdf(
        project,
        plan.document,
        opener,
        pdfa=pdfa,
        step=lambda n: step(QT_TRANSLATE_NOOP("Export", "PDF page {n}").format(n=n)),
    )
    atomic_write_bytes(plan.files["pdf"], data)
    result.append(plan.files["pdf"])


def _remove_stale_crops(folder: Path, written: set[str]) -> None:
    """After overwriting an export, drop figure files of the earlier export that this one did not
    write again (only our own ``N.jpg`` names; anything else the user put there stays)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in written and path.suffix == ".jpg" and path.stem.isdigit() and path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()  # only succeeds when nothing is left in it


_NO_PAGE_IMAGE = QT_TRANSLATE_NOOP("Export", "no page image is available")


def _not_cut_out(figure: str, error: str) -> str:
    return QT_TRANSLATE_NOOP(
        "Export", "{figure} could not be cut out ({error}); its link was left out."
    ).format(figure=figure, error=error)


def _page_image(page_image: PageImage | None, page: Page) -> tuple[Image.Image | None, str]:
    if page_image is None:
        return None, _NO_PAGE_IMAGE
    try:
        image = page_image(page)
    except Exception as exc:  # a source that cannot be rendered fails its figures, not the export
        log.warning("Page image for export failed: %s", exc)
        return None, QT_TRANSLATE_NOOP("Export", "the page image could not be made: {error}").format(
            error=message_of(exc)
        )
    if image is None:
        return None, _NO_PAGE_IMAGE
    return image, ""


def _renderer_page_image(
    project: Project, opener: Callable[[str], Any]
) -> tuple[PageImage, Callable[[], None]]:
    """A ``page_image`` that renders pages from their sources in this thread, at the project's DPI,
    turned as the page is (its boxes turn with it, so the figure boxes fit)."""
    from desktop_ocr.model.sources import DEFAULT_DPI, PageRenderer

    renderer = PageRenderer(opener)
    dpi = int(project.meta.get("dpi", DEFAULT_DPI))

    def render(page: Page) -> Image.Image:
        source = project.sources[page.source_id]
        rotation = page.rotation  # the boxes are on the page turned so (they turn with it)
        page_dpi = int(page.result.extra.get("dpi", dpi)) if page.result is not None else dpi
        return renderer.render(source.id, source.kind, page.index, page_dpi, rotation)

    return render, renderer.close
