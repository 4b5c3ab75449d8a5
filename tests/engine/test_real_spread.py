"""A two-page spread made of two real 300-dpi scans (tests/data/real), read by the embedded engine as
the app reads an image file: the left page in full, then the right one, each page laid out (columns,
tables) as it is when read alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop_ocr.engine.base import PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.export import markdown
from desktop_ocr.model.result import PageResult

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_metrics as pm  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"
LEFT, RIGHT = "ocrmypdf-linn", "ocrmypdf-epson"  # Letter and A4, both 300 dpi
RIGHT_OPENS = "Optical character recognition"  # the right page's first words


@pytest.fixture(scope="module")
def spread_markdown() -> str:
    pages = [Image.open(REAL / f"{name}.png").convert("RGB") for name in (LEFT, RIGHT)]
    spread = Image.new("RGB", (pages[0].width + pages[1].width, max(p.height for p in pages)), "white")
    spread.paste(pages[0], (0, 0))
    spread.paste(pages[1], (pages[0].width, 0))
    engine = EmbeddedEngine({"threads": 2})
    engine.load()
    try:
        [result] = engine.read([PageInput("spread", spread)])
    finally:
        engine.unload()
    assert isinstance(result, PageResult), result
    return markdown.join_pages([markdown.rewrite_figure_links(result.markdown, lambda n: f"f{n}.png")])


def _cer(name: str, text: str) -> float:
    gt = (REAL / f"{name}.gt.txt").read_text(encoding="utf-8")
    return pm.score(pm.gt_text(gt), pm.hyp_text(text)).cer


def test_left_page_is_read_in_full_before_the_right_one(spread_markdown):
    md = spread_markdown
    assert md.count(RIGHT_OPENS) >= 1
    left, right = md.split(RIGHT_OPENS, 1)
    right = RIGHT_OPENS + right
    # Nothing of the right page comes before its first line, nothing of the left one after it.
    assert "Wikipedia" not in left and "LinnSequencer" not in right and "Linn Electronics" in left
    assert _cer(LEFT, left) <= 0.03, left
    assert _cer(RIGHT, right) <= 0.02, right


def test_each_page_is_laid_out_as_on_its_own(spread_markdown):
    """The layout model sees each page at its own input size: the brochure's two columns are text,
    not a table (they were when the whole spread was shrunk into the model's 800 x 608)."""
    assert "<table>" not in spread_markdown.split(RIGHT_OPENS, 1)[0]


def _headings(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("#")]


def test_the_right_pages_heading_levels_are_its_own(spread_markdown):
    """Type sizes are judged page by page: the A4 printout's sub-heading "History" (1.3 times its
    own body type) came out a title (``# History``) in the spread, measured against the whole
    spread's body height, which the Letter brochure's smaller body type set. Each heading of the
    right page has the level it has when the page is read alone."""
    image = Image.open(REAL / f"{RIGHT}.png").convert("RGB")
    engine = EmbeddedEngine({"threads": 2})
    engine.load()
    try:
        [alone] = engine.read([PageInput(RIGHT, image)])
    finally:
        engine.unload()
    assert isinstance(alone, PageResult), alone
    right = RIGHT_OPENS + spread_markdown.split(RIGHT_OPENS, 1)[1]
    assert "## History" in _headings(alone.markdown)  # the page's own sub-heading, alone
    assert _headings(right) == _headings(alone.markdown)
