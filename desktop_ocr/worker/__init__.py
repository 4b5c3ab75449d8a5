"""Qt workers (OCR, rendering, import) and the controller the widgets talk to."""
