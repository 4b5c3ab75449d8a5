"""Reading order over synthetic line boxes: columns, spanning titles, paragraphs, joins."""

from __future__ import annotations

import math
import random

from desktop_ocr.engine.reading_order import (
    SUB_TITLE,
    TEXT,
    TITLE,
    LineBox,
    body_height,
    boxes_from_quads,
    columns,
    furniture_label,
    group_paragraphs,
    join_lines,
    layout,
    page_pieces,
    paragraph_markdown,
    reading_order,
    row_text,
)

H = 30  # line height in pixels
PITCH = 36  # baseline to baseline


def column(x1: float, x2: float, y0: float, paragraphs: list[int], gap: float = 24) -> list[LineBox]:
    """Lines of one column: ``paragraphs`` gives the number of lines of each paragraph; the last
    line of each paragraph is short; paragraphs are separated by ``gap`` extra pixels."""
    out: list[LineBox] = []
    y = y0
    for n in paragraphs:
        for k in range(n):
            right = x2 if k < n - 1 else x1 + (x2 - x1) * 0.4
            out.append(LineBox(x1, y, right, y + H))
            y += PITCH
        y += gap
    return out


def shuffled(boxes: list[LineBox], seed: int = 1) -> tuple[list[LineBox], list[int]]:
    """The boxes in a random order, and for each original position its index in the shuffled list."""
    order = list(range(len(boxes)))
    random.Random(seed).shuffle(order)
    mixed = [boxes[i] for i in order]
    where = [order.index(i) for i in range(len(boxes))]
    return mixed, where


def test_single_column_is_read_top_to_bottom_in_paragraphs():
    boxes = column(100, 1500, 100, [4, 3, 5])
    mixed, where = shuffled(boxes)
    assert reading_order(mixed) == where
    paras = layout(mixed)
    assert [len(p.lines) for p in paras] == [4, 3, 5]
    assert all(p.label == TEXT for p in paras)


def test_two_columns_are_read_column_by_column():
    left = column(100, 760, 200, [5, 6, 4])
    right = column(840, 1500, 200, [6, 5, 5])
    boxes = left + right
    mixed, where = shuffled(boxes, seed=7)
    order = reading_order(mixed)
    assert order == where  # every line of the left column, then every line of the right one
    assert len(columns(mixed)) == 2


def test_title_spanning_both_columns_comes_first_and_is_labelled():
    title = LineBox(500, 80, 1100, 80 + 2 * H)  # short, centred, crossing the gutter
    left = column(100, 760, 200, [8, 6])
    right = column(840, 1500, 200, [7, 7])
    boxes = [title, *left, *right]
    mixed, where = shuffled(boxes, seed=3)
    assert reading_order(mixed) == where
    paras = layout(mixed)
    assert paras[0].label == TITLE
    assert paras[0].lines == (where[0],)
    assert sum(p.label == TITLE for p in paras) == 1


def test_full_width_paragraph_between_two_column_sections():
    top_left = column(100, 760, 100, [5])
    top_right = column(840, 1500, 100, [5])
    middle = column(100, 1500, 400, [3])  # e.g. an abstract or a wide caption
    bottom_left = column(100, 760, 600, [6])
    bottom_right = column(840, 1500, 600, [6])
    boxes = top_left + top_right + middle + bottom_left + bottom_right
    mixed, where = shuffled(boxes, seed=11)
    assert reading_order(mixed) == where


def test_three_columns():
    cols = [column(x, x + 420, 150, [6, 5]) for x in (100, 580, 1060)]
    boxes = [b for c in cols for b in c]
    mixed, where = shuffled(boxes, seed=5)
    assert reading_order(mixed) == where
    assert len(columns(mixed)) == 3


def test_form_labels_and_values_are_read_row_by_row():
    boxes: list[LineBox] = []
    for k in range(6):
        y = 100 + k * 60
        boxes.append(LineBox(100, y, 260, y + H))  # a short label: "Name:"
        boxes.append(LineBox(400, y, 1300, y + H))  # its value
    mixed, where = shuffled(boxes, seed=2)
    assert reading_order(mixed) == where
    paras = layout(mixed)
    # each row (label and value) is one block, read left to right
    assert [p.lines for p in paras] == [(where[2 * k], where[2 * k + 1]) for k in range(6)]


def test_table_rows_are_separate_blocks_with_cells_left_to_right():
    boxes = []
    for r in range(4):
        y = 300 + r * PITCH
        boxes += [LineBox(100, y, 300, y + H), LineBox(500, y, 620, y + H), LineBox(900, y, 1010, y + H)]
    paras = layout(boxes)
    assert [p.lines for p in paras] == [(0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11)]
    assert all(p.label == TEXT for p in paras)


def test_line_cut_in_two_at_a_small_gap_stays_one_line():
    boxes = [LineBox(100, 100, 700, 130), LineBox(720, 101, 1500, 131), LineBox(100, 136, 1500, 166)]
    paras = layout(boxes)
    assert len(paras) == 1
    assert paras[0].rows == ((0, 1), (2,))


def test_heading_sizes():
    boxes = [
        LineBox(100, 50, 900, 50 + 2 * H),  # large title
        LineBox(100, 150, 600, 150 + int(1.4 * H)),  # sub title
        *column(100, 1500, 230, [4, 4]),
    ]
    labels = [p.label for p in layout(boxes)]
    assert labels == [TITLE, SUB_TITLE, TEXT, TEXT]


def test_indented_first_lines_start_paragraphs_without_extra_spacing():
    boxes = []
    y = 100
    for n in (3, 4, 2):
        for k in range(n):
            x1 = 160 if k == 0 else 100
            boxes.append(LineBox(x1, y, 1500, y + H))
            y += PITCH
    assert [len(p.lines) for p in layout(boxes)] == [3, 4, 2]


def test_texts_tell_a_paragraph_end_from_a_ragged_line():
    # Ragged right text without spacing between paragraphs: line 1 stops 300 px early because
    # the next word is long; line 3 stops early although the next word was short: a paragraph end.
    boxes = [
        LineBox(100, 100, 1500, 130),
        LineBox(100, 136, 1200, 166),
        LineBox(100, 172, 1480, 202),
        LineBox(100, 208, 1100, 238),
        LineBox(100, 244, 1500, 274),
        LineBox(100, 280, 900, 310),
    ]
    texts = {
        0: "x" * 50,
        1: "y" * 39,
        2: "photographically " + "z" * 33,
        3: "w" * 36 + ".",
        4: "An " + "v" * 47,
        5: "u" * 30,
    }
    without = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes))
    assert [p.lines for p in without] == [(0, 1, 2, 3, 4, 5)]
    paras = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes), texts)
    assert [p.lines for p in paras] == [(0, 1, 2, 3), (4, 5)]


def test_streaming_prefixes_agree_with_the_whole():
    boxes = column(100, 1500, 100, [4, 3, 5, 2])
    rows = columns(boxes)[0]
    h = body_height(boxes)
    whole = group_paragraphs(rows, boxes, h)
    for upto in range(1, len(rows)):
        part = group_paragraphs(rows, boxes, h, upto=upto)
        assert part[:-1] == whole[: len(part) - 1]


def test_degenerate_input():
    assert layout([]) == []
    assert reading_order([LineBox(10, 10, 10, 40)]) == []  # zero width: ignored
    assert reading_order([LineBox(10, 10, 200, 40)]) == [0]


def test_join_lines():
    assert join_lines(["The archive is digi-", "tised in part."]) == "The archive is digitised in part."
    assert join_lines(["a letter from Jean-", "Pierre"]) == "a letter from Jean-Pierre"
    assert join_lines(["between 1923-", "2024"]) == "between 1923-2024"
    assert join_lines(["soft\u00ad", "ware"]) == "software"
    assert join_lines(["one", "  ", "two -", "three"]) == "one two - three"
    assert join_lines(["see http://example.org/", "page"]) == "see http://example.org/page"


def test_paragraph_markdown():
    assert paragraph_markdown(TITLE, "Guide") == "# Guide"
    assert paragraph_markdown(SUB_TITLE, "Part") == "## Part"
    assert paragraph_markdown(TEXT, "Body") == "Body"


def test_centred_title_over_three_columns_reaching_into_both_gutters():
    # The title starts inside the first gutter and ends inside the second: it crosses neither whole.
    title = LineBox(540, 60, 1040, 60 + 2 * H)
    cols = [column(x, x + 420, 150, [6, 5]) for x in (100, 580, 1060)]
    boxes = [title, *(b for c in cols for b in c)]
    mixed, where = shuffled(boxes, seed=9)
    assert reading_order(mixed) == where
    assert layout(mixed)[0].label == TITLE


def test_ragged_line_poking_into_the_gutter_stays_in_its_column():
    left = column(100, 700, 200, [6, 6])
    right = column(800, 1400, 200, [6, 6])
    left[2] = LineBox(100, left[2].y1, 770, left[2].y2)  # reaches 70 px into the 100 px gutter
    boxes = left + right
    mixed, where = shuffled(boxes, seed=4)
    assert reading_order(mixed) == where


def rows_with_gaps(gaps: list[float], indents: set[int] = frozenset()) -> list[LineBox]:
    """Full-width lines of height H separated by the given vertical gaps; ``indents``: indented lines."""
    boxes = []
    y = 100.0
    for k in range(len(gaps) + 1):
        boxes.append(LineBox(160 if k in indents else 100, y, 1500, y + H))
        if k < len(gaps):
            y += H + gaps[k]
    return boxes


def test_paragraph_gaps_in_tight_single_spacing():
    # Detector boxes overlap a little within paragraphs; a blank line leaves only half a line of gap.
    boxes = rows_with_gaps([-4, 15, -4, -4, 15, -4])
    assert [len(p.lines) for p in layout(boxes)] == [2, 3, 2]


def test_double_spacing_is_not_a_paragraph_break():
    boxes = rows_with_gaps([13] * 7, indents={0, 4})
    assert [len(p.lines) for p in layout(boxes)] == [4, 4]


def test_one_line_items_separated_by_blank_lines():
    boxes = rows_with_gaps([20] * 4)
    assert [len(p.lines) for p in layout(boxes)] == [1] * 5


def quad(box: LineBox, degrees: float, centre: tuple[float, float] = (800, 600)) -> list[tuple[float, float]]:
    """The corners of ``box`` turned by ``degrees`` about ``centre``, as a detector reports a skewed line."""
    a = math.radians(degrees)
    cx, cy = centre
    pts = [(box.x1, box.y1), (box.x2, box.y1), (box.x2, box.y2), (box.x1, box.y2)]
    return [
        (
            cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
            cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a),
        )
        for x, y in pts
    ]


def test_skewed_scan_is_straightened_before_ordering():
    left = column(100, 760, 200, [5, 4])
    right = column(840, 1500, 200, [4, 5])
    boxes = left + right
    for degrees in (2.0, -2.0):
        quads = [quad(b, degrees) for b in boxes]
        naive = [LineBox.from_points(q) for q in quads]
        # Unstraightened, the tilted rectangles of neighbouring lines overlap and rows merge:
        assert [len(p.lines) for p in layout(naive)] != [5, 4, 4, 5]
        straight = boxes_from_quads(quads)
        assert reading_order(straight) == list(range(len(boxes)))
        assert [len(p.lines) for p in layout(straight)] == [5, 4, 4, 5]
    upright = [quad(b, 0.0) for b in boxes]
    assert boxes_from_quads(upright) == [LineBox.from_points(q) for q in upright]


def test_journal_page_with_running_head_title_columns_footnote_and_folio():
    head = [LineBox(100, 40, 600, 70), LineBox(1400, 40, 1500, 70)]  # "Journal of Archives 12(3)"   "217"
    title = [LineBox(300, 120, 1300, 180)]
    left = column(100, 760, 240, [6, 5])
    right = column(840, 1500, 240, [5, 6])
    footnote = [LineBox(100, 760, 1500, 785), LineBox(100, 790, 1200, 815)]
    folio = [LineBox(780, 860, 820, 890)]
    boxes = head + title + left + right + footnote + folio
    mixed, where = shuffled(boxes, seed=21)
    assert reading_order(mixed) == where
    paras = layout(mixed)
    assert [p.label for p in paras] == [TEXT, TEXT, TITLE] + [TEXT] * 6
    assert paras[-2].lines == (where[-3], where[-2]) and paras[-1].lines == (where[-1],)


def test_four_columns_whose_detector_boxes_almost_touch():
    # A magazine spread: 2.5 mm gutters at 300 dpi, and the detector's boxes reach into them from
    # both sides, leaving 3 px between the boxes of neighbouring columns.
    cols = [column(x, x + 420, 150, [7, 6, 8]) for x in (100, 523, 946, 1369)]
    boxes = [b for c in cols for b in c]
    mixed, where = shuffled(boxes, seed=11)
    assert reading_order(mixed) == where
    assert len(columns(mixed)) == 4


def test_a_narrow_gap_between_words_on_a_few_lines_is_no_gutter():
    # One column whose detector split three lines at nearly the same place (wide word spaces).
    boxes = [LineBox(100, 100 + k * PITCH, 1500, 100 + k * PITCH + H) for k in range(12)]
    for k in (3, 4, 5):
        y = 100 + k * PITCH
        boxes[k] = LineBox(100, y, 796 + k, y + H)
        boxes.append(LineBox(800 + k, y, 1500, y + H))
    assert len(columns(boxes)) == 1
    assert [len(row) for row in columns(boxes)[0]][3:6] == [2, 2, 2]


def test_a_drop_cap_opens_its_first_line_and_keeps_the_paragraph_whole():
    body = column(160, 900, 100, [6])
    cap = LineBox(100, 100, 150, 100 + 2 * PITCH + H)  # three lines tall, at the left margin
    boxes = [cap, *body]
    texts = {0: "A", 1: "rchives hold", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    mixed, where = shuffled(boxes, seed=3)
    shuffled_texts = {where[i]: t for i, t in texts.items()}
    [para] = layout(mixed, shuffled_texts)
    assert para.label == TEXT
    assert para.lines[:2] == (where[0], where[1])
    assert row_text(para.rows[0], mixed, shuffled_texts) == "Archives hold"


def test_a_drop_cap_that_is_a_word_of_its_own_keeps_its_space():
    # The WSJ page (scribe-multicol-08): a five-line "I", then "LIKE walking down the": the cap is
    # the word "I" (I + LIKE is no word, LIKE is); "T" + "HE" and "A" + "rchives" stay one word.
    body = column(160, 900, 100, [6])
    cap = LineBox(100, 100, 150, 100 + 2 * PITCH + H)
    boxes = [cap, *body]
    for letter, line, want in [
        ("I", "LIKE walking down the", "I LIKE walking down the"),
        ("T", "HE village was quiet", "THE village was quiet"),
        ("A", "rchives hold", "Archives hold"),
        ("I", "N the beginning", "IN the beginning"),
    ]:
        texts = {0: letter, 1: line}
        assert row_text([0, 1], boxes, texts) == want


def test_lettering_as_tall_as_a_drop_cap_is_a_word_of_its_own():
    # The research note (scribe-multicol-01): a graphic's "US" over "ELECTION 2016" stands beside
    # the first paragraph like a drop cap; it read "USPresidential and Senate races".
    body = [LineBox(170, 100 + k * PITCH, 900, 100 + k * PITCH + H) for k in range(4)]
    cap = LineBox(100, 100, 160, 100 + 2 * PITCH + H)
    texts = {0: "US", 1: "Presidential and Senate races"}
    assert row_text([0, 1], [cap, *body], texts) == "US Presidential and Senate races"


def test_a_compound_hyphen_or_a_dash_at_a_line_end_stays():
    # Lines of the WSJ page (scribe-multicol-08) as RapidOCR reads them: the em dash of "shoots—"
    # is read as a hyphen; a compound's own hyphen and a dash are kept, words split are mended.
    assert join_lines(["wears a scratched-", "but-handsome Rolex"]) == "wears a scratched-but-handsome Rolex"
    assert join_lines(["old watches in shoots-", "he appreciates"]) == "old watches in shoots-he appreciates"
    assert (
        join_lines(["old watches in shoots\u2014", "he appreciates"])
        == "old watches in shoots\u2014he appreciates"
    )
    assert join_lines(["a well-", "known dealer"]) == "a well-known dealer"
    assert join_lines(["once-lumi-", "nous hands"]) == "once-luminous hands"
    assert join_lines(["most be-", "loved models"]) == "most beloved models"
    assert join_lines(["appeals to Bin-", "stock."]) == "appeals to Binstock."  # a name split
    assert join_lines(["can sup-", "ply the look"]) == "can supply the look"
    assert join_lines(["so-called", "“tropical”"]) == "so-called “tropical”"


def test_a_line_end_hyphen_the_paragraph_prints_within_a_line_stays():
    # The research note (scribe-multicol-01): "pharma-" / "bio pricing" is the compound the same
    # paragraph prints as "pharma-bio" two lines on (neither half is in the dictionary).
    lines = [
        "could chair committees to investigate pharma-",
        "bio pricing. If not, it would be",
        "positive for pharma-bio. Prop 61",
    ]
    assert join_lines(lines) == (
        "could chair committees to investigate pharma-bio pricing. If not, it would be positive for pharma-bio. Prop 61"
    )
    assert (
        join_lines(lines[:2])
        == "could chair committees to investigate pharmabio pricing. If not, it would be"
    )
    assert (
        join_lines(["The archive is digi-", "tised; digitised in part."])
        == "The archive is digitised; digitised in part."
    )


def test_a_line_over_another_is_its_own_row():
    # An initial grown into its line's box reaches down beside the next line: still two rows.
    tall = LineBox(100, 100, 900, 100 + 2.5 * H)
    below = LineBox(110, 100 + 1.6 * H, 900, 100 + 2.6 * H)
    assert [len(r) for r in columns([tall, below])[0]] == [1, 1]


def test_running_header_and_page_number_stay_out_of_the_columns():
    header = LineBox(100, 20, 700, 20 + H)  # running header in the top band, small type
    left = column(100, 700, 150, [8, 8])
    right = column(800, 1400, 150, [8, 8])
    number = LineBox(380, 1960, 420, 1960 + H)  # page number under the first column
    boxes = [header, *left, *right, number]
    pieces = page_pieces(boxes, page_height=2000)
    assert [kind for kind, _ in pieces] == ["header", "body", "body", "footer"]
    assert pieces[0][1] == [[0]] and pieces[-1][1] == [[len(boxes) - 1]]
    assert furniture_label("footer", "– 12 –") == "page_number"
    assert furniture_label("footer", "xiv") == "page_number"
    assert furniture_label("header", "Berlinische Monatsschrift") == "header"


def test_a_title_at_the_top_of_the_page_is_no_header():
    title = LineBox(300, 20, 1200, 20 + 2 * H)
    body = column(100, 1400, 150, [8, 8])
    assert [kind for kind, _ in page_pieces([title, *body], page_height=2000)] == ["body"]


def test_short_last_line_of_a_full_width_item_stays_with_it_over_two_columns():
    """A full-width list item ends in a short line left of the gutter of the two columns below: that
    line is its item's last line, not a column of its own (LinnSequencer sheet)."""
    item = [LineBox(100, 40, 1900, 40 + H), LineBox(130, 40 + PITCH, 1850, 40 + PITCH + H)]
    tail = LineBox(130, 40 + 2 * PITCH, 400, 40 + 2 * PITCH + H)
    after = LineBox(100, 40 + 3 * PITCH, 1700, 40 + 3 * PITCH + H)
    top = 40 + 4 * PITCH + 60
    boxes = [*item, tail, after, *column(100, 980, top, [6, 5]), *column(1020, 1900, top, [5, 6])]
    texts = {
        0: "• Each of the sequences contains tracks.",
        1: "Each track may be assigned to one of 16 polyphonic",
    }
    texts |= {2: "synthesizers!", 3: "• Ultra-fast disk drive stores complex songs"}
    texts |= {i: "body text of a column that runs on" for i in range(4, len(boxes))}
    pieces = columns(boxes)
    [piece] = [p for p in pieces if any(2 in row for row in p)]
    assert [i for row in piece for i in row][:4] == [0, 1, 2, 3]
    paras = layout(boxes, texts)
    assert [p.lines for p in paras[:2]] == [(0, 1, 2), (3,)]
    assert reading_order(boxes)[4] == 4  # the columns follow, the left one first


def test_a_line_reaching_alone_past_the_column_does_not_cut_its_paragraphs():
    """One line reaching far past the right edge of the others (a footer across the page) is no
    measure of the column: lines of a ragged paragraph that end a word short of the others stay
    together."""
    ends = [1800, 1760, 1790, 1740, 1800, 1770, 1750, 1790, 1760, 1780]
    boxes = [LineBox(100, 40 + k * PITCH, x2, 40 + k * PITCH + H) for k, x2 in enumerate(ends)]
    boxes.append(LineBox(20, 40 + 12 * PITCH, 2400, 40 + 12 * PITCH + H))  # set apart below
    texts = {k: "word " * 28 for k in range(10)} | {10: "page one of nine"}
    [para, *_] = group_paragraphs([[i] for i in range(len(boxes))], boxes, body_height(boxes), texts)
    assert para.lines == tuple(range(10))


def test_page_number_in_parentheses_on_a_book_scan_with_wide_margins_is_a_header():
    """OCR-D's Kant page 484: "( 484 )" stands 13% down the scan (the book's margin and the
    scanner's bed above it), and its parentheses make its box 1.5 lines tall: neither the page-edge
    band nor the height limit let it be furniture, and it came out as a "## (484 )" heading. The
    band is now measured from the text's top, and a narrow line may stand taller."""
    number = LineBox(826, 275, 826 + 4.3 * H, 275 + 1.5 * H)  # 4.3 lines wide, 1.5 tall
    body = column(520, 1340, 275 + 1.5 * H + 1.2 * H, [10, 10])
    pieces = page_pieces([number, *body], page_height=2084)
    assert [kind for kind, _ in pieces] == ["header", "body"]
    assert pieces[0][1] == [[0]]
    assert furniture_label("header", "( 484 )") == "page_number"


def test_footer_group_is_the_lines_under_the_last_gap():
    """Wikipedia printout: the last text line lies in the bottom band too, with the footer ("1 of 9",
    the date) 1.7 lines under it. The whole band's lines were taken as one group (no white above
    it), so no footer was found; the group is now the lines below the last line-high gap."""
    body = column(180, 2280, 200, [12, 12, 12])
    last = body[-1].y2
    left = LineBox(24, last + 1.7 * H, 166, last + 2.6 * H)
    right = LineBox(2117, last + 1.9 * H, 2449, last + 2.6 * H)
    boxes = [*body, left, right]
    page_height = right.y2 + 20
    pieces = page_pieces(boxes, page_height=page_height)
    assert [kind for kind, _ in pieces][-1] == "footer"
    assert sorted(i for row in pieces[-1][1] for i in row) == [len(body), len(body) + 1]


def test_model_footer_needs_less_white_than_the_rules():
    """A bottom line half a line under the text is a footer only where the layout model says so."""
    body = column(100, 1400, 100, [10, 10])
    foot = LineBox(100, body[-1].y2 + 0.6 * H, 400, body[-1].y2 + 1.6 * H)
    boxes = [*body, foot]
    assert [kind for kind, _ in page_pieces(boxes, page_height=2000)][-1] == "body"
    region = (80, foot.y1 - 5, 420, foot.y2 + 5)
    assert [kind for kind, _ in page_pieces(boxes, 2000, footers=[region])][-1] == "footer"


def test_first_line_with_a_raised_initial_is_no_heading():
    """Kant p. 483: the paragraph's first line holds a large initial that makes its box 1.4 lines
    tall and reaches down into the next line's box. It was cut off as a "##" heading; a taller
    row reaching into the next is its paragraph's first line."""
    first = LineBox(100, 100, 1400, 100 + 1.4 * H)
    rest = [LineBox(100, 130 + k * PITCH, 1400 if k < 4 else 600, 130 + k * PITCH + H) for k in range(5)]
    boxes = [first, *rest]
    texts = {0: "Aufklärung", **{k: "ist der" for k in range(1, 6)}}  # too short to judge type by
    paras = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes), texts)
    assert len(paras) == 1 and paras[0].label == TEXT


def test_heading_standing_clear_of_its_text_stays_a_heading():
    head = LineBox(100, 100, 700, 100 + 1.4 * H)
    body = column(100, 1400, head.y2 + 0.5 * H, [6])
    boxes = [head, *body]
    texts = {0: "Was ist", **{k: "ist der" for k in range(1, 7)}}
    paras = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes), texts)
    assert paras[0].rows == ((0,),) and paras[0].label == SUB_TITLE


def test_model_title_makes_a_body_size_line_a_heading():
    """LinnSequencer: "Recording a Sequence" is bold at the body's size; the layout model's title
    box over it makes it a heading, and nothing else changes."""
    head = LineBox(130, 100, 700, 100 + H)
    body = column(130, 1400, 100 + PITCH + 10, [6])
    boxes = [head, *body]
    plain = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes))
    hinted = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes), titles=[(120, 95, 720, 135)])
    assert plain[0].label == TEXT
    assert [p.label for p in hinted] == [SUB_TITLE, TEXT]
    assert [p.rows for p in plain] == [p.rows for p in hinted]


def test_centred_heading_over_two_lines_is_one_heading():
    """New York Times front page: the deck "State and Federal Prosecutors Have Multiple /
    Investigations Surrounding Trump" is centred, so its second line starts further in; that was
    taken for a first-line indent and the deck came out as two headings."""
    deck = [LineBox(100, 100, 1500, 100 + 1.5 * H), LineBox(400, 100 + 1.6 * H, 1200, 100 + 3.1 * H)]
    body = column(100, 1500, 100 + 4 * H, [8])
    boxes = [*deck, *body]
    paras = group_paragraphs(columns(boxes)[0], boxes, body_height(boxes))
    assert paras[0].rows == ((0,), (1,)) and paras[0].label in (TITLE, SUB_TITLE)
    assert paras[1].rows[0] == (2,)


def test_a_tag_in_the_models_page_header_over_the_pages_headline_is_no_heading():
    # The research note (scribe-multicol-01): the layout model calls the top corner's "UPDATE"
    # (1.35 body lines tall, over the sidebar) a page header; the headline below stands 1.7 times
    # taller. It came out as "## UPDATE" between the body and the sidebar.
    tag = LineBox(1719, 128, 1868, 171)
    headline = LineBox(128, 377, 1026, 450)
    sidebar = [LineBox(1249, 277 + 30 * k, 1700, 277 + 30 * k + 32) for k in range(6)]
    boxes = [tag, headline, *sidebar]
    texts = {0: "UPDATE", 1: "Elections mark start of next", **{2 + k: "EQUITY ANALYST" for k in range(6)}}
    rows = [[0], *([2 + k] for k in range(6))]
    h = body_height(sidebar)
    header_box = (1725.0, 115.0, 1861.0, 165.0)
    [tag_para, *_rest] = group_paragraphs(rows, boxes, h, texts, headers=[header_box])
    assert tag_para.lines == (0,) and tag_para.label == TEXT
    assert group_paragraphs(rows, boxes, h, texts)[0].label == SUB_TITLE  # without the model's box
    # A page whose top line is its largest type keeps its heading in the model's header box.
    title = LineBox(1300, 128, 1700, 200)
    boxes[0] = title
    assert group_paragraphs(rows, boxes, h, texts, headers=[(1290.0, 120.0, 1710.0, 210.0)])[0].label == TITLE
