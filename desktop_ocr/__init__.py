"""desktop-ocr: scans and PDFs to corrected Markdown, with DeepSeek-OCR on the local GPU."""

__version__ = "0.1.0"
APP_NAME = "desktop-ocr"
APP_DISPLAY_NAME = "Desktop OCR"
APP_ID = "io.github.desktop_ocr.DesktopOCR"
PROJECT_SUFFIX = ".deskocr"
