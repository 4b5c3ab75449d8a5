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


#: The known labels as shown to users (menus, tags on the page, tool tips), marked for translation;
#: the stored labels (``sub_title``, ``image_caption``...) stay what the engines write.
_LABEL_TITLES: dict[str, object] = {  # QT_TRANSLATE_NOOP returns its source (typed object)
    "title": QT_TRANSLATE_NOOP("BlockLabel", "Title"),
    "sub_title": QT_TRANSLATE_NOOP("BlockLabel", "Subtitle"),
    "text": QT_TRANSLATE_NOOP("BlockLabel", "Text"),
    "line": QT_TRANSLATE_NOOP("BlockLabel", "Line"),
    "list": QT_TRANSLATE_NOOP("BlockLabel", "List"),
    "table": QT_TRANSLATE_NOOP("BlockLabel", "Table"),
    "table_caption": QT_TRANSLATE_NOOP("BlockLabel", "Table Caption"),
    "table_footnote": QT_TRANSLATE_NOOP("BlockLabel", "Table Footnote"),
    "image": QT_TRANSLATE_NOOP("BlockLabel", "Figure"),
    "figure": QT_TRANSLATE_NOOP("BlockLabel", "Figure"),
    "image_caption": QT_TRANSLATE_NOOP("BlockLabel", "Figure Caption"),
    "equation": QT_TRANSLATE_NOOP("BlockLabel", "Equation"),
    "formula": QT_TRANSLATE_NOOP("BlockLabel", "Formula"),
    "header": QT_TRANSLATE_NOOP("BlockLabel", "Header"),
    "footer": QT_TRANSLATE_NOOP("BlockLabel", "Footer"),
    "page_number": QT_TRANSLATE_NOOP("BlockLabel", "Page Number"),
    "footnote": QT_TRANSLATE_NOOP("BlockLabel", "Footnote"),
    "ref": QT_TRANSLATE_NOOP("BlockLabel", "Reference"),
    "": QT_TRANSLATE_NOOP("BlockLabel", "Block"),
}


def label_title(label: str) -> str:
    """A label as shown to users, in their language: ``sub_title`` -> "Subtitle". A label no engine
    of ours writes is shown with its first letter capitalised: ``side_note`` -> "Side note"."""
    key = label.strip().lower().replace(" ", "_")
    source = _LABEL_TITLES.get(key)
    if source is None:
        words = key.replace("_", " ").strip()
        return words[:1].upper() + words[1:]
    return QCoreApplication.translate("BlockLabel", str(source))
