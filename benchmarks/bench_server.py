"""Benchmark the server engine's client against loopback servers with a fixed time per page.

Usage::

    python benchmarks/bench_server.py [--latency 0.5] [--pages 24] [--repeats 3] [--out benchmarks/results/server_bench.md]

The servers (tests/openai_server.py, answering like vLLM: streamed SSE, ten deltas per page spread
over ``--latency`` seconds) run in a child process, so the CPU time of this process is the client's
own: rendering nothing, but encoding each A4 page (1191 x 1684, 144 dpi) as JPEG + base64, the
request, the SSE parsing, grounding parsing and streaming callbacks. An ideal server keeps its time
per page whatever the number of requests in flight (as vLLM's continuous batching roughly does until
the GPU is full), so the ideal rate is ``slots * 60 / latency`` pages/min; the table shows how close
the client comes, at 1, 4 and 8 requests in flight per server and with 1 or 4 servers.

Client overhead per page: the wall time per page above the latency at one request in flight, and the
client's CPU seconds per page. Figures are medians of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

ANSWER = (
    "<|ref|>title<|/ref|><|det|>[[60, 40, 940, 90]]<|/det|>\n# Harbour records of the year 1907\n\n"
    + "".join(
        f"<|ref|>text<|/ref|><|det|>[[60, {100 + 40 * i}, 940, {130 + 40 * i}]]<|/det|>\n"
        f"Line {i}: ninety ships entered the harbour, forty left with timber and coal.\n\n"
        for i in range(20)
    )
)


def _serve(n_servers: int, latency: float, ports: mp.Queue, stop: mp.Event) -> None:
    from openai_server import FakeOpenAIServer, Reply

    chunk = -(-len(ANSWER) // 10)  # exactly ten deltas

    def behaviour(body, n):
        return Reply(text=ANSWER, chunk_chars=chunk, delay_s=latency / 10)

    servers = [FakeOpenAIServer(behaviour) for _ in range(n_servers)]
    for s in servers:
        s.__enter__()
    ports.put([s.url for s in servers])
    stop.wait()
    for s in servers:
        s.__exit__(None, None, None)


def page_image():
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1191, 1684), "white")
    draw = ImageDraw.Draw(img)
    for i in range(60):
        draw.text(
            (80, 60 + 26 * i),
            f"Line {i}: ninety ships entered the harbour, forty left with timber.",
            fill="black",
        )
    return img


def run_once(urls: list[str], concurrency: int, n_pages: int) -> tuple[float, float, float]:
    """(wall seconds, client CPU seconds, streamed callbacks) for reading ``n_pages``."""
    from desktop_ocr.engine.base import PageInput
    from desktop_ocr.engine.server.engine import ServerConfig, ServerEngine
    from desktop_ocr.model.result import PageResult

    engine = ServerEngine(
        ServerConfig(urls=tuple(urls), model="deepseek-ai/DeepSeek-OCR", concurrency=concurrency)
    )
    engine.load()
    img = page_image()
    pages = [PageInput(f"p{i}", img) for i in range(n_pages)]
    calls = [0]

    def on_text(key: str, delta: str) -> None:
        calls[0] += 1

    cpu0, t0 = time.process_time(), time.perf_counter()
    results = engine.read(pages, on_text=on_text, on_block=lambda k, b: None)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    bad = [r for r in results if not isinstance(r, PageResult)]
    if bad:
        raise SystemExit(f"{len(bad)} page(s) failed: {bad[0]}")
    return wall, cpu, calls[0]


def encode_cost(repeats: int = 10) -> float:
    from desktop_ocr.engine.server.request import image_data_uri

    img = page_image()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        image_data_uri(img, "gundam")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=0.5, help="seconds per page of each fake server")
    ap.add_argument("--pages", type=int, default=24, help="pages per run (at least 2 per slot are used)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None, help="write the Markdown table here too")
    args = ap.parse_args()

    ports: mp.Queue = mp.Queue()
    stop = mp.Event()
    child = mp.Process(target=_serve, args=(4, args.latency, ports, stop), daemon=True)
    child.start()
    urls = ports.get(timeout=30)
    rows = []
    try:
        for n_servers in (1, 4):
            for concurrency in (1, 4, 8):
                slots = n_servers * concurrency
                n_pages = max(args.pages, 2 * slots)
                walls, cpus = [], []
                for _ in range(args.repeats):
                    wall, cpu, _calls = run_once(urls[:n_servers], concurrency, n_pages)
                    walls.append(wall)
                    cpus.append(cpu)
                wall, cpu = statistics.median(walls), statistics.median(cpus)
                rate = 60 * n_pages / wall
                ideal = 60 * slots / args.latency
                rows.append((n_servers, concurrency, n_pages, rate, ideal, wall / n_pages, cpu / n_pages))
                print(
                    f"servers={n_servers} concurrency={concurrency}: {rate:.0f} pages/min (ideal {ideal:.0f})",
                    flush=True,
                )
    finally:
        stop.set()
        child.join(10)
    encode = encode_cost()
    single = next(r for r in rows if r[0] == 1 and r[1] == 1)
    lines = [
        f"Server engine client, loopback servers at {args.latency:.2f} s per page (streamed in 10 deltas); "
        f"medians of {args.repeats} runs; a shared 2-core machine.",
        "",
        "| servers | in flight per server | pages | pages/min | ideal pages/min | share of ideal | client CPU ms/page |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n_servers, conc, n_pages, rate, ideal, _per_page, cpu in rows:
        lines.append(
            f"| {n_servers} | {conc} | {n_pages} | {rate:.0f} | {ideal:.0f} | {100 * rate / ideal:.0f} % | {1000 * cpu:.0f} |"
        )
    lines += [
        "",
        f"Client overhead per page at one request in flight: {1000 * (single[5] - args.latency):.0f} ms of wall time "
        f"above the server's {args.latency:.2f} s; client CPU {1000 * single[6]:.0f} ms per page, of which "
        f"{1000 * encode:.0f} ms encode the A4 page as JPEG + base64.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
