"""The real ``desktop-ocr convert`` as a subprocess with the embedded engine: outputs, exit codes, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from sample_docs import write_cut_real_pdf

ROOT = Path(__file__).resolve().parents[2]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PAGES = [
    "Harbour records of the year 1907",
    "Second page lists ninety ships",
    "Third page closes the ledger",
]

pytestmark = pytest.mark.slow


def make_pdf(path: Path, texts=PAGES, password: str | None = None) -> Path:
    doc = pymupdf.open()
    for text in texts:
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="dejavu", fontfile=str(FONT))
        page.insert_text((60, 120), text, fontname="dejavu", fontsize=22)
    if password:
        path.write_bytes(doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw="o"))
    else:
        doc.save(str(path))
    return path


def convert(*args: str, env_base: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESKTOP_OCR_BASEDIR=str(env_base), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "desktop_ocr.cli", "convert", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(ROOT),
        timeout=600,
    )


def words(text: str) -> str:
    return " ".join(text.lower().split())


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_convert_reads_good_inputs_and_names_the_broken_one(tmp_path, _isolated_basedir):
    good = make_pdf(tmp_path / "harbour.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00not really a pdf" * 40)
    out = tmp_path / "out"
    proc = convert(str(good), str(broken), "-o", str(out), "--engine", "embedded", env_base=_isolated_basedir)
    assert proc.returncode == 1, proc.stderr
    errors = error_lines(proc.stderr)
    assert len(errors) == 1 and "broken.pdf" in errors[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert "[3/3" in proc.stderr  # per-page progress
    md = (out / "harbour.md").read_text(encoding="utf-8")
    for text in PAGES:
        assert words(text) in words(md), md
    assert md.count("<--- Page Split --->") == 2
    assert [words(t) in words(md) for t in PAGES] == [True] * 3
    positions = [words(md).index(words(t)) for t in PAGES]
    assert positions == sorted(positions)
    txt = (out / "harbour.txt").read_text(encoding="utf-8")
    assert words(PAGES[2]) in words(txt)
    data = json.loads((out / "harbour.json").read_text(encoding="utf-8"))
    assert len(json.dumps(data)) > 100
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".part"]
    assert not (out / "broken.md").exists()


def test_project_keeps_work_and_outputs_are_never_silently_overwritten(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "ledger.pdf", PAGES[:2])
    project = tmp_path / "work.deskocr"
    out = tmp_path / "out"
    first = convert(str(pdf), "-o", str(out), "--project", str(project), env_base=_isolated_basedir)
    assert first.returncode == 0, first.stderr
    assert not error_lines(first.stderr)
    before = (out / "ledger.md").read_bytes()

    again = convert(str(pdf), "-o", str(out), "--project", str(project), env_base=_isolated_basedir)
    assert again.returncode == 1
    assert "overwrite" in again.stderr.lower() and "ledger.md" in again.stderr
    assert (out / "ledger.md").read_bytes() == before

    third = convert(str(pdf), "-o", str(out), "--project", str(project), "--overwrite", "--separator", "hr",
                    env_base=_isolated_basedir)  # fmt: skip
    assert third.returncode == 0, third.stderr
    assert "already read" in third.stderr and "Reading" not in third.stderr  # nothing read again
    md = (out / "ledger.md").read_text(encoding="utf-8")
    assert "\n---\n" in md and "Page Split" not in md

    from desktop_ocr.model.store import ProjectStore

    store, proj = ProjectStore.open(project)
    assert len(proj.documents) == 1 and proj.page_count == 2  # the same input is not imported twice
    assert all(p.result is not None for p in proj.all_pages())
    store.close()


def test_encrypted_pdf_password(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "secret.pdf", PAGES[:1], password="pw")
    out = tmp_path / "out"
    proc = convert(str(pdf), "-o", str(out), env_base=_isolated_basedir)
    assert proc.returncode == 1
    (line,) = error_lines(proc.stderr)
    assert "secret.pdf" in line and "password" in line
    proc = convert(str(pdf), "-o", str(out), "--password", "pw", env_base=_isolated_basedir)
    assert proc.returncode == 0, proc.stderr
    assert words(PAGES[0]) in words((out / "secret.md").read_text(encoding="utf-8"))


def test_bad_command_line(tmp_path, _isolated_basedir):
    proc = convert("-o", str(tmp_path), env_base=_isolated_basedir)
    assert proc.returncode == 2
    proc = convert("a.pdf", "-o", str(tmp_path), "--dpi", "2", env_base=_isolated_basedir)
    assert proc.returncode == 2 and "--dpi" in proc.stderr and "Traceback" not in proc.stderr
    proc = convert(str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "o"), env_base=_isolated_basedir)
    assert proc.returncode == 1
    (line,) = error_lines(proc.stderr)
    assert "missing.pdf" in line and "does not exist" in line


def test_a_setting_out_of_range_is_refused_before_reading(tmp_path, _isolated_basedir):
    (_isolated_basedir / "config").mkdir(parents=True, exist_ok=True)
    (_isolated_basedir / "config" / "settings.json").write_text(json.dumps({"dpi": -72}))
    pdf = make_pdf(tmp_path / "a.pdf", PAGES[:1])
    out = tmp_path / "out"
    proc = convert(str(pdf), "-o", str(out), "--engine", "embedded", env_base=_isolated_basedir)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = error_lines(proc.stderr)
    assert "settings.json" in line and "dpi" in line and "-72" in line and "36 to 1200" in line
    assert not list(out.glob("*.md"))


def test_formats_pdf_and_docx_from_a_scan(tmp_path, _isolated_basedir):
    from PIL import Image, ImageDraw, ImageFont

    scan = Image.new("L", (1240, 900), 255)
    draw = ImageDraw.Draw(scan)
    font = ImageFont.truetype(str(FONT), 44)
    draw.text((100, 150), PAGES[0], fill=0, font=font)
    draw.text((100, 260), PAGES[1], fill=0, font=font)
    png = tmp_path / "ledger.png"
    scan.save(png, dpi=(150, 150))
    out = tmp_path / "out"
    proc = convert("x.png", "-o", str(out), "--formats", "md,rtf", env_base=_isolated_basedir)
    assert proc.returncode == 2 and "rtf" in proc.stderr and "Traceback" not in proc.stderr
    proc = convert(str(png), "-o", str(out), "--engine", "embedded", "--formats", "pdf,docx,txt", "--pdfa",
                   env_base=_isolated_basedir)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ledger.docx", "ledger.pdf", "ledger.txt"]
    doc = pymupdf.open(out / "ledger.pdf")
    page = doc[0]
    assert page.rect.width == pytest.approx(1240 / 150 * 72, abs=0.5)
    assert words(PAGES[0]) in words(page.get_text())
    (hit,) = page.search_for("ninety")
    assert hit.y1 > 255 * 72 / 150 and hit.y0 < 320 * 72 / 150  # on the second line of the scan
    assert "<pdfaid:part>2</pdfaid:part>" in doc.get_xml_metadata()
    docx = pytest.importorskip("docx")
    paragraphs = [p.text for p in docx.Document(str(out / "ledger.docx")).paragraphs]
    assert words(PAGES[1]) in words(" ".join(paragraphs))


def test_quiet_prints_nothing_on_a_good_page(tmp_path, _isolated_basedir):
    """``-q``: no progress and no library's log lines (rapid-layout said INFO on every start)."""
    good = make_pdf(tmp_path / "quiet.pdf", texts=PAGES[:1])
    proc = convert(
        str(good), "-q", "-o", str(tmp_path / "out"), "--engine", "embedded", env_base=_isolated_basedir
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
    assert words(PAGES[0]) in words((tmp_path / "out" / "quiet.md").read_text(encoding="utf-8"))


def test_convert_counts_read_as_english_one_page_then_two_pages(tmp_path, _isolated_basedir):
    one = make_pdf(tmp_path / "one.pdf", texts=PAGES[:1])
    two = make_pdf(tmp_path / "two.pdf", texts=PAGES[1:])
    first = convert(str(one), "-o", str(tmp_path / "a"), "--engine", "embedded", env_base=_isolated_basedir)
    assert first.returncode == 0, first.stderr
    assert "Importing 1 input..." in first.stderr and "Reading 1 page with " in first.stderr, first.stderr
    second = convert(str(two), "-o", str(tmp_path / "b"), "--engine", "embedded", env_base=_isolated_basedir)
    assert second.returncode == 0, second.stderr
    assert "Reading 2 pages with " in second.stderr, second.stderr
    assert "(s)" not in first.stderr + second.stderr


def test_a_truncated_pdf_is_named_once_per_line_with_no_mupdf_noise(tmp_path, _isolated_basedir):
    """Found by hand on a 2-page PDF of real scans cut in half: stderr had two raw "MuPDF error:
    format error: non-page object in page tree" lines naming no file, and the error line said
    "truncated.pdf p. 1 could not be read: truncated.pdf p. 1: page 1 is damaged ..."."""
    cut = write_cut_real_pdf(tmp_path / "truncated.pdf")
    proc = convert(str(cut), "-o", str(tmp_path / "out"), "--formats", "md", env_base=_isolated_basedir)
    assert proc.returncode == 1, proc.stderr
    assert "MuPDF" not in proc.stderr, proc.stderr
    assert "[1/2  50%] truncated.pdf p. 1: FAILED: page 1 is damaged" in proc.stderr, proc.stderr
    (line,) = error_lines(proc.stderr)
    assert line == (
        f"error: {cut}: truncated.pdf p. 1 could not be read: page 1 is damaged "
        "(its page object is missing from the file) (and 1 more page)"
    ), line
