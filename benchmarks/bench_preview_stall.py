"""How long the real window's event loop stalls while the preview shows a page: ordinary and hostile text.

    python benchmarks/bench_preview_stall.py [--runs 3] [--size 1400x900] [--first-show]
        [--cases "table 6,000 cells;30 KB of \\["]

Opens the real main window (offscreen) on a PDF of one page per case, gives each page its text, then
selects the pages one after another in the page list (as a click would) and, separately, shows each
text in a bare preview pane. A 5 ms QTimer measures how late the event loop runs it while the page is
shown and the window settles (1.5 s per page): a stall is that lateness. Target: < 50 ms, whatever the
text. Prints the median and the worst of ``--runs`` runs per case, and the median CPU time the GUI
thread used while the page was shown and the window settled (the short page's is the meter's own and
the idle window's; on a loaded machine a stall is mostly waiting, the CPU time is the work), and the
GUI thread's CPU time within the window's longest stall (median [worst]): the work in that stall.

``--first-show``: every page shown is shown for the first time (the editor's kept documents are
dropped with a short page shown before each), so each run measures building, colouring and laying
out the page's document, not a kept one; the bare pane is then skipped. ``--cases``: the cases to run,
``;``-separated (all by default), the short page always among them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

HOSTILE = ROOT / "tests" / "hostile" / "text"


def table(cells: int, cols: int = 5) -> str:
    rows = max(1, cells // cols)
    body = "".join(
        "<tr>" + "".join(f"<td>row {r} col {c} value</td>" for c in range(cols)) + "</tr>"
        for r in range(rows)
    )
    return "Results of the survey:\n\n<table>" + body + "</table>\n\nThe table ends here.\n"


def long_page(chars: int = 18_000) -> str:
    parts: list[str] = []
    k = 0
    while sum(len(p) for p in parts) < chars:
        k += 1
        parts.append(f"## Section {k}\n")
        parts.append(
            "Lorem ipsum dolor sit **amet**, consectetur adipiscing elit, sed do eiusmod tempor"
            " incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud"
            " exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. $x_k^2$\n"
        )
        parts.append("- first point of the list\n- second point, *emphasised*\n- third point\n")
    return "\n".join(parts)


def cases() -> dict[str, str]:
    return {
        "table 100 cells": table(100),
        "table 1,500 cells": table(1500),
        "table 6,000 cells": (HOSTILE / "table_6000_cells.md").read_text(encoding="utf-8"),
        "nested tables 16": (HOSTILE / "nested_tables_16.md").read_text(encoding="utf-8"),
        "30 KB of \\[": (HOSTILE / "open_display_math_30k.md").read_text(encoding="utf-8"),
        "nested tables 20": (HOSTILE / "nested_tables_20.md").read_text(encoding="utf-8"),
        "3,000 unclosed tables": (HOSTILE / "unclosed_tables.md").read_text(encoding="utf-8"),
        "30 KB of **": (HOSTILE / "emphasis_30k.md").read_text(encoding="utf-8"),
        "long ordinary page": long_page(),
        "short page": "# Title\n\nOne paragraph of text.\n",
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--size", default="1400x900")
    p.add_argument("--settle", type=float, default=1.5)
    p.add_argument("--first-show", action="store_true", help="every page shown for the first time")
    p.add_argument("--cases", default="", help="the cases to run, ;-separated (default: all)")
    p.add_argument(
        "--explain", type=float, default=0.0, metavar="MS", help="list the handlers in each gap over MS ms"
    )
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = Path(tempfile.mkdtemp(prefix="desktop-ocr-bench-"))
    os.environ["DESKTOP_OCR_BASEDIR"] = str(base)
    from bench_gui_stall import StallMeter, open_window, pump, wait_for
    from sample_docs import write_pdf

    texts = cases()
    if args.cases:
        chosen = {name.strip() for name in args.cases.split(";")} | {"short page"}
        unknown = chosen - set(texts)
        assert not unknown, f"unknown cases: {sorted(unknown)}; known: {sorted(texts)}"
        texts = {name: text for name, text in texts.items() if name in chosen}
    pdf = write_pdf(base / "pages.pdf", [[name] for name in texts])

    from desktop_ocr.app import make_application

    app = make_application()  # noqa: F841 - keep it alive
    from desktop_ocr.ui.preview import PreviewPane

    controller, window = open_window(args.size)
    window.open_paths([str(pdf)])
    assert wait_for(lambda: controller.project.page_count == len(texts), 60), "import did not finish"
    ids = [page.id for page in controller.project.documents[0].pages]
    for page_id, text in zip(ids, texts.values(), strict=True):
        controller.edits.set_page_text(page_id, text)
    window.editor.set_preview_visible(True)
    pump(1.0)

    pane = PreviewPane()
    pane.resize(700, 900)
    pane.show()
    pump(0.3)

    meter = StallMeter()
    explainer = None
    if args.explain:
        from event_gaps import GapExplainer

        explainer = GapExplainer(args.explain / 1000)
    window_stalls: dict[str, list[float]] = {name: [] for name in texts}
    pane_stalls: dict[str, list[float]] = {name: [] for name in texts}
    window_gap_cpu: dict[str, list[float]] = {name: [] for name in texts}
    window_cpu: dict[str, list[float]] = {name: [] for name in texts}
    pane_cpu: dict[str, list[float]] = {name: [] for name in texts}
    for run in range(args.runs):
        for page_id, name in zip(ids, texts, strict=True):
            if args.first_show:
                window.page_list.select_page(ids[list(texts).index("short page")])
                pump(0.3)
                window.editor.forget_documents()
                pump(0.2)
            meter.set_phase(f"window {name} {run}")
            cpu = time.thread_time()
            window.page_list.select_page(page_id)
            pump(args.settle)
            window_cpu[name].append(time.thread_time() - cpu)
            assert window.current_page_id() == page_id
            window_stalls[name].append(meter.worst.get(meter.phase, 0.0))
            window_gap_cpu[name].append(meter.worst_cpu.get(meter.phase, 0.0))
        for name, text in texts.items():
            if args.first_show:
                pane_stalls[name].append(0.0)
                pane_cpu[name].append(0.0)
                continue
            meter.set_phase(f"pane {name} {run}")
            cpu = time.thread_time()
            pane.set_markdown(f"{name}{run}", text, immediate=True)
            pump(args.settle)
            pane_cpu[name].append(time.thread_time() - cpu)
            pane_stalls[name].append(meter.worst.get(meter.phase, 0.0))
    meter.set_phase("end")
    if explainer is not None:
        explainer.stop()
        print(explainer.report(worst=12))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"longest event-loop stall while a page is shown (ms; median [worst] of {args.runs} runs)")
    print(
        f"  {'case':22s} {'chars':>7s}  {'real window':>18s}  {'preview pane':>18s}"
        f"  {'window cpu ms':>13s}  {'pane cpu ms':>11s}  {'cpu in longest':>14s}"
    )
    for name, text in texts.items():
        ws = [s * 1000 for s in window_stalls[name]]
        ps = [s * 1000 for s in pane_stalls[name]]
        gap_cpu = [c * 1000 for c in window_gap_cpu[name]]
        print(
            f"  {name:22s} {len(text):7,d}  {statistics.median(ws):8.1f} [{max(ws):6.1f}]"
            f"  {statistics.median(ps):8.1f} [{max(ps):6.1f}]"
            f"  {statistics.median(window_cpu[name]) * 1000:13.1f}  {statistics.median(pane_cpu[name]) * 1000:11.1f}"
            f"  {statistics.median(gap_cpu):6.1f} [{max(gap_cpu):5.1f}]"
        )
    pane.close()
    pane.deleteLater()
    controller.cancel_all()
    controller.discard_untitled()
    window.close()
    controller.shutdown()
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    rc = main()
    print(f"({time.perf_counter() - t0:.0f} s)")
    sys.exit(rc)
