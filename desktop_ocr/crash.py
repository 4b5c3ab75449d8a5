"""Crash handling: unhandled exceptions are logged, written to a report file and shown in a dialog.

The app never vanishes silently. A report left by a crash is shown once at the next start
(:func:`take_previous_report`), then moved aside so it is not shown again.

A native crash (a segfault in Qt, PyMuPDF or ONNX Runtime, an abort) cannot run Python code;
:func:`enable_native_traces` has ``faulthandler`` write the Python stacks of every thread into a
file in the log folder when it happens, and the next start offers that file like a report.
"""

from __future__ import annotations

import datetime as _dt
import faulthandler
import logging
import os
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from desktop_ocr import __version__, paths
from desktop_ocr.fsutil import atomic_write_text

log = logging.getLogger(__name__)

REPORT_NAME = "crash-report.txt"
SEEN_NAME = "crash-report.seen.txt"
NATIVE_NAME = "native-crash.txt"
NATIVE_SEEN_NAME = "native-crash.seen.txt"
#: Ends the header of the native trace file; anything after it was written by ``faulthandler``.
NATIVE_MARK = "--- native crash traceback (written only when the process crashes) ---\n"

#: Called on the GUI thread with (summary, report_path) to show a dialog; set by the app.
_show_dialog: Callable[[str, Path], None] | None = None
_in_handler = threading.local()
#: The file ``faulthandler`` writes into; open for the whole life of the process.
_native_file: TextIO | None = None


def report_path() -> Path:
    return paths.log_dir() / REPORT_NAME


def write_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    """Write a crash report (time, versions, traceback) atomically; returns its path."""
    from desktop_ocr.log import log_path

    lines = [
        f"desktop-ocr {__version__} crashed at {_dt.datetime.now().isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Thread: {threading.current_thread().name}",
        f"Log file: {log_path()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    path = report_path()
    try:
        atomic_write_text(path, "\n".join(line.rstrip("\n") for line in lines) + "\n")
    except OSError:
        log.exception("Could not write the crash report %s", path)
    return path


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, thread_name: str = ""
) -> None:
    """Log, write the report, and ask the GUI to show it. Never raises."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if getattr(_in_handler, "active", False):
        return
    _in_handler.active = True
    try:
        log.critical(
            "Unhandled exception%s", f" in {thread_name}" if thread_name else "", exc_info=(exc_type, exc, tb)
        )
        path = write_report(exc_type, exc, tb)
        summary = f"{exc_type.__name__}: {exc}"
        if _show_dialog is not None:
            try:
                _show_dialog(summary, path)
            except Exception:
                log.exception("Could not show the crash dialog")
    finally:
        _in_handler.active = False


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    name = args.thread.name if args.thread else ""
    handle_exception(args.exc_type, args.exc_value, args.exc_traceback, thread_name=name)


def install(show_dialog: Callable[[str, Path], None] | None = None) -> None:
    """Install ``sys.excepthook`` and ``threading.excepthook``; ``show_dialog`` runs on the GUI thread."""
    global _show_dialog
    _show_dialog = show_dialog
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook


def uninstall() -> None:
    global _show_dialog
    _show_dialog = None
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__


def native_trace_path() -> Path:
    return paths.log_dir() / NATIVE_NAME


def enable_native_traces() -> Path | None:
    """Have ``faulthandler`` write the stacks of all threads to :func:`native_trace_path` on a
    fatal signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL). Call after
    :func:`take_previous_report` (the file is started afresh) and only in the one GUI process;
    returns the file, or None when it cannot be written (then stderr gets the traces, if any)."""
    global _native_file
    path = native_trace_path()
    if _native_file is not None:
        return path
    from desktop_ocr.log import log_path

    header = (
        f"desktop-ocr {__version__} started at {_dt.datetime.now().isoformat(timespec='seconds')}"
        f" (process {os.getpid()})\n"
        f"Python {platform.python_version()} on {platform.platform()}\n"
        f"Log file: {log_path()}\n\n{NATIVE_MARK}"
    )
    try:
        fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - kept open until the process ends
        fh.write(header)
        fh.flush()
    except OSError as exc:
        log.warning("Native crash traces cannot be written to %s: %s", path, exc)
        if sys.stderr is not None and not faulthandler.is_enabled():
            try:
                faulthandler.enable(all_threads=True)
            except (RuntimeError, ValueError, OSError):  # no usable stderr (a windowed build)
                pass
        return None
    faulthandler.enable(fh, all_threads=True)
    _native_file = fh
    return path


def disable_native_traces() -> None:
    """Stop writing native traces and remove the trace file (nothing crashed meanwhile)."""
    global _native_file
    fh, _native_file = _native_file, None
    if fh is None:
        return
    faulthandler.disable()
    fh.close()
    try:
        Path(fh.name).unlink()
    except OSError:
        pass


def _take_native_report() -> str | None:
    """The native crash trace an earlier run left (header and traceback), once; renamed aside.

    A file without a traceback after :data:`NATIVE_MARK` (the run was killed, or is running in
    another process of this user) is left alone."""
    path = native_trace_path()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, OSError):
        return None
    head, mark, trace = text.partition(NATIVE_MARK)
    if not mark or not trace.strip():
        return None
    try:
        path.replace(path.with_name(NATIVE_SEEN_NAME))
    except OSError:
        log.warning("Could not move the old native crash trace %s aside", path)
    log.critical("The previous run crashed natively (%s):\n%s", path, trace.rstrip())
    return f"{head.rstrip()}\n\n{trace.strip()}\n"


def take_previous_report() -> str | None:
    """The text of a crash report left by an earlier run (a Python exception's report, the native
    crash trace, or both), once; the files are then renamed aside."""
    texts = []
    path = report_path()
    try:
        texts.append(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError):
        pass
    else:
        try:
            path.replace(path.with_name(SEEN_NAME))
        except OSError:
            log.warning("Could not move the old crash report %s aside", path)
    native = _take_native_report()
    if native:
        texts.append(native)
    return "\n".join(texts) if texts else None


def qt_dialog_shower(parent_getter: Callable[[], object | None]) -> Callable[[str, Path], None]:
    """A ``show_dialog`` for :func:`install` that shows a QMessageBox on the GUI thread.

    Called from another thread, it posts the dialog to the GUI thread instead.
    """
    from PySide6.QtCore import QCoreApplication, QThread, QTimer
    from PySide6.QtWidgets import QMessageBox

    def show_now(summary: str, path: Path) -> None:
        from desktop_ocr.log import log_path

        parent = parent_getter()
        box = QMessageBox(parent)  # type: ignore[call-overload]  # a QWidget or None
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("CrashDialog", "Desktop OCR: unexpected error"))
        box.setText(
            QCoreApplication.translate(
                "CrashDialog",
                "Something went wrong inside Desktop OCR. Your project is autosaved; "
                "you can keep working, or save and restart the app.",
            )
        )
        details = QCoreApplication.translate(
            "CrashDialog", "{summary}\n\nDetails were written to:\n{path}\nLog: {log}"
        )
        box.setInformativeText(details.format(summary=summary, path=path, log=log_path()))
        box.setDetailedText(path.read_text(encoding="utf-8") if path.exists() else summary)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        app = QCoreApplication.instance()
        if app is not None and app.property("desktop_ocr_test_mode"):
            log.error("Crash dialog suppressed in test mode: %s", summary)
            return
        box.exec()

    def show(summary: str, path: Path) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        if QThread.currentThread() is app.thread():
            show_now(summary, path)
        else:
            QTimer.singleShot(0, app, lambda: show_now(summary, path))

    return show
