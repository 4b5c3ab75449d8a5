"""Born-digital PDF pages read from their own text layer: exact text, column by column, and scans
with an invisible OCR layer read again."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from desktop_ocr.model.sources import PageRenderer, pdf_text_layer
from desktop_ocr.reading.text_layer import result_from_text_layer

ROOT = Path(__file__).resolve().parents[2]
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LEFT = (
    "The harbour board met on the first Monday of March to hear the report of the engineer on the "
    "new pier, which had cost less than the estimate and was opened a month early."
)
RIGHT = (
    "Members then turned to the question of the lighthouse keepers, whose wages had not been raised "
    "since the war, and agreed to a rise of one shilling a week from April."
)
TITLE = "Minutes of the Harbour Board"


def two_column_pdf(path: Path, rotate: int = 0) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(56, 56, 539, 100), TITLE, fontsize=22, fontfile=SERIF, fontname="t")
    for x, text in ((56, LEFT), (310, RIGHT)):  # a 12 pt gutter, as an office program sets it
        assert (
            page.insert_textbox(
                pymupdf.Rect(x, 120, x + 229, 700), text, fontsize=10, fontfile=SERIF, fontname="b"
            )
            >= 0
        )
    if rotate:
        page.set_rotation(rotate)
    doc.save(str(path))
    return path


def layer_of(path: Path):
    doc = pymupdf.open(str(path))
    try:
        return pdf_text_layer(doc[0])
    finally:
        doc.close()


def words(text: str) -> list[str]:
    return text.replace("#", " ").split()


def test_a_two_column_office_pdf_reads_column_by_column_from_its_text(tmp_path):
    layer = layer_of(two_column_pdf(tmp_path / "minutes.pdf"))
    assert layer is not None
    result = result_from_text_layer(layer, dpi=144)
    assert words(result.markdown) == words(TITLE) + words(LEFT) + words(RIGHT)
    assert result.blocks[0].label == "title" and result.blocks[0].text == "# " + TITLE
    assert result.engine == "pdf-text" and (result.width, result.height) == (1190, 1684)
    left, right = result.blocks[1], result.blocks[2]
    assert left.boxes[0].x2 < 499 < right.boxes[0].x1  # each column's block on its own half


def test_a_turned_pdf_page_is_read_upright_and_asks_to_be_shown_upright(tmp_path):
    layer = layer_of(two_column_pdf(tmp_path / "turned.pdf", rotate=90))
    assert layer.rotation == 90 and (layer.width, layer.height) == (595, 842)
    result = result_from_text_layer(layer, dpi=72)
    assert words(result.markdown) == words(TITLE) + words(LEFT) + words(RIGHT)
    assert (result.width, result.height) == (595, 842) and result.blocks[0].label == "title"
    assert result.turned_by_engine == 270  # shown turned 90 by the PDF: 270 more stands it upright
    assert result_from_text_layer(layer, rotation=90).turned_by_engine == 180  # the user turned it too


def test_a_scan_with_an_invisible_ocr_layer_is_read_again(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(buf, "JPEG")
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=buf.getvalue())
    page.insert_text((60, 100), "an earlier OCR program's guess at this page " * 3, render_mode=3)
    doc.save(str(tmp_path / "scan.pdf"))
    assert layer_of(tmp_path / "scan.pdf") is None
    renderer = PageRenderer(lambda _id: (tmp_path / "scan.pdf").read_bytes())
    assert renderer.text_lines("s", "pdf", 0) is None
    assert renderer.text_lines("s", "image", 0) is None


@pytest.mark.slow
def test_convert_reads_born_digital_pages_from_their_text_when_asked(tmp_path):
    pdf = two_column_pdf(tmp_path / "minutes.pdf")
    env = dict(os.environ, DESKTOP_OCR_BASEDIR=str(tmp_path / "base"), PYTHONPATH=str(ROOT))
    for extra, engine in ((["--text-layer"], "pdf-text"), ([], "embedded")):
        out = tmp_path / engine
        run = subprocess.run(
            [sys.executable, "-m", "desktop_ocr", "convert", str(pdf), "-o", str(out), "--engine", "embedded", *extra],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        md = (out / "minutes.md").read_text()
        data = json.loads((out / "minutes.json").read_text())
        assert data["pages"][0]["engine"]["name"] == engine
        if engine == "pdf-text":
            assert words(md) == words(TITLE) + words(LEFT) + words(RIGHT)
