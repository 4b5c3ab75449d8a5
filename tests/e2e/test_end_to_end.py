"""End to end: the real app in a subprocess imports a 3-page PDF with known text, reads it with the
embedded engine, takes a typed correction, exports, and is SIGKILLed while reading again. The
project is then reopened: the correction and the results are there; the export is right."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_docs import write_pdf

from desktop_ocr.model import recovery
from desktop_ocr.model.document import PageState
from desktop_ocr.model.store import ProjectStore

pytestmark = [pytest.mark.gui, pytest.mark.slow]

DRIVER = Path(__file__).with_name("app_driver.py")
CORRECTION = " [checked by the archivist]"
PAGES = [
    ["Harbour Survey 1911", "The north pier was measured in April.", "Depth at low water: 14 feet."],
    ["Second Report", "Repairs began on the east wall in May.", "The crane was moved twice."],
    ["Final Notes", "All stones were numbered before removal.", "The survey closed in June."],
]


def _run_until_kill(basedir: Path, pdf: Path, outdir: Path) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_OCR_BASEDIR=str(basedir))
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(basedir), str(pdf), str(outdir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 300
    try:
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
            if line.startswith("KILL-ME"):
                time.sleep(0.3)  # in the middle of reading
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "\n".join(lines[-40:])
    return lines


def test_read_edit_export_kill_and_recover(tmp_path, monkeypatch):
    basedir = tmp_path / "base"
    pdf = write_pdf(tmp_path / "Harbour survey.pdf", PAGES)
    outdir = tmp_path / "export"
    lines = _run_until_kill(basedir, pdf, outdir)
    assert any(line.startswith("EXPORTED") for line in lines), lines

    # The export: Markdown with the official separator, the correction, every page's text.
    md = (outdir / "Harbour survey.md").read_text(encoding="utf-8")
    assert md.count("<--- Page Split --->") == 2
    assert "The crane was moved twice." + CORRECTION in md
    for page in PAGES:
        for line in page:
            assert line in md
    txt = (outdir / "Harbour survey.txt").read_text(encoding="utf-8")
    assert "Harbour Survey 1911" in txt and CORRECTION.strip() in txt and "#" not in txt
    data = json.loads((outdir / "Harbour survey.json").read_text(encoding="utf-8"))
    assert json.dumps(data).count("north pier") >= 1
    assert not list(outdir.glob("*.part")) and not list(outdir.glob(".*"))

    # After the kill: the next start finds the unsaved session, and nothing was lost.
    monkeypatch.setenv("DESKTOP_OCR_BASEDIR", str(basedir))
    sessions = recovery.list_recoverable()
    assert len(sessions) == 1 and sessions[0].page_count == 3 and sessions[0].crashed
    store, project = ProjectStore.open(sessions[0].path)
    try:
        assert store.was_crashed
        pages = list(project.all_pages())
        assert len(pages) == 3
        assert all(p.result is not None for p in pages)
        assert pages[1].state == PageState.EDITED
        assert pages[1].text.endswith("The crane was moved twice." + CORRECTION)
        assert (
            pages[0].state in (PageState.READ, PageState.NOT_READ)
            and "north pier" in pages[0].result.markdown
        )
        assert "survey closed in June" in pages[2].result.markdown
        assert all(not p.state.transient for p in pages)
    finally:
        store.close()
