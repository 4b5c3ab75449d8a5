"""Logging set-up: a rotating log file in the app's log folder, stderr, and Qt's messages routed in."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from desktop_ocr import paths

LOG_FILE_NAME = "desktop-ocr.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_configured_path: Path | None = None
qt_log = logging.getLogger("qt")


def log_path() -> Path:
    """The current log file (where the crash dialog points the user)."""
    return _configured_path or paths.log_dir() / LOG_FILE_NAME


def setup_logging(level: int | str | None = None, console: bool = True) -> Path:
    """Configure the root logger once: rotating file (1 MB x 5) plus warnings on stderr.

    ``DESKTOP_OCR_LOG_LEVEL`` overrides the file's level (default INFO). Returns the log path.
    """
    global _configured_path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_desktop_ocr", False):
            root.removeHandler(handler)
            handler.close()
    if level is None:
        level = os.environ.get("DESKTOP_OCR_LOG_LEVEL", "INFO").upper()
    path = paths.log_dir() / LOG_FILE_NAME
    handlers: list[logging.Handler] = []
    try:
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
        )
        file_handler.setFormatter(logging.Formatter(_FORMAT))
        file_handler.setLevel(level)
        handlers.append(file_handler)
    except OSError as exc:  # a read-only log folder must not stop the app
        print(f"desktop-ocr: cannot write the log file {path}: {exc}", file=sys.stderr)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(logging.WARNING)
        handlers.append(stream)
    for handler in handlers:
        handler._desktop_ocr = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(min(logging.getLevelName(level) if isinstance(level, str) else level, logging.INFO))
    _configured_path = path
    logging.captureWarnings(True)
    return path


def install_qt_message_handler() -> None:
    """Send Qt's own warnings (qWarning, QML, platform plugin messages) into ``logging``."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(msg_type, context, message: str) -> None:  # type: ignore[no-untyped-def]
        level = levels.get(msg_type, logging.WARNING)
        # Harmless noise of the offscreen platform used in tests and screenshots.
        if "This plugin does not support" in message or "propagateSizeHints" in message:
            level = logging.DEBUG
        where = ""
        if context is not None and getattr(context, "file", None):
            where = f" ({context.file}:{context.line})"
        qt_log.log(level, "%s%s", message, where)

    qInstallMessageHandler(handler)
