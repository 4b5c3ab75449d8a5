"""Angle brackets that are text are written so that Markdown readers show them; HTML stays HTML."""

from __future__ import annotations

import time

import pytest

from desktop_ocr.export.brackets import escape_stray_brackets as esc
from desktop_ocr.export.text import markdown_to_text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("The <lazy> dog", "The &lt;lazy> dog"),
        ("if a<b and c>d", "if a&lt;b and c>d"),
        ("x <<= 2", "x &lt;&lt;= 2"),
        ("costs $5 or <lazy>$6", "costs $5 or &lt;lazy>$6"),  # no math: a digit after the dollar
        ("<lazy>\n\nNext paragraph.", "&lt;lazy>\n\nNext paragraph."),
        ("plain text", "plain text"),
    ],
)
def test_text_brackets_are_escaped(source: str, expected: str) -> None:
    assert esc(source) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "<table><tr><td>Budget</td><td>12</td></tr></table>",
        "H<sub>2</sub>O and x<sup>2</sup>, line<br>break, <br/>",
        "See <https://example.org/a?b=1> or <mail@example.org>.",
        "<!-- a comment -->",
        "Code `a<b` stays, and so does\n\n```\nif a < b: <tag>\n```\n",
        "Math $a<b$ and $$x < y$$ and \\(p<q\\) and \\[r < s\\]",
        "Already \\<escaped>",
    ],
)
def test_html_code_math_and_links_are_kept(kept: str) -> None:
    assert esc(kept) == kept


def test_a_table_with_a_stray_bracket_in_a_cell() -> None:
    source = "<table><tr><td>a<b</td><td><lazy></td></tr></table>"
    assert esc(source) == "<table><tr><td>a&lt;b</td><td>&lt;lazy></td></tr></table>"


def test_plain_text_shows_the_brackets_as_typed() -> None:
    assert markdown_to_text("The <lazy> dog, a<b") == "The <lazy> dog, a<b"
    assert markdown_to_text(esc("The <lazy> dog, a<b")) == "The <lazy> dog, a<b"


def test_unclosed_delimiters_stay_linear() -> None:
    hostile = ("$$ ` \\[ <x " * 20_000) + "<lazy>"
    t = time.perf_counter()
    out = esc(hostile)
    assert time.perf_counter() - t < 2.0
    assert out.endswith("&lt;lazy>")
