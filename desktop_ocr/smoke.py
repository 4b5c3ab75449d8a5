"""GUI smoke test for packaged builds: the real main window, offscreen, opens files, reads every page
with the embedded engine, prints the text and exits (0: every page read, 1: not).

    desktop-ocr --smoke-test FILE...      (packaged builds: packaging/pyinstaller/launch.py)
    python -m desktop_ocr.smoke FILE...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, cast

SMOKE_FLAG = "--smoke-test"
TIMEOUT_S = 600


def embedded_window() -> tuple[Any, Any]:
    """The Controller and the main window over the user's settings with the embedded engine and
    the first-run assistant done (not shown yet); the application must exist. Also used by the
    start-up benchmarks, so that they time what the smoke test starts."""
    from desktop_ocr.settings import Settings
    from desktop_ocr.ui.main_window import MainWindow
    from desktop_ocr.worker.controller import Controller

    settings = Settings.load()
    settings.engine = "embedded"
    settings.first_run_done = True
    controller = Controller(settings)
    return controller, MainWindow(controller)


def run_smoke_test(paths: Sequence[str], timeout_s: int = TIMEOUT_S) -> int:
    """Open ``paths`` in the main window, read them all, print each page's text; the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from desktop_ocr.app import make_application
    from desktop_ocr.model.document import PageState

    app = make_application()
    controller, window = embedded_window()
    window.show()
    outcome: dict[str, object] = {"started": False, "message": ""}

    def stop(code: int, message: str) -> None:
        if outcome.get("code") is None:
            outcome["code"] = code
            outcome["message"] = message
            app.exit(code)

    def on_imported(document_ids: list[str]) -> None:
        if not document_ids:
            stop(1, "nothing was imported")
            return
        if not controller.read_all():
            stop(1, "nothing to read")

    def on_reading(active: bool) -> None:
        if active:
            outcome["started"] = True
            return
        if not outcome["started"]:
            return
        pages = list(controller.project.all_pages())
        bad = [p for p in pages if p.state not in (PageState.READ, PageState.EDITED) or not p.text.strip()]
        for number, page in enumerate(pages, 1):
            print(f"--- page {number} ({page.state.value}) ---\n{page.text}")
        stop(1 if bad or not pages else 0, f"{len(pages) - len(bad)} of {len(pages)} pages read")

    controller.import_finished.connect(on_imported)
    controller.problems_reported.connect(
        lambda title, lines: stop(1, f"{title}: {'; '.join(map(str, lines))}")
    )
    controller.reading_changed.connect(on_reading)
    QTimer.singleShot(0, lambda: window.open_paths([os.path.abspath(p) for p in paths]))
    QTimer.singleShot(timeout_s * 1000, lambda: stop(1, f"timed out after {timeout_s} s"))
    try:
        app.exec()
    finally:
        # Not window.close(): that asks whether to keep the untitled project. The test leaves nothing.
        window.hide()
        controller.discard_untitled()
        controller.shutdown()
        window.deleteLater()
    raw_code = outcome.get("code")
    code = int(cast("int | str", raw_code) or 0) if raw_code is not None else 1
    print(f"smoke test: {outcome['message']}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = [a for a in (sys.argv[1:] if argv is None else argv) if a != SMOKE_FLAG]
    if not args:
        print(f"usage: desktop-ocr {SMOKE_FLAG} FILE...", file=sys.stderr)
        return 2
    return run_smoke_test(args)


if __name__ == "__main__":
    sys.exit(main())
