"""Start-up of the embedded engine, stage by stage: import, load, the first page(s), and the window.

Usage::

    .venv/bin/python benchmarks/bench_engine_startup.py [--tree DIR] [--pages N] [--window] IMAGE

Each stage prints its wall seconds, the process's CPU seconds (every thread), the resident memory
after it and the peak so far (``VmRSS`` / ``VmHWM``), and the number of threads alive. ``--tree``
imports ``desktop_ocr`` from another checkout (an old commit's worktree, to compare).
``--window`` times the real main window's start instead (offscreen: application, controller,
window shown, events processed), without reading.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status() -> tuple[float, float]:
    """Resident and peak resident memory of this process, MiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Stages:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        print(f"{'stage':<16} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8} {'peak MiB':>9} {'threads':>7}")

    def mark(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        rss, peak = _status()
        print(
            f"{name:<16} {wall - self.wall:7.2f} {cpu - self.cpu:7.2f} {rss:8.0f} {peak:9.0f} "
            f"{threading.active_count():7d}",
            flush=True,
        )
        self.wall, self.cpu = wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("image", nargs="?", default=str(ROOT / "tests/data/real/ocrmypdf-typewriter.png"))
    ap.add_argument("--tree", default=str(ROOT), help="the checkout desktop_ocr is imported from")
    ap.add_argument("--pages", type=int, default=1, help="how many times the page is read")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--window", action="store_true", help="time the main window's start, no reading")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.tree).resolve()))
    stages = Stages()
    if args.window:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # imported before the mark, as before embedded_window (which imports them itself) existed
        import desktop_ocr.settings
        import desktop_ocr.ui.main_window
        import desktop_ocr.worker.controller  # noqa: F401
        from desktop_ocr.app import make_application
        from desktop_ocr.smoke import embedded_window

        stages.mark("import")
        app = make_application()
        controller, window = embedded_window()
        window.show()
        app.processEvents()
        stages.mark("window shown")
        window.hide()
        controller.discard_untitled()
        controller.shutdown()
        window.deleteLater()
        app.processEvents()
        return 0

    from PIL import Image

    from desktop_ocr.engine.base import PageInput
    from desktop_ocr.engine.embedded import EmbeddedEngine

    stages.mark("import")
    engine = EmbeddedEngine({"threads": args.threads})
    engine.load()
    stages.mark("engine load")
    image = Image.open(args.image)
    image.load()
    for n in range(args.pages):
        [result] = engine.read([PageInput(str(n), image)])
        stages.mark(f"page {n + 1}")
        if not getattr(result, "markdown", ""):
            print(f"page {n + 1}: nothing read ({result})", file=sys.stderr)
            return 1
    engine.unload()
    return 0


if __name__ == "__main__":
    sys.exit(main())
