"""The packaged builds' GUI smoke mode, run from source: the real window reads a PDF and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def _run(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_OCR_BASEDIR=str(tmp_path / "base"))
    return subprocess.run(
        [sys.executable, "-m", "desktop_ocr.smoke", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_smoke_mode_reads_a_pdf_and_exits_0(tmp_path: Path) -> None:
    import pymupdf

    pdf = tmp_path / "sample.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "The quick brown fox jumps over the lazy dog.", fontsize=16, fontname="helv")
    doc.save(pdf)
    result = _run(tmp_path, pdf)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "quick brown fox jumps over the lazy dog" in result.stdout.lower()
    assert "1 of 1 pages read" in result.stderr


def test_smoke_mode_fails_on_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    result = _run(tmp_path, bad)
    assert result.returncode == 1
    assert "bad.pdf" in result.stderr and "Traceback" not in result.stderr
