"""Quitting the real app while a page renders from a big stored file: quick, exit status 0, the
project left whole and self-contained (no ``-wal``, no lock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("quit_driver.py")
#: Big enough that extracting it for the renderer takes seconds (PDFs over 64 MB are rendered from
#: a copy in the cache folder).
STORED_MB = 400

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def _big_project(folder: Path) -> Path:
    import pymupdf

    from desktop_ocr.model.importer import import_paths
    from desktop_ocr.model.store import ProjectStore

    side = int((STORED_MB * 1e6 / 3) ** 0.5)
    noise = os.urandom(side * side * 3)  # does not compress: the PDF stays this big
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=400)
    page.insert_image(page.rect, pixmap=pymupdf.Pixmap(pymupdf.csRGB, side, side, noise, False))
    del noise
    pdf = folder / "big.pdf"
    doc.save(str(pdf))
    doc.close()
    path = folder / "big.deskocr"
    store = ProjectStore.create(path)
    assert store.project is not None
    assert not import_paths(store.project, [pdf], store).problems
    store.close()
    pdf.unlink()
    return path


@pytest.mark.parametrize("how", ["close", "term"])
def test_quitting_while_a_big_page_renders_is_clean_and_quick(how, tmp_path, _isolated_basedir):
    project = _big_project(tmp_path)
    assert project.stat().st_size > STORED_MB * 1e6 * 0.9
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(_isolated_basedir), str(project), "0.2", how],
        capture_output=True, text=True, timeout=180, cwd=str(ROOT),
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    times = {
        line.split()[0]: float(line.split()[1])
        for line in done.stdout.splitlines()
        if line.startswith(("QUIT ", "END "))
    }
    assert "QUIT" in times and "END" in times, done.stdout + done.stderr
    assert times["END"] - times["QUIT"] < 2.0, "quitting waited for the page being rendered"
    assert not Path(f"{project}-wal").exists() and not Path(f"{project}-shm").exists()
    from desktop_ocr.model import lockfile
    from desktop_ocr.model.store import ProjectStore

    assert not lockfile.lock_path(project).exists()
    store, reopened = ProjectStore.open(project)
    assert reopened.page_count == 1 and not store.was_crashed
    store.close()
    assert not list(Path(_isolated_basedir, "cache").rglob("*.part")), "no half-extracted copy is left"
