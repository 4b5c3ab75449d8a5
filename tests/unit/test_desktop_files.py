"""The Linux desktop files validate, agree with each other and the package, and every icon exists."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from desktop_ocr import APP_ID, PROJECT_SUFFIX, __version__, bundled

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "resources"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
SUPPORTED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "image/bmp",
    "image/webp",
    "image/gif",
    bundled.PROJECT_MIME_TYPE,
}


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(
            f"{tool} is not installed (Debian: apt-get install desktop-file-utils appstream shared-mime-info)"
        )
    return path


def _desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.parametrize("folder", [SRC / "linux", bundled.linux_dir()], ids=["source", "package"])
def test_desktop_file_validates(folder: Path) -> None:
    tool = _need("desktop-file-validate")
    result = subprocess.run([tool, str(folder / bundled.DESKTOP_FILE)], capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, result.stdout + result.stderr


def test_desktop_file_content() -> None:
    entry = _desktop_entry(SRC / "linux" / bundled.DESKTOP_FILE)
    assert entry["Icon"] == bundled.APP_ICON_NAME
    assert entry["Exec"].split()[-1] == "%F"
    assert set(filter(None, entry["MimeType"].split(";"))) == SUPPORTED_TYPES
    assert entry["Terminal"] == "false"


def test_metainfo_validates() -> None:
    tool = _need("appstreamcli")
    path = SRC / "linux" / bundled.METAINFO_FILE
    result = subprocess.run([tool, "validate", "--no-net", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_content() -> None:
    root = ET.parse(SRC / "linux" / bundled.METAINFO_FILE).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.text == bundled.DESKTOP_FILE
    screenshots = root.findall("screenshots/screenshot/image")
    assert len(screenshots) >= 1 and all((s.text or "").startswith("https://") for s in screenshots)
    assert root.find("content_rating") is not None
    versions = [r.get("version") for r in root.findall("releases/release")]
    assert __version__ in versions
    provided = {m.text for m in root.findall("provides/mediatype")}
    assert provided == SUPPORTED_TYPES


def test_mime_xml_declares_the_project_type() -> None:
    root = ET.parse(SRC / "linux" / bundled.MIME_FILE).getroot()
    types = root.findall(f"{MIME_NS}mime-type")
    assert [t.get("type") for t in types] == [bundled.PROJECT_MIME_TYPE]
    mime = types[0]
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == [f"*{PROJECT_SUFFIX}"]
    match = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert match is not None and match.get("value", "").startswith("SQLite format 3")
    icon = mime.find(f"{MIME_NS}icon")
    assert icon is not None and icon.get("name") == bundled.PROJECT_ICON_NAME


def test_mime_xml_compiles(tmp_path: Path) -> None:
    tool = _need("update-mime-database")
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(SRC / "linux" / bundled.MIME_FILE, packages)
    result = subprocess.run([tool, str(tmp_path / "mime")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    compiled = tmp_path / "mime" / "application" / "x-desktop-ocr-project.xml"
    assert compiled.is_file()
    assert f"*{PROJECT_SUFFIX}" in (tmp_path / "mime" / "globs2").read_text()


@pytest.mark.parametrize("size", bundled.ICON_SIZES)
def test_png_icons_exist_at_every_size(size: int) -> None:
    for path in (bundled.app_icon_file(size), bundled.project_icon_file(size)):
        assert path.is_file(), path
        with Image.open(path) as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            # Not blank: some pixels opaque, the corners transparent.
            alpha = image.getchannel("A")
            assert alpha.getextrema()[1] == 255
            assert alpha.getpixel((0, 0)) == 0


def test_svg_icons_are_shipped_and_parse() -> None:
    for path in (bundled.app_icon_file(None), bundled.project_icon_file(None)):
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("viewBox") == "0 0 256 256"


def test_package_copies_match_the_sources() -> None:
    """desktop_ocr/resources is built from resources/ (scripts/build_resources.py); they must agree."""
    pairs = [(SRC / "linux" / name, bundled.linux_dir() / name) for name in bundled.LINUX_FILES]
    pairs += [
        (SRC / "icons" / f"{bundled.APP_ICON_NAME}.svg", bundled.app_icon_file(None)),
        (SRC / "icons" / f"{bundled.PROJECT_ICON_NAME}.svg", bundled.project_icon_file(None)),
    ]
    stale = [str(dst) for src, dst in pairs if not dst.is_file() or src.read_bytes() != dst.read_bytes()]
    assert not stale, f"run scripts/build_resources.py; out of date: {stale}"


def test_resources_are_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"resources/**/*"' in text
