"""A PDF holding a 300-dpi scan is read at the scan's resolution, not the project's 144 dpi: the real
``desktop-ocr convert`` on a PDF made from a committed 300-dpi scan, its reading DPI and its CER."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pymupdf
import pytest

from desktop_ocr.model.sources import DEFAULT_DPI, MAX_SCAN_DPI, PageRenderer, pdf_scan_dpi

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real"
SCAN = REAL / "ocrmypdf-epson.png"  # 2480 x 3507 pixels: an A4 page scanned at 300 dpi
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "benchmarks"))


def scan_pdf(path: Path, image: Path = SCAN, dpi: float = 300.0) -> Path:
    """A one-page PDF as a scanner writes it: the page is the image at ``dpi``."""
    doc = pymupdf.open()
    pix = pymupdf.Pixmap(str(image))
    page = doc.new_page(width=pix.width * 72.0 / dpi, height=pix.height * 72.0 / dpi)
    page.insert_image(page.rect, filename=str(image))
    doc.save(str(path))
    return path


def _reading_dpi(path: Path, dpi: int = DEFAULT_DPI) -> int:
    renderer = PageRenderer(lambda _id: str(path))
    try:
        return renderer.reading_dpi("s", "pdf", 0, dpi)
    finally:
        renderer.close()


def test_scan_resolution_is_found_and_capped(tmp_path):
    pdf = scan_pdf(tmp_path / "scan.pdf")
    with pymupdf.open(str(pdf)) as doc:
        assert pdf_scan_dpi(doc[0]) == 300
    assert _reading_dpi(pdf) == 300
    assert _reading_dpi(pdf, 400) == 400  # the project's DPI is a floor
    fine = scan_pdf(tmp_path / "fine.pdf", dpi=1200.0)
    assert _reading_dpi(fine) == MAX_SCAN_DPI
    coarse = scan_pdf(tmp_path / "coarse.pdf", dpi=100.0)
    assert _reading_dpi(coarse) == DEFAULT_DPI  # never below the project's DPI
    born_digital = REAL / "born-digital-two-column.pdf"
    assert _reading_dpi(born_digital) == DEFAULT_DPI


@pytest.mark.slow
def test_convert_reads_a_scanned_pdf_at_the_scans_resolution_and_no_worse(tmp_path, _isolated_basedir):
    import page_metrics as pm
    from test_cli import convert

    pdf = scan_pdf(tmp_path / "epson.pdf")
    project = tmp_path / "work.deskocr"
    proc = convert(str(pdf), "-o", str(tmp_path / "out"), "--project", str(project), "--engine",
                   "embedded", "--formats", "md", env_base=_isolated_basedir)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(project) as conn:  # the result the reader stored, read without our code
        [info] = [json.loads(r[0]) for r in conn.execute("SELECT info FROM results")]
    assert info["extra"]["dpi"] == 300, info

    # what the reader did before: the page rendered at 144 dpi, read as an image
    with pymupdf.open(str(pdf)) as doc:
        doc[0].get_pixmap(dpi=DEFAULT_DPI).save(str(tmp_path / "epson144.png"))
    old = convert(str(tmp_path / "epson144.png"), "-o", str(tmp_path / "old"), "--engine", "embedded",
                  "--formats", "md", env_base=_isolated_basedir)  # fmt: skip
    assert old.returncode == 0, old.stderr
    gt = pm.gt_text((REAL / "ocrmypdf-epson.gt.txt").read_text(encoding="utf-8"))
    new_cer = pm.score(gt, pm.hyp_text((tmp_path / "out" / "epson.md").read_text(encoding="utf-8"))).cer
    old_cer = pm.score(gt, pm.hyp_text((tmp_path / "old" / "epson144.md").read_text(encoding="utf-8"))).cer
    print(f"CER at 300 dpi {new_cer:.2%}, at 144 dpi {old_cer:.2%}")
    assert new_cer <= old_cer + 0.002, (new_cer, old_cer)
