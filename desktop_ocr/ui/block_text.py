"""Blocks kept inside the editor's QTextDocument, so that undo and redo cover them.

Every character of a block carries the block's number, label and boxes as properties of its
character format. Typing extends the block the cursor is in (Qt gives new text the format of the
text beside it), deleting a block's last character removes the block, and a block operation is one
edit block of text and format changes, which the document's own undo stack reverts in one step.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextFormat, QTextFragment

from desktop_ocr.model.blocks import Layout, Span
from desktop_ocr.model.geometry import Box

BLOCK_ID = QTextFormat.Property.UserProperty + 41
BLOCK_LABEL = QTextFormat.Property.UserProperty + 42
BLOCK_BOXES = QTextFormat.Property.UserProperty + 43


def _boxes_str(boxes: tuple[Box, ...]) -> str:
    return ";".join(" ".join(map(str, b.as_list())) for b in boxes)


def _boxes_from(value: str) -> tuple[Box, ...]:
    out = []
    for part in value.split(";"):
        nums = part.split()
        if len(nums) == 4:
            out.append(Box(*map(int, nums)))
    return tuple(out)


def _format(block_id: int, span: Span | None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setProperty(BLOCK_ID, block_id)
    fmt.setProperty(BLOCK_LABEL, span.label if span else "")
    fmt.setProperty(BLOCK_BOXES, _boxes_str(span.boxes) if span else "")
    return fmt


def read_layout(doc: QTextDocument) -> Layout:
    """The document's text and the blocks its characters belong to.

    A block whose characters reappear after another block's (it cannot happen through typing, but
    could through odd edits) is not split in two: the later run joins the block before it.
    """
    spans: list[Span] = []
    seen: set[int] = set()
    current = 0
    for fragment in _fragments(doc):
        fmt = fragment.charFormat()
        bid = fmt.property(BLOCK_ID)
        bid = int(bid) if isinstance(bid, int) else 0
        if bid and bid != current and bid not in seen:
            seen.add(bid)
            label = fmt.property(BLOCK_LABEL)
            boxes = fmt.property(BLOCK_BOXES)
            spans.append(
                Span(
                    fragment.position(),
                    str(label) if label else "text",
                    _boxes_from(boxes) if isinstance(boxes, str) else (),
                )
            )
            current = bid
    return Layout.make(doc.toPlainText(), spans)


def _fragments(doc: QTextDocument) -> Iterator[QTextFragment]:
    """The document's text fragments (runs of one character format), in order."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                yield fragment
            it += 1
        block = block.next()


def common_ends(a: str, b: str) -> tuple[int, int]:
    """How many characters ``a`` and ``b`` share at their start, and then at their end (the end
    never reaches back into the shared start): what lies between changed."""
    lead = 0
    limit = min(len(a), len(b))
    while lead < limit and a[lead] == b[lead]:
        lead += 1
    trail = 0
    while trail < limit - lead and a[len(a) - 1 - trail] == b[len(b) - 1 - trail]:
        trail += 1
    return lead, trail


def _marks(doc: QTextDocument) -> list[tuple[int, int, tuple[int, str, str]]]:
    """Each run of characters with one block mark: start, end and (number, label, boxes)."""
    runs: list[tuple[int, int, tuple[int, str, str]]] = []
    for fragment in _fragments(doc):
        fmt = fragment.charFormat()
        bid, label, boxes = (fmt.property(p) for p in (BLOCK_ID, BLOCK_LABEL, BLOCK_BOXES))
        mark = (
            int(bid) if isinstance(bid, int) else 0,
            str(label) if isinstance(label, str) else "",
            str(boxes) if isinstance(boxes, str) else "",
        )
        start = fragment.position()
        runs.append((start, start + fragment.length(), mark))
    return runs


def _old_range(start: int, end: int, prefix: int, suffix: int, old: str, new: str) -> tuple[int, int] | None:
    """Where the new text's ``start``..``end`` was in the old text, when it lies in the unchanged
    stretches at either end (None when it takes in changed text)."""
    if end <= prefix:
        return start, end
    shift = len(old) - len(new)
    if start >= len(new) - suffix:
        return start + shift, end + shift
    return None


def _marked_so(
    runs: list[tuple[int, int, tuple[int, str, str]]],
    text: str,
    where: tuple[int, int] | None,
    bid: int,
    span: Span | None,
) -> bool:
    """Whether every character of ``where`` in the old ``text`` already carries this block mark (so
    rewriting it would only add a step to the undo stack that moves the cursor there on undo and
    redo). The line breaks between paragraphs are in no fragment Qt lists: they are passed over."""
    if where is None:
        return False
    want = (bid, span.label if span else "", _boxes_str(span.boxes) if span else "")
    start, end = where
    covered = start
    for run_start, run_end, mark in runs:
        if run_end <= start or run_start >= end:
            continue
        if mark != want or text[covered:run_start].strip("\n"):
            return False
        covered = max(covered, run_end)
    return not text[covered:end].strip("\n")


def apply_layout(doc: QTextDocument, layout: Layout, undoable: bool = True, join: bool = False) -> None:
    """Make the document hold ``layout``: only the changed stretch of text is replaced, then every
    block's characters are marked. With ``undoable`` it is one step of the undo stack (with
    ``join``, part of the step before it)."""
    old = doc.toPlainText()
    new = layout.text
    prefix, suffix = common_ends(old, new)
    marked = _marks(doc)
    was_enabled = doc.isUndoRedoEnabled()
    if not undoable:
        doc.setUndoRedoEnabled(False)
    cur = QTextCursor(doc)
    if join:
        cur.joinPreviousEditBlock()
    else:
        cur.beginEditBlock()
    try:
        if old != new:
            cur.setPosition(prefix)
            cur.setPosition(len(old) - suffix, QTextCursor.MoveMode.KeepAnchor)
            cur.insertText(new[prefix : len(new) - suffix])
        ranges: list[tuple[int, int, int, Span | None]] = [
            (0, layout.spans[0].start if layout.spans else len(new), 0, None)
        ]
        ranges += [(*layout.span_range(i), i + 1, s) for i, s in enumerate(layout.spans)]
        for start, end, bid, span in ranges:
            if end > start and not _marked_so(
                marked, old, _old_range(start, end, prefix, suffix, old, new), bid, span
            ):
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cur.mergeCharFormat(_format(bid, span))
    finally:
        cur.endEditBlock()
        if not undoable:
            doc.setUndoRedoEnabled(was_enabled)
