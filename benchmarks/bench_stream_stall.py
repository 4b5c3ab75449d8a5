"""How the real window keeps up with text streamed at the GPU's pace: the longest event-loop stall.

    python benchmarks/bench_stream_stall.py [--rates 400,800,1600] [--tokens 3000] [--runs 3]

A stand-in engine streams a dense page (paragraphs, headings, an HTML table, LaTeX; 1-6 characters per
token, as DeepSeek-OCR's tokens are) at a fixed rate of tokens per second into the real main window
(offscreen, editor and preview shown, the page on screen). A 5 ms QTimer measures how late the event
loop runs it while the page streams: a stall is that lateness. Target: < 50 ms at 400+ tok/s. Also
checks that the editor ends with exactly the streamed text.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def dense_page_tokens(n: int, seed: int = 7) -> list[str]:
    """``n`` token strings of a dense page's Markdown."""
    rng = random.Random(seed)
    words = [
        "the",
        "of",
        "reading",
        "page",
        "model",
        "table",
        "value",
        "result",
        "text",
        "column",
        "figure",
        "shown",
        "stream",
    ]
    parts: list[str] = []
    k = 0
    while sum(len(p) for p in parts) < n * 4:
        k += 1
        kind = k % 5
        if kind == 0:
            parts.append(f"\n\n## Section {k}\n\n")
        elif kind == 1:
            cells = "".join(
                "<tr>" + "".join(f"<td>{rng.choice(words)} {r}.{c}</td>" for c in range(4)) + "</tr>"
                for r in range(6)
            )
            parts.append(f"\n\n<table>{cells}</table>\n\n")
        elif kind == 2:
            parts.append(f"\n\n\\[ x_{k} = \\frac{{a^2 + b_{k}}}{{c}} \\]\n\n")
        else:
            parts.append(" ".join(rng.choice(words) for _ in range(60)) + ".")
    text = "".join(parts)
    tokens: list[str] = []
    i = 0
    while i < len(text) and len(tokens) < n:
        size = rng.randint(1, 6)
        tokens.append(text[i : i + size])
        i += size
    return tokens


def make_engine(tokens: list[str], rate: float):  # type: ignore[no-untyped-def]
    from desktop_ocr.engine.base import Engine, EngineInfo
    from desktop_ocr.model.result import PageResult

    class PacedStream(Engine):
        """Streams ``tokens`` at ``rate`` per second, then returns them as the page's text."""

        @property
        def info(self) -> EngineInfo:
            return EngineInfo(name="paced", title="Paced stream", streams=True)

        def load(self, progress=None, cancel: threading.Event | None = None) -> None:  # type: ignore[no-untyped-def]
            pass

        def read(self, pages, *, on_text=None, on_block=None, cancel=None):  # type: ignore[no-untyped-def]
            out = []
            for p in pages:
                start = time.perf_counter()
                for i, tok in enumerate(tokens):
                    if cancel is not None and cancel.is_set():
                        break
                    wait = start + i / rate - time.perf_counter()
                    if wait > 0:
                        time.sleep(wait)
                    if on_text:
                        on_text(p.key, tok)
                PacedStream.elapsed = time.perf_counter() - start
                text = "".join(tokens)
                out.append(PageResult((), text, text, engine="paced", width=800, height=1100))
            return out

    PacedStream.elapsed = 0.0
    return PacedStream


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rates", default="400,800,1600")
    p.add_argument("--tokens", type=int, default=3000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--size", default="1400x900")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = Path(tempfile.mkdtemp(prefix="desktop-ocr-bench-"))
    os.environ["DESKTOP_OCR_BASEDIR"] = str(base)
    from bench_gui_stall import StallMeter, open_window, pump, wait_for
    from sample_docs import write_pdf

    from desktop_ocr.app import make_application

    app = make_application()  # noqa: F841 - keep it alive
    tokens = dense_page_tokens(args.tokens)
    controller, window = open_window(args.size)
    window.open_paths([str(write_pdf(base / "page.pdf", [["A dense page."]]))])
    assert wait_for(lambda: controller.project.page_count == 1, 60)
    page_id = next(controller.project.all_pages()).id
    window.page_list.select_page(page_id)
    window.editor.set_preview_visible(True)
    pump(1.0)
    meter = StallMeter()
    rows = []
    for rate in (float(r) for r in args.rates.split(",")):
        stalls, p99s, paces = [], [], []
        for run in range(args.runs):
            engine = make_engine(tokens, rate)
            controller.ocr.set_engine(f"paced{rate:.0f}-{run}", engine)
            assert wait_for(lambda: not controller.reading.is_reading, 30)
            meter.set_phase(f"{rate} {run}")
            controller.read_pages([page_id], include_edited=True)
            assert wait_for(lambda: controller.reading.is_reading, 30)
            assert wait_for(lambda: not controller.reading.is_reading, 600), "the read did not end"
            phase = meter.phase
            meter.set_phase("idle")
            stalls.append(meter.worst.get(phase, 0.0) * 1000)
            p99s.append(meter.p99(phase) * 1000)
            paces.append(len(tokens) / max(engine.elapsed, 1e-9))
            pump(0.5)
            assert window.editor.text() == "".join(tokens), "the editor lost streamed text"
        rows.append(
            (rate, statistics.median(paces), statistics.median(stalls), max(stalls), statistics.median(p99s))
        )
    print(
        f"{len(tokens)} tokens ({len(''.join(tokens)):,} characters) streamed into the real window, {args.runs} runs each"
    )
    print("  target tok/s  achieved tok/s  longest stall ms: median [worst]  p99 ms")
    for rate, pace, med, worst, p99 in rows:
        print(f"  {rate:12.0f}  {pace:14.0f}  {med:22.1f} [{worst:6.1f}]  {p99:6.1f}")
    controller.cancel_all()
    controller.discard_untitled()
    window.close()
    controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
