"""The real-page benchmark's metrics: normalisation, CER/WER, bag of words, PAGE-XML reading order."""

from __future__ import annotations

import hashlib
import json
import random
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "corpus"))

import fetch_corpus  # noqa: E402
import page_metrics as pm  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"


def test_cer_and_wer_count_edits_over_reference_length():
    assert pm.cer("kitten", "sitting") == pytest.approx(3 / 6)
    assert pm.cer("abc", "abc") == 0.0
    assert pm.wer("the cat sat on the mat", "the cat sat on mat") == pytest.approx(1 / 6)
    assert pm.wer("a b c", "x y z w") == pytest.approx(4 / 3)


def test_pure_python_distance_equals_rapidfuzz(monkeypatch):
    pytest.importorskip("rapidfuzz")
    rng = random.Random(7)
    pairs = [("".join(rng.choice("abc ") for _ in range(rng.randint(0, 40))),
              "".join(rng.choice("abcd ") for _ in range(rng.randint(0, 40)))) for _ in range(200)]  # fmt: skip
    fast = [pm._distance(a, b) for a, b in pairs] + [pm._distance(a.split(), b.split()) for a, b in pairs]
    monkeypatch.setattr(pm, "Levenshtein", None)
    slow = [pm._distance(a, b) for a, b in pairs] + [pm._distance(a.split(), b.split()) for a, b in pairs]
    assert fast == slow


def test_markdown_marks_become_their_text():
    md = (
        "# Title\n\n**Bold** and *it* text with\\_escape.\n\n![a figure](images/p1-fig1.png)\n\n"
        "- item one\n• item two\n\n<table><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr></table>\n\n"
        "| x | y |\n|---|---|\n| 3 | 4 |\n\n<--- Page Split --->\n\nnext &amp; last"
    )
    assert (
        pm.hyp_text(md) == "Title Bold and it text with_escape. item one item two A B 1 2 x y 3 4 next & last"
    )


def test_line_end_hyphens_are_joined_on_both_sides():
    assert pm.gt_text("in 1 liter kokend wa-\nter 1 dag") == "in 1 liter kokend water 1 dag"
    assert pm.hyp_text("kokend water") == "kokend water"
    assert pm.gt_text("FAST-\nFORWARD, 1984-\n1985") == "FAST- FORWARD, 1984- 1985"


def test_a_compound_hyphen_at_a_line_end_is_kept_without_a_space():
    # "scratched-" / "but-handsome" (the WSJ page): the next word has a hyphen of its own.
    assert pm.gt_text("wears a scratched-\nbut-handsome Rolex") == "wears a scratched-but-handsome Rolex"
    assert pm.gt_text("once-lumi-\nnous hands") == "once-luminous hands"


def test_a_word_hyphenated_at_a_line_end_counts_joined_or_with_its_hyphen():
    # The Epson page prints "machine-" / "encoded" (a compound): the GT cannot tell it from a
    # word split, so "machine-encoded" and "machineencoded" in an output score alike.
    gt = "conversion into machine-\nencoded text, or be-\nhave"
    joins = pm.hyphen_joins(gt)
    assert joins == {"machine-encoded", "be-have"}
    ref = pm.gt_text(gt)
    for out in (
        "conversion into machine-encoded text, or behave",
        "conversion into machineencoded text, or be-have",
    ):
        assert pm.score(ref, pm.hyp_text(out, joins)).cer == 0
    assert pm.score(ref, pm.hyp_text("conversion into machine-encoded text, or behave")).cer > 0


def test_snake_case_and_arithmetic_keep_their_marks():
    assert pm.hyp_text("a_b_c and 2 * 3 * 4") == "a_b_c and 2 * 3 * 4"


def test_ground_truth_markers_and_bullets():
    gt = "@furniture ( 484 )\nHeading\n• first\nsecond line\n@caption A FIGURE.\n"
    assert pm.gt_text(gt) == "( 484 ) Heading first second line A FIGURE."
    assert pm.gt_text(gt, furniture=False, captions=False) == "Heading first second line"
    assert pm.marked_lines(gt) == ["( 484 )", "A FIGURE."]


def test_folding_ignores_case_punctuation_quotes_and_old_spellings():
    assert pm.fold("“Don’t” — STOP!") == pm.fold('"don\'t" - stop')
    assert pm.fold("Aufklaͤrung iſt") == "aufklärung ist"
    assert pm.fold(unicodedata.normalize("NFD", "café")) == "café"


def test_reading_order_costs_cer_but_not_bag_of_words():
    left = "alpha beta gamma delta epsilon"
    right = "zeta eta theta iota kappa"
    s = pm.score(f"{left} {right}", f"{right} {left}")
    assert s.bow_error == 0.0
    assert s.cer > 0.5
    interleaved = pm.score(f"{left} {right}", "alpha zeta beta eta gamma theta delta iota epsilon kappa")
    assert interleaved.bow_error == 0.0 and interleaved.wer > 0.5


def test_furniture_lines_are_dropped_from_the_output_when_scoring_the_body():
    out = "( 484 )\n\nThe text of the page.\nB. Monatsschr. IV. B. 6. St. H h\n"
    kept = pm.drop_matching_lines(out, ["( 484 )", "B. Monatsſchr. IV. B. 6. St. H h"])
    assert pm.hyp_text(kept) == "The text of the page."


def test_furniture_read_as_one_line_is_cut_out_of_it():
    pytest.importorskip("rapidfuzz")
    out = (
        "Optical character recognition - Wikipedia, the free e... https://en.wikipedia.org/w/x\n\n# Optical\n"
    )
    kept = pm.drop_matching_lines(
        out, ["Optical character recognition - Wikipedia, the free e...", "https://en.wikipedia.org/w/x"]
    )
    assert pm.hyp_text(kept) == "Optical"


PAGE_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
 <Page imageFilename="x.tif" imageWidth="100" imageHeight="100">
  <ReadingOrder><OrderedGroup id="g">
   <RegionRefIndexed index="2" regionRef="r_right"/>
   <RegionRefIndexed index="0" regionRef="r_num"/>
   <RegionRefIndexed index="1" regionRef="r_cap"/>
  </OrderedGroup></ReadingOrder>
  <TextRegion id="r_cap" type="drop-capital"><TextLine id="l0"><TextEquiv><Unicode>W</Unicode></TextEquiv></TextLine></TextRegion>
  <TextRegion id="r_right" type="paragraph">
   <TextLine id="l1"><Word id="w1"><TextEquiv><Unicode>ELL,</Unicode></TextEquiv></Word>
    <Word id="w2"><TextEquiv><Unicode>then</Unicode></TextEquiv></Word></TextLine>
   <TextLine id="l2"><TextEquiv><Unicode>second line</Unicode></TextEquiv></TextLine>
  </TextRegion>
  <TextRegion id="r_num" type="page-number"><TextLine id="l3"><TextEquiv><Unicode>12</Unicode></TextEquiv></TextLine></TextRegion>
  <TextRegion id="r_extra" type="paragraph"><TextLine id="l4"><TextEquiv><Unicode>not in the order</Unicode></TextEquiv></TextLine></TextRegion>
 </Page>
</PcGts>"""


def test_page_xml_follows_reading_order_joins_drop_capitals_and_marks_furniture():
    assert fetch_corpus.page_xml_text(PAGE_XML) == (
        "@furniture 12\n\nWELL, then\nsecond line\n\nnot in the order\n"
    )


def test_committed_real_pages_match_their_manifest():
    manifest = json.loads((REAL / "MANIFEST.json").read_text(encoding="utf-8"))
    total = 0
    for page in manifest["pages"]:
        data = (REAL / page["file"]).read_bytes()
        total += len(data)
        assert hashlib.sha256(data).hexdigest() == page["sha256"], page["file"]
        gt = (REAL / page["gt"]).read_text(encoding="utf-8")
        assert gt == unicodedata.normalize("NFC", gt) and gt.strip(), page["gt"]
    assert total < 3_000_000
    corpus = json.loads((ROOT / "benchmarks" / "corpus" / "corpus.json").read_text(encoding="utf-8"))
    for entry in corpus["pages"]:
        assert entry["gt"].startswith(("tests/data/real/", "benchmarks/corpus/pages/")), entry["id"]
        if not entry["gt"].startswith("benchmarks/corpus/pages/"):  # committed GT must be there
            assert (ROOT / entry["gt"]).exists(), entry["id"]
        if "committed" in entry["source"]:
            assert (ROOT / entry["source"]["committed"]).exists(), entry["id"]


def test_boxes_are_gathered_into_lines_by_their_middles_with_sideways_text_as_furniture():
    boxes = [  # x0, y0, x1, y1, text; given out of order, a value set a little higher than its label
        (300, 98, 380, 118, "Sparrow"),
        (10, 104, 60, 120, "TO:"),
        (200, 96, 290, 118, "K.A."),
        (10, 140, 90, 156, "FROM:"),
        (10, 300, 80, 316, "after"),
        (700, 100, 712, 400, "82092117"),  # a filing number stamped up the margin
    ]
    assert fetch_corpus.boxes_text(boxes) == "TO: K.A. Sparrow\nFROM:\n\nafter\n\n@furniture 82092117\n"


def test_sroie_rows_keep_commas_in_their_text():
    data = b"72,25,326,25,326,64,72,64,NO.53 55,57 & 59, JALAN\n10,70,50,70,50,90,10,90,TOTAL\n"
    assert fetch_corpus._sroie_boxes(data) == [
        (72, 25, 326, 64, "NO.53 55,57 & 59, JALAN"),
        (10, 70, 50, 90, "TOTAL"),
    ]


def test_funsd_numbers_split_at_their_punctuation_are_joined():
    text = "09/ 17/ 97 10: 55 Fax: 614 -466 -5087 DATE: 12 /10 /98 REPS: 2. 5 Page 1 of 3"
    assert fetch_corpus.join_split_numbers(text) == (
        "09/17/97 10:55 Fax: 614-466-5087 DATE: 12/10/98 REPS: 2.5 Page 1 of 3"
    )


def test_gt_fixes_apply_in_order_and_a_stale_fix_stops_the_fetch():
    assert (
        fetch_corpus.apply_fixes("B-17-88 Iten", [["B-17", "8-17"], ["Iten", "item"]], "p") == "8-17-88 item"
    )
    with pytest.raises(ValueError, match="p: gt_fixes names 'gone'"):
        fetch_corpus.apply_fixes("text", [["gone", "x"]], "p")


def test_red_overlay_goes_print_stays_and_the_crop_keeps_its_rectangle():
    import io

    from PIL import Image

    im = Image.new("RGB", (40, 30), "white")
    for x in range(5, 35):  # a red box edge drawn by a tool, with a JPEG-ish pinkish fringe
        im.putpixel((x, 4), (230, 20, 25))
        im.putpixel((x, 5), (250, 150, 150))
    im.putpixel((10, 10), (0, 0, 0))  # print: black, grey and a dark warm brown stay
    im.putpixel((11, 10), (128, 128, 128))
    im.putpixel((12, 10), (90, 60, 50))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    data, ext = fetch_corpus.clean_and_crop(buf.getvalue(), "red-overlay", [2, 3, 20, 12])
    out = Image.open(io.BytesIO(data)).convert("RGB")
    assert ext == "png" and out.size == (18, 9)
    assert out.getpixel((10 - 2, 4 - 3)) == (255, 255, 255)
    assert out.getpixel((10 - 2, 5 - 3)) == (255, 255, 255)
    assert out.getpixel((8, 7)) == (0, 0, 0)
    assert out.getpixel((9, 7)) == (128, 128, 128)
    assert out.getpixel((10, 7)) == (90, 60, 50)
    with pytest.raises(ValueError, match="outside the 40x30 image"):
        fetch_corpus.clean_and_crop(buf.getvalue(), None, [0, 0, 41, 10])
    with pytest.raises(ValueError, match="clean step 'blue' is not known"):
        fetch_corpus.clean_and_crop(buf.getvalue(), "blue", None)
