"""The user's blocks in the project file: kept with the text, in every version, and in old files."""

from __future__ import annotations

import sqlite3

import pymupdf

from desktop_ocr.model import blocks as ops
from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.importer import import_paths
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.model.store import ProjectStore

BLOCKS = (
    Block("title", (Box(10, 10, 900, 60),), "# Deed of sale"),
    Block("text", (Box(10, 80, 900, 400),), "The seller, of the first part.\nThe buyer, of the second part."),
)
TEXT = "\n\n".join(b.text for b in BLOCKS)


def read_page(tmp_path):
    pdf = pymupdf.open()
    pdf.new_page(width=300, height=400).insert_text((40, 60), "Deed", fontsize=20)
    pdf.save(str(tmp_path / "deed.pdf"))
    store = ProjectStore.create(tmp_path / "p.deskocr")
    project = store.project
    assert not import_paths(project, [tmp_path / "deed.pdf"], store).problems
    page = project.documents[0].pages[0]
    project.set_result(page.id, PageResult(blocks=BLOCKS, raw="", markdown=TEXT, width=600, height=800))
    return store, project, page


def test_spans_survive_reopening_and_are_kept_in_versions(tmp_path):
    store, project, page = read_page(tmp_path)
    split = ops.split_block(page_layout(page), TEXT.index("The buyer"))
    moved = ops.set_box(split, 0, 0, Box(20, 15, 880, 70))
    project.set_text(page.id, moved.text, spans=moved.spans)
    path = store.path
    store.close()

    store, project = ProjectStore.open(path)
    page = project.documents[0].pages[0]
    assert page.spans == moved.spans
    assert page_layout(page) == moved
    assert [b.text for b in page_layout(page).blocks()] == [
        "# Deed of sale",
        "The seller, of the first part.",
        "The buyer, of the second part.",
    ]
    # a relabel alone (same text) is a change of its own, restorable from history
    relabelled = ops.relabel(moved, 0, "sub_title")
    project.set_text(page.id, relabelled.text, origin="region", spans=relabelled.spans)
    versions = store.versions(page.id)
    assert versions[0].spans == relabelled.spans and versions[0].origin == "region"
    assert versions[1].spans == moved.spans
    store.restore_version(page.id, versions[1].id)
    assert page.spans == moved.spans and page.text == moved.text
    # the engine's own version keeps the blocks found from its result
    store.restore_version(page.id, versions[-1].id)
    assert page_layout(page).spans == ops.Layout.from_blocks(TEXT, BLOCKS).spans
    store.close()


def test_restoring_an_earlier_reading_brings_back_its_blocks(tmp_path):
    """After a re-read, the first reading's version restores with its own blocks and boxes, not
    with blocks looked for in the later result (which found none, and cut the later figures)."""
    store, project, page = read_page(tmp_path)
    later = (Block("text", (Box(5, 5, 995, 995),), "Different text read in another mode."),)
    project.set_result(page.id, PageResult(blocks=later, raw="", markdown=later[0].text))
    first = store.versions(page.id)[-1]
    assert first.text == TEXT
    store.restore_version(page.id, first.id)
    assert page.text == TEXT
    assert page_layout(page) == ops.Layout.from_blocks(TEXT, BLOCKS)
    store.close()


def test_a_version_1_file_is_upgraded_and_keeps_its_text(tmp_path):
    store, project, page = read_page(tmp_path)
    project.set_text(page.id, TEXT + "\n\nSigned.")
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    conn.executescript(
        "ALTER TABLE pages DROP COLUMN spans; ALTER TABLE versions DROP COLUMN spans; PRAGMA user_version = 1;"
    )
    conn.close()

    store, project = ProjectStore.open(path)
    page = project.documents[0].pages[0]
    assert page.text.endswith("Signed.") and page.spans is None
    assert [s.label for s in page_layout(page).spans] == ["title", "text"]
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 2
    store.close()


def test_damaged_spans_fall_back_to_the_results_blocks(tmp_path):
    store, project, page = read_page(tmp_path)
    project.set_text(page.id, TEXT, spans=ops.Layout.from_blocks(TEXT, BLOCKS).spans)
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pages SET spans = '[[0, \"title\"'")
    conn.commit()
    conn.close()
    store, project = ProjectStore.open(path)
    page = project.documents[0].pages[0]
    assert page.spans is None and len(page_layout(page)) == 2
    store.close()
