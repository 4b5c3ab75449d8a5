"""Huge images (issue 12, item 11): a page that would not fit in the memory available is refused from
its header, with a reason naming the file, before it is decoded. Case: tests/hostile/images/."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop_ocr.model import sources
from desktop_ocr.model.importer import prepare

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "make_huge_png", ROOT / "tests/hostile/images/make_huge_png.py"
)
make_huge_png = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_huge_png)

#: Imports the file with the memory a 4 GB laptop has free and prints the outcome and peak RSS.
_IMPORT = """
import json, sys
from desktop_ocr.model import sources
sources.available_memory = lambda: 4 * 2**30
from desktop_ocr.model.importer import prepare
plan = prepare([sys.argv[1]])
# VmHWM: this process's peak since exec (ru_maxrss would include the parent's peak from before the fork).
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"problems": [str(p) for p in plan.problems], "documents": len(plan.documents),
                  "peak_mb": int(hwm) // 1024}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
def test_a_299_megapixel_png_is_refused_from_its_header_on_a_4_gb_machine(tmp_path):
    png = make_huge_png.write(tmp_path / "huge.png")
    assert png.stat().st_size < 1_000_000
    with Image.open(png) as img:
        assert img.size[0] * img.size[1] > 299_000_000
    run = subprocess.run(
        [sys.executable, "-c", _IMPORT, str(png)],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["documents"] == 0
    assert len(out["problems"]) == 1
    reason = out["problems"][0]
    assert reason.startswith("huge.png: ") and "memory" in reason and "17320 x 17320" in reason
    # The decoded page alone is 300 MB (greyscale) and 900 MB as RGB; before, the import peaked at 2 GB.
    assert out["peak_mb"] < 250, out


def test_the_limit_follows_the_memory_available(tmp_path, monkeypatch):
    path = tmp_path / "big.png"
    Image.new("L", (4000, 3000), 255).save(path)  # 12 Mpx: 84 MB to decode by our estimate
    need = sources.decode_bytes(4000, 3000, "L")
    monkeypatch.setattr(sources, "available_memory", lambda: int(need / sources.MEMORY_SHARE) - 1)
    plan = prepare([path])
    assert not plan.documents and "memory" in str(plan.problems[0]) and "big.png" in str(plan.problems[0])
    monkeypatch.setattr(sources, "available_memory", lambda: int(need / sources.MEMORY_SHARE) + 1)
    plan = prepare([path])
    assert not plan.problems and plan.documents[0].sources[0].probe.page_sizes == ((4000, 3000),)
    # Rendering checks again (the memory free may have shrunk since the import).
    monkeypatch.setattr(sources, "available_memory", lambda: 1000)
    with pytest.raises(sources.SourceError, match="memory"):
        sources.render_page(str(path), "image", 0)


def test_available_memory_is_a_real_figure():
    assert 0 < sources.available_memory() < 2**50
