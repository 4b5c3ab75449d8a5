"""Files dropped anywhere on the main window are imported, whichever pane is under the mouse.

The editor would insert a dropped file's ``file:///`` address as text and the page canvas ignored
drops, so one event filter on every pane that takes drops hands files and images to the window's
own drop handling instead; text and the page list's own moves are left to the pane.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget


def carries_files(data: QMimeData | None) -> bool:
    """Local files or an image: something to import, not text to insert."""
    if data is None:
        return False
    return (data.hasUrls() and any(u.isLocalFile() for u in data.urls())) or data.hasImage()


class FileDropFilter(QObject):
    """Sends file and image drags over a pane to ``window`` (its ``dragEnterEvent``/``dropEvent``)."""

    _KINDS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def install(self) -> None:
        """Watch every pane of the window that takes drops (call again after adding panes)."""
        for widget in self._window.findChildren(QWidget):
            if widget.acceptDrops():
                widget.removeEventFilter(self)
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in self._KINDS or not isinstance(event, QDropEvent):
            return False
        if not carries_files(event.mimeData()):
            return False
        if event.type() == QEvent.Type.Drop:
            self._window.dropEvent(event)
        else:
            event.acceptProposedAction()
        return True
