"""Hostile file names in the GUI's import (issue 12, item 10): no crash, the page is saved, the broken
file is reported alone under its escaped name. Cases: tests/hostile/names/names.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sample_docs import write_pdf

from desktop_ocr.messages import escaped
from desktop_ocr.settings import Settings
from desktop_ocr.worker.controller import Controller

pytestmark = pytest.mark.gui

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "hostile" / "names" / "names.json").read_text(encoding="utf-8")
)


def test_import_of_undecodable_and_newline_names(qtbot, tmp_path):
    good = tmp_path / os.fsdecode(bytes.fromhex(CASES["good"]["not_utf8"]))
    good.write_bytes(write_pdf(tmp_path / "plain.pdf").read_bytes())
    broken = tmp_path / os.fsdecode(bytes.fromhex(CASES["broken"]["newline_forges_a_line"]))
    broken.write_bytes(b"%PDF-1.7 garbage")
    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    try:
        problems: list[str] = []
        c.problems_reported.connect(lambda title, lines: problems.extend(lines))
        with qtbot.waitSignal(c.import_finished, timeout=30_000) as blocker:
            c.import_paths([str(good), str(broken)])
        docs = blocker.args[0]
        assert [c.project.document(d).name for d in docs] == [escaped(good.stem)]
        assert len(problems) == 1 and escaped(broken.name) in problems[0] and "\n" not in problems[0]
        target = tmp_path / "saved.deskocr"
        assert c.save_as(target)
        c.new_project()
        assert c.open_project(target)
        assert c.project.page_count == 3  # the sample PDF has three pages
        assert [src.name for src in c.project.sources.values()] == [escaped(good.name)]
    finally:
        c.shutdown()
