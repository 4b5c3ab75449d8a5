"""Entry point, logging and crash handling of the app shell."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sample_docs import write_pdf

from desktop_ocr import __version__, crash, paths
from desktop_ocr.log import install_qt_message_handler, log_path, setup_logging

pytestmark = pytest.mark.gui


def _run(args, tmp_path, timeout=120, code=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop(paths.ENV_BASEDIR, None)
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-m", "desktop_ocr", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp_path)


def test_version(tmp_path):
    out = _run(["--version"], tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == f"desktop-ocr {__version__}"


def test_convert_subcommand_with_basedir(tmp_path):
    pdf = write_pdf(tmp_path / "note.pdf", [["A Short Note", "Written on one page only."]])
    base = tmp_path / "portable"
    out = _run(
        ["--basedir", str(base), "convert", str(pdf), "-o", str(tmp_path / "out")], tmp_path, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Written on one page only." in (tmp_path / "out" / "note.md").read_text(encoding="utf-8")


def test_logging_goes_to_a_rotating_file_and_takes_qt_messages(tmp_path):
    from PySide6.QtCore import qWarning

    path = setup_logging(console=False)
    try:
        assert path == log_path() and path.parent == paths.log_dir()
        install_qt_message_handler()
        qWarning("a Qt warning for the log")
        logging.getLogger("desktop_ocr.test").info("an info line")
        for h in logging.getLogger().handlers:
            h.flush()
        text = path.read_text(encoding="utf-8")
        assert "a Qt warning for the log" in text and "an info line" in text
    finally:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(None)
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_desktop_ocr", False):
                logging.getLogger().removeHandler(h)
                h.close()


def test_crash_report_is_written_and_shown_once_at_the_next_start():
    shown = []
    crash.install(lambda summary, path: shown.append((summary, path)))
    try:
        try:
            raise ValueError("something impossible happened")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        crash.uninstall()
    assert shown and shown[0][0] == "ValueError: something impossible happened"
    report = crash.take_previous_report()
    assert report is not None and "something impossible happened" in report and "Traceback" in report
    assert crash.take_previous_report() is None  # shown once only


def test_an_exception_in_a_slot_does_not_kill_the_app(tmp_path):
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["DESKTOP_OCR_BASEDIR"] = {str(tmp_path / "base")!r}
        from PySide6.QtCore import QTimer
        from desktop_ocr.app import make_application
        from desktop_ocr import crash
        from desktop_ocr.log import setup_logging
        setup_logging(console=False)
        app = make_application()
        app.setProperty("desktop_ocr_test_mode", True)
        crash.install(crash.qt_dialog_shower(lambda: None))
        def boom():
            raise RuntimeError("slot failure")
        QTimer.singleShot(10, boom)
        QTimer.singleShot(300, lambda: (print("STILL-ALIVE", flush=True), app.quit()))
        sys.exit(app.exec())
        """
    )
    out = _run([], tmp_path, code=code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "STILL-ALIVE" in out.stdout
    report = (tmp_path / "base" / "logs" / crash.REPORT_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: slot failure" in report


_START_THE_APP = """
import os, sys
os.environ["DESKTOP_OCR_BASEDIR"] = {base!r}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from desktop_ocr.app import make_application, run_gui
app = make_application()
app.setProperty("desktop_ocr_test_mode", True)
def tick():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            print("DIALOG " + w.windowTitle(), flush=True)
            print(w.detailedText(), flush=True)
            w.accept()
{then}
timer = QTimer()
timer.timeout.connect(tick)
timer.start(50)
sys.exit(run_gui([], offer_recovery=False, single_instance=False, first_run=False))
"""


def test_a_native_crash_leaves_a_trace_that_the_next_start_offers(tmp_path):
    base = str(tmp_path / "base")
    segfault = _START_THE_APP.format(
        base=base, then="import faulthandler\nQTimer.singleShot(300, faulthandler._sigsegv)"
    )
    out = _run([], tmp_path, code=segfault)
    assert out.returncode != 0, out.stdout
    trace = (tmp_path / "base" / "logs" / crash.NATIVE_NAME).read_text(encoding="utf-8")
    assert "Segmentation fault" in trace and "Current thread" in trace

    calm = _START_THE_APP.format(base=base, then="QTimer.singleShot(1500, app.quit)")
    second = _run([], tmp_path, code=calm)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "DIALOG Desktop OCR closed unexpectedly last time" in second.stdout
    shown = second.stdout.split("DIALOG", 1)[1]
    assert "Fatal Python error: Segmentation fault" in shown and f"desktop-ocr {__version__}" in shown
    logged = (tmp_path / "base" / "logs" / "desktop-ocr.log").read_text(encoding="utf-8")
    assert "crashed natively" in logged and "Segmentation fault" in logged

    header_only = (tmp_path / "base" / "logs" / crash.NATIVE_NAME).read_text(encoding="utf-8")
    assert header_only.endswith(crash.NATIVE_MARK)  # the clean second run wrote no trace
    third = _run([], tmp_path, code=calm)  # offered once only; a clean run leaves nothing to offer
    assert third.returncode == 0, third.stderr[-2000:]
    assert "DIALOG" not in third.stdout


def test_the_gc_runs_on_the_gui_thread_only(qapp):
    import gc
    import threading
    import time

    from desktop_ocr.app import collect_garbage_on_gui_thread

    collected_on: list[str] = []

    def note(phase, info):  # type: ignore[no-untyped-def]
        if phase == "start":
            collected_on.append(threading.current_thread().name)

    gc.enable()  # as Python starts; the function must turn automatic collection off
    timer = collect_garbage_on_gui_thread(qapp, interval_ms=10)
    gc.callbacks.append(note)
    try:

        def churn() -> None:
            for _ in range(200_000):
                a: list = []
                a.append(a)  # cyclic garbage, far over every threshold

        worker = threading.Thread(target=churn, name="churn")
        worker.start()
        worker.join()
        assert "churn" not in collected_on
        deadline = time.monotonic() + 5
        while "MainThread" not in collected_on and time.monotonic() < deadline:
            qapp.processEvents()  # the timer's collection
        assert "MainThread" in collected_on
    finally:
        gc.callbacks.remove(note)
        timer.stop()


def test_images_named_on_the_command_line_are_one_document_only_if_the_user_says_so(tmp_path):
    """`desktop-ocr a.jpeg b.jpeg` (or "Open with" on two scans) made one document of unrelated
    images without asking, while a drop asks and `convert` needs --join: a receipt exported inside
    a book's Markdown."""
    from PIL import Image

    real = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-c03-29.jpeg"
    if not real.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    first = tmp_path / "book-page.jpeg"
    first.write_bytes(real.read_bytes())
    with Image.open(real) as im:
        im.rotate(90, expand=True).save(tmp_path / "other-scan.png")
    code = f"""
import os, sys
os.environ["DESKTOP_OCR_BASEDIR"] = {str(tmp_path / "base")!r}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from desktop_ocr.app import make_application, run_gui
from desktop_ocr.ui.main_window import MainWindow
app = make_application()
app.setProperty("desktop_ocr_test_mode", True)
def tick():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            print("DIALOG " + w.text(), flush=True)
            next(b for b in w.buttons() if b.text() == "One Document Each").click()
        if isinstance(w, MainWindow) and w.controller.project.page_count == 2:
            print("DOCUMENTS " + "|".join(d.name for d in w.controller.project.documents), flush=True)
            w.setProperty("unattended_quit", True)  # no question about the unsaved project
            app.quit()
timer = QTimer()
timer.timeout.connect(tick)
timer.start(50)
QTimer.singleShot(60_000, app.quit)
sys.exit(run_gui([{str(first)!r}, {str(tmp_path / "other-scan.png")!r}], offer_recovery=False,
                 single_instance=False, first_run=False))
"""
    out = _run([], tmp_path, code=code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "DIALOG Make one document of the 2 images, named book-page?" in out.stdout, out.stdout
    assert "DOCUMENTS book-page|other-scan" in out.stdout, out.stdout
