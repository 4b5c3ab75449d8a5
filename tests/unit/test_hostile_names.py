"""Hostile file names (issue 12, item 10): names that are not UTF-8 or hold control characters are shown
escaped, and every such file imports or fails alone with its escaped name. Cases: tests/hostile/names/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from desktop_ocr.messages import escaped
from desktop_ocr.model.document import Project
from desktop_ocr.model.importer import import_paths
from desktop_ocr.model.store import ProjectStore

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "hostile" / "names" / "names.json").read_text(encoding="utf-8"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _name(hexed: str) -> str:
    return os.fsdecode(bytes.fromhex(hexed))


def _pdf(path: Path, text: str) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="dejavu", fontfile=str(FONT))
    page.insert_text((60, 120), text, fontname="dejavu", fontsize=22)
    path.write_bytes(doc.tobytes())  # PyMuPDF cannot save to a name with undecodable bytes
    return path


def _make(folder: Path) -> tuple[list[Path], list[Path]]:
    good = [_pdf(folder / _name(h), f"Harbour page {k}") for k, h in enumerate(CASES["good"].values())]
    broken = []
    for h in CASES["broken"].values():
        p = folder / _name(h)
        p.write_bytes(b"%PDF-1.7 this is no PDF")
        broken.append(p)
    for p in good + broken:
        assert os.path.exists(os.fsencode(p))
    return good, broken


def test_escaped_makes_one_line_of_valid_text():
    assert escaped("plain name.pdf") == "plain name.pdf"
    assert escaped("résumé 中文.pdf") == "résumé 中文.pdf"
    assert escaped(os.fsdecode(b"bad\xffname.pdf")) == "bad\\xffname.pdf"
    assert escaped("x.pdf\nerror: forged") == "x.pdf\\nerror: forged"
    assert escaped("\x1b[31mred\r\t\u2028") == "\\x1b[31mred\\r\\t\\u2028"
    for h in [*CASES["good"].values(), *CASES["broken"].values()]:
        shown = escaped(_name(h))
        shown.encode("utf-8")  # valid text: no lone surrogates
        assert shown.isprintable()


def test_import_saves_pages_with_such_names_and_fails_the_broken_ones_alone(tmp_path):
    good, broken = _make(tmp_path)
    project = Project()
    store = ProjectStore.create(tmp_path / "p.docr", project)
    try:
        outcome = import_paths(project, [str(p) for p in good + broken], store)
    finally:
        store.close()
    assert sorted(p.name for p in outcome.problems) == sorted(escaped(p.name) for p in broken)
    assert all("\n" not in str(p) and "\r" not in str(p) for p in outcome.problems)
    store, reopened = ProjectStore.open(tmp_path / "p.docr")
    try:
        names = sorted(s.name for s in reopened.sources.values())
        assert names == sorted(escaped(p.name) for p in good)
        assert reopened.page_count == len(good)
    finally:
        store.close()


@pytest.mark.slow
def test_cli_names_each_bad_file_on_one_escaped_line(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    good, broken = _make(inputs)
    env = dict(os.environ, DESKTOP_OCR_BASEDIR=str(tmp_path / "base"), PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_ocr.cli",
            "convert",
            "--engine",
            "embedded",
            "-o",
            str(tmp_path / "out"),
        ]
        + [os.fsencode(p) for p in good + broken],
        capture_output=True,
        env=env,
        cwd=str(ROOT),
        timeout=600,
    )
    stderr = run.stderr.decode("utf-8")  # valid UTF-8: no raw name bytes on the terminal
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr
    assert len(errors) == len(broken), stderr
    for p in broken:
        assert sum(escaped(p.name) in line for line in errors) == 1, (p, stderr)
    assert run.returncode == 1  # some inputs failed
    md = "".join(f.read_text(encoding="utf-8") for f in (tmp_path / "out").glob("*.md"))
    assert "Harbour page 0" in md and "Harbour page 1" in md
