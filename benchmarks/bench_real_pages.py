"""Real scanned pages: full-page CER/WER and seconds per page of the embedded engine and Tesseract.

Usage::

    python benchmarks/corpus/fetch_corpus.py            # once: builds benchmarks/corpus/pages/
    python benchmarks/bench_real_pages.py [--engine embedded,tesseract] [--pages GLOB] [--quick]
        [--out benchmarks/results/real_pages.md] [--dump DIR] [--threads N]
        [--spread LEFT+RIGHT ...] [--only-spreads]

The embedded engine reads each page the way the app does: the image file is opened by the project's
page renderer (``desktop_ocr.model.sources.render_page``, upright RGB at the file's own resolution),
read by ``EmbeddedEngine``, and the page's Markdown goes through the Markdown exporter
(``desktop_ocr.export.markdown``: figure links rewritten to crop files, a ``<`` that is text written
``&lt;`` as the ``.md`` export does, the page trimmed and ended with one newline), which is what a
user's ``.md`` file holds. Tesseract reads the same image file with its default page segmentation
(``--psm 3``) and the page's language(s) from the manifest (its plain text gets the same ``&lt;``
step, so that ``<lazy>`` is not scored as a tag). A PDF page (a born-digital page) is rendered by
the same renderer at the entry's ``render_dpi`` (300 unless given) for both engines; Tesseract gets
that rendering as a PNG.

Both outputs are scored against the page's ground truth after the normalisation described in
``benchmarks/page_metrics.py`` (Markdown marks to text, NFC, whitespace collapsed): CER over the
whole page in reading order (case- and punctuation-sensitive, and folded), WER, and the bag-of-words
error that ignores order (high CER with a low bag-of-words error = words recognised, order wrong).
"body" columns drop the ground truth's furniture and captions and the output lines matching them.
Overall figures are both the mean over pages and the rate of the summed edits over summed lengths.

Time: "s/page" is wall time; "CPU s" is the CPU time the page cost (the benchmark process's own for
the embedded engine, Tesseract's child process's for Tesseract), the honest figure on a shared,
loaded machine. Run under ``taskset -c 0,1`` for the 2-core figure.

``--spread LEFT+RIGHT`` (two page ids of the manifest) adds a two-page spread: the two page images
side by side on one white image, tops aligned (both at their own resolution: give pages of one
dpi), read as one page by both engines; its ground truth is the left page's, then the right
page's, so the left page must be read fully before the right one.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_metrics as pm  # noqa: E402

CORPUS = ROOT / "benchmarks" / "corpus"


@dataclass
class PageRun:
    page: str
    engine: str
    kind: list[str]
    seconds: float
    full: pm.Score | None
    body: pm.Score | None
    error: str = ""
    cpu: float = 0.0


def load_pages(pattern: str | None, quick: bool) -> tuple[list[dict], list[str]]:
    manifest = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))
    pages, absent = [], []
    for entry in manifest["pages"]:
        if quick and entry["id"] not in manifest.get("quick", []):
            continue
        if pattern and not fnmatch.fnmatch(entry["id"], pattern):
            continue
        if not (CORPUS / "pages" / entry["image"]).exists() or not (ROOT / entry["gt"]).exists():
            absent.append(entry["id"])
            continue
        pages.append(entry)
    return pages, absent


def spread_entry(spec: str, manifest: list[dict], folder: Path) -> dict:
    """A manifest entry for the spread ``LEFT+RIGHT``: the two pages' images side by side (written
    to ``folder``), their ground truths one after the other."""
    from PIL import Image

    ids = spec.split("+")
    if len(ids) != 2:
        raise SystemExit(f"--spread {spec}: give two page ids joined by '+'")
    entries = []
    for page_id in ids:
        found = [e for e in manifest if e["id"] == page_id]
        if not found:
            raise SystemExit(f"--spread {spec}: no page {page_id!r} in the manifest")
        entries.append(found[0])
    images = [Image.open(CORPUS / "pages" / e["image"]).convert("RGB") for e in entries]
    spread = Image.new("RGB", (sum(i.width for i in images), max(i.height for i in images)), "white")
    spread.paste(images[0], (0, 0))
    spread.paste(images[1], (images[0].width, 0))
    name = "spread-" + "+".join(ids)
    image = folder / f"{name}.png"
    dpi = entries[0].get("dpi") or 300
    spread.save(image, dpi=(dpi, dpi))
    gt = folder / f"{name}.gt.txt"
    texts = [(ROOT / e["gt"]).read_text(encoding="utf-8").strip() for e in entries]
    gt.write_text(texts[0] + "\n\n" + texts[1] + "\n", encoding="utf-8")
    kinds = ["spread", *sorted({k for e in entries for k in e["kind"]} - {"spread"})]
    langs = "+".join(dict.fromkeys(lang for e in entries for lang in e.get("lang", "eng").split("+")))
    return {"id": name, "image": str(image), "gt": str(gt), "kind": kinds, "lang": langs, "dpi": dpi}


# --- engines -------------------------------------------------------------------------------------


def page_image(path: Path, entry: dict):
    """The page as the app renders it: an image file at its own resolution, a PDF page (the entry's
    ``page``, default 0) at the entry's ``render_dpi`` (default 300)."""
    from desktop_ocr.model.document import SourceKind
    from desktop_ocr.model.sources import render_page

    if path.suffix.lower() == ".pdf":
        dpi = int(entry.get("render_dpi", 300))
        return render_page(str(path), SourceKind.PDF, int(entry.get("page", 0)), dpi=dpi)
    return render_page(str(path), SourceKind.IMAGE, 0)


class Embedded:
    name = "embedded"

    def __init__(self, threads: int) -> None:
        from desktop_ocr.engine.embedded import EmbeddedEngine

        self.engine = EmbeddedEngine({"threads": threads})
        t = time.perf_counter()
        self.engine.load()
        self.load_s = time.perf_counter() - t

    def read(self, path: Path, entry: dict) -> str:
        from desktop_ocr.engine.base import PageFailure, PageInput
        from desktop_ocr.export import markdown
        from desktop_ocr.export.brackets import escape_stray_brackets

        image = page_image(path, entry)
        [result] = self.engine.read([PageInput(entry["id"], image)])
        if isinstance(result, PageFailure):
            raise RuntimeError(result.message)
        md = markdown.rewrite_figure_links(result.markdown, lambda n: f"images/{entry['id']}-fig{n}.png")
        return markdown.join_pages([escape_stray_brackets(md)])  # as the .md export writes it

    def version(self) -> str:
        from importlib.metadata import version

        return f"desktop-ocr embedded (rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')})"


class Tesseract:
    name = "tesseract"

    def __init__(self, threads: int) -> None:
        exe = shutil.which("tesseract")
        if exe is None:
            raise SystemExit(
                "tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-eng ..."
            )
        self.exe = exe
        self.langs = set(
            subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.split()[1:]
        )
        self.load_s = 0.0
        self.env = None
        if threads:
            import os

            self.env = {**os.environ, "OMP_THREAD_LIMIT": str(threads)}

    def read(self, path: Path, entry: dict) -> str:
        wanted = [lang for lang in entry.get("lang", "eng").split("+")]
        have = [lang for lang in wanted if lang in self.langs] or ["eng"]
        with tempfile.TemporaryDirectory() as tmp:
            if path.suffix.lower() == ".pdf":  # Tesseract reads images: the app's rendering of the page
                dpi = int(entry.get("render_dpi", 300))
                png = Path(tmp) / "page.png"
                page_image(path, entry).save(png, dpi=(dpi, dpi))
                path = png
            out = subprocess.run(
                [self.exe, str(path), "-", "--psm", "3", "-l", "+".join(have)],
                capture_output=True, text=True, env=self.env, check=True,
            )  # fmt: skip
        # Plain text: a "<" in it is a character, which the scorer's Markdown reading must not
        # take for a tag (the same step as the embedded engine's .md export).
        from desktop_ocr.export.brackets import escape_stray_brackets

        return escape_stray_brackets(out.stdout)

    def version(self) -> str:
        v = subprocess.run([self.exe, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        return v.strip()


# --- run and report ------------------------------------------------------------------------------


def run(engines: list, pages: list[dict], dump: Path | None) -> list[PageRun]:
    runs = []
    for entry in pages:
        gt_raw = (ROOT / entry["gt"]).read_text(encoding="utf-8")
        ref_full = pm.gt_text(gt_raw)
        ref_body = pm.gt_text(gt_raw, furniture=False, captions=False)
        marked = pm.marked_lines(gt_raw)
        joins = pm.hyphen_joins(gt_raw)
        image = CORPUS / "pages" / entry["image"]
        for eng in engines:
            t, cpu = time.perf_counter(), _cpu_now()
            try:
                out = eng.read(image, entry)
                err = ""
            except Exception as exc:  # a failing page is reported, the run goes on
                out, err = "", f"{type(exc).__name__}: {exc}"
            dt, cpu = time.perf_counter() - t, _cpu_now() - cpu
            full = pm.score(ref_full, pm.hyp_text(out, joins))
            body = (
                pm.score(ref_body, pm.hyp_text(pm.drop_matching_lines(out, marked), joins))
                if marked
                else full
            )
            runs.append(PageRun(entry["id"], eng.name, entry["kind"], dt, full, body, err, cpu))
            if dump:
                dump.mkdir(parents=True, exist_ok=True)
                ext = "md" if eng.name == "embedded" else "txt"
                (dump / f"{entry['id']}.{eng.name}.{ext}").write_text(out, encoding="utf-8")
                (dump / f"{entry['id']}.{eng.name}.norm.txt").write_text(
                    pm.hyp_text(out) + "\n", encoding="utf-8"
                )
                (dump / f"{entry['id']}.gt.norm.txt").write_text(ref_full + "\n", encoding="utf-8")
            print(
                f"{entry['id']:<26} {eng.name:<10} CER {full.cer:6.1%}  folded {full.cer_folded:6.1%}  "
                f"WER {full.wer:6.1%}  BoW {full.bow_error:6.1%}  {dt:6.2f} s  CPU {cpu:6.2f} s"
                + (f"  ERROR {err}" if err else ""),
                flush=True,
            )
    return runs


def _cpu_now() -> float:
    """CPU seconds used so far by this process (all its threads) and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _sum(scores: list[pm.Score]) -> pm.Score:
    return pm.Score(*(sum(getattr(s, f) for s in scores) for f in pm.Score.__dataclass_fields__))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def report(runs: list[PageRun], engines: list, pages: list[dict], absent: list[str], machine: str) -> str:
    names = [e.name for e in engines]
    lines = [
        "# Real scanned pages: embedded engine vs Tesseract",
        "",
        f"Machine: {machine}. Python {platform.python_version()}.",
        "Engines: " + "; ".join(e.version() for e in engines) + ".",
        "Engine load time (not in s/page): " + ", ".join(f"{e.name} {e.load_s:.1f} s" for e in engines) + ".",
        "",
        "CER = character edits / GT characters over the whole page in reading order (case- and punctuation-"
        "sensitive); 'folded' = case-folded, punctuation removed; WER over words; BoW = share of GT words "
        "missing from the output in any order (low BoW with high CER = words read, order wrong); 'body' = "
        "without the GT's running headers/footers/page numbers/captions. Figures in %. "
        "Normalisation: benchmarks/page_metrics.py. Corpus: benchmarks/corpus/corpus.json.",
        "",
        "## Per page",
        "",
        "| page | kind | engine | CER | CER folded | WER | BoW | CER body | s/page | CPU s |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        if r.full is None or r.body is None:
            continue
        lines.append(
            f"| {r.page} | {', '.join(r.kind)} | {r.engine} | {_pct(r.full.cer)} | {_pct(r.full.cer_folded)} | "
            f"{_pct(r.full.wer)} | {_pct(r.full.bow_error)} | {_pct(r.body.cer)} | {r.seconds:.2f} | {r.cpu:.2f} |"
            + (f" error: {r.error}" if r.error else "")
        )
    lines += ["", "## Overall", "",
              "| engine | pages | mean CER | summed CER | mean CER folded | summed WER | mean BoW | summed CER body | median s/page | median CPU s |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name in names:
        rs = [r for r in runs if r.engine == name and r.full and r.body]
        if not rs:
            continue
        tot, body = _sum([r.full for r in rs]), _sum([r.body for r in rs])  # type: ignore[misc]
        lines.append(
            f"| {name} | {len(rs)} | {_pct(statistics.mean(r.full.cer for r in rs))} | {_pct(tot.cer)} | "  # type: ignore[union-attr]
            f"{_pct(statistics.mean(r.full.cer_folded for r in rs))} | {_pct(tot.wer)} | "  # type: ignore[union-attr]
            f"{_pct(statistics.mean(r.full.bow_error for r in rs))} | {_pct(body.cer)} | "  # type: ignore[union-attr]
            f"{statistics.median(r.seconds for r in rs):.2f} | {statistics.median(r.cpu for r in rs):.2f} |"
        )
    kinds = sorted({k for p in pages for k in p["kind"]})
    lines += ["", "## By kind (summed edits over summed lengths)", "",
              "| kind | pages | " + " | ".join(f"{n} CER | {n} WER" for n in names) + " |",
              "|---|---:|" + "---:|---:|" * len(names)]  # fmt: skip
    for kind in kinds:
        cells = []
        count = 0
        for name in names:
            rs = [r for r in runs if r.engine == name and kind in r.kind and r.full]
            count = max(count, len(rs))
            tot = _sum([r.full for r in rs]) if rs else None  # type: ignore[misc]
            cells += [_pct(tot.cer), _pct(tot.wer)] if tot else ["", ""]
        lines.append(f"| {kind} | {count} | " + " | ".join(cells) + " |")
    if absent:
        lines += ["", "Pages in the manifest but not fetched (skipped): " + ", ".join(absent) + "."]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default="embedded,tesseract")
    ap.add_argument("--pages", default=None, help="glob over page ids, e.g. 'ocrmypdf-*'")
    ap.add_argument("--quick", action="store_true", help="only the manifest's quick subset")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "real_pages.md")
    ap.add_argument("--dump", type=Path, default=None, help="write each engine's output per page here")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads per engine (0: its default)")
    ap.add_argument("--machine", default=f"{platform.node()} ({len(os.sched_getaffinity(0))} cores usable)")
    ap.add_argument("--spread", action="append", default=[], help="add a spread of two page ids: LEFT+RIGHT")
    ap.add_argument("--only-spreads", action="store_true", help="read only the --spread pages")
    args = ap.parse_args()

    pages, absent = load_pages(args.pages, args.quick)
    if args.only_spreads:
        pages = []
    spread_dir = Path(tempfile.mkdtemp(prefix="bench-spread-"))
    manifest = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))["pages"]
    pages += [spread_entry(spec, manifest, spread_dir) for spec in args.spread]
    if not pages:
        print("No pages: run benchmarks/corpus/fetch_corpus.py first (or check --pages).", file=sys.stderr)
        return 2
    if absent:
        print("not fetched, skipped: " + ", ".join(absent), file=sys.stderr)
    makers = {"embedded": Embedded, "tesseract": Tesseract}
    engines = [makers[n.strip()](args.threads) for n in args.engine.split(",") if n.strip()]
    runs = run(engines, pages, args.dump)
    text = report(runs, engines, pages, absent, args.machine)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    data = [{**asdict(r), "cer": r.full.cer if r.full else None} for r in runs]
    args.out.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(spread_dir, ignore_errors=True)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
