"""Pages turned by the user or found turned by the engine: what was read turns with the page."""

from __future__ import annotations

import json

import pymupdf
import pytest

from desktop_ocr.model import blocks as ops
from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.importer import import_paths
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.model.store import ProjectStore


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_box_turned_stays_on_the_same_pixels(degrees):
    # A 600 x 800 page; a box near the top left corner.
    w, h = 600, 800
    box = Box.from_pixels(30, 40, 300, 100, w, h)
    turned = box.turned(degrees)
    tw, th = (h, w) if degrees % 180 else (w, h)
    x1, y1, x2, y2 = turned.to_pixels(tw, th)
    corners = {
        90: (h - 100, 30, h - 40, 300),
        180: (w - 300, h - 100, w - 30, h - 40),
        270: (40, w - 300, 100, w - 30),
    }
    for got, want in zip((x1, y1, x2, y2), corners[degrees]):
        assert abs(got - want) <= 2, (degrees, (x1, y1, x2, y2), corners[degrees])
    back = turned
    for _ in range(3):
        back = back.turned(degrees)
    assert back == box  # four turns: where it started


def test_a_turned_result_moves_its_line_boxes_and_swaps_its_size():
    raw = json.dumps({"lines": [{"box": [30, 40, 300, 100], "text": "Deed", "score": 0.99}]})
    res = PageResult(
        blocks=(Block("text", (Box(50, 50, 500, 125),), "Deed"),),
        raw=raw,
        markdown="Deed",
        width=600,
        height=800,
    )
    turned = res.turned(90)
    assert (turned.width, turned.height) == (800, 600)
    assert json.loads(turned.raw)["lines"][0]["box"] == [700, 30, 760, 300]
    assert turned.blocks[0].boxes == (Box(50, 50, 500, 125).turned(90),)
    assert res.turned(90).turned(270) == res


def read_page(tmp_path, result):
    pdf = pymupdf.open()
    pdf.new_page(width=300, height=400).insert_text((40, 60), "Deed", fontsize=20)
    pdf.save(str(tmp_path / "deed.pdf"))
    store = ProjectStore.create(tmp_path / "p.deskocr")
    project = store.project
    assert not import_paths(project, [tmp_path / "deed.pdf"], store).problems
    page = project.documents[0].pages[0]
    project.set_result(page.id, result)
    return store, project, page


BLOCKS = (
    Block("title", (Box(10, 10, 900, 60),), "# Deed of sale"),
    Block("text", (Box(10, 80, 900, 400),), "The seller, of the first part."),
)
TEXT = "\n\n".join(b.text for b in BLOCKS)


def test_rotating_a_read_and_edited_page_keeps_its_boxes_on_the_text_after_reopening(tmp_path):
    store, project, page = read_page(
        tmp_path, PageResult(blocks=BLOCKS, raw="", markdown=TEXT, width=600, height=800)
    )
    moved = ops.set_box(page_layout(page), 1, 0, Box(20, 90, 880, 380))
    project.set_text(page.id, moved.text, spans=moved.spans)
    project.rotate_pages([page.id], 90)
    assert page.rotation == 90
    assert page.result.blocks[0].boxes == (BLOCKS[0].boxes[0].turned(90),)
    assert page.spans[1].boxes == (Box(20, 90, 880, 380).turned(90),)
    path = store.path
    store.close()

    store, project = ProjectStore.open(path)
    page = project.documents[0].pages[0]
    assert page.rotation == 90
    assert page.result.blocks[0].boxes == (BLOCKS[0].boxes[0].turned(90),)
    assert (page.result.width, page.result.height) == (800, 600)
    assert page.spans[1].boxes == (Box(20, 90, 880, 380).turned(90),)
    assert page.text == moved.text
    store.close()


def test_a_page_the_engine_read_turned_is_shown_turned(tmp_path):
    res = PageResult(
        blocks=BLOCKS, raw="", markdown=TEXT, width=800, height=600, extra={"turned": 270, "rotation": 0}
    )
    store, project, page = read_page(tmp_path, res)
    assert page.rotation == 270
    assert page.result.extra["rotation"] == 270 and not page.result.turned_by_engine  # applied once
    path = store.path
    store.close()
    store, project = ProjectStore.open(path)
    assert project.documents[0].pages[0].rotation == 270
    store.close()
