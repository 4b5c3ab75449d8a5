"""Block layouts: spans of the page text, the block operations, region merges, stored figures."""

from __future__ import annotations

import pytest

from desktop_ocr.model import blocks as B
from desktop_ocr.model.blocks import Layout, Span
from desktop_ocr.model.document import Page, Project
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

TITLE = Block("title", (Box(100, 50, 900, 100),), "# Annual report")
PARA1 = Block("text", (Box(100, 150, 900, 400),), "First paragraph, line one.\nLine two of it.")
FIG = Block("image", (Box(100, 450, 500, 700),), "![](figure:1)")
PARA2 = Block("text", (Box(100, 750, 900, 950),), "Closing words.")
BLOCKS = (TITLE, PARA1, FIG, PARA2)
TEXT = "\n\n".join(b.text for b in BLOCKS)


def layout() -> Layout:
    return Layout.from_blocks(TEXT, BLOCKS)


def test_layout_from_blocks_covers_every_block_in_order() -> None:
    lay = layout()
    assert [s.label for s in lay.spans] == ["title", "text", "image", "text"]
    assert [b.text for b in lay.blocks()] == [b.text for b in BLOCKS]
    assert lay.index_at(0) == 0
    assert lay.index_at(TEXT.index("Line two")) == 1
    assert lay.index_at(len(TEXT)) == 3


def test_make_drops_empty_spans_and_sorts() -> None:
    lay = Layout.make("abc\n\ndef", [Span(5, "b"), Span(0, "a"), Span(3, "empty")])
    assert [(s.start, s.label) for s in lay.spans] == [(0, "a"), (5, "b")]
    assert lay.block_text(0) == "abc"


def test_spans_round_trip_through_json() -> None:
    lay = layout()
    assert Layout.spans_from_json(lay.to_json()) == lay.spans


def test_relabel_and_delete() -> None:
    lay = B.relabel(layout(), 1, "list")
    assert lay.spans[1].label == "list"
    assert lay.block_text(1) == "- First paragraph, line one.\n- Line two of it."
    gone = B.delete_block(lay, 1)
    assert "First paragraph" not in gone.text
    assert [b.text for b in gone.blocks()] == ["# Annual report", "![](figure:1)", "Closing words."]
    assert gone.text == "# Annual report\n\n![](figure:1)\n\nClosing words."
    last_gone = B.delete_block(gone, 2)
    assert last_gone.text == "# Annual report\n\n![](figure:1)"


def test_relabel_as_figure_adds_a_link_with_a_new_number() -> None:
    lay = B.relabel(layout(), 3, "image")
    assert lay.block_text(3).startswith("![](figure:2)")
    assert lay.block_text(3).endswith("Closing words.")
    assert lay.spans[3].label == "image"


def test_merge_with_next_joins_boxes_and_the_paragraphs() -> None:
    lay = B.merge_with_next(layout(), 0)
    assert len(lay) == 3
    assert lay.block_text(0) == "# Annual report First paragraph, line one.\nLine two of it."
    assert lay.text.endswith("\n\n![](figure:1)\n\nClosing words.")
    assert lay.spans[0].boxes == TITLE.boxes + PARA1.boxes
    assert lay.spans[0].label == "title"
    with pytest.raises(IndexError):
        B.merge_with_next(lay, 2)


def test_split_cuts_text_and_box_in_proportion() -> None:
    pos = TEXT.index("Line two")
    lay = B.split_block(layout(), pos)
    assert len(lay) == 5
    assert lay.block_text(1) == "First paragraph, line one."
    assert lay.block_text(2) == "Line two of it."
    top, bottom = lay.spans[1].boxes[0], lay.spans[2].boxes[0]
    assert (top.y1, top.y2, bottom.y1, bottom.y2) == (150, 275, 275, 400)
    assert lay.spans[2].label == "text"
    with pytest.raises(ValueError):
        B.split_block(layout(), TEXT.index("First"))  # nothing above the cursor


def test_split_at_line_end_moves_past_the_line_break() -> None:
    pos = TEXT.index("\nLine two")
    lay = B.split_block(layout(), pos)
    assert lay.text[lay.spans[2].start :].startswith("Line two")
    assert lay.text[: lay.spans[2].start].endswith("line one.\n\n")  # two paragraphs


def test_set_box_replaces_or_adds() -> None:
    lay = B.set_box(layout(), 2, 0, Box(1, 2, 3, 4))
    assert lay.spans[2].boxes == (Box(1, 2, 3, 4),)
    lay = B.set_box(lay, 2, 5, Box(5, 6, 7, 8))
    assert lay.spans[2].boxes == (Box(1, 2, 3, 4), Box(5, 6, 7, 8))


def test_reading_position_puts_a_region_before_the_first_block_below_it() -> None:
    lay = layout()
    assert B.reading_position(lay, Box(100, 410, 900, 440)) == lay.spans[2].start
    assert B.reading_position(lay, Box(100, 960, 900, 990)) == len(lay.text)
    # a region in the right column (x 600..900) skips the figure (x 100..500) below it
    assert B.reading_position(lay, Box(600, 500, 900, 600)) == lay.spans[3].start


def test_merge_region_replaces_blocks_inside_the_region() -> None:
    new = Layout(
        "Fresh line one.\n\nFresh line two.",
        (Span(0, "text", (Box(100, 150, 900, 260),)), Span(17, "text", (Box(100, 270, 900, 400),))),
    )
    lay = B.merge_region(layout(), Box(90, 140, 910, 410), new)
    assert [b.text for b in lay.blocks()] == [
        "# Annual report",
        "Fresh line one.",
        "Fresh line two.",
        "![](figure:1)",
        "Closing words.",
    ]
    assert lay.spans[2].boxes == (Box(100, 270, 900, 400),)


def test_merge_region_inserts_where_nothing_matches_or_when_asked() -> None:
    new = Layout("A footnote.", (Span(0, "text", (Box(100, 960, 900, 990),)),))
    lay = B.merge_region(layout(), Box(100, 960, 900, 990), new)
    assert lay.blocks()[-1].text == "A footnote."
    assert lay.text.endswith("Closing words.\n\nA footnote.")
    kept = B.merge_region(
        layout(), Box(90, 140, 910, 410), Layout("Again.", (Span(0),)), replace_blocks=False
    )
    assert len(kept) == 5 and "First paragraph" in kept.text


def test_a_region_read_covers_the_blocks_it_replaces_whole_and_drops_text_of_kept_blocks() -> None:
    lay = layout()
    # the region holds most of the first paragraph (replaced) and the top of the figure (kept)
    region = Box(90, 180, 910, 500)
    assert B.blocks_in_region(lay, region) == [1]
    assert B.region_read_box(lay, region) == Box(90, 150, 910, 500)  # the paragraph's top too
    assert B.region_read_box(lay, region, replace_blocks=False) == region
    new = Layout(
        "First paragraph again.\n\n![](figure:1)",
        (Span(0, "text", (Box(100, 150, 900, 400),)), Span(24, "image", (Box(100, 450, 500, 500),))),
    )
    kept = B.without_kept_text(new, lay, [1])
    assert kept.text == "First paragraph again." and len(kept) == 1
    assert B.without_kept_text(new, lay, [1, 2]) is new
    assert B.without_kept_text(new, lay, []).text == ""  # every block stays: nothing new to add


def test_insert_block_into_empty_text() -> None:
    lay = B.insert_block(Layout(""), 0, "Hello", [Span(0, "title", (Box(0, 0, 10, 10),))])
    assert lay.text == "Hello" and lay.spans == (Span(0, "title", (Box(0, 0, 10, 10),)),)


def _page() -> Page:
    project = Project()
    page = Page("p1", "s1", width=1000, height=1000)
    project.add_document("doc", [page])
    result = PageResult(blocks=BLOCKS, raw="", markdown=TEXT)
    project.set_result("p1", result)
    return page


def test_page_layout_follows_the_stored_spans_after_an_edit() -> None:
    page = _page()
    assert B.page_layout(page).spans == layout().spans
    moved = B.set_box(layout(), 2, 0, Box(100, 460, 520, 720))
    page.edited_text, page.spans = moved.text, moved.spans
    assert B.page_layout(page).spans[2].boxes == (Box(100, 460, 520, 720),)
    # figure:1 is now cut from the moved box
    assert B.page_figures(page) == {1: Box(100, 460, 520, 720)}


def test_page_figures_fall_back_to_the_result_for_links_outside_figure_blocks() -> None:
    page = _page()
    changed = B.relabel(layout(), 2, "text")
    page.edited_text, page.spans = changed.text, changed.spans
    assert B.page_figures(page) == {1: FIG.boxes[0]}


def test_region_figures_are_renumbered_after_the_pages() -> None:
    region_text = "![](figure:1)\n\nA caption.\n\n![](figure:2)"
    new = Layout(
        region_text,
        (
            Span(0, "image", (Box(100, 450, 300, 600),)),
            Span(15, "image_caption", (Box(100, 600, 300, 620),)),
            Span(27, "image", (Box(320, 450, 500, 600),)),
        ),
    )
    lay = B.merge_region(layout(), Box(90, 440, 510, 710), new)
    assert "![](figure:2)" in lay.text and "![](figure:3)" in lay.text and lay.text.count("figure:1") == 0
    assert [b.text for b in lay.blocks()][2:5] == ["![](figure:2)", "A caption.", "![](figure:3)"]
    page = _page()
    page.edited_text, page.spans = lay.text, lay.spans
    assert B.page_figures(page)[2] == Box(100, 450, 300, 600)
    assert B.page_figures(page)[3] == Box(320, 450, 500, 600)


def test_a_figure_merged_into_its_caption_is_still_cut_from_its_moved_box() -> None:
    page = _page()
    moved = B.set_box(layout(), 2, 0, Box(110, 460, 520, 720))
    merged = B.merge_with_next(B.relabel(moved, 1, "image_caption"), 1)  # caption + figure, caption label
    page.edited_text, page.spans = merged.text, merged.spans
    assert merged.spans[1].label == "image_caption"
    assert B.page_figures(page) == {1: Box(110, 460, 520, 720)}


def test_place_region_says_where_the_new_text_starts_even_when_figures_are_renumbered() -> None:
    new = Layout(
        "![](figure:1)\n\nA caption.",
        (Span(0, "image", (Box(100, 450, 300, 600),)), Span(15, "image_caption")),
    )
    merged, start = B.place_region(layout(), Box(90, 440, 510, 710), new)
    assert merged.text[start:].startswith("![](figure:2)\n\nA caption.")
    inserted, at = B.place_region(layout(), Box(100, 960, 900, 990), Layout("Footnote.", (Span(0),)))
    assert inserted.text[at:] == "Footnote."


def test_region_layout_keeps_unplaced_text_as_one_block() -> None:
    result = PageResult(blocks=(Block("text", (), "zzz"),), raw="", markdown="Free text read.")
    assert B.region_layout(result, Box(1, 2, 3, 4)).spans == (Span(0, "text", (Box(1, 2, 3, 4),)),)


# -- block operations change the Markdown --------------------------------------------------------
def test_relabel_to_title_and_back_changes_the_markdown() -> None:
    titled = B.relabel(layout(), 3, "title")
    assert titled.block_text(3) == "# Closing words."
    sub = B.relabel(titled, 3, "sub_title")
    assert sub.block_text(3) == "## Closing words."
    back = B.relabel(sub, 3, "text")
    assert back.text == TEXT and back.spans[3].label == "text"
    # a multi-line block made a heading is one heading line; the other blocks do not move
    head = B.relabel(layout(), 1, "sub_title")
    assert head.block_text(1) == "## First paragraph, line one. Line two of it."
    assert [head.block_text(i) for i in (0, 2, 3)] == ["# Annual report", "![](figure:1)", "Closing words."]
    assert B.relabel(layout(), 0, "text").block_text(0) == "Annual report"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("image_caption", "*Closing words.*"),
        ("table_caption", "*Closing words.*"),
        ("equation", "\\[\nClosing words.\n\\]"),
        ("footnote", "Closing words."),
        ("table", "| Closing words. |\n| --- |"),
    ],
)
def test_relabel_marks_captions_formulas_tables_and_back(label: str, expected: str) -> None:
    lay = B.relabel(layout(), 3, label)
    assert lay.block_text(3) == expected
    assert B.relabel(lay, 3, "text").text == TEXT


def test_relabel_a_formula_written_with_dollars_to_text() -> None:
    lay = Layout.make("$$\nE = mc^2\n$$", [Span(0, "equation")])
    assert B.relabel(lay, 0, "text").text == "E = mc^2"


def test_relabel_text_to_table_and_back_keeps_the_cells() -> None:
    lay = Layout.make("Name\tAge\nAda\t36", [Span(0)])
    table = B.relabel(lay, 0, "table")
    assert table.text == "| Name | Age |\n| --- | --- |\n| Ada | 36 |"
    assert B.relabel(table, 0, "text").text == "Name\tAge\nAda\t36"
    html = Layout.make("<table><tr><td>Budget</td><td>12</td></tr></table>", [Span(0, "table")])
    assert B.relabel(html, 0, "text").text == "Budget\t12"


def test_split_makes_two_paragraphs_and_merge_joins_them_again() -> None:
    text = "One long paragraph that the engine read as one block.\n\nNext."
    lay = Layout.make(text, [Span(0, "text", (Box(0, 0, 999, 100),)), Span(text.index("Next"))])
    pos = text.index("that")
    split = B.split_block(lay, pos)
    assert split.text == "One long paragraph\n\nthat the engine read as one block.\n\nNext."
    assert [split.block_text(i) for i in range(3)] == [
        "One long paragraph",
        "that the engine read as one block.",
        "Next.",
    ]
    assert B.merge_with_next(split, 0).text == text
    # a heading split in two is two headings
    title = Layout.make("# Annual report 1911", [Span(0, "title")])
    assert B.split_block(title, title.text.index("1911")).text == "# Annual report\n\n# 1911"


def test_merge_keeps_tables_and_figures_apart() -> None:
    lay = B.merge_with_next(layout(), 1)  # paragraph + figure
    assert lay.text == TEXT and len(lay) == 3


def test_move_block_moves_its_text_and_keeps_the_blank_lines() -> None:
    lay = layout()
    moved = B.move_block(lay, 3, 1)
    assert [moved.block_text(i) for i in range(4)] == [
        "# Annual report",
        "Closing words.",
        "First paragraph, line one.\nLine two of it.",
        "![](figure:1)",
    ]
    assert (
        moved.text
        == "# Annual report\n\nClosing words.\n\nFirst paragraph, line one.\nLine two of it.\n\n![](figure:1)"
    )
    assert [s.boxes for s in moved.spans] == [lay.spans[i].boxes for i in (0, 3, 1, 2)]
    assert B.move_block(moved, 1, 3) == lay
    assert B.move_block(lay, 2, 2) == lay
    with pytest.raises(IndexError):
        B.move_block(lay, 0, 4)


def test_relabel_stays_fast_on_hostile_blocks() -> None:
    import time

    text = "# " + " " * 200_000 + "x\n" + "| a " * 20_000 + "\n" + "-" * 100_000
    lay = Layout.make(text, [Span(0, "title")])
    t = time.perf_counter()
    for label in ("text", "table", "list", "equation", "image_caption", "sub_title"):
        lay = B.relabel(lay, 0, label)
    assert time.perf_counter() - t < 3.0
    assert B.relabel(Layout.make("## Closing ##", [Span(0, "sub_title")]), 0, "text").text == "Closing"
    assert B.relabel(Layout.make("# C#", [Span(0, "title")]), 0, "text").text == "C#"
