"""Translations: the Chinese catalogue loads, translates known strings, and English stays English."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from desktop_ocr import bundled, i18n

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d|</?[a-z0-9]+>")
TS = ROOT / "resources" / "translations" / "desktop_ocr_zh_CN.ts"


@pytest.fixture
def chinese(qapp):
    installed = i18n.install_translators(qapp, "zh_CN")
    yield installed
    i18n.remove_translators(qapp)


def test_chinese_is_shipped() -> None:
    assert (bundled.translations_dir() / "desktop_ocr_zh_CN.qm").is_file()
    assert i18n.available_languages()[:1] == ["en"] and "zh_CN" in i18n.available_languages()


def test_translator_translates_a_known_string(chinese) -> None:
    assert chinese, "no translator was installed"
    assert QCoreApplication.translate("FirstRunDialog", "Continue") == "继续"
    assert QCoreApplication.translate("FirstRunDialog", "Welcome to Desktop OCR") == "欢迎使用桌面 OCR"


def test_widgets_made_after_install_are_in_chinese(qtbot, chinese) -> None:
    from desktop_ocr.settings import Settings
    from desktop_ocr.ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(Settings(), probe=list, save=False)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "欢迎使用桌面 OCR"
    assert dialog.continue_button.text() == "继续"


def test_english_and_removal_leave_the_source_strings(qapp) -> None:
    assert i18n.install_translators(qapp, "en") == []
    assert QCoreApplication.translate("FirstRunDialog", "Continue") == "Continue"
    i18n.install_translators(qapp, "zh_CN")
    i18n.remove_translators(qapp)
    assert QCoreApplication.translate("FirstRunDialog", "Continue") == "Continue"


def test_unknown_language_falls_back_to_english(qapp) -> None:
    assert i18n.install_translators(qapp, "xx_YY") == []
    assert QCoreApplication.translate("FirstRunDialog", "Continue") == "Continue"


def test_every_string_is_translated_and_keeps_its_placeholders() -> None:
    root = ET.parse(TS).getroot()
    messages = root.findall("context/message")
    assert messages
    for m in messages:
        source = m.findtext("source") or ""
        translation = m.find("translation")
        assert translation is not None and translation.get("type") not in ("unfinished", "vanished"), source
        text = translation.text or "".join(n.text or "" for n in translation.findall("numerusform"))
        assert text.strip(), source
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (source, text)


def test_shipped_catalogue_is_compiled_from_the_ts(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    if not Path(lrelease).exists():
        pytest.skip("pyside6-lrelease is not installed")
    out = tmp_path / "zh.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(out)], check=True)
    shipped = bundled.translations_dir() / "desktop_ocr_zh_CN.qm"
    assert out.read_bytes() == shipped.read_bytes(), "run scripts/update_translations.sh"
