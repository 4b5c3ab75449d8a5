"""``desktop-ocr convert a.png b.png c.png``: each file is a document of its own unless ``--join``
(the real command line on parts of a real scan)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))

from test_cli import convert

REAL = Path(__file__).resolve().parents[2] / "tests" / "data" / "real"
SPLIT = "<--- Page Split --->"

pytestmark = pytest.mark.slow


def three_scans(folder: Path) -> list[str]:
    """Three image files: the top, middle and bottom thirds of a real scanned book page."""
    page = Image.open(REAL / "ocrmypdf-c03-29.jpeg")
    w, h = page.size
    paths = []
    for i, name in enumerate(("a", "b", "c")):
        path = folder / f"{name}.png"
        page.crop((0, i * h // 3, w, (i + 1) * h // 3)).save(path)
        paths.append(str(path))
    return paths


def test_each_image_file_is_its_own_document(tmp_path, _isolated_basedir):
    out = tmp_path / "out"
    proc = convert(*three_scans(tmp_path), "-o", str(out), "--engine", "embedded", "--formats", "md",
                   env_base=_isolated_basedir)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.glob("*.md")) == ["a.md", "b.md", "c.md"]
    for name in ("a", "b", "c"):
        md = (out / f"{name}.md").read_text(encoding="utf-8")
        assert SPLIT not in md and md.strip(), md


def test_join_makes_one_document_named_after_the_first(tmp_path, _isolated_basedir):
    out = tmp_path / "out"
    proc = convert(*three_scans(tmp_path), "--join", "-o", str(out), "--engine", "embedded", "--formats", "md",
                   env_base=_isolated_basedir)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out.glob("*.md")] == ["a.md"]
    assert (out / "a.md").read_text(encoding="utf-8").count(SPLIT) == 2


def test_help_says_so(tmp_path, _isolated_basedir):
    proc = convert("--help", env_base=_isolated_basedir)
    assert proc.returncode == 0
    assert "--join" in proc.stdout and "document of its own" in " ".join(proc.stdout.split())
