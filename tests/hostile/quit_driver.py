"""Starts the real app on a project and asks it to quit while its first page renders.

    python quit_driver.py BASEDIR PROJECT DELAY_S [close|term]

Opens PROJECT as "open with" does, shows its first page (the canvas asks the render worker for it)
and, DELAY_S seconds after that request, quits: ``close`` closes the window as a user does,
``term`` sends SIGTERM (log-out). Prints ``QUIT <monotonic time>`` just before; the test measures
the exit from there.
"""

from __future__ import annotations

import os
import signal
import sys
import time


def main() -> int:
    basedir, project, delay, how = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["DESKTOP_OCR_BASEDIR"] = basedir
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_ocr.app import make_application, run_gui
    from desktop_ocr.ui.main_window import MainWindow

    app = make_application()
    app.setProperty("desktop_ocr_test_mode", True)
    started = time.monotonic()

    def window() -> MainWindow | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def quit_now() -> None:
        print(f"QUIT {time.monotonic()}", flush=True)
        w = window()
        if how == "term" or w is None:
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            w.controller.discard_untitled()
            w.close()

    def tick() -> None:
        w = window()
        if time.monotonic() - started > 120:
            print("TIMEOUT", flush=True)
            app.exit(3)
            return
        if w is None or w.controller.project.page_count == 0:
            QTimer.singleShot(20, tick)
            return
        page = w.controller.project.documents[0].pages[0]
        w.page_list.select_page(page.id)
        w.controller.render.request_page(page.id)
        print(f"RENDERING {page.id}", flush=True)
        QTimer.singleShot(int(delay * 1000), quit_now)

    QTimer.singleShot(0, tick)
    import atexit

    atexit.register(lambda: print(f"END {time.monotonic()}", flush=True))
    return run_gui([project], offer_recovery=False, single_instance=False, first_run=False)


if __name__ == "__main__":
    sys.exit(main())
