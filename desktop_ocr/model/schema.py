"""The project file's schema, and the checks that a file from elsewhere holds only it and sane values. No Qt.

A project file travels between people, so it is read as untrusted input: before the app writes to
it, every table, index, trigger and view in it must be one the app itself made (a planted trigger
would run with the app's own writes; a view or index may run arbitrary SQL), and every stored value
is checked for its type and range as it is loaded.
"""

from __future__ import annotations

import functools
import math
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_ocr.messages import QT_TRANSLATE_NOOP, Message, join_list

SCHEMA_VERSION = 2
APPLICATION_ID = 0x44534F43  # "DSOC"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, complete INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS blob_chunks (
    sha256 TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (sha256, seq));
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, page_count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id TEXT PRIMARY KEY, document_id TEXT, position INTEGER NOT NULL, source_id TEXT NOT NULL,
    idx INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, rotation INTEGER NOT NULL,
    state TEXT NOT NULL, reviewed INTEGER NOT NULL, error TEXT NOT NULL, edited_text TEXT,
    label TEXT NOT NULL, result_id INTEGER, spans TEXT);
CREATE INDEX IF NOT EXISTS pages_by_document ON pages (document_id, position);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY AUTOINCREMENT, page_id TEXT NOT NULL, created REAL NOT NULL,
    engine TEXT NOT NULL, model TEXT NOT NULL, mode TEXT NOT NULL, prompt TEXT NOT NULL,
    completion TEXT NOT NULL, raw TEXT NOT NULL, markdown TEXT NOT NULL, blocks TEXT NOT NULL,
    info TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS results_by_page ON results (page_id, id);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, page_id TEXT NOT NULL, origin TEXT NOT NULL, text TEXT NOT NULL,
    created REAL NOT NULL, updated REAL NOT NULL, result_id INTEGER, spans TEXT);
CREATE INDEX IF NOT EXISTS versions_by_page ON versions (page_id, id);
"""

#: Column definitions each schema version added (``ALTER TABLE ... ADD COLUMN``): absent before it.
ADDED_COLUMNS: dict[int, dict[str, str]] = {2: {"pages": "spans TEXT", "versions": "spans TEXT"}}

#: Objects SQLite makes itself: the AUTOINCREMENT counters and the indexes of primary keys.
_INTERNAL_TABLES = {"sqlite_sequence"}
_AUTOINDEX = re.compile(r"sqlite_autoindex_(\w+)_\d+")


class ProjectError(Exception):
    """A project file that cannot be opened or written; the message says why."""


@dataclass(frozen=True, slots=True)
class ForeignObject:
    """A table, index, trigger or view in a project file that the app did not make."""

    kind: str  # "trigger", "view", "index", "table"
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {_shown(self.name)}"


class ForeignSchema(ProjectError):
    """The file holds SQL objects the app did not make; it opens only once they are removed."""

    def __init__(self, file_name: str, objects: Iterable[ForeignObject]) -> None:
        self.objects = tuple(objects)
        shown = [str(o) for o in self.objects[:5]]
        if len(self.objects) > 5:
            shown.append(QT_TRANSLATE_NOOP("Project", "{n} more").format(n=len(self.objects) - 5))
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Project",
                "{name} contains SQL that this app did not write ({objects}); it was not opened.",
            ).format(name=file_name, objects=join_list(shown))
        )
        self.file_name = file_name


class DamagedValue(ValueError):
    """A stored value of the wrong type or out of range: ``field`` names the table and column."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(f"{field}: {describe(value)}")
        self.field = field
        self.value = value


def _shown(name: str) -> str:
    """A name from the file, safe to show on one line."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean if len(clean) <= 40 else clean[:39] + "…"


def describe(value: object) -> str:
    """A short, printable description of a stored value (for messages)."""
    if isinstance(value, bytes):
        return f"binary data of {len(value)} bytes"
    if value is None:
        return "nothing (NULL)"
    text = _shown(repr(value))
    return f"{text} ({type(value).__name__})"


# --- the schema -------------------------------------------------------------------------------------


def _norm(sql: str) -> str:
    """SQL text with the spacing made uniform (SQLite stores what it was given, minus IF NOT EXISTS)."""
    sql = re.sub(r"\s+", " ", sql.strip())
    sql = re.sub(r"\s*([(),;])\s*", r"\1", sql)
    return re.sub(r"(?i)\bIF NOT EXISTS\b ?", "", sql)


@functools.cache
def expected_objects(version: int) -> dict[str, tuple[str, str]]:
    """name -> (type, normalised SQL) of everything a file of schema ``version`` holds."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(SCHEMA)
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    finally:
        conn.close()
    out = {name: (kind, _norm(sql)) for kind, name, sql in rows if name not in _INTERNAL_TABLES}
    for added_in in range(SCHEMA_VERSION, version, -1):
        for table, column in ADDED_COLUMNS.get(added_in, {}).items():
            kind, sql = out[table]
            out[table] = (kind, sql.replace("," + _norm(column) + ")", ")"))
    return out


def inspect(conn: sqlite3.Connection, version: int) -> tuple[list[ForeignObject], list[str]]:
    """What in the file is not the app's: (objects that can be dropped, tables that are altered or missing)."""
    expected = expected_objects(min(version, SCHEMA_VERSION))
    foreign: list[ForeignObject] = []
    damaged: list[str] = []
    seen: set[str] = set()
    for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"):
        kind, name = str(kind), str(name)
        if kind == "table" and name in _INTERNAL_TABLES:
            continue
        auto = _AUTOINDEX.fullmatch(name)
        if kind == "index" and sql is None and auto and table in expected:
            continue
        want = expected.get(name)
        if want is not None and want == (kind, _norm(str(sql or ""))):
            seen.add(name)
        elif want is not None and want[0] == "table":
            damaged.append(name)  # one of ours, altered: it cannot be dropped
        else:
            foreign.append(ForeignObject(kind, name))
    damaged += [
        name for name, (kind, _sql) in expected.items() if kind == "table" and name not in seen | set(damaged)
    ]
    return foreign, damaged


_DROP_ORDER = {"trigger": 0, "view": 1, "index": 2, "table": 3}


def drop_foreign(conn: sqlite3.Connection, objects: Iterable[ForeignObject]) -> None:
    """Remove ``objects`` and put back the app's own indexes (the caller holds a transaction)."""
    for obj in sorted(objects, key=lambda o: _DROP_ORDER.get(o.kind, 9)):
        if obj.kind not in _DROP_ORDER:
            raise sqlite3.DatabaseError(f"cannot remove {obj}")
        quoted = '"' + obj.name.replace('"', '""') + '"'
        conn.execute(f"DROP {obj.kind.upper()} IF EXISTS {quoted}")
    for statement in SCHEMA.split(";"):
        if "CREATE INDEX" in statement:
            conn.execute(statement)


def damaged_tables_message(file_name: str, tables: list[str]) -> Message:
    return QT_TRANSLATE_NOOP(
        "Project", "{name} is damaged: its tables {tables} are missing or were altered; it was not opened."
    ).format(name=file_name, tables=", ".join(_shown(t) for t in tables))


# --- stored values --------------------------------------------------------------------------------

#: The largest page side, in pixels, a stored page may claim (sources.py refuses far smaller).
MAX_SIDE = 1 << 20
MAX_COUNT = 1 << 31


def text(value: object, field: str, *, optional: bool = False) -> str:
    if isinstance(value, str) or (optional and value is None):
        return value  # type: ignore[return-value]
    raise DamagedValue(field, value)


def integer(value: object, field: str, low: int = 0, high: int = MAX_COUNT, *, optional: bool = False) -> int:
    if optional and value is None:
        return value  # type: ignore[return-value]
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise DamagedValue(field, value)


def real(value: object, field: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise DamagedValue(field, value)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def json_value(value: object, field: str) -> object:
    """Stored JSON text: finite numbers only (``1e999``, ``NaN`` and ``Infinity`` are refused)."""
    import json

    raw = text(value, field)
    try:
        return json.loads(raw, parse_float=_finite_float, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise DamagedValue(field, raw) from exc


#: Project settings (``meta``) the app reads, and what each must be.
META_RANGES: dict[str, tuple[int, int]] = {"dpi": (36, 1200)}


def meta_value(key: str, value: object) -> object:
    limits = META_RANGES.get(key)
    if limits is not None:
        integer(value, f"meta.{key}", *limits)
    return value
