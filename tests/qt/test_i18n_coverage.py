"""Translation coverage: with the Chinese catalogue the real main window shows no English menu or action."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from desktop_ocr import i18n
from desktop_ocr.model.document import PageState

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "desktop_ocr_zh_CN.ts"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def chinese_window(qapp):
    assert i18n.install_translators(qapp, "zh_CN"), "the Chinese catalogue did not load"
    from qt_window import close_window, open_window

    w, c = open_window()
    yield w
    close_window(w, c)
    i18n.remove_translators(qapp)


def _visible_text(action: QAction) -> str:
    return action.text().replace("&", "").strip()


def test_menus_and_every_action_are_in_chinese(chinese_window) -> None:
    w = chinese_window
    menus = [a for a in w.menuBar().actions() if a.menu() is not None]
    assert len(menus) >= 7
    for menu_action in menus:
        assert CJK.search(menu_action.text()), f"menu not translated: {menu_action.text()!r}"
        for action in menu_action.menu().actions():
            if action.isSeparator():
                continue
            assert CJK.search(action.text()), f"action not translated: {action.text()!r}"
    english = [
        a.text()
        for a in w.findChildren(QAction)
        if _visible_text(a) and not a.isSeparator() and not CJK.search(a.text())
    ]
    assert english == [], f"actions left in English: {english}"
    for action in w.acts.all():
        assert CJK.search(action.toolTip()) and CJK.search(action.statusTip()), action.toolTip()


def test_window_texts_and_state_names_are_in_chinese(chinese_window) -> None:
    from desktop_ocr.ui.main_window import format_eta
    from desktop_ocr.ui.page_roles import STATE_TEXT, state_text

    w = chinese_window
    assert w.controller.title == "未命名项目"
    assert "未命名项目" in w.windowTitle()
    assert CJK.search(w.editor.editor.placeholderText())
    assert CJK.search(w._progress.format())
    assert format_eta(125) == "约剩 2 分 05 秒"
    assert set(STATE_TEXT) == set(PageState)
    for state in PageState:
        assert CJK.search(state_text(state)), state


def test_english_is_unchanged_without_a_translator(qapp) -> None:
    i18n.remove_translators(qapp)
    from desktop_ocr.ui.page_roles import state_text

    assert state_text(PageState.NOT_READ) == "Not read"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_catalogue_has_no_unfinished_entries_and_real_contexts() -> None:
    root = ET.parse(TS).getroot()
    contexts = root.findall("context")
    assert contexts
    for context in contexts:
        name = context.findtext("name") or ""
        # A context that is no class name (e.g. "self._parent") never matches at run time.
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name), f"bad translation context {name!r}"
        for message in context.findall("message"):
            translation = message.find("translation")
            assert translation is not None
            assert translation.get("type") is None, (name, message.findtext("source"))
