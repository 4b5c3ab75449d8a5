"""Exporters: Markdown with figure crops, plain text, JSON. No Qt.

The entry point is :func:`export_documents`; see :mod:`desktop_ocr.export.documents`.
"""

from desktop_ocr.export.documents import FORMATS, ExportCancelled, ExportResult, export_documents
from desktop_ocr.export.markdown import SEPARATORS, join_pages, rewrite_figure_links, separator_text
from desktop_ocr.export.naming import ConflictPolicy, ExportConflict, safe_filename
from desktop_ocr.export.text import markdown_to_text

__all__ = [
    "FORMATS",
    "SEPARATORS",
    "ConflictPolicy",
    "ExportCancelled",
    "ExportConflict",
    "ExportResult",
    "export_documents",
    "join_pages",
    "markdown_to_text",
    "rewrite_figure_links",
    "safe_filename",
    "separator_text",
]
