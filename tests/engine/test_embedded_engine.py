"""The embedded engine on real rendered pages: accuracy, reading order, streaming, cancel, offline."""

from __future__ import annotations

import json
import socket
import threading

import pytest
from ocr_pages import PARAGRAPHS, SANS, cer, normalise, render_page
from PIL import Image

from desktop_ocr.engine.base import PageFailure, PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.model.result import Completion, PageResult


def read_one(engine: EmbeddedEngine, image: Image.Image, **kwargs) -> PageResult:
    [result] = engine.read([PageInput("p", image)], **kwargs)
    assert isinstance(result, PageResult), result
    return result


def test_loads_and_reads_with_the_network_unreachable(monkeypatch):
    """The models ship in the wheel: nothing is fetched, not even a checksum-verified re-download."""
    import rapidocr.utils.download_file as download_file

    def no_network(*args, **kwargs):
        raise AssertionError("the embedded engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(no_network))
    eng = EmbeddedEngine({"threads": 1})
    eng.load()
    page = render_page(PARAGRAPHS[:1], dpi=150)
    result = read_one(eng, page.image)
    assert cer(page.text, result.markdown) < 0.02
    assert result.engine == "embedded"
    assert eng.info.name == "embedded" and eng.info.title == "Embedded (RapidOCR, CPU)"


@pytest.mark.parametrize(
    ("font", "dpi", "fontsize"),
    [(None, 200, 11), (SANS, 150, 10)],
    ids=["serif-200dpi", "sans-150dpi"],
)
def test_clean_single_column_page_has_under_one_percent_cer(engine, font, dpi, fontsize):
    kwargs = {"font": font} if font else {}
    page = render_page(PARAGRAPHS[:6], dpi=dpi, fontsize=fontsize, **kwargs)
    result = read_one(engine, page.image)
    error = cer(page.text, result.markdown)
    assert error < 0.01, (error, result.markdown)
    assert result.completion == Completion.COMPLETE
    assert (result.width, result.height) == page.image.size
    # one block per paragraph, in order
    assert len(result.blocks) == 6
    for block, expected in zip(result.blocks, PARAGRAPHS[:6]):
        assert cer(expected, block.text) < 0.03


def test_two_column_page_is_read_column_by_column(engine):
    page = render_page(PARAGRAPHS, columns=2, title="Holloway Papers: A Guide")
    result = read_one(engine, page.image)
    text = normalise(result.markdown)
    in_order = cer(page.text, text)
    assert in_order < 0.01, (in_order, result.markdown)
    # Interleaving the columns or reading the second first would cost far more than 1%:
    swapped = "\n\n".join([page.text.split("\n\n")[0], page.columns[1], page.columns[0]])
    assert cer(swapped, text) > 0.2
    # Column 1 entirely before column 2:
    col1_end = normalise(page.columns[0])[-40:]
    col2_start = normalise(page.columns[1])[:40]
    assert text.index(col1_end) < text.index(col2_start)
    title = result.blocks[0]
    assert title.label == "title" and title.text == "# Holloway Papers: A Guide"
    # The title box is centred across both columns; column boxes sit left and right of the middle.
    assert title.boxes[0].x1 < 499 < title.boxes[0].x2
    body = result.blocks[1:]
    assert all(b.boxes[0].x2 < 499 for b in body[:4]) and all(b.boxes[0].x1 > 499 for b in body[4:])


def test_streams_text_and_blocks_as_it_reads(engine):
    page = render_page(PARAGRAPHS[:4], dpi=150)
    chunks: list[str] = []
    blocks = []
    result = read_one(
        engine,
        page.image,
        on_text=lambda key, delta: chunks.append(delta),
        on_block=lambda key, block: blocks.append(block),
    )
    assert len(chunks) == len(blocks) == len(result.blocks) == 4
    assert "".join(chunks) == result.markdown
    assert tuple(blocks) == result.blocks
    for b in result.blocks:
        box = b.boxes[0]
        assert 0 <= box.x1 < box.x2 <= 999 and 0 <= box.y1 < box.y2 <= 999


def test_cancel_keeps_what_was_read(engine):
    page = render_page(PARAGRAPHS[:6], dpi=150)
    cancel = threading.Event()
    result = read_one(engine, page.image, on_block=lambda key, block: cancel.set(), cancel=cancel)
    assert result.completion == Completion.CANCELLED
    assert 1 <= len(result.blocks) < 6
    assert cer(PARAGRAPHS[0], result.blocks[0].text) < 0.03

    # Pages not started when the cancel came are failures with reason "cancelled".
    results = engine.read([PageInput("a", page.image), PageInput("b", page.image)], cancel=cancel)
    assert all(isinstance(r, PageFailure) and r.reason == "cancelled" for r in results)


def test_blank_and_unusual_images(engine):
    blank = read_one(engine, Image.new("RGB", (800, 1100), "white"))
    assert blank.blocks == () and blank.markdown == "" and blank.completion == Completion.COMPLETE
    page = render_page(PARAGRAPHS[:1], dpi=150)
    grey = read_one(engine, page.image.convert("L"))
    assert cer(page.text, grey.markdown) < 0.02
    rgba = page.image.convert("RGBA")
    assert cer(page.text, read_one(engine, rgba).markdown) < 0.02


def test_very_large_page_is_reduced_and_keeps_its_coordinates(engine):
    small = render_page(PARAGRAPHS[:2], dpi=150)
    large = render_page(PARAGRAPHS[:2], dpi=500)  # 4134 x 5846: read at half size
    a, b = read_one(engine, small.image), read_one(engine, large.image)
    assert cer(large.text, b.markdown) < 0.01
    assert (b.width, b.height) == large.image.size
    assert len(a.blocks) == len(b.blocks) == 2
    for x, y in zip(a.blocks, b.blocks):
        assert all(abs(p - q) <= 4 for p, q in zip(x.boxes[0].as_list(), y.boxes[0].as_list()))
    first_line = json.loads(b.raw)["lines"][0]["box"]
    assert first_line[2] > 0.5 * large.image.width  # raw boxes in the page's own pixels


def test_skewed_scan_keeps_paragraphs_and_columns(engine):
    page = render_page(PARAGRAPHS, columns=2, title="Holloway Papers: A Guide")
    skewed = page.image.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor="white")
    result = read_one(engine, skewed)
    assert cer(page.text, result.markdown) < 0.01
    assert [b.label for b in result.blocks] == ["title"] + ["text"] * 8
    # Boxes are in the page's own (skewed) pixels: the right column's blocks lie right of the middle.
    assert all(b.boxes[0].x1 > 480 for b in result.blocks[5:])


@pytest.mark.parametrize(
    ("turn", "transpose"),
    [(90, Image.Transpose.ROTATE_90), (180, Image.Transpose.ROTATE_180), (270, Image.Transpose.ROTATE_270)],
    ids=["on-its-left-side", "upside-down", "on-its-right-side"],
)
def test_a_turned_page_is_found_and_read_upright(engine, turn, transpose):
    page = render_page(PARAGRAPHS[:3], columns=1, dpi=150)
    result = read_one(engine, page.image.transpose(transpose))
    assert result.extra["turned"] == turn  # clockwise turn that stands it upright
    assert (result.width, result.height) == page.image.size  # boxes are on the upright page
    assert cer(page.text, result.markdown) < 0.01, result.markdown
    assert result.blocks[0].boxes[0].y1 < 200  # the first paragraph at the top of the upright page


def test_auto_rotate_can_be_switched_off():
    eng = EmbeddedEngine({"threads": 2, "auto_rotate": False})
    page = render_page(PARAGRAPHS[:1], dpi=150)
    result = read_one(eng, page.image.transpose(Image.Transpose.ROTATE_180))
    assert result.extra["turned"] == 0
    assert cer(page.text, result.markdown) > 0.3
    eng.unload()
