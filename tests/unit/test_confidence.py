"""Engine confidences -> doubtful words of the page text, and how they follow the text."""

from __future__ import annotations

import pytest

from desktop_ocr.model.confidence import carry_over, scored_words, token_char_scores, words_of
from desktop_ocr.model.result import PageResult, ScoredWord


def _marked(text: str, words: list[ScoredWord]) -> list[tuple[str, float]]:
    return [(text[w.start : w.end], w.score) for w in words]


def test_a_word_is_as_sure_as_its_least_sure_character():
    text = "The qnick fox."
    scores = [0.99] * len(text)
    scores[5] = 0.41  # the "n" of "qnick"
    scores[6] = 0.7
    assert _marked(text, scored_words(text, scores)) == [("qnick", 0.41)]


def test_a_doubtful_punctuation_mark_marks_the_word_it_touches():
    text = "end; next"
    scores = [1.0] * len(text)
    scores[3] = 0.5  # ";"
    assert _marked(text, scored_words(text, scores)) == [("end", 0.5)]


def test_sure_words_are_not_kept_and_the_limit_is_a_parameter():
    text = "alpha beta"
    scores = [0.96] * 5 + [1.0] + [0.9] * 4
    assert _marked(text, scored_words(text, scores)) == [("beta", 0.9)]
    assert _marked(text, scored_words(text, scores, below=0.97)) == [("alpha", 0.96), ("beta", 0.9)]


def test_words_split_cjk_characters_and_keep_inner_apostrophes_and_hyphens():
    text = "don't well-known 文字認識 x_y"
    assert [text[a:b] for a, b in words_of(text)] == ["don't", "well-known", "文", "字", "認", "識", "x", "y"]


def test_scores_must_match_the_text():
    with pytest.raises(ValueError):
        scored_words("abc", [1.0, 1.0])


def test_carry_over_keeps_unchanged_words_and_drops_corrected_ones():
    source = "Tbe cat sat on the rnat.\nIt was warrn."
    scores = [1.0] * len(source)
    for word in ("Tbe", "rnat", "warrn"):
        i = source.index(word)
        scores[i : i + len(word)] = [0.4] * len(word)
    words = scored_words(source, scores)
    # the user corrected "rnat" and put a paragraph before the text
    target = "A new line.\n\nTbe cat sat on the mat. It was warrn."
    assert _marked(target, carry_over(source, words, target)) == [("Tbe", 0.4), ("warrn", 0.4)]


def test_carry_over_of_the_same_text_is_the_same_words():
    words = [ScoredWord(0, 3, 0.5)]
    assert carry_over("abc def", words, "abc def") == words
    assert carry_over("abc def", [], "xyz") == []


def test_a_word_moved_elsewhere_keeps_its_mark_only_where_the_sequence_matches():
    source = "one two three"
    words = [ScoredWord(4, 7, 0.3)]  # "two"
    assert carry_over(source, words, "two one three") == []  # "one" and "three" are the kept sequence
    assert _marked("one two three four", carry_over(source, words, "one two three four")) == [("two", 0.3)]


def test_token_pieces_give_each_character_its_tokens_score():
    text, scores = token_char_scores([("He", 0.9), ("llo", 0.5), (" 字", 0.2)])
    assert text == "Hello 字"
    assert scores == [0.9, 0.9, 0.5, 0.5, 0.5, 0.2, 0.2]
    assert _marked(text, scored_words(text, scores)) == [("Hello", 0.5), ("字", 0.2)]


def test_scored_words_survive_the_result_json():
    result = PageResult((), raw="", markdown="Tbe cat", words=(ScoredWord(0, 3, 0.412),))
    again = PageResult.from_json(result.to_json())
    assert again.words == (ScoredWord(0, 3, 0.412),)
    # results stored before there were confidences have none
    old = result.to_json()
    del old["word_scores"]
    assert PageResult.from_json(old).words == ()


@pytest.mark.parametrize(
    "bad",
    [
        "not a list",
        [[0, 3]],
        [[3, 3, 0.5]],
        [[0, 3, 1.5]],
        [[0, 3, True]],
        [[-1, 3, 0.5]],
        [[0, 99, 0.5]],  # past the end of the Markdown
        [["0", 3, 0.5]],
    ],
)
def test_damaged_scored_words_are_refused(bad):
    data = PageResult((), raw="", markdown="Tbe cat").to_json()
    data["word_scores"] = bad
    with pytest.raises(ValueError):
        PageResult.from_json(data)


def test_the_page_and_its_json_export_keep_the_marks_the_users_text_still_has():
    from desktop_ocr.export.json_ import page_json
    from desktop_ocr.model.confidence import page_words
    from desktop_ocr.model.document import Page, PageState

    md = "Tbe cat sat on the rnat."
    words = (ScoredWord(0, 3, 0.4), ScoredWord(19, 23, 0.3))
    result = PageResult((), raw=md, markdown=md, words=words)
    page = Page("p", "s", width=100, height=100, state=PageState.READ, result=result)
    assert _marked(page.text, page_words(page)) == [("Tbe", 0.4), ("rnat", 0.3)]
    page.edited_text = "Intro.\n\nTbe cat sat on the mat."
    assert _marked(page.text, page_words(page)) == [("Tbe", 0.4)]
    data = page_json(page, 1)
    assert data["uncertain_words"] == [{"start": 8, "end": 11, "text": "Tbe", "confidence": 0.4}]
    assert page_words(Page("q", "s")) == []
