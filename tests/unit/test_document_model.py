"""The in-memory document model: structure operations and change notifications."""

from __future__ import annotations

import pytest

from desktop_ocr.model.blocks import Span
from desktop_ocr.model.document import ChangeKind, Page, PageState, Project, new_id
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, Completion, PageResult


def _project(*sizes: int) -> Project:
    p = Project()
    for n, size in enumerate(sizes):
        pages = [
            Page(new_id(), "src", index=i, width=100, height=200, label=f"d{n}p{i}") for i in range(size)
        ]
        p.add_document(f"doc{n}", pages)
    return p


def _labels(p: Project) -> list[list[str]]:
    return [[pg.label for pg in d.pages] for d in p.documents]


def test_changes_are_announced():
    p = _project(2)
    seen = []
    p.subscribe(seen.append)
    page = p.documents[0].pages[0]
    p.rotate_pages([page.id], 90)
    p.set_text(page.id, "hello")
    assert [c.kind for c in seen] == [ChangeKind.PAGES, ChangeKind.TEXT]
    assert page.rotation == 90 and page.display_size == (200, 100)
    assert page.state == PageState.EDITED and page.text == "hello"


def test_move_pages_within_and_across_documents():
    p = _project(3, 2)
    a = p.documents[0]
    p.move_pages([a.pages[0].id], a.id, 3)  # first page to the end
    assert _labels(p) == [["d0p1", "d0p2", "d0p0"], ["d1p0", "d1p1"]]
    b = p.documents[1]
    p.move_pages([pg.id for pg in b.pages], a.id, 1)  # whole doc moved: it disappears
    assert _labels(p) == [["d0p1", "d1p0", "d1p1", "d0p2", "d0p0"]]
    assert all(p.document_of(pg.id).id == a.id for pg in a.pages)


def test_split_and_merge():
    p = _project(4)
    doc = p.documents[0]
    new = p.split_document(doc.id, 1)
    assert _labels(p) == [["d0p0"], ["d0p1", "d0p2", "d0p3"]]
    with pytest.raises(ValueError):
        p.split_document(doc.id, 1)
    merged = p.merge_documents([new.id, doc.id])
    assert merged.id == doc.id
    assert _labels(p) == [["d0p0", "d0p1", "d0p2", "d0p3"]]


def test_delete_pages_drops_empty_documents():
    p = _project(1, 2)
    p.delete_pages([p.documents[0].pages[0].id])
    assert _labels(p) == [["d1p0", "d1p1"]]
    assert p.page_count == 2


def test_result_then_edit_then_new_result():
    p = _project(1)
    page = p.documents[0].pages[0]
    res = PageResult(blocks=(Block("text", (Box(0, 0, 10, 10),), "hi"),), raw="hi", markdown="hi")
    p.set_result(page.id, res)
    assert page.state == PageState.READ and page.text == "hi" and not page.is_edited
    p.set_text(page.id, "hi there")
    assert page.text == "hi there" and page.state == PageState.EDITED
    p.set_result(page.id, PageResult(blocks=(), raw="x", markdown="x", completion=Completion.INCOMPLETE))
    assert page.state == PageState.INCOMPLETE and page.text == "x"


def test_an_edit_undone_back_to_the_engine_text_is_not_an_edit():
    p = _project(1)
    page = p.documents[0].pages[0]
    res = PageResult(blocks=(Block("text", (Box(0, 0, 10, 10),), "hi"),), raw="hi", markdown="hi")
    p.set_result(page.id, res)
    seen = []
    p.subscribe(seen.append)
    p.set_text(page.id, "hi there")
    p.set_text(page.id, "hi", spans=page_layout_of(page).spans)
    assert not page.is_edited and page.state == PageState.READ and page.text == "hi"
    assert [c.kind for c in seen] == [ChangeKind.TEXT, ChangeKind.TEXT]
    # the same text with other blocks (a relabel) stays an edit
    p.set_text(page.id, "hi", spans=(Span(0, "title", (Box(0, 0, 10, 10),)),))
    assert page.is_edited and page.state == PageState.EDITED


def page_layout_of(page):
    from desktop_ocr.model.blocks import Layout

    return Layout.from_blocks(page.result.markdown, page.result.blocks)


def test_rename_rejects_empty_names():
    p = _project(1)
    with pytest.raises(ValueError):
        p.rename_document(p.documents[0].id, "   ")
