"""Importing files and folders into a project: validate everything first, then add whole documents. No Qt.

Import runs in three steps so that the slow parts stay off the thread that owns the model:

1. :func:`prepare` (any thread) expands folders, recognises and validates every file, measures its
   pages and hashes it. Nothing is added anywhere; bad files become :class:`ImportProblem` entries.
2. :func:`store_sources` (any thread) copies each file's bytes into the project store once
   (deduplicated by SHA-256, streamed from disk so memory stays bounded).
3. :func:`apply_plan` (the model's thread) adds sources and documents to the :class:`Project`.

:func:`import_paths` does all three in one go (the command line and tests use it).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from desktop_ocr.messages import QT_TRANSLATE_NOOP, escaped, joined, message_of
from desktop_ocr.model.document import Document, Page, Project, Source, SourceKind, new_id
from desktop_ocr.model.sources import (
    DEFAULT_DPI,
    KNOWN_SUFFIXES,
    PasswordRequired,
    ProbeResult,
    SourceData,
    SourceError,
    detect_format,
    probe,
    read_head,
)

#: Key of ``passwords`` that applies to every encrypted PDF without a password of its own.
ANY_FILE = "*"
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A file that was not imported, and why (in words a user understands)."""

    path: str
    reason: str
    needs_password: bool = False  # an encrypted PDF: ask for the password and import it again
    wrong_password: bool = False

    @property
    def name(self) -> str:
        """The file's name as shown (escaped: one line of valid text whatever bytes the name has)."""
        return escaped(Path(self.path).name or self.path)

    def __str__(self) -> str:
        return joined(self.name, self.reason)


@dataclass(slots=True)
class PreparedSource:
    """A validated file: where its bytes are, what it is, its page sizes and hash."""

    name: str
    path: str  # the original path (for messages); "" for pasted data
    probe: ProbeResult
    sha256: str
    size: int
    data: bytes | None = None  # bytes to store instead of reading ``path`` (paste, decrypted PDF)
    input_path: str = ""  # the file or folder given by the user that led to this file

    @property
    def stored_data(self) -> SourceData:
        return self.data if self.data is not None else self.path


@dataclass(slots=True)
class PreparedDocument:
    name: str
    sources: list[PreparedSource]


@dataclass(slots=True)
class ImportPlan:
    documents: list[PreparedDocument] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


@dataclass(slots=True)
class ImportOutcome:
    """What an import added (or found already there) and what it could not import."""

    documents: list[Document] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    #: For every input path given, the ids of the documents made from it (for the command line).
    documents_by_input: dict[str, list[str]] = field(default_factory=dict)
    #: For every input path given, the ids of the pages made from it, in order.
    pages_by_input: dict[str, list[str]] = field(default_factory=dict)


class SourceSink(Protocol):
    """Where imported bytes are kept (the project store). Thread-safe."""

    def has_blob(self, sha256: str) -> bool: ...

    def put_blob(self, sha256: str, data: SourceData) -> None:
        """Store ``data`` (bytes or a path to stream from) under ``sha256``; raise if it differs."""
        ...


class MemorySources:
    """A :class:`SourceSink` in memory, for tests and throw-away projects."""

    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def has_blob(self, sha256: str) -> bool:
        with self._lock:
            return sha256 in self._blobs

    def put_blob(self, sha256: str, data: SourceData) -> None:
        raw = data if isinstance(data, bytes) else Path(data).read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise ValueError(QT_TRANSLATE_NOOP("Import", "the file changed while it was being imported"))
        with self._lock:
            self._blobs[sha256] = raw

    def opener(self, project: Project) -> Callable[[str], SourceData]:
        def open_source(source_id: str) -> SourceData:
            with self._lock:
                return self._blobs[project.sources[source_id].sha256]

        return open_source


# --- expanding inputs ---------------------------------------------------------------------------


def natural_key(name: str) -> list[object]:
    """Sort key putting ``page2`` before ``page10`` (case-insensitive)."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


@dataclass(slots=True)
class _Group:
    """Files that belong together: loose images among them form one document named ``name``."""

    name: str
    files: list[tuple[Path, str]]  # each file with the input path (file or folder) that named it
    from_folder: bool


def _expand(
    paths: Iterable[str | os.PathLike[str]], join_loose: bool = True
) -> tuple[list[_Group], list[ImportProblem]]:
    """Folders (one document per folder of images) and files; loose images named one after the
    other form one document when ``join_loose``, else each file is a document of its own."""
    groups: list[_Group] = []
    problems: list[ImportProblem] = []
    loose: _Group | None = None
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            loose = None
            before = len(problems)
            found = _walk(p, escaped(p.name or str(p)), str(raw), problems)
            if not found and len(problems) == before:
                problems.append(
                    ImportProblem(
                        str(raw), QT_TRANSLATE_NOOP("Import", "the folder contains no PDF or image files")
                    )
                )
            groups.extend(found)
        elif p.exists():
            if loose is None or not join_loose:
                loose = _Group(escaped(p.stem), [], from_folder=False)
                groups.append(loose)
            loose.files.append((p, str(raw)))
        else:
            problems.append(ImportProblem(str(raw), QT_TRANSLATE_NOOP("Import", "the file does not exist")))
    return groups, problems


def _walk(folder: Path, name: str, input_path: str, problems: list[ImportProblem]) -> list[_Group]:
    try:
        entries = [e for e in folder.iterdir() if not e.name.startswith(".")]
    except OSError as exc:
        problems.append(
            ImportProblem(
                str(folder),
                QT_TRANSLATE_NOOP("Import", "the folder cannot be read ({error})").format(
                    error=exc.strerror or str(exc)
                ),
            )
        )
        return []
    entries.sort(key=lambda e: natural_key(e.name))
    files = [e for e in entries if e.is_file() and _worth_trying(e)]
    groups = [_Group(name, [(f, input_path) for f in files], from_folder=True)] if files else []
    for sub in entries:
        if sub.is_dir() and not sub.is_symlink():
            groups.extend(_walk(sub, f"{name}/{escaped(sub.name)}", input_path, problems))
    return groups


def _worth_trying(path: Path) -> bool:
    """In folders: files with a known suffix, or whose content is recognised; others are skipped."""
    if path.suffix.lower() in KNOWN_SUFFIXES:
        return True
    try:
        return detect_format(read_head(path)) is not None
    except OSError:
        return False


# --- step 1: prepare ----------------------------------------------------------------------------


def _password_for(passwords: Mapping[str, str] | None, path: Path, raw: str) -> str | None:
    if not passwords:
        return None
    for key in (raw, str(path), str(path.resolve()), path.name):
        if key in passwords:
            return passwords[key]
    return passwords.get(ANY_FILE)


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def prepare_file(
    path: str | os.PathLike[str], dpi: int = DEFAULT_DPI, password: str | None = None
) -> PreparedSource:
    """Validate one file. Raises :class:`SourceError` (or :class:`PasswordRequired`)."""
    p = Path(path)
    name = escaped(p.name)  # names are shown and stored: never raw undecodable bytes or a newline
    result = probe(p, name, dpi, password)
    data = result.decrypted
    if data is not None:
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
    else:
        try:
            sha, size = _hash_file(p), p.stat().st_size
        except OSError as exc:
            raise SourceError(
                name,
                QT_TRANSLATE_NOOP("Import", "cannot be read ({error})").format(
                    error=exc.strerror or str(exc)
                ),
            ) from exc
    return PreparedSource(name, str(p), result, sha, size, data)


def prepare_bytes(
    data: bytes, name: str, dpi: int = DEFAULT_DPI, password: str | None = None
) -> PreparedSource:
    """Validate data that has no file (an image pasted from the clipboard)."""
    result = probe(data, name, dpi, password)
    stored = result.decrypted if result.decrypted is not None else data
    return PreparedSource(name, "", result, hashlib.sha256(stored).hexdigest(), len(stored), stored)


def prepare(
    paths: Sequence[str | os.PathLike[str]],
    dpi: int = DEFAULT_DPI,
    passwords: Mapping[str, str] | None = None,
    *,
    on_progress: Callable[[int, int, str], None] | None = None,
    cancel: threading.Event | None = None,
    join_loose: bool = True,
) -> ImportPlan:
    """Expand folders, validate every file, and plan the documents (loose images given one after the
    other make one document when ``join_loose``, else one each). Adds nothing anywhere."""
    groups, problems = _expand(paths, join_loose)
    plan = ImportPlan(problems=problems)
    total = sum(len(g.files) for g in groups)
    done = 0
    for group in groups:
        loose: PreparedDocument | None = None
        for f, input_path in group.files:
            if cancel is not None and cancel.is_set():
                return plan
            if on_progress:
                on_progress(done, total, escaped(f.name))
            done += 1
            try:
                src = prepare_file(f, dpi, _password_for(passwords, f, input_path))
            except PasswordRequired as exc:
                plan.problems.append(
                    ImportProblem(str(f), exc.reason, needs_password=True, wrong_password=exc.wrong_password)
                )
                continue
            except SourceError as exc:
                plan.problems.append(ImportProblem(str(f), exc.reason))
                continue
            except Exception as exc:  # an unexpected library failure must not stop the others
                plan.problems.append(
                    ImportProblem(
                        str(f),
                        QT_TRANSLATE_NOOP("Import", "cannot be imported ({error})").format(
                            error=message_of(exc)
                        ),
                    )
                )
                continue
            src.input_path = input_path
            if src.probe.kind == SourceKind.IMAGE:
                if loose is None:
                    loose = PreparedDocument(group.name if group.from_folder else escaped(f.stem), [])
                    plan.documents.append(loose)
                loose.sources.append(src)
            else:
                plan.documents.append(PreparedDocument(escaped(f.stem), [src]))
    if on_progress:
        on_progress(done, total, "")
    return plan


# --- step 2: store ------------------------------------------------------------------------------


def store_sources(plan: ImportPlan, sink: SourceSink, cancel: threading.Event | None = None) -> ImportPlan:
    """Copy every planned file into ``sink`` once. A file that fails is dropped from the plan."""
    kept: list[PreparedDocument] = []
    for doc in plan.documents:
        ok_sources = []
        for src in doc.sources:
            if cancel is not None and cancel.is_set():
                break
            try:
                if not sink.has_blob(src.sha256):
                    sink.put_blob(src.sha256, src.stored_data)
                ok_sources.append(src)
            except Exception as exc:
                plan.problems.append(
                    ImportProblem(
                        src.path or src.name,
                        QT_TRANSLATE_NOOP("Import", "could not be stored ({error})").format(
                            error=message_of(exc)
                        ),
                    )
                )
        if ok_sources:
            doc.sources = ok_sources
            kept.append(doc)
    plan.documents = kept
    return plan


# --- step 3: apply ------------------------------------------------------------------------------


def _page_label(src: PreparedSource, index: int) -> str:
    if len(src.probe.page_sizes) == 1:
        return src.name
    return f"{src.name} p. {index + 1}"


def _source_for(project: Project, src: PreparedSource, added: dict[str, Source]) -> Source:
    for existing in project.sources.values():
        if existing.sha256 == src.sha256:
            return existing
    if src.sha256 in added:
        return added[src.sha256]
    source = Source(
        id=new_id(),
        name=src.name,
        kind=src.probe.kind,
        sha256=src.sha256,
        size=src.size,
        page_count=len(src.probe.page_sizes),
    )
    project.add_source(source)
    added[src.sha256] = source
    return source


def _existing_document(project: Project, doc: PreparedDocument) -> Document | None:
    """A document of the project made of exactly these files (a repeated import of the same input)."""
    wanted = [(s.sha256, i) for s in doc.sources for i in range(len(s.probe.page_sizes))]
    for d in project.documents:
        have = [
            (project.sources[p.source_id].sha256, p.index) for p in d.pages if p.source_id in project.sources
        ]
        if have == wanted:
            return d
    return None


def already_imported(project: Project, plan: ImportPlan) -> list[str]:
    """The names of the planned documents that the project already holds, made of the same files."""
    return [doc.name for doc in plan.documents if _existing_document(project, doc) is not None]


def apply_plan(project: Project, plan: ImportPlan, *, reuse_existing: bool = False) -> ImportOutcome:
    """Add the planned documents to ``project`` (on the model's thread). Sources must be stored first.

    With ``reuse_existing`` a document identical to one already in the project is not added again.
    """
    outcome = ImportOutcome(problems=list(plan.problems))
    added: dict[str, Source] = {}
    for prepared in plan.documents:
        doc = _existing_document(project, prepared) if reuse_existing else None
        if doc is None:
            pages = []
            for src in prepared.sources:
                source = _source_for(project, src, added)
                for index, (w, h) in enumerate(src.probe.page_sizes):
                    pages.append(
                        Page(
                            id=new_id(),
                            source_id=source.id,
                            index=index,
                            width=w,
                            height=h,
                            label=_page_label(src, index),
                        )
                    )
            doc = project.add_document(prepared.name, pages)
        outcome.documents.append(doc)
        for src in prepared.sources:
            key = src.input_path or src.path or src.name
            ids = outcome.documents_by_input.setdefault(key, [])
            if doc.id not in ids:
                ids.append(doc.id)
            page_ids = outcome.pages_by_input.setdefault(key, [])
            for page in doc.pages:
                if project.sources[page.source_id].sha256 == src.sha256 and page.id not in page_ids:
                    page_ids.append(page.id)
    return outcome


def import_paths(
    project: Project,
    paths: Sequence[str | os.PathLike[str]],
    sink: SourceSink,
    dpi: int = DEFAULT_DPI,
    passwords: Mapping[str, str] | None = None,
    *,
    reuse_existing: bool = False,
    on_progress: Callable[[int, int, str], None] | None = None,
    cancel: threading.Event | None = None,
    join_loose: bool = True,
) -> ImportOutcome:
    """Prepare, store and apply in one go, on the calling thread (which must own ``project``)."""
    plan = prepare(paths, dpi, passwords, on_progress=on_progress, cancel=cancel, join_loose=join_loose)
    store_sources(plan, sink, cancel)
    return apply_plan(project, plan, reuse_existing=reuse_existing)
