"""Hostile project files: a real project made by the app's own store, then altered with plain sqlite3.

Each case is what someone could send: planted SQL (triggers, views, indexes, tables), values of the
wrong type or range, altered tables. The tests open every case through the store, the command line
and the window. To look at the files themselves::

    python tests/hostile/hostile_corpus.py OUTDIR
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

#: A statement that never ends: counting an endless recursive sequence.
_ENDLESS = (
    "SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)"
)


@dataclass(frozen=True)
class Case:
    name: str
    sql: tuple[str, ...]
    #: "foreign": refused until the named objects are removed; "damaged": refused naming ``field``;
    #: "opens": opens (what is damaged is left out where it is read).
    outcome: str
    field: str = ""  # the table.column (damaged) or "kind name" of one planted object (foreign)


CASES: tuple[Case, ...] = (
    # 1. planted SQL: the red team's two triggers, and every other kind of object
    Case(
        "trigger_hangs_garbage_collection",
        (
            "UPDATE pages SET document_id = NULL WHERE rowid = (SELECT max(rowid) FROM pages)",
            f"CREATE TRIGGER hang BEFORE DELETE ON pages BEGIN {_ENDLESS}; END",
        ),
        "foreign",
        "trigger hang",
    ),
    Case(
        "trigger_tampers_on_autosave",
        (
            "CREATE TRIGGER tamper AFTER UPDATE ON pages BEGIN"
            " UPDATE pages SET edited_text = 'TAMPERED' WHERE id = NEW.id; DELETE FROM versions; END",
        ),
        "foreign",
        "trigger tamper",
    ),
    Case(
        "trigger_on_insert",
        ("CREATE TRIGGER wipe AFTER INSERT ON versions BEGIN DELETE FROM versions; END",),
        "foreign",
        "trigger wipe",
    ),
    Case("view", (f"CREATE VIEW endless AS {_ENDLESS}",), "foreign", "view endless"),
    Case(
        "index_on_an_expression",
        ("CREATE INDEX slow ON pages (length(edited_text), label)",),
        "foreign",
        "index slow",
    ),
    Case("extra_table", ("CREATE TABLE notes (x)", "INSERT INTO notes VALUES (1)"), "foreign", "table notes"),
    Case(
        "our_index_redefined",
        ("DROP INDEX pages_by_document", "CREATE INDEX pages_by_document ON pages (abs(position))"),
        "foreign",
        "index pages_by_document",
    ),
    Case(
        "odd_object_name",
        ('CREATE VIEW "evil\nname; DROP TABLE pages" AS SELECT 1',),
        "foreign",
        "view evil?name; DROP TABLE pages",
    ),
    Case("statistics_table", ("ANALYZE",), "foreign", "table sqlite_stat1"),
    Case(
        "altered_table", ("ALTER TABLE documents ADD COLUMN evil TEXT DEFAULT 'x'",), "damaged", "documents"
    ),
    Case("missing_table", ("DROP TABLE versions",), "damaged", "versions"),
    # 2. values of the wrong type or range
    Case("document_name_is_binary", ("UPDATE documents SET name = x'41ff42'",), "damaged", "documents.name"),
    Case("document_name_is_a_number", ("UPDATE documents SET name = 12",), "opens"),  # stored as '12'
    Case("width_is_infinite", ("UPDATE pages SET width = 1e999",), "damaged", "pages.width"),
    Case("height_is_huge", ("UPDATE pages SET height = 9223372036854775807",), "damaged", "pages.height"),
    Case("rotation_is_odd", ("UPDATE pages SET rotation = 45",), "damaged", "pages.rotation"),
    Case("state_is_binary", ("UPDATE pages SET state = x'00'",), "damaged", "pages.state"),
    Case("state_is_unknown", ("UPDATE pages SET state = 'exploded'",), "damaged", "pages.state"),
    Case("edited_text_is_a_number", ("UPDATE pages SET edited_text = 3.5",), "opens"),  # stored as '3.5'
    Case(
        "edited_text_is_binary", ("UPDATE pages SET edited_text = x'ff00'",), "damaged", "pages.edited_text"
    ),
    Case("label_is_binary", ("UPDATE pages SET label = x'ff'",), "damaged", "pages.label"),
    Case("dpi_is_infinite", ("UPDATE meta SET value = '1e999' WHERE key = 'dpi'",), "damaged", "meta.dpi"),
    Case("dpi_is_text", ("UPDATE meta SET value = '\"high\"' WHERE key = 'dpi'",), "damaged", "meta.dpi"),
    Case("dpi_is_not_json", ("UPDATE meta SET value = 'high' WHERE key = 'dpi'",), "damaged", "meta.dpi"),
    Case("dpi_is_zero", ("UPDATE meta SET value = '0' WHERE key = 'dpi'",), "damaged", "meta.dpi"),
    Case("source_size_is_text", ("UPDATE sources SET size = 'big'",), "damaged", "sources.size"),
    Case("source_kind_is_unknown", ("UPDATE sources SET kind = 'exe'",), "damaged", "sources.kind"),
    Case("result_raw_is_binary", ("UPDATE results SET raw = x'00ff'",), "damaged", "results.raw"),
    Case("result_info_is_a_list", ("UPDATE results SET info = '[1, 2]'",), "damaged", "results.info"),
    Case(
        "result_box_is_infinite",
        ('UPDATE results SET blocks = \'[{"label": "text", "boxes": [[0, 0, 1e999, 5]], "text": "x"}]\'',),
        "damaged",
        "results.blocks",
    ),
    Case(
        "result_word_scores_outside_the_text",
        ("""UPDATE results SET info = json_set(info, '$.word_scores', json('[[0, 99999, 0.5]]'))""",),
        "damaged",
        "results.info",
    ),
    Case(
        "result_word_score_above_one",
        ("""UPDATE results SET info = json_set(info, '$.word_scores', json('[[0, 1, 7]]'))""",),
        "damaged",
        "results.info",
    ),
    Case(
        "result_info_nested_deeply",
        ("UPDATE results SET info = '" + "[" * 100_000 + "]" * 100_000 + "'",),
        "damaged",
        "results.info",
    ),
    # a damaged old version stays out of the history; the project opens
    Case("version_text_is_binary", ("UPDATE versions SET text = x'41ff' WHERE origin = 'ocr'",), "opens"),
    Case(
        "spans_are_garbage", ("UPDATE pages SET spans = 'not json' WHERE edited_text IS NOT NULL",), "opens"
    ),
)


def by_name(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def digest(path: Path) -> str:
    """The file's SHA-256: a refused or read-only project must stay byte for byte as it was."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_base(folder: Path) -> Path:
    """A real two-page project (one page read and corrected, with history), made by the app."""
    import pymupdf

    from desktop_ocr.model.importer import import_paths
    from desktop_ocr.model.result import Block, PageResult
    from desktop_ocr.model.store import ProjectStore

    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "scan.pdf"
    doc = pymupdf.open()
    for i in range(2):
        doc.new_page(width=300, height=400).insert_text((40, 60), f"Page {i + 1}", fontsize=20)
    doc.save(str(pdf))
    path = folder / "base.deskocr"
    store = ProjectStore.create(path)
    project = store.project
    assert project is not None
    outcome = import_paths(project, [pdf], store)
    assert not outcome.problems, outcome.problems
    first = project.documents[0].pages[0]
    block = Block("text", (), "Page 1")
    project.set_result(first.id, PageResult((block,), "Page 1", "Page 1", engine="fake", width=10, height=10))
    project.set_text(first.id, "Page 1, corrected")
    store.close()
    return path


def make(case: Case, base: Path, folder: Path) -> Path:
    """A copy of ``base`` altered as ``case`` says."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case.name}.deskocr"
    shutil.copyfile(base, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in case.sql:
            conn.execute(statement)
    finally:
        conn.close()
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1])
    base_file = make_base(out / "base")
    for c in CASES:
        print(make(c, base_file, out))
