"""Block labels: one fixed colour per label, shared by the canvas, the editor margin and legends."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

#: Colours of the labels DeepSeek-OCR and the embedded engine produce. Mid-saturation hues that
#: stay readable over white paper and as tags with white text, in light and dark themes alike.
LABEL_COLOURS: dict[str, str] = {
    "title": "#d1453b",
    "sub_title": "#e0712c",
    "text": "#2f7ed8",
    "line": "#2f7ed8",
    "list": "#4a67c9",
    "table": "#1e9e74",
    "table_caption": "#5f9e3a",
    "table_footnote": "#5f9e3a",
    "image": "#9b4fc8",
    "figure": "#9b4fc8",
    "image_caption": "#c14f9e",
    "equation": "#c79a12",
    "formula": "#c79a12",
    "header": "#7d8590",
    "footer": "#7d8590",
    "page_number": "#7d8590",
    "footnote": "#8a6d4f",
    "ref": "#3a9bb0",
}

#: Colours for labels not listed above, chosen by a stable hash of the label.
_EXTRA = ["#0f8b8d", "#a8577e", "#6b8e23", "#b8651b", "#5a6fd6", "#b0413e", "#3c8d5a"]

_cache: dict[str, QColor] = {}


def label_colour(label: str) -> QColor:
    """The fixed colour of a block label (unknown labels get a stable colour of their own)."""
    colour = _cache.get(label)
    if colour is None:
        key = label.strip().lower()
        hex_ = LABEL_COLOURS.get(key) or _EXTRA[zlib.crc32(key.encode()) % len(_EXTRA)]
        colour = _cache[label] = QColor(hex_)
    return QColor(colour)


#: The known labels as shown to users, marked for translation (see ``label_title``).
_LABEL_TITLES = (
    QT_TRANSLATE_NOOP("BlockLabel", "title"),
    QT_TRANSLATE_NOOP("BlockLabel", "sub title"),
    QT_TRANSLATE_NOOP("BlockLabel", "text"),
    QT_TRANSLATE_NOOP("BlockLabel", "line"),
    QT_TRANSLATE_NOOP("BlockLabel", "list"),
    QT_TRANSLATE_NOOP("BlockLabel", "table"),
    QT_TRANSLATE_NOOP("BlockLabel", "table caption"),
    QT_TRANSLATE_NOOP("BlockLabel", "table footnote"),
    QT_TRANSLATE_NOOP("BlockLabel", "image"),
    QT_TRANSLATE_NOOP("BlockLabel", "figure"),
    QT_TRANSLATE_NOOP("BlockLabel", "image caption"),
    QT_TRANSLATE_NOOP("BlockLabel", "equation"),
    QT_TRANSLATE_NOOP("BlockLabel", "formula"),
    QT_TRANSLATE_NOOP("BlockLabel", "header"),
    QT_TRANSLATE_NOOP("BlockLabel", "footer"),
    QT_TRANSLATE_NOOP("BlockLabel", "page number"),
    QT_TRANSLATE_NOOP("BlockLabel", "footnote"),
    QT_TRANSLATE_NOOP("BlockLabel", "ref"),
    QT_TRANSLATE_NOOP("BlockLabel", "block"),
)


def label_title(label: str) -> str:
    """A label as shown to users, in their language: ``sub_title`` -> ``sub title``."""
    return QCoreApplication.translate("BlockLabel", label.replace("_", " ").strip() or "block")
