"""Messages from the Qt-free layers reach a Chinese user in Chinese, and stay English without a translator."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop_ocr import i18n
from desktop_ocr.i18n import translated
from desktop_ocr.messages import QT_TRANSLATE_NOOP, Message, join_lines, joined

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "desktop_ocr"
TS = ROOT / "resources" / "translations" / "desktop_ocr_zh_CN.ts"
CJK = re.compile(r"[\u3400-\u9fff]")


def _marked_messages() -> list[tuple[str, str, str]]:
    """(file:line, context, source) of every QT_TRANSLATE_NOOP call in the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name == "QT_TRANSLATE_NOOP" and path.name != "messages.py":
                literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args]
                # lupdate reads only two literal strings and no keyword arguments (use .format()).
                assert literal == [True, True] and not node.keywords, (
                    f"{where}: lupdate cannot read this call"
                )
                found.append((where, node.args[0].value, node.args[1].value))  # type: ignore[attr-defined]
            if name == "Message" and path.name != "messages.py":
                first = node.args[0] if node.args else None
                assert not (isinstance(first, ast.Constant) and isinstance(first.value, str)), (
                    f"{where}: a Message made from a literal is not in the catalogue; use QT_TRANSLATE_NOOP"
                )
    return found


def _catalogue() -> dict[tuple[str, str], str]:
    out = {}
    for context in ET.parse(TS).getroot().findall("context"):
        for m in context.findall("message"):
            t = m.find("translation")
            out[(context.findtext("name") or "", m.findtext("source") or "")] = (
                "" if t is None or t.get("type") else (t.text or "")
            )
    return out


def test_every_message_of_the_qt_free_layers_is_in_the_catalogue_and_translated() -> None:
    marked = _marked_messages()
    layers = {w.split(":")[0].split("/")[1] for w, _, _ in marked}
    assert {"model", "engine", "export", "setup", "reading"} <= layers, layers
    assert len(marked) > 150
    catalogue = _catalogue()
    missing = [(w, c, s) for w, c, s in marked if not catalogue.get((c, s))]
    assert missing == [], "run scripts/update_translations.sh and translate: " + repr(missing[:5])


@pytest.fixture
def chinese(qapp):
    assert i18n.install_translators(qapp, "zh_CN"), "the Chinese catalogue did not load"
    yield
    i18n.remove_translators(qapp)


def test_translated_translates_nested_messages_and_leaves_plain_text(chinese) -> None:
    reason = QT_TRANSLATE_NOOP("Import", "page {page} has no area").format(page=4)
    assert translated(joined("scan.pdf", reason)) == "scan.pdf：第 4 页面积为零"
    assert translated(ValueError(reason)) == "第 4 页面积为零"
    assert translated(join_lines([reason, "as is"])) == "第 4 页面积为零\nas is"
    assert translated("plain English") == "plain English"
    assert translated(ValueError("a library's words")) == "a library's words"
    # A message the catalogue does not know stays English.
    assert translated(Message("no such {thing}", "Import", thing="x")) == "no such x"


def test_english_is_unchanged_without_a_translator(qapp) -> None:
    i18n.remove_translators(qapp)
    reason = QT_TRANSLATE_NOOP("Import", "the file is too large ({size:.1f} GB; the limit is 2 GB)")
    message = joined("big.tif", reason.format(size=2.54))
    assert translated(message) == str(message) == "big.tif: the file is too large (2.5 GB; the limit is 2 GB)"


def _import_problems(qtbot, controller, paths) -> list[str]:
    problems: list[str] = []
    controller.problems_reported.connect(lambda _title, lines: problems.extend(lines))
    with qtbot.waitSignal(controller.import_finished, timeout=30_000):
        controller.import_paths([str(p) for p in paths])
    return problems


@pytest.fixture
def controller(qtbot):
    from desktop_ocr.settings import Settings
    from desktop_ocr.worker.controller import Controller

    settings = Settings()
    settings.engine = "embedded"
    c = Controller(settings)
    yield c
    c.shutdown()


def _bad_files(tmp_path: Path) -> tuple[Path, Path]:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage that is not a PDF")
    return empty, broken


def test_a_failed_import_gives_the_reason_in_chinese(qtbot, chinese, controller, tmp_path) -> None:
    empty, broken = _bad_files(tmp_path)
    problems = sorted(_import_problems(qtbot, controller, [empty, broken]))
    assert len(problems) == 2, problems
    assert problems[0].startswith("broken.pdf：该 PDF 已损坏，无法打开（"), problems[0]
    assert problems[1] == "empty.pdf：文件为空"


def test_a_failed_import_stays_english_without_a_translator(qtbot, qapp, controller, tmp_path) -> None:
    i18n.remove_translators(qapp)
    empty, broken = _bad_files(tmp_path)
    problems = sorted(_import_problems(qtbot, controller, [empty, broken]))
    assert problems[0].startswith("broken.pdf: the PDF is damaged and cannot be opened (")
    assert problems[1] == "empty.pdf: the file is empty"


def test_a_project_that_cannot_be_opened_says_why_in_chinese(qtbot, chinese, controller, tmp_path) -> None:
    from desktop_ocr import PROJECT_SUFFIX

    bogus = tmp_path / f"notes{PROJECT_SUFFIX}"
    bogus.write_bytes(b"this is not a database, just text " * 100)
    problems: list[str] = []
    controller.problems_reported.connect(lambda _title, lines: problems.extend(lines))
    assert not controller.open_project(bogus)
    assert len(problems) == 1 and problems[0].startswith(f"notes{PROJECT_SUFFIX} 不是项目文件或已损坏"), (
        problems
    )


def test_a_page_that_runs_out_of_memory_says_so_in_chinese(chinese) -> None:
    from desktop_ocr.engine.base import PageFailure
    from desktop_ocr.reading import runner

    # what the reading loop makes of an engine whose read runs out of memory (tests/unit/test_reading.py)
    (failure,) = runner.engine_failures(["p1"], MemoryError())
    assert isinstance(failure, PageFailure) and failure.reason == "oom"
    assert failure.message == "Out of memory while reading this page."
    assert translated(failure.message) == "识别此页时内存不足。"
    assert CJK.search(translated(QT_TRANSLATE_NOOP("Engine", "Embedded (RapidOCR, CPU)")))


def test_the_engine_name_in_the_status_bar_is_translated(qapp) -> None:
    from desktop_ocr.worker.engines import engine_title

    i18n.remove_translators(qapp)
    assert engine_title("embedded") == "Embedded (RapidOCR, CPU)"
    assert engine_title("deepseek") == "DeepSeek-OCR (GPU)"
    i18n.install_translators(qapp, "zh_CN")
    try:
        assert engine_title("embedded") == "内置（RapidOCR，CPU）"
        assert engine_title("auto") == "自动选择"
        assert engine_title("something-else") == "something-else"
    finally:
        i18n.remove_translators(qapp)
