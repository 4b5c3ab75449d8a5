"""The headless command: ``desktop-ocr convert INPUT... -o OUTDIR`` imports, reads and exports as the GUI does.

Progress goes to stderr. Exit status: 0 when every input was read and exported, 1 when any input
failed (one line per failed input names the file and the reason), 2 for a bad command line,
130 when interrupted. Output files are written atomically by the exporters: never half-written.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop_ocr import PROJECT_SUFFIX, __version__, import_and_read
from desktop_ocr.engine.base import PROMPTS, Engine, EngineError, ReadOptions
from desktop_ocr.fsutil import remove_left_part_files
from desktop_ocr.messages import escaped
from desktop_ocr.model import lockfile
from desktop_ocr.model.document import Document, Project
from desktop_ocr.model.lockfile import ProjectLocked
from desktop_ocr.model.session import ProjectSession
from desktop_ocr.model.sources import DEFAULT_DPI, PageRenderer
from desktop_ocr.model.store import ProjectError

if TYPE_CHECKING:
    from desktop_ocr.export.requests import Opener

log = logging.getLogger(__name__)

SEPARATOR_CHOICES = ("official", "none", "hr")
FORMAT_CHOICES = ("md", "txt", "json", "pdf", "docx", "odt", "html", "epub")
DEFAULT_FORMATS = ("md", "txt", "json")


class CliError(Exception):
    """A problem that ends the run with a one-line message."""


class UsageError(CliError):
    """A bad combination of options (exit status 2, as argparse's own errors)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="desktop-ocr convert",
        description="Read scans and PDFs and write Markdown, text, JSON, searchable PDF, DOCX, ODT, HTML or "
        "EPUB, one set per document.",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="PDF or image files, or folders; each file is a document of its own, each folder one document",
    )
    p.add_argument(
        "--join",
        action="store_true",
        help="make the image files given one after the other one document, named after the first",
    )
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the exported files")
    p.add_argument(
        "--engine",
        default=None,
        help="embedded, deepseek-ocr or server (default: the settings' choice; 'auto' uses DeepSeek-OCR when a "
        "GPU and a model are ready, else the embedded engine)",
    )
    _add_server_options(p)
    p.add_argument("--dpi", type=int, default=None, help=f"PDF rendering resolution (default {DEFAULT_DPI})")
    p.add_argument(
        "--project", metavar="FILE", help="keep the work in this project file (created or reopened)"
    )
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("--separator", choices=SEPARATOR_CHOICES, default=None, help="page separator in Markdown")
    p.add_argument(
        "--formats",
        "--format",
        dest="formats",
        default=None,
        help=f"comma-separated, from {','.join(FORMAT_CHOICES)} (default {','.join(DEFAULT_FORMATS)})",
    )
    p.add_argument("--pdfa", action="store_true", help="make the PDF PDF/A-2b (for archiving)")
    p.add_argument("--overwrite", action="store_true", help="replace existing output files")
    p.add_argument(
        "--prompt", choices=[*sorted(PROMPTS), "custom"], default=None, help="prompt (DeepSeek-OCR)"
    )
    p.add_argument(
        "--custom-prompt", metavar="TEXT", help='the prompt text for --prompt custom ("<image>" is added)'
    )
    p.add_argument("--locate", metavar="TEXT", help="the text to find for --prompt locate")
    p.add_argument(
        "--mode", default=None, help="resolution mode (DeepSeek-OCR): tiny, small, base, large, gundam"
    )
    p.add_argument("--max-tokens", type=int, default=None, help="cap on generated tokens per page")
    p.add_argument(
        "--text-layer",
        action="store_true",
        help="read born-digital PDF pages from their own text (exact, no OCR); scans are still read",
    )
    p.add_argument(
        "--allow-partial", action="store_true", help="export documents even when some pages failed"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress, only errors")
    p.add_argument("--version", action="version", version=f"desktop-ocr {__version__}")
    return p


def _add_server_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("DeepSeek-OCR server (--engine server; see docs/servers.md)")
    g.add_argument(
        "--server-url",
        dest="server_urls",
        action="append",
        metavar="URL",
        help="an OpenAI-compatible server, e.g. http://gpu1:8000/v1 (repeat for several; implies --engine server)",
    )
    g.add_argument(
        "--server-model", metavar="NAME", help="the served model name (default: the server's only model)"
    )
    g.add_argument(
        "--server-concurrency", type=int, metavar="N", help="pages in flight per server (default 4)"
    )
    g.add_argument(
        "--server-api-key-env",
        metavar="VAR",
        help="environment variable holding the API key (default DESKTOP_OCR_SERVER_API_KEY, then OPENAI_API_KEY)",
    )


def _server_settings(args: argparse.Namespace, settings: Any) -> Any:
    """The settings with the --server-* options applied (a copy; nothing is saved)."""
    if not (args.server_urls or args.server_model or args.server_concurrency or args.server_api_key_env):
        return settings
    import copy

    from desktop_ocr.settings import Settings

    if args.server_concurrency is not None and not 1 <= args.server_concurrency <= 64:
        raise UsageError("--server-concurrency must be between 1 and 64")
    s = copy.deepcopy(settings) if settings is not None else Settings()
    if args.server_urls:
        s.server.urls = list(args.server_urls)
        if not args.engine:
            args.engine = "server"
    if args.server_model is not None:
        s.server.model = args.server_model
    if args.server_concurrency is not None:
        s.server.concurrency = args.server_concurrency
    if args.server_api_key_env:
        s.server.api_key_env = args.server_api_key_env
    return s


class Reporter:
    """Progress and problems on stderr, one line each (escaped: a file name cannot forge a line)."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet

    def info(self, text: str) -> None:
        if not self.quiet:
            print(escaped(text), file=self.stream, flush=True)

    def error(self, text: str) -> None:
        print(f"error: {escaped(text)}", file=self.stream, flush=True)

    def page(self, p: import_and_read.ReadProgress) -> None:
        status = f"read in {p.page_seconds:.1f} s" if p.ok else f"FAILED: {_unlabelled(p.message, p.label)}"
        eta = f", ETA {_clock(p.eta_s)}" if p.eta_s > 0 else ""
        pct = 100 * p.done // max(p.total, 1)
        self.info(f"[{p.done}/{p.total} {pct:3d}%] {p.label}: {status}{eta}")


def _unlabelled(message: object, label: str) -> str:
    """A page's failure without the page's name in front (a render failure names the page too, and
    the line already does)."""
    return str(message).removeprefix(f"{label}: ")


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


# --- engine and export (provided by their packages) -------------------------------------------------


def _settings() -> Any:
    """The app's settings; a value out of its range stops the run (UsageError) rather than read badly."""
    try:
        from desktop_ocr.settings import Settings

        settings, problems = Settings.load_checked()
    except Exception:  # unreadable settings never stop a run
        return None
    if problems:
        raise UsageError(f"{Settings.path()}: " + "; ".join(p.message() for p in problems))
    return settings


def create_engine(name: str, settings: Any) -> Engine:
    from desktop_ocr.engine import registry

    return registry.create_engine(name, settings)


def _engine_name(requested: str | None, settings: Any) -> str:
    """The engine to use: as asked, else the settings' choice ("auto" picks what this machine runs)."""
    if requested:
        return requested
    name = getattr(settings, "engine", "") if settings is not None else ""
    return name or "auto"


def _export(
    project: Project,
    documents: list[Document],
    outdir: Path,
    args: argparse.Namespace,
    settings: Any,
    opener: Opener,
) -> Any:
    """The exporters' result: the files written, with ``problems``, ``failed`` and ``unread``.

    The job is the GUI's (the export-request service's ``ExportJob``, written by the same step),
    run on this thread: nothing else touches the project meanwhile, so it needs no snapshot."""
    from desktop_ocr.export import requests
    from desktop_ocr.reading.jobs import next_job_id

    separator = args.separator or getattr(settings, "separator", "official")
    policy = "overwrite" if args.overwrite else "error"
    exports = requests.ExportRequests(next_job_id)
    job = exports.job(
        project,
        [d.id for d in documents],
        outdir,
        _formats(args, settings),
        separator,
        policy,
        opener,
        args.pdfa,
    )
    if job is None:
        return []
    exports.started(job)
    try:
        result = requests.write(job, project)
    finally:
        exports.finished(job.job_id)
    failed = {(doc, fmt) for doc, fmt, _reason in getattr(result, "failed", [])}
    for problem in getattr(result, "problems", []):
        if not any(problem.startswith(f"{doc}:") for doc, _fmt in failed):
            print(f"warning: {escaped(str(problem))}", file=sys.stderr, flush=True)
    return result


def _existing_outputs(documents: list[Document], outdir: Path, formats: list[str]) -> list[str]:
    """Output files that already exist (checked before reading, so no work is wasted)."""
    from desktop_ocr.export import safe_filename

    found = []
    for doc in documents:
        stem = safe_filename(doc.name)
        for fmt in formats:
            if (outdir / f"{stem}.{fmt}").exists():
                found.append(f"{stem}.{fmt}")
        images = outdir / f"{stem}_images"
        if "md" in formats and images.is_dir() and any(images.iterdir()):
            found.append(images.name)
    return found


def _formats(args: argparse.Namespace, settings: Any) -> list[str]:
    if args.formats:
        formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
        bad = [f for f in formats if f not in FORMAT_CHOICES]
        if bad or not formats:
            raise UsageError(
                f"unknown format {', '.join(bad) or repr(args.formats)} (choose from {', '.join(FORMAT_CHOICES)})"
            )
        return list(dict.fromkeys(formats))
    chosen = [f for f in getattr(settings, "export_formats", None) or () if f in FORMAT_CHOICES]
    return chosen or list(DEFAULT_FORMATS)


# --- the run ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _project_session(path: str | None, reporter: Reporter) -> Iterator[ProjectSession]:
    """The project session to work in (the GUI's, without the window): the given file (created or
    reopened), or a throw-away one; ``created`` says it is new."""
    if path:
        p = Path(path).expanduser()
        if not p.suffix:
            p = p.with_suffix(PROJECT_SUFFIX)
        try:
            session = ProjectSession.of_file(p)
        except (ProjectError, ProjectLocked) as exc:
            raise CliError(str(exc)) from exc
        if not session.created:
            reporter.info(f"Reopened {p.name}: {_count(session.project.page_count, 'page', 'pages')}")
        try:
            yield session
        finally:
            session.close()
        return
    with tempfile.TemporaryDirectory(prefix="desktop-ocr-") as tmp:
        session = ProjectSession.of_file(Path(tmp) / ("convert" + PROJECT_SUFFIX))
        try:
            yield session
        finally:
            session.close()


def _input_label(path: str) -> str:
    return escaped(os.path.normpath(path))


def run(args: argparse.Namespace, stderr: TextIO) -> int:
    reporter = Reporter(stderr, args.quiet)
    remove_left_part_files()  # temporary files of runs that were killed while saving
    settings = _server_settings(args, _settings())
    if _engine_name(args.engine, settings) == "server" and not getattr(
        getattr(settings, "server", None), "urls", None
    ):
        raise UsageError("--engine server needs --server-url URL")
    outdir = Path(args.output).expanduser()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"{outdir}: the output folder cannot be created ({exc.strerror or exc})") from exc
    _formats(args, settings)  # validate early
    if args.prompt == "custom" and not (
        args.custom_prompt or getattr(getattr(settings, "deepseek", None), "custom_prompt", "")
    ):
        raise UsageError("--prompt custom needs --custom-prompt TEXT")
    if args.dpi is not None and not 36 <= args.dpi <= 1200:
        raise UsageError("--dpi must be between 36 and 1200")
    if args.max_tokens is not None and args.max_tokens < 1:
        raise UsageError("--max-tokens must be at least 1")
    if args.prompt == "locate" and not args.locate:
        raise UsageError("--prompt locate needs --locate TEXT")
    cancel = threading.Event()
    failed_inputs: dict[str, str] = {}

    with _project_session(args.project, reporter) as session:
        store, project, fresh = session.store, session.project, session.created
        dpi = args.dpi or int(getattr(settings, "dpi", DEFAULT_DPI) or DEFAULT_DPI)
        if fresh:
            project.set_meta("dpi", dpi)
        elif args.dpi and args.dpi != project.meta.get("dpi"):
            reporter.info(
                f"Note: the project renders PDFs at {project.meta.get('dpi')} dpi; --dpi is ignored"
            )
        dpi = int(project.meta.get("dpi", dpi))
        passwords = {"*": args.password} if args.password else None

        reporter.info(f"Importing {_count(len(args.inputs), 'input', 'inputs')}...")
        outcome = import_and_read.import_paths(
            project, args.inputs, dpi, passwords, sink=store, reuse_existing=not fresh, join_loose=args.join
        )
        for problem in outcome.problems:
            hint = " (use --password)" if problem.needs_password and not problem.wrong_password else ""
            failed_inputs[problem.path] = problem.reason + hint
        documents = outcome.documents
        if not args.overwrite and documents:
            existing = _existing_outputs(documents, outdir, _formats(args, settings))
            if existing:
                _print_failures(reporter, failed_inputs)
                reporter.error(
                    f"these files exist already in {outdir}: {', '.join(existing)}; nothing was read or "
                    "overwritten (use --overwrite to replace them, or choose another output folder)"
                )
                return 1
        to_read = [p.id for d in documents for p in d.pages if import_and_read.needs_reading(p)]
        already = sum(len(d.pages) for d in documents) - len(to_read)
        if already:
            reporter.info(
                f"{_count(already, 'page', 'pages')} already read in the project "
                + ("is" if already == 1 else "are")
                + " kept"
            )

        summary = import_and_read.ReadSummary()
        engine: Engine | None = None
        engine_error = ""
        if to_read:
            engine, engine_error = _load_engine(args, settings, reporter, cancel)
            if cancel.is_set():
                reporter.error("interrupted")
                return 130
        if to_read and engine is not None:
            options = _read_options(args, settings)
            renderer = PageRenderer(store.source_opener())
            reporter.info(f"Reading {_count(len(to_read), 'page', 'pages')} with {engine.info.title}...")
            try:
                with _sigint_cancels(cancel):
                    summary = import_and_read.read_pages(
                        engine, project, to_read, renderer, options, reporter.page, cancel
                    )
            finally:
                renderer.close()
                with contextlib.suppress(Exception):
                    engine.unload()
            if cancel.is_set():
                reporter.error(
                    "interrupted; pages read so far are kept" + (" in the project" if args.project else "")
                )
                return 130

        # Report per input; export the documents whose pages were all read.
        bad_docs: set[str] = set()
        for inp, page_ids in outcome.pages_by_input.items():
            problems = []
            for pid in page_ids:
                page = project.page(pid)
                if pid in summary.failed or (page.result is None and page.edited_text is None):
                    problems.append(
                        (page, summary.failed.get(pid) or engine_error or page.error or "not read")
                    )
                    bad_docs.add(project.document_of(pid).id)
            if problems:
                page, msg = problems[0]
                msg = _unlabelled(msg, page.label)
                more = (
                    f" (and {_count(len(problems) - 1, 'more page', 'more pages')})"
                    if len(problems) > 1
                    else ""
                )
                failed_inputs[inp] = (
                    f"not read: {msg}" if engine_error else f"{page.label} could not be read: {msg}{more}"
                )
        exportable = [d for d in documents if args.allow_partial or d.id not in bad_docs]
        export_error = ""
        format_errors: list[str] = []
        if exportable:
            try:
                result = _export(project, exportable, outdir, args, settings, store.source_opener())
                for path in result:
                    reporter.info(f"Wrote {path}")
                for doc_name, numbers in getattr(result, "unread", {}).items():
                    reporter.info(
                        f"Note: {doc_name}: "
                        + (
                            f"page {numbers[0]} was not read or failed; it is exported without text"
                            if len(numbers) == 1
                            else f"pages {_numbers(numbers)} were not read or failed; they are exported without text"
                        )
                    )
                format_errors = [
                    f"{doc_name}: the {fmt} file was not written: {reason}"
                    for doc_name, fmt, reason in getattr(result, "failed", [])
                ]
            except FileExistsError as exc:
                export_error = f"{exc}; nothing was overwritten (use --overwrite to replace existing files)"
            except OSError as exc:
                export_error = f"the export to {outdir} failed: {exc}"
    _print_failures(reporter, failed_inputs)
    for line in format_errors:
        reporter.error(line)
    if export_error:
        reporter.error(export_error)
    return 1 if failed_inputs or export_error or format_errors else 0


def _count(n: int, singular: str, plural: str) -> str:
    """``n`` with the noun in the form English gives that number: "1 page", "0 pages", "3 pages"."""
    return f"{n} {singular if n == 1 else plural}"


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


def _print_failures(reporter: Reporter, failed: dict[str, str]) -> None:
    for inp, reason in failed.items():
        reporter.error(f"{_input_label(inp)}: {reason}")


def _read_options(args: argparse.Namespace, settings: Any) -> ReadOptions:
    ds = getattr(settings, "deepseek", None)
    defaults = ReadOptions()
    return ReadOptions(
        prompt=args.prompt or getattr(ds, "prompt", defaults.prompt),
        custom_prompt=args.custom_prompt or getattr(ds, "custom_prompt", ""),
        locate_target=args.locate or "",
        mode=args.mode or getattr(ds, "mode", defaults.mode),
        max_new_tokens=args.max_tokens or getattr(ds, "max_new_tokens", defaults.max_new_tokens),
        use_text_layer=args.text_layer or bool(getattr(settings, "use_text_layer", False)),
    )


def _load_engine(
    args: argparse.Namespace, settings: Any, reporter: Reporter, cancel: threading.Event
) -> tuple[Engine | None, str]:
    """The loaded engine, or None and the reason it could not be loaded."""
    name = _engine_name(args.engine, settings)
    try:
        engine = create_engine(name, settings)
        last = [0.0]

        def progress(fraction: float, message: str) -> None:
            now = time.monotonic()
            if now - last[0] > 1.0 and message:
                last[0] = now
                pct = f" {fraction * 100:.0f}%" if fraction >= 0 else ""
                reporter.info(f"Loading the engine:{pct} {message}")

        with _sigint_cancels(cancel):
            engine.load(progress, cancel)
        return engine, ""
    except (EngineError, KeyError, ValueError) as exc:
        return None, f"the engine '{name}' could not be loaded: {exc}"


@contextlib.contextmanager
def _sigint_cancels(cancel: threading.Event) -> Iterator[None]:
    """The first Ctrl+C cancels cleanly (results so far are kept); a second one stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nStopping after the current page (Ctrl+C again to stop now)...", file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``desktop-ocr convert``; ``argv`` may start with "convert"."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "convert":
        args_list = args_list[1:]
    args = build_parser().parse_args(args_list)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    holder = lockfile.set_holder(lockfile.COMMAND_LINE)  # whoever finds the project locked is told
    try:
        return run(args, sys.stderr)
    except CliError as exc:
        print(f"error: {escaped(str(exc))}", file=sys.stderr, flush=True)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr, flush=True)
        return 130
    except Exception as exc:  # no tracebacks to users; the log has the details
        log.debug("convert failed", exc_info=True)
        print(f"error: {type(exc).__name__}: {escaped(str(exc))}", file=sys.stderr, flush=True)
        return 1
    finally:
        lockfile.set_holder(holder)


if __name__ == "__main__":
    sys.exit(main())
