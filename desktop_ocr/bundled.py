"""Where the files shipped inside the package live: icons, Linux desktop files, translations.

No Qt here: the CLI (``install-desktop``) and packaging scripts use it too. Works from a source
checkout, an installed wheel and a PyInstaller build (which keeps ``desktop_ocr/resources``).
"""

from __future__ import annotations

from pathlib import Path

from desktop_ocr import APP_ID

APP_ICON_NAME = APP_ID
#: The freedesktop icon name of the project file type (application/x-desktop-ocr-project).
PROJECT_ICON_NAME = "application-x-desktop-ocr-project"
PROJECT_MIME_TYPE = "application/x-desktop-ocr-project"
#: hicolor sizes a PNG is shipped at (the SVG covers the rest).
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"
MIME_FILE = "desktop-ocr-mime.xml"
LINUX_FILES = (DESKTOP_FILE, METAINFO_FILE, MIME_FILE)


def resources_dir() -> Path:
    """The folder of packaged resources (``desktop_ocr/resources``)."""
    return Path(__file__).resolve().parent / "resources"


def icon_theme_dir() -> Path:
    """The ``hicolor`` folder with the app and MIME icons, laid out as an icon theme."""
    return resources_dir() / "icons" / "hicolor"


def app_icon_file(size: int | None = None) -> Path:
    """The app icon as PNG at ``size`` pixels, or the SVG when ``size`` is None."""
    if size is None:
        return icon_theme_dir() / "scalable" / "apps" / f"{APP_ICON_NAME}.svg"
    return icon_theme_dir() / f"{size}x{size}" / "apps" / f"{APP_ICON_NAME}.png"


def project_icon_file(size: int | None = None) -> Path:
    """The project file type's icon as PNG at ``size`` pixels, or the SVG when ``size`` is None."""
    if size is None:
        return icon_theme_dir() / "scalable" / "mimetypes" / f"{PROJECT_ICON_NAME}.svg"
    return icon_theme_dir() / f"{size}x{size}" / "mimetypes" / f"{PROJECT_ICON_NAME}.png"


def linux_dir() -> Path:
    """The .desktop file, AppStream metainfo and shared-mime-info XML."""
    return resources_dir() / "linux"


def translations_dir() -> Path:
    """Compiled Qt translations (``desktop_ocr_<locale>.qm``)."""
    return resources_dir() / "translations"
