"""Drives the real app (``desktop_ocr.app.run_gui``) like a user, for the end-to-end test.

    python app_driver.py BASEDIR PDF OUTDIR

Starts the app with the PDF as its argument (as "open with" does), reads every page with the
embedded engine, types a correction into the editor, exports, then starts reading again and
prints ``KILL-ME`` so the test can SIGKILL the process in the middle of work.
Progress lines go to stdout; the test reads them.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

CORRECTION = " [checked by the archivist]"


def main() -> int:
    basedir, pdf, outdir = sys.argv[1:4]
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["DESKTOP_OCR_BASEDIR"] = basedir
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop_ocr.app import make_application, run_gui
    from desktop_ocr.model.document import PageState
    from desktop_ocr.ui.main_window import MainWindow

    app = make_application()
    app.setProperty("desktop_ocr_test_mode", True)
    state = {"step": "import", "since": time.monotonic()}

    def say(line: str) -> None:
        print(line, flush=True)

    def window() -> MainWindow | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def tick() -> None:
        w = window()
        if w is None:
            return
        c = w.controller
        step = state["step"]
        if time.monotonic() - state["since"] > 240:
            say(f"TIMEOUT in step {step}")
            app.exit(3)
            return
        if step == "import" and c.project.page_count == 3:
            say(f"IMPORTED {c.store.path}")
            w.acts.read_all.trigger()
            state.update(step="read", since=time.monotonic())
        elif (
            step == "read"
            and not c.reading.is_reading
            and all(p.state == PageState.READ for p in c.project.all_pages())
        ):
            say("READ")
            second = list(c.project.all_pages())[1]
            w.page_list.select_page(second.id)
            QApplication.processEvents()
            editor = w.editor.editor
            editor.setFocus()
            cursor = editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            editor.setTextCursor(cursor)
            QTest.keyClicks(editor, CORRECTION)
            state.update(step="edit", since=time.monotonic(), page=second.id)
        elif step == "edit":
            page = c.project.page(state["page"])
            if page.edited_text and page.edited_text.endswith(CORRECTION):
                say(f"EDITED {page.id}")
                c.export([d.id for d in c.project.documents], outdir, ["md", "txt", "json"], "official")
                c.export_finished.connect(lambda paths: state.update(step="exported"))
                state.update(step="exporting", since=time.monotonic())
        elif step == "exported":
            say("EXPORTED")
            first, _, third = list(c.project.all_pages())
            c.read_pages([first.id, third.id])  # more work in flight when the kill comes
            state.update(step="reading-again", since=time.monotonic())
        elif step == "reading-again" and c.reading.is_reading:
            say("KILL-ME")
            state.update(step="waiting", since=time.monotonic())

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    return run_gui([pdf], offer_recovery=False)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main())
