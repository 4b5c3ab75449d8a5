"""Staged GUI start-up, in one place.

1. Early checks: Python version, Qt importable (a plain message on stderr otherwise).
2. Logging: rotating file in ``paths.log_dir()``; Qt's messages routed into it.
3. Settings: ``Settings.load_checked()`` (never fails; bad files and values out of range fall back
   to defaults, logged and shown in the status bar).
4. QApplication: names, icon, the platform's light/dark palette (Fusion on Linux follows it).
   One instance per user: a second start hands its paths to the running window and exits.
5. Crash handler: ``sys.excepthook``/``threading.excepthook`` -> log + report file + dialog;
   ``faulthandler`` -> native crash traces into a file in the log folder (shown at the next start).
6. Controller (project, store, workers) and main window; window geometry restored from QSettings.
   The objects alive now are frozen out of the cyclic GC (``freeze_gc``) so that no full
   collection stalls the event loop later; the GC then runs only on the GUI thread, from a timer
   (``collect_garbage_on_gui_thread``), never in a worker thread where it could free a widget.
7. After the event loop starts (Qt's, run as the asyncio loop through qasync): the previous crash
   report (if any), then the command-line paths are opened, or else an unsaved session is offered
   for recovery.
8. On quit: the editor is flushed, the project saved, workers stopped, settings saved.

torch is never imported here: engines that need it are created inside the OCR worker thread.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import cast

from desktop_ocr import APP_DISPLAY_NAME, APP_ID, APP_NAME, __version__

log = logging.getLogger(__name__)

MIN_PYTHON = (3, 10)


def early_checks() -> str | None:
    """A message explaining why the GUI cannot start, or None when all is well."""
    if sys.version_info < MIN_PYTHON:
        return f"Desktop OCR needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer."
    try:
        import PySide6  # noqa: F401
        from PySide6 import QtWidgets  # noqa: F401
    except ImportError as exc:
        return f"Desktop OCR needs PySide6 (Qt for Python): {exc}. Install it with: pip install pyside6-essentials"
    return None


def make_application(qt_args: Sequence[str] = ()):  # type: ignore[no-untyped-def]
    """The QApplication, created once, named for QSettings and the desktop."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(APP_NAME)
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setApplicationVersion(__version__)
        QGuiApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
        QGuiApplication.setDesktopFileName(APP_ID)
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *qt_args])
    from desktop_ocr.ui.icons import apply_app_identity

    apply_app_identity(cast("QApplication", app))
    return app


def freeze_gc() -> None:
    """Move every object alive now out of the cyclic GC's reach (``gc.freeze``).

    A full collection over the tens of thousands of objects of Qt wrappers, the engine and the
    project otherwise stalls the event loop for 50-100 ms from time to time; frozen objects are
    never scanned again, so later collections are short. Called after start-up and after an
    engine has loaded.
    """
    import gc

    gc.collect()
    gc.freeze()


def collect_garbage_on_gui_thread(app, interval_ms: int = 500):  # type: ignore[no-untyped-def]
    """Run the cyclic GC only on the GUI thread, from a timer; returns the timer.

    Python collects wherever an allocation happens to cross the threshold: in the OCR, render or
    probe thread too. A cycle holding a Qt widget's wrapper freed there leaves the C++ widget alive
    under a freed wrapper (or deletes it from the wrong thread); the next event it gets (a language
    change, a queued signal) then segfaults. Automatic collection is turned off and the same
    generational thresholds are checked here instead, on the thread that owns the widgets.
    """
    import gc

    from PySide6.QtCore import QTimer

    thresholds = gc.get_threshold()
    gc.disable()

    def collect() -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    timer = QTimer(app)
    timer.setInterval(interval_ms)
    timer.timeout.connect(collect)
    timer.start()
    return timer


#: The signal that asked the running event loop to quit (0: none). A log-out or ``xvfb-run`` ends the
#: X server together with its clients: Qt then ends the loop with status 1 ("The X11 connection
#: broke"), though the quit asked for was already under way and the shutdown runs in full.
_quit_signal = {"signum": 0, "loop_ended": False}


def _quit_on_signals(app) -> None:  # type: ignore[no-untyped-def]
    """SIGTERM/SIGINT (log-out, Ctrl+C) end the event loop normally, so shutdown runs."""
    import signal

    from PySide6.QtCore import QTimer

    def handler(signum, _frame) -> None:  # type: ignore[no-untyped-def]
        if not _quit_signal["loop_ended"]:
            _quit_signal["signum"] = signum
        log.info("Signal %s: quitting (an unsaved project stays for recovery)", signum)
        for widget in app.topLevelWidgets():
            widget.setProperty("unattended_quit", True)  # close without asking anything
        app.quit()

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread, or not supported here
            return
    # Python runs signal handlers only between bytecodes: wake it up now and then.
    timer = QTimer(app)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()


def run_event_loop(app) -> int:  # type: ignore[no-untyped-def]
    """Run Qt's event loop as the asyncio loop (qasync) until the app quits; returns its status.

    The app's asyncio I/O (the model download and hub queries, ``desktop_ocr.ui.async_job``) then
    runs as tasks in the GUI thread, with no thread of its own. Never used for inference.
    """
    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return int(loop.run_forever())
    finally:
        # A download still running at quit: cancel it and let it stop its thread and close its file.
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=5))
        asyncio.set_event_loop(None)
        loop.close()  # now, while the QApplication its signals belong to is alive


def run_gui(
    open_paths: Sequence[str] = (),
    qt_args: Sequence[str] = (),
    offer_recovery: bool = True,
    single_instance: bool = True,
    first_run: bool = True,
) -> int:
    """Start the GUI, open ``open_paths``, run the event loop; returns the exit status."""
    problem = early_checks()
    if problem:
        print(problem, file=sys.stderr)
        return 2

    from desktop_ocr.log import install_qt_message_handler, setup_logging

    log_file = setup_logging()
    from desktop_ocr.model import lockfile

    lockfile.set_holder(lockfile.WINDOW)  # "open in another window" to whoever opens our project
    log.info("desktop-ocr %s starting (log: %s)", __version__, log_file)

    from desktop_ocr.settings import Settings

    settings, setting_problems = Settings.load_checked()  # each bad value: logged, default used

    install_qt_message_handler()
    app = make_application(qt_args)

    from desktop_ocr.i18n import install_translators

    install_translators(app, settings.language)

    from desktop_ocr.single_instance import SingleInstance, bring_to_front

    instance = SingleInstance()
    if single_instance and instance.try_hand_over([str(p) for p in open_paths]):
        log.info("Another window is running: handed %d path(s) over to it", len(open_paths))
        return 0

    from desktop_ocr.fsutil import remove_left_part_files

    for part in remove_left_part_files():
        log.info("Removed %s, left by a session that was killed while saving", part)

    from desktop_ocr import crash
    from desktop_ocr.ui.main_window import MainWindow
    from desktop_ocr.worker.controller import Controller

    window_ref: list[MainWindow] = []
    crash.install(crash.qt_dialog_shower(lambda: window_ref[0] if window_ref else None))
    previous_crash = crash.take_previous_report()
    crash.enable_native_traces()

    controller = Controller(settings)
    window = MainWindow(controller)
    window_ref.append(window)
    window.show()

    # several loose images named together (the command line, "Open with", a second start) are one
    # document only if the user says so, as for a drop; `convert` needs --join for it
    def open_handed_over(paths: list) -> None:
        window.open_paths([str(p) for p in paths], ask_join=True)
        bring_to_front(window)

    instance.files_received.connect(open_handed_over)
    instance.watch_file_open_events(app)
    freeze_gc()
    collect_garbage_on_gui_thread(app)

    from PySide6.QtCore import QTimer

    def after_start() -> None:
        if setting_problems:
            from PySide6.QtCore import QCoreApplication

            window.statusBar().showMessage(
                QCoreApplication.translate("App", "Settings not used: {problems}").format(
                    problems="; ".join(p.message() for p in setting_problems)
                )
            )
        if previous_crash:
            window.show_previous_crash(previous_crash)
        if open_paths:
            window.open_paths([str(p) for p in open_paths], ask_join=True)
        elif offer_recovery:
            window.offer_recovery()
            window.reopen_last_project()  # nothing recovered: the last project, if the setting says so
        if first_run:
            window.offer_first_run()

    QTimer.singleShot(0, after_start)
    _quit_on_signals(app)
    try:
        status = run_event_loop(app)
        _quit_signal["loop_ended"] = True
        if status and _quit_signal["signum"]:
            # the display went away while quitting as a signal asked (Qt's status 1): a clean quit
            log.info(
                "The event loop ended with status %s while quitting on signal %s",
                status,
                _quit_signal["signum"],
            )
            status = 0
    finally:
        instance.close()
        controller.shutdown()
        from desktop_ocr.worker.lifetime import wait_for_stuck

        wait_for_stuck(60_000)  # a read that outlived shutdown ends before Python tears down
        from desktop_ocr.setup.saving import save_settings

        save_settings(controller.settings)  # the dialogs replace the controller's settings object
        crash.uninstall()  # faulthandler stays on: a crash while Qt tears down is still traced
    log.info("desktop-ocr exiting with status %s", status)
    if controller.render.is_running():
        # A page is still being rendered in native code (it cannot be interrupted). The project is
        # closed and saved; end now rather than wait, or abort when Python destroys the running thread.
        log.info("Ending without waiting for the page being rendered")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(status))
    return int(status)
