"""Paragraphs that run on past a column's end, and the blocks that interrupt them
(desktop_ocr.engine.continuation.ParagraphStream), on blocks as the embedded engine makes them."""

from __future__ import annotations

from desktop_ocr.engine.continuation import ParagraphStream
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block

COLUMN_1, COLUMN_2 = Box(50, 100, 240, 900), Box(260, 100, 450, 900)
PULL_QUOTE = Box(50, 600, 230, 660)
CAPTION = Box(260, 700, 650, 760)


def run(*items: tuple[Block, bool, float]) -> list[Block]:
    out: list[Block] = []
    stream = ParagraphStream(lambda block, _lines: out.append(block))
    for block, paragraph, size in items:
        stream.add(block, (), paragraph=paragraph, size=size)
    stream.close()
    return out


def text(t: str, box: Box = COLUMN_1, size: float = 6.0) -> tuple[Block, bool, float]:
    return Block("text", (box,), t), True, size


def test_paragraph_continued_in_the_next_column_is_one_block_with_both_boxes():
    out = run(text("Scratches, subtle dents can sup-"), text("ply the desired look.", COLUMN_2))
    assert [b.text for b in out] == ["Scratches, subtle dents can supply the desired look."]
    assert out[0].boxes == (COLUMN_1, COLUMN_2)


def test_pull_quote_inside_a_sentence_goes_after_the_paragraph():
    """The WSJ page's pull quote, set in larger type into a column in mid-sentence, goes after the
    paragraph it cuts, as a block quote: it is set apart from the text, not part of it."""
    out = run(
        text("The dial flew off while I was working in the garden"),
        text("Scratches, dents, cracked dials—they don't bother me at all.", PULL_QUOTE, 9.0),
        text('last year," he said. "To me, it is pointless."'),
        text("Beyond tossing your Rolex in the washer."),
    )
    assert [b.text for b in out] == [
        'The dial flew off while I was working in the garden last year," he said. "To me, it is pointless."',
        "> Scratches, dents, cracked dials—they don't bother me at all.",
        "Beyond tossing your Rolex in the washer.",
    ]


def test_larger_type_the_text_does_not_go_on_past_is_no_pull_quote():
    """A paragraph in larger type after an open one that the text does not go on from (the next
    paragraph starts its own sentence) stays as it was: nothing says it was set into the text."""
    out = run(
        text("The dial flew off while I was working in the garden"),
        text("Scratches, dents, cracked dials—they don't bother me at all.", PULL_QUOTE, 9.0),
        text("Beyond tossing your Rolex in the washer."),
    )
    assert [b.text for b in out] == [
        "The dial flew off while I was working in the garden",
        "Scratches, dents, cracked dials—they don't bother me at all.",
        "Beyond tossing your Rolex in the washer.",
    ]


def test_caption_and_figure_go_after_the_paragraph_they_cut_even_past_a_column():
    out = run(
        text("You might score a great deal. It will cost more than one in poor"),
        (Block("image", (Box(260, 300, 450, 690),), "![](figure:1)"), False, 0.0),
        text("NOT TOO SHABBY Above, from left, a well-worn trio.", CAPTION),  # over two columns
        text("condition, says Silver, though prices reflect", COLUMN_2),
        text("myriad factors including rarity.", COLUMN_2),
    )
    assert [b.text for b in out] == [
        "You might score a great deal. It will cost more than one in poor condition, says Silver, "
        "though prices reflect myriad factors including rarity.",
        "![](figure:1)",
        "NOT TOO SHABBY Above, from left, a well-worn trio.",
    ]


def test_blocks_stay_where_they_are_when_the_next_paragraph_starts_a_sentence():
    items = (
        text("Ingredients for four people"),
        text("Flour, two eggs and a pinch of salt."),
        text("Heat the oven before you start", COLUMN_2),
        (Block("title", (COLUMN_2,), "# Method"), False, 0.0),
        text("Then mix the flour.", COLUMN_2),
    )
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]


def test_a_paragraph_of_the_texts_own_type_between_the_parts_is_not_moved():
    items = (
        text("He came home late in the"),
        text("A paragraph of its own."),  # same type, same column: text, not an aside
        text("evening it rained."),
    )
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]


def test_a_heading_or_caption_never_joins_a_paragraph():
    items = (
        (Block("sub_title", (COLUMN_1,), "## Results of the survey"), False, 0.0),
        text("most of the answers came late."),
        (Block("image_caption", (CAPTION,), "Figure 2: the harbour in"), False, 0.0),
        text("winter the quay is closed."),
    )
    # the caption is not running text: nothing continues it
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]


def test_too_many_blocks_between_let_everything_go_in_order():
    items = (
        text("The survey was sent to every"),
        *((Block("image", (Box(260, 300, 450, 690),), f"![](figure:{n})"), False, 0.0) for n in (1, 2, 3, 4)),
        text("household in the county."),
    )
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]


def test_a_heading_between_the_parts_of_a_sentence_is_not_moved():
    """The research note of the corpus: a body line run into the "2016" of a graphic beside it is
    read as a heading between "could chair" and "bio pricing": it is text, and stays in place."""
    items = (
        text("Democratic Senators such as Sanders and Warren could chair"),
        (
            Block("sub_title", (COLUMN_1,), "## 2016 committees and call hearings to investigate pharma-"),
            False,
            0.0,
        ),
        text("bio pricing. A surprising Democratic sweep would be the most negative."),
    )
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]


def test_smaller_type_in_mid_sentence_is_not_moved():
    """A form (FUNSD): the label under a field, "(Describe question briefly)", in small type between
    a line and its lower-case continuation stays where it is printed."""
    items = (
        text("4. Question No. 1 relating to Tobacco Excise Tax Increase"),
        text("(Describe question briefly)", size=4.0),
        text("submitted to the voters on November 3, 1992"),
    )
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]


def test_short_items_of_a_list_in_two_columns_are_not_joined():
    """The typed recipe of the corpus: ingredients in two columns, "3 uien" then "bloem, boter"."""
    items = (
        text("4 ons linzen"),
        text("3 uien"),
        text("bloem, boter", COLUMN_2),
        text("2 kopjes melk", COLUMN_2),
    )
    assert [b.text for b in run(*items)] == [b.text for b, _p, _s in items]
