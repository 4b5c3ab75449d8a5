"""What the empty window says: drop files here, open files or a folder, or one of the recent projects.

Shown over the page canvas while the project has no page; files dropped on it go to the window (it
accepts no drops itself), and each recent project is a button that opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

# Recent projects listed at most.
SHOWN_RECENT = 5


class EmptyHint(QFrame):
    """The empty window's hint, centred over ``host`` (the canvas viewport) and kept its size."""

    def __init__(
        self,
        host: QWidget,
        open_action: QAction,
        open_folder_action: QAction,
        open_path: Callable[[str], None],
        recent: Callable[[], list[Path]],
    ) -> None:
        super().__init__(host)
        self.setObjectName("empty_hint")
        self.setAutoFillBackground(True)  # over the canvas's own "no page" text
        self._open_path = open_path
        self._recent = recent
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 16, 16, 16)
        self._layout.addStretch(1)
        title = QLabel(self.tr("Drop scans, PDFs or a project here"))
        title.setObjectName("empty_hint_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self._layout.addWidget(title)
        sub = QLabel(
            self.tr("PDF, PNG, JPEG, TIFF, BMP, WebP and GIF files, or folders of them, become documents.")
        )
        sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sub.setWordWrap(True)
        self._layout.addWidget(sub)
        for action in (open_action, open_folder_action):
            button = QPushButton(action.text().replace("&", ""))
            shortcut = action.shortcut().toString()
            if shortcut:
                button.setText(f"{button.text()}  ({shortcut})")
            button.clicked.connect(action.trigger)
            self._layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self._recent_title = QLabel(self.tr("Recent projects:"))
        self._recent_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addSpacing(12)
        self._layout.addWidget(self._recent_title)
        self._recent_buttons: list[QPushButton] = []
        self._layout.addStretch(1)
        host.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        """List the recent projects again (they change when a project is opened or saved)."""
        for button in self._recent_buttons:
            self._layout.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._recent_buttons = []
        items = self._recent()[:SHOWN_RECENT]
        for path in items:
            button = QPushButton(path.name)
            button.setObjectName("recent_project")
            button.setToolTip(str(path))
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, p=str(path): self._open_path(p))
            self._layout.insertWidget(self._layout.count() - 1, button, 0, Qt.AlignmentFlag.AlignHCenter)
            self._recent_buttons.append(button)
        self._recent_title.setVisible(bool(items))
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        host = self.parentWidget()
        if host is not None:
            self.setGeometry(host.rect())
