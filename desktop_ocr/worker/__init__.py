"""Qt workers (OCR, rendering, import) and the controller the widgets talk to."""

from desktop_ocr import qtcompat as _qtcompat

_qtcompat.install()  # PySide6 6.12.0 emit() refcount bug: see desktop_ocr/qtcompat.py
