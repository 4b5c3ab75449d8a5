"""GUI start-up: from the interpreter's start to the main window's first paint, and the closing.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_start.py [--basedir DIR]
It builds what ``desktop-ocr`` builds (the application, the Controller with its workers, the main
window), shows the window, waits for its first paint event, shuts the workers down and exits. Time the
whole process from outside (``/usr/bin/time -v``, several runs) for the figure users feel; the lines
it prints split it into imports, construction and first paint (wall and CPU seconds of this process).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

T0 = time.perf_counter()
C0 = time.process_time()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--basedir", help="the app's base folder (default: a new temporary one)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DESKTOP_OCR_BASEDIR"] = args.basedir or tempfile.mkdtemp(prefix="gui-start-")
    marks: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter() - T0, time.process_time() - C0))

    from PySide6.QtCore import QEvent, QObject, QTimer

    # imported before the mark, as before embedded_window (which imports them itself) existed
    import desktop_ocr.settings
    import desktop_ocr.ui.main_window
    import desktop_ocr.worker.controller  # noqa: F401
    from desktop_ocr.app import make_application
    from desktop_ocr.smoke import embedded_window

    mark("imports")
    app = make_application()
    controller, window = embedded_window()
    mark("window built")

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and obj is window and not self.property("seen"):
                self.setProperty("seen", True)
                mark("first paint")
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(30_000, app.quit)  # never hang a benchmark
    app.exec()
    window.removeEventFilter(watcher)
    controller.cancel_all()
    controller.discard_untitled()
    window.close()
    controller.shutdown()
    mark("closed")
    for name, wall, cpu in marks:
        print(f"{name:13s} wall {wall:6.3f} s  cpu {cpu:6.3f} s")
    return 0 if any(name == "first paint" for name, _w, _c in marks) else 1


if __name__ == "__main__":
    sys.exit(main())
