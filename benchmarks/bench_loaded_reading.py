"""Reading on a busy machine: pages per minute in the real window against the command line.

    python benchmarks/bench_loaded_reading.py [--pages 6] [--hogs 2] [--runs 3] [--nice 10,3]

Starts ``--hogs`` busy processes (a program using every core at normal priority), then reads the
same PDF of ``--pages`` dense pages with the embedded engine, alternately with ``desktop-ocr convert``
(a separate process) and in the real main window (offscreen, this process; the engine is loaded
first, as a user's window has it after the first page), for each reading-thread niceness in
``--nice``. Pages/min are counted from the first page done to the last (start-up and the engine's
loading left out, they differ between the sides). Prints them (median of ``--runs``) per side and the window's share of the command
line's pace (goal: >= 80%), and the window's longest event-loop stall while it read. The hogs are
stopped (by their process ids) at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: A busy loop that ends by itself when the benchmark is gone.
HOG = "import os\nparent = os.getppid()\nwhile os.getppid() == parent:\n    for _ in range(1_000_000):\n        pass\n"


def dense_pages(n: int) -> list[list[str]]:
    words = [
        "harbour",
        "survey",
        "north",
        "pier",
        "measured",
        "april",
        "depth",
        "water",
        "repairs",
        "east",
        "wall",
        "crane",
        "moved",
    ]
    return [
        [f"Report {i + 1}"] + [" ".join(words[(i + j + k) % len(words)] for k in range(6)) for j in range(14)]
        for i in range(n)
    ]


def marginal_rate(times: list[float]) -> float:
    """Pages per minute from the times pages finished: from the first page done to the last, so that
    starting up and loading the engine (which differ between the two sides) are left out."""
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return 60.0 * (len(times) - 1) / (times[-1] - times[0])


def cli_pages_per_min(pdf: Path, out: Path, base: Path) -> float:
    env = dict(os.environ, DESKTOP_OCR_BASEDIR=str(base), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "desktop_ocr", "convert", "--engine", "embedded", "--formats", "md",
           "--overwrite", "-o", str(out), str(pdf)]  # fmt: skip
    done: list[float] = []
    with subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:  # "[2/6  33%] page 2: read ..." as each page is done
            if line.startswith("[") and "/" in line.split("]")[0]:
                done.append(time.perf_counter())
    assert proc.returncode == 0, f"convert failed ({proc.returncode})"
    return marginal_rate(done)


PAGES = 6


def main(argv: list[str] | None = None) -> int:
    global PAGES
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=5)
    p.add_argument("--hogs", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--nice", default="10,3", help="reading-thread niceness values to compare")
    p.add_argument(
        "--switch",
        default="",
        help="GIL switch intervals (seconds, comma-separated) to compare; default: Python's (0.005)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="report each event-loop gap over 100 ms while the window reads: its GUI-thread CPU time"
        " and the handlers that ran in it (benchmarks/event_gaps.py)",
    )
    args = p.parse_args(argv)
    PAGES = args.pages
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = Path(tempfile.mkdtemp(prefix="desktop-ocr-bench-"))
    os.environ["DESKTOP_OCR_BASEDIR"] = str(base)
    from bench_gui_stall import StallMeter, open_window, pump, wait_for
    from sample_docs import write_pdf

    pdf = write_pdf(base / "dense.pdf", dense_pages(args.pages))
    from desktop_ocr.app import make_application

    app = make_application()  # noqa: F841 - keep it alive
    from desktop_ocr.worker import ocr_worker

    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(args.hogs)]
    rows = []
    try:
        time.sleep(1.0)
        switches = [float(x) for x in args.switch.split(",")] if args.switch else [sys.getswitchinterval()]
        configs = [(int(n), sw) for n in args.nice.split(",") for sw in switches]
        for nice, switch in configs:
            ocr_worker.READING_NICENESS = nice
            sys.setswitchinterval(switch)
            gui, cli, stalls = [], [], []
            for run in range(args.runs):
                cli.append(cli_pages_per_min(pdf, base / f"out-{nice}-{run}", base / f"cli-{nice}-{run}"))
                controller, window = open_window("1400x900")
                window.open_paths([str(pdf)])
                assert wait_for(lambda c=controller: c.project.page_count == args.pages, 120)
                loaded: list[bool] = []
                controller.ocr.engine_ready_for_work.connect(lambda done=loaded: done.append(True))
                controller.preload_engine()
                assert wait_for(lambda done=loaded: bool(done), 300), "the engine did not load"
                meter = StallMeter()
                explainer = None
                if args.explain:
                    from event_gaps import GapExplainer

                    explainer = GapExplainer()
                meter.set_phase("reading")
                finished: list[float] = []
                controller.project_changed.connect(
                    lambda _change, c=controller, f=finished: f.extend(
                        [time.perf_counter()]
                        * (sum(pg.result is not None for pg in c.project.all_pages()) - len(f))
                    )
                )
                controller.read_all()
                assert wait_for(lambda c=controller: c.reading.is_reading, 30)
                assert wait_for(lambda c=controller: not c.reading.is_reading, 1800), "reading did not end"
                meter.set_phase("end")
                if explainer is not None:
                    explainer.stop()
                    print(
                        f"nice {nice} switch {switch * 1000:g} ms run {run}: " + explainer.report(),
                        flush=True,
                    )
                assert len(finished) == args.pages, f"only {len(finished)} pages were read"
                gui.append(marginal_rate(finished))
                stalls.append(meter.worst.get("reading", 0.0) * 1000)
                controller.cancel_all()
                controller.discard_untitled()
                window.close()
                controller.shutdown()
                window.deleteLater()
                pump(0.3)
                print(
                    f"nice {nice} switch {switch * 1000:g} ms run {run}: window {gui[-1]:.1f} pages/min, command line {cli[-1]:.1f}",
                    flush=True,
                )
            rows.append(
                (nice, switch, statistics.median(gui), statistics.median(cli), statistics.median(stalls))
            )
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(
        f"{args.pages} dense pages, embedded engine, {args.hogs} busy processes beside, {args.runs} runs each"
    )
    print(
        "  reading nice  GIL switch ms  window pages/min  command line pages/min  window/CLI"
        "  longest stall ms"
    )
    for nice, switch, g, c, st in rows:
        print(f"  {nice:12d}  {switch * 1000:13.1f}  {g:16.1f}  {c:22.1f}  {100 * g / c:9.0f}%  {st:16.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
