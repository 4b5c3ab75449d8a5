"""Widgets: main window, actions, page list, canvas, editor, preview, dialogs."""

from desktop_ocr import qtcompat as _qtcompat

_qtcompat.install()  # PySide6 6.12.0 emit() refcount bug: see desktop_ocr/qtcompat.py
