"""Keep a top-level window on its screen: no larger than the screen's free area, and inside it.

The first window is 1400×900; on a 1366×768 laptop or a 1280×1024 monitor it would run off the
screen, and so would a geometry saved on a larger monitor (Qt's ``restoreGeometry`` moves a window
back on screen, but keeps a frame a few pixels larger than the screen).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

#: The window frame's size before the window is shown (the window manager's title bar and borders
#: are only known once it is mapped): enough for the usual themes.
UNSHOWN_FRAME = QSize(16, 48)


def fitted(frame: QRect, client: QSize, available: QRect, minimum: QSize) -> tuple[QRect, QSize]:
    """Where a window's frame goes and its client size, so that the frame lies in ``available``.

    ``frame`` is the frame's geometry now and ``client`` the size inside it; the client never
    shrinks below ``minimum`` (then the frame is kept at the screen's top-left corner instead).
    """
    extra_w, extra_h = frame.width() - client.width(), frame.height() - client.height()
    width = max(minimum.width(), min(client.width(), available.width() - extra_w))
    height = max(minimum.height(), min(client.height(), available.height() - extra_h))
    outer_w, outer_h = width + extra_w, height + extra_h
    x = max(available.left(), min(frame.x(), available.x() + available.width() - outer_w))
    y = max(available.top(), min(frame.y(), available.y() + available.height() - outer_h))
    return QRect(x, y, outer_w, outer_h), QSize(width, height)


def fit_to_screen(window: QWidget) -> bool:
    """Shrink and move ``window`` (top-level) so that its frame lies in its screen's free area;
    whether anything changed. Before the window is shown, its frame is taken as ``UNSHOWN_FRAME``."""
    screen = window.screen()
    if screen is None or window.windowState() & (
        Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
    ):
        return False  # the window manager sizes those
    frame, client = window.frameGeometry(), window.size()
    if not window.isVisible():
        extra_w = max(frame.width() - client.width(), UNSHOWN_FRAME.width())
        extra_h = max(frame.height() - client.height(), UNSHOWN_FRAME.height())
        frame = QRect(frame.topLeft(), QSize(client.width() + extra_w, client.height() + extra_h))
    new_frame, new_client = fitted(frame, client, screen.availableGeometry(), window.minimumSize())
    changed = False
    if new_client != client:
        window.resize(new_client)
        changed = True
    if new_frame.topLeft() != frame.topLeft():
        window.move(new_frame.topLeft())  # a top-level window's position is its frame's
        changed = True
    return changed
