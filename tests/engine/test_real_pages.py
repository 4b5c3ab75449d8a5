"""The embedded engine on real scans (tests/data/real): full-page CER of the exported Markdown.

The bounds are what today's code meets with some room (see benchmarks/results/real_pages_baseline.md);
tighten them as the layout step improves.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop_ocr.engine.base import PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.export import markdown
from desktop_ocr.model.document import SourceKind
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import render_page

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_metrics as pm  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"


@pytest.fixture(scope="module")
def engine():
    eng = EmbeddedEngine({"threads": 2})
    eng.load()
    yield eng
    eng.unload()


_READ: dict[str, str] = {}  # page name -> its Markdown: each page is read once per module


def exported_markdown(engine: EmbeddedEngine, name: str) -> str:
    """The page read as the app reads an image file, and its Markdown as the exporter writes it."""
    if name not in _READ:
        image = render_page(str(REAL / name), SourceKind.IMAGE, 0)
        [result] = engine.read([PageInput(name, image)])
        assert isinstance(result, PageResult), result
        _READ[name] = markdown.join_pages(
            [markdown.rewrite_figure_links(result.markdown, lambda n: f"images/f{n}.png")]
        )
    return _READ[name]


def paragraph_with(md: str, word: str) -> str:
    """The one Markdown paragraph holding ``word``."""
    found = [p for p in md.split("\n\n") if word in p]
    assert len(found) == 1, f"{word!r} in {len(found)} paragraphs: {found}"
    return found[0]


def score(engine: EmbeddedEngine, name: str) -> pm.Score:
    gt = (REAL / name.rsplit(".", 1)[0]).with_suffix(".gt.txt").read_text(encoding="utf-8")
    return pm.score(pm.gt_text(gt), pm.hyp_text(exported_markdown(engine, name)))


def test_single_column_book_page_with_illustration(engine):
    """Huckleberry Finn p. 29 (150 dpi, a picture beside the text, a caption): 4.1% CER at the baseline."""
    s = score(engine, "ocrmypdf-c03-29.jpeg")
    assert s.cer < 0.08, f"CER {s.cer:.1%}"
    assert s.bow_error < 0.03, f"bag-of-words error {s.bow_error:.1%}"


def test_two_column_brochure_is_read_column_by_column(engine):
    """LinnSequencer sheet (300 dpi, full-width bullets above two columns, ~50 px gutter). Before the
    reading-order change of 1025b22 the lines of the two columns were merged (CER 36%, bag-of-words
    error 0.6%: words right, order wrong); since then the page reads at 1.4% CER."""
    s = score(engine, "ocrmypdf-linn.png")
    assert s.bow_error < 0.03, f"bag-of-words error {s.bow_error:.1%}"
    assert s.cer < 0.05, f"CER {s.cer:.1%}"


@pytest.mark.parametrize(
    ("opening", "last_line"),
    [
        ("Each of the 100 sequences", "synthesizers!"),
        ("Ultra-fast", "per disk!"),
        ("Exclusive REPEAT", "rhythmic value."),
        ("Two FOOTSWITCH", "PLAY/STOP"),
    ],
)
def test_list_item_keeps_its_short_last_line(engine, opening, last_line):
    """LinnSequencer sheet: a full-width bullet item over the two-column part of the page ends in a
    short line left of the gutter. That line was read as a column of its own and came out as a
    paragraph after its item ("... up to 16 polyphonic" / "synthesizers!")."""
    item = paragraph_with(exported_markdown(engine, "ocrmypdf-linn.png"), last_line)
    assert item.startswith("•") and opening in item, item


def test_list_items_are_paragraphs_of_their_own(engine):
    """Each bullet of the sheet opens its own paragraph, also where two items were a piece alone."""
    md = exported_markdown(engine, "ocrmypdf-linn.png")
    for first, second in [("TIMING CORRECTION", "Optional SMPTE"), ("Non-destructive", "Two FOOTSWITCH")]:
        assert second not in paragraph_with(md, first)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("whether passport", "documents, invoices"),
        ("field of research", "pattern recognition"),
        ("non-textual", "components."),
    ],
)
def test_ragged_paragraph_is_not_cut_mid_sentence(engine, before, after):
    """Wikipedia printout (ragged right margin, a page footer across the page): lines that end
    short of the longest one, or the paragraph's short last line with its lower box, continue
    their paragraph."""
    assert after in paragraph_with(exported_markdown(engine, "ocrmypdf-epson.png"), before)
