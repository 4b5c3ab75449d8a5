"""Hostile project files through the real ``desktop-ocr convert --project``: one line naming the
file and the reason, exit status 1, no traceback, no hang, the lock not kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_corpus import by_name, make

from desktop_ocr.model import lockfile

ROOT = Path(__file__).resolve().parents[2]
#: One of each kind (the store's tests run every case; each run here starts a Python).
REFUSED = [
    by_name(n)
    for n in (
        "trigger_hangs_garbage_collection",
        "trigger_tampers_on_autosave",
        "view",
        "altered_table",
        "document_name_is_binary",
        "width_is_infinite",
        "dpi_is_text",
    )
]
pytestmark = pytest.mark.slow


def convert(project: Path, tmp_path: Path, base_dir: Path) -> subprocess.CompletedProcess[str]:
    pdf = project.parent.parent / "scan.pdf"
    return subprocess.run(
        [sys.executable, "-m", "desktop_ocr.cli", "convert", str(pdf), "-o", str(tmp_path / "out"),
         "--project", str(project), "--engine", "embedded", "-q"],
        capture_output=True, text=True, timeout=60, cwd=str(ROOT),
        env=dict(os.environ, DESKTOP_OCR_BASEDIR=str(base_dir), PYTHONPATH=str(ROOT)),
    )  # fmt: skip


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_the_command_line_refuses_a_hostile_project_in_one_line(case, base, tmp_path, _isolated_basedir):
    path = make(case, base, base.parent / "cases")
    before = path.read_bytes()
    done = convert(path, tmp_path, _isolated_basedir)  # a planted trigger would hang here (timeout)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {path.name} ") and case.field in lines[0]
    assert "Traceback" not in done.stderr and "open in another window" not in lines[0]
    assert path.read_bytes() == before
    assert not lockfile.lock_path(path).exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
