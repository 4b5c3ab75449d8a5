"""The application and project-file icons as QIcons, and the app's identity for the desktop shell."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QGuiApplication, QIcon

from desktop_ocr import APP_DISPLAY_NAME, APP_ID, APP_NAME, __version__, bundled


def _icon_from_files(name: str, png_for_size, svg) -> QIcon:  # type: ignore[no-untyped-def]
    """A themed icon ``name`` with the packaged PNGs and SVG as the fallback."""
    fallback = QIcon()
    for size in bundled.ICON_SIZES:
        path = png_for_size(size)
        if path.is_file():
            fallback.addFile(str(path))
    if svg.is_file():
        fallback.addFile(str(svg))
    return QIcon.fromTheme(name, fallback)


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """The application icon (from the icon theme when installed, else the packaged files)."""
    return _icon_from_files(bundled.APP_ICON_NAME, bundled.app_icon_file, bundled.app_icon_file(None))


@lru_cache(maxsize=1)
def project_icon() -> QIcon:
    """The icon of a ``.deskocr`` project file (recent-projects lists, dialogs)."""
    return _icon_from_files(
        bundled.PROJECT_ICON_NAME, bundled.project_icon_file, bundled.project_icon_file(None)
    )


def apply_app_identity(app: QGuiApplication) -> None:
    """Name the app for the desktop: window icon, WM_CLASS and the Wayland app id (the .desktop file).

    Call once right after the QApplication is made, before any window is shown.
    """
    app.setApplicationName(APP_NAME)  # also the X11 WM_CLASS class (StartupWMClass in the .desktop)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland app_id: the shell finds the .desktop file and its icon
    app.setWindowIcon(app_icon())
