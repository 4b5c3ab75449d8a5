"""Benchmark (not a test): importing a big PDF into a project file and the cost of autosave writes.

Run: ``.venv/bin/python benchmarks/bench_store.py [PAGES]``. Prints milliseconds per operation and
peak Python memory during the import (the PDF is never held whole in memory, nor its pages rendered).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main(pages: int = 500) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    os.environ.setdefault("DESKTOP_OCR_BASEDIR", str(tmp / "base"))
    import pymupdf

    from desktop_ocr.model.document import PageState
    from desktop_ocr.model.importer import import_paths
    from desktop_ocr.model.result import PageResult
    from desktop_ocr.model.sources import PageRenderer
    from desktop_ocr.model.store import ProjectStore

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"Page {i + 1} " * 8, fontsize=11)
        # Some weight per page so the file is not trivially small.
        page.insert_image(pymupdf.Rect(72, 100, 300, 300), stream=_noise_png(i))
    pdf = tmp / "big.pdf"
    doc.save(str(pdf))
    print(f"PDF: {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")

    store = ProjectStore.create(tmp / "bench.deskocr")
    project = store.project
    assert project is not None
    tracemalloc.start()
    t = time.perf_counter()
    import_paths(project, [pdf], store)
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"import: {elapsed * 1000:.0f} ms, peak Python memory {peak / 1e6:.1f} MB")

    ids = [p.id for p in project.all_pages()]
    print(f"set_state on {len(ids)} pages: {_ms(lambda: project.set_state(ids, PageState.QUEUED)):.1f} ms")
    edits = [_ms(lambda i=i: project.set_text(ids[i % 10], f"text {i}")) for i in range(200)]
    print(f"text edit autosave: median {statistics.median(edits):.2f} ms, max {max(edits):.2f} ms")
    results = [
        _ms(lambda i=i: project.set_result(ids[i], PageResult((), "r" * 4000, "m" * 4000)))
        for i in range(100)
    ]
    print(f"new result autosave: median {statistics.median(results):.2f} ms, max {max(results):.2f} ms")
    move = _ms(lambda: project.move_pages([ids[0]], project.documents[0].id, pages // 2))
    print(f"move one page (structure rewrite): {move:.1f} ms")
    store.close()
    t = time.perf_counter()
    store2, loaded = ProjectStore.open(tmp / "bench.deskocr")
    print(f"reopen: {(time.perf_counter() - t) * 1000:.0f} ms ({loaded.page_count} pages)")
    renderer = PageRenderer(store2.source_opener())
    first = next(loaded.all_pages())
    src = loaded.sources[first.source_id]
    t = time.perf_counter()
    renderer.thumbnail(src.id, src.kind, 0, 192)
    print(f"first thumbnail after reopen (opens the source): {(time.perf_counter() - t) * 1000:.0f} ms")
    thumbs = [_ms(lambda i=i: renderer.thumbnail(src.id, src.kind, i, 192)) for i in range(1, 50)]
    print(f"thumbnail: median {statistics.median(thumbs):.1f} ms")
    renderer.close()
    store2.close()


def _noise_png(seed: int) -> bytes:
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    img = Image.frombytes("L", (200, 200), bytes(rng.getrandbits(8) for _ in range(200 * 200)))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _ms(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
