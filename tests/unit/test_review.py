"""The review flow's rules: reasons for attention, next/previous, progress, find across a document."""

from __future__ import annotations

import pytest

from desktop_ocr.model import review
from desktop_ocr.model.document import Page, PageState, Project, new_id
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, Completion, PageResult


def result(*texts: str, completion: Completion = Completion.COMPLETE) -> PageResult:
    blocks = tuple(Block("text", (Box(0, 100 * i, 999, 100 * i + 90),), t) for i, t in enumerate(texts))
    return PageResult(blocks=blocks, raw="", markdown="\n\n".join(texts), completion=completion)


def project_with(n_docs: int = 1, n_pages: int = 4) -> Project:
    project = Project()
    for d in range(n_docs):
        pages = [Page(new_id(), "src", index=i, label=f"d{d} p{i + 1}") for i in range(n_pages)]
        project.add_document(f"doc {d}", pages)
    return project


def read_all(project: Project) -> None:
    for p in project.all_pages():
        project.set_result(p.id, result(f"Text of {p.label}."))


def test_reasons_follow_the_page_state():
    project = project_with(n_pages=1)
    page = next(project.all_pages())
    assert review.needs_attention(page) == [review.NOT_READ, review.NOT_REVIEWED]
    project.set_result(page.id, result("Hello."))
    assert review.needs_attention(page) == [review.NOT_REVIEWED]
    project.set_text(page.id, "Hello, world.")
    assert review.needs_attention(page) == [review.EDITED, review.NOT_REVIEWED]
    project.set_reviewed([page.id])
    assert review.needs_attention(page) == []
    project.set_result(page.id, result("Loop loop loop", completion=Completion.INCOMPLETE))
    assert page.state == PageState.INCOMPLETE
    assert review.needs_attention(page) == [review.INCOMPLETE, review.NOT_REVIEWED]
    project.set_reviewed([page.id])
    assert review.needs_attention(page) == []
    project.set_state([page.id], PageState.FAILED, "out of memory")
    assert review.needs_attention(page) == [review.FAILED]  # reviewed, but failed since


def test_an_edited_incomplete_page_still_says_incomplete():
    project = project_with(n_pages=1)
    page = next(project.all_pages())
    project.set_result(page.id, result("a a a a", completion=Completion.INCOMPLETE))
    project.set_text(page.id, "a")
    assert page.state == PageState.EDITED
    assert review.needs_attention(page) == [review.INCOMPLETE, review.EDITED, review.NOT_REVIEWED]


def test_next_and_previous_skip_reviewed_pages_and_wrap():
    project = project_with(n_pages=5)
    read_all(project)
    ids = [p.id for p in project.all_pages()]
    project.set_reviewed([ids[1], ids[2], ids[4]])
    assert review.next_attention(project, ids[0], +1) == ids[3]
    assert review.next_attention(project, ids[3], +1) == ids[0]  # wraps past the end
    assert review.next_attention(project, ids[3], -1) == ids[0]
    assert review.next_attention(project, ids[0], -1) == ids[3]  # wraps past the start
    assert review.next_attention(project, None, +1) == ids[0]
    assert review.next_attention(project, None, -1) == ids[3]
    project.set_reviewed([ids[0]])
    assert review.next_attention(project, ids[3], +1) is None  # only the starting page is left
    project.set_reviewed([ids[3]])
    assert review.next_attention(project, ids[0], +1) is None
    assert review.next_attention(Project(), None) is None


def test_next_attention_within_one_document_or_across_all():
    project = project_with(n_docs=2, n_pages=2)
    read_all(project)
    d0, d1 = project.documents
    project.set_reviewed([d0.pages[1].id])
    start = d0.pages[0].id
    assert review.next_attention(project, start, +1) == d1.pages[0].id
    assert review.next_attention(project, start, +1, document_id=d0.id) is None
    project.set_state([d1.pages[1].id], PageState.FAILED, "bad")
    assert review.next_attention(project, d1.pages[1].id, -1, document_id=d1.id) == d1.pages[0].id


def test_document_progress_counts_reviewed_pages():
    project = project_with(n_docs=2, n_pages=3)
    d0, d1 = project.documents
    assert review.document_progress(d0) == (0, 3)
    project.set_reviewed([d0.pages[0].id, d0.pages[2].id])
    assert review.document_progress(d0) == (2, 3)
    assert review.document_progress(d1) == (0, 3)
    assert review.attention_count(d0) == 1
    project.set_reviewed([d0.pages[0].id], False)
    assert review.document_progress(d0) == (1, 3)


def test_find_reports_page_range_and_block():
    project = project_with(n_pages=3)
    p1, p2, p3 = project.documents[0].pages
    project.set_result(
        p1.id, result("# The Harbour", "Ships came in at dawn.", "The harbour master wrote it.")
    )
    project.set_result(p2.id, result("Nothing here."))
    project.set_result(p3.id, result("A harbour again."))
    hits = review.find_in_document(project.documents[0], "harbour")
    assert [(h.page_id, h.block_index) for h in hits] == [(p1.id, 0), (p1.id, 2), (p3.id, 0)]
    for h in hits:
        assert project.page(h.page_id).text[h.start : h.end].lower() == "harbour"
    assert [h.page_id for h in review.find_in_document(project.documents[0], "harbour", case=True)] == [
        p1.id,
        p3.id,
    ]


def test_find_follows_the_users_edits_and_blocks_move_with_them():
    project = project_with(n_pages=1)
    page = project.documents[0].pages[0]
    project.set_result(page.id, result("First block.", "Second block with a ledger."))
    project.set_text(
        page.id, "Inserted paragraph about a ledger.\n\nFirst block.\n\nSecond block with a ledger."
    )
    hits = review.find_in_document(project.documents[0], "ledger")
    assert [h.block_index for h in hits] == [None, 1]  # the first is before any result block
    assert page.text[hits[1].start : hits[1].end] == "ledger"
    assert hits[1].start > page.text.index("Second block")


def test_find_with_regular_expressions():
    project = project_with(n_pages=1)
    page = project.documents[0].pages[0]
    project.set_result(page.id, result("Invoice 2023-04", "Invoice 2024-11"))
    hits = review.find_in_document(project.documents[0], r"\d{4}-\d{2}", regex=True)
    assert [page.text[h.start : h.end] for h in hits] == ["2023-04", "2024-11"]
    assert [h.block_index for h in hits] == [0, 1]
    # a regex's characters are literal without regex=True
    assert review.find_in_document(project.documents[0], r"\d{4}") == []
    assert review.find_in_document(project.documents[0], "^", regex=True) == []  # empty matches skipped
    assert review.find_in_document(project.documents[0], "") == []
    with pytest.raises(ValueError, match="regular expression"):
        review.find_in_document(project.documents[0], "(unclosed", regex=True)


def test_context_is_one_line_with_ellipses():
    text = "alpha beta\ngamma delta epsilon zeta eta theta"
    start = text.index("delta")
    before, hit, after = review.context(text, start, start + 5, width=8)
    assert hit == "delta"
    assert before.startswith("…") and "\n" not in before and before.endswith(" ")
    assert after.startswith(" ") and after.endswith("…")
    assert review.context("delta", 0, 5) == ("", "delta", "")
