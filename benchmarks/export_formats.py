"""Export time per page for each format, and the searchable PDF's size against the scan's, on the real scans.

    python benchmarks/export_formats.py [tests/data/real] [--runs 5] [--cache results.json]

Each scan is read once by the embedded engine (cached in ``--cache``), its text corrected to the
ground truth, then exported ``--runs`` times per format; the median is reported. Also reports the
text layer's CER against the ground truth (PyMuPDF's extraction of the written PDF).
"""

from __future__ import annotations

import argparse
import difflib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402
from PIL import Image  # noqa: E402

from desktop_ocr.export import export_documents  # noqa: E402
from desktop_ocr.model.document import Page, Project, Source, SourceKind, new_id  # noqa: E402
from desktop_ocr.model.result import PageResult  # noqa: E402

FORMATS = ["md", "txt", "json", "pdf", "pdfa", "docx", "odt", "html", "epub"]


def cer(ref: str, hyp: str) -> float:
    ref, hyp = " ".join(ref.split()), " ".join(hyp.split())
    ops = difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in ops if t != "equal") / max(1, len(ref))


def ground_truth(path: Path) -> str:
    return "\n".join(
        ln.split(" ", 1)[1] if ln.startswith("@") else ln for ln in path.read_text().splitlines()
    )


def read_all(scans: list[Path], cache: Path) -> dict[str, dict]:
    done = json.loads(cache.read_text()) if cache.exists() else {}
    todo = [s for s in scans if s.name not in done]
    if todo:
        from desktop_ocr.engine.base import PageInput
        from desktop_ocr.engine.embedded import EmbeddedEngine

        engine = EmbeddedEngine()
        for scan in todo:
            img = Image.open(scan).convert("RGB")
            (res,) = engine.read([PageInput(scan.name, img)])
            done[scan.name] = res.to_json()
        engine.unload()
        cache.write_text(json.dumps(done))
    return done


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT / "tests" / "data" / "real"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "deskocr-export-bench.json"))
    args = ap.parse_args()
    folder = Path(args.folder)
    scans = sorted(p for p in folder.iterdir() if p.suffix in (".png", ".jpeg", ".jpg"))
    results = read_all(scans, Path(args.cache))
    project = Project()
    data: dict[str, bytes] = {}
    gts = []
    for scan in scans:
        raw = scan.read_bytes()
        src = Source(new_id(), scan.name, SourceKind.IMAGE, "0" * 64, len(raw), 1)
        project.add_source(src)
        data[src.id] = raw
        res = PageResult.from_json(results[scan.name])
        page = Page(new_id(), src.id, 0, res.width, res.height)
        project.add_document(scan.stem, [page])
        project.set_result(page.id, res)
        gt = ground_truth(scan.with_name(scan.name.rsplit(".", 1)[0] + ".gt.txt"))
        project.set_text(page.id, gt)
        gts.append((scan, gt))
    pages = project.page_count
    print(f"{pages} pages: {', '.join(s.name for s in scans)}; {args.runs} runs each, median")
    print("| format | ms per page |")
    print("| --- | --- |")
    for fmt in FORMATS:
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as out:
                t = time.perf_counter()
                r = export_documents(
                    project,
                    None,
                    out,
                    formats=["pdf" if fmt == "pdfa" else fmt],
                    opener=data.__getitem__,
                    pdfa=fmt == "pdfa",
                )
                times.append(time.perf_counter() - t)
                if r.failed:
                    print("failed:", r.failed)
                if fmt == "pdf" and len(times) == 1:
                    sizes = []
                    for scan, gt in gts:
                        pdf = Path(out) / f"{scan.stem}.pdf"
                        doc = pymupdf.open(pdf)
                        sizes.append(
                            (scan.name, scan.stat().st_size, pdf.stat().st_size, cer(gt, doc[0].get_text()))
                        )
        print(f"| {fmt} | {statistics.median(times) / pages * 1000:.0f} |")
    print("\n| scan | input bytes | PDF bytes | PDF / input | text layer CER vs ground truth |")
    print("| --- | --- | --- | --- | --- |")
    for name, a, b, c in sizes:
        print(f"| {name} | {a} | {b} | {b / a:.3f} | {c:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
