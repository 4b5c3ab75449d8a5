"""Settings: defaults, round trip, bad values, upgrades, atomic save."""

from __future__ import annotations

import json

from desktop_ocr.settings import SCHEMA_VERSION, Settings


def test_defaults_when_no_file(tmp_path):
    s = Settings.load(tmp_path / "missing.json")
    assert s.dpi == 144
    assert s.engine == "auto"
    assert s.deepseek.mode == "gundam"


def test_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings()
    s.dpi = 200
    s.deepseek.trusted.append("deepseek-ai/DeepSeek-OCR@abc")
    s.separator = "hr"
    s.save(path)
    t = Settings.load(path)
    assert t.dpi == 200
    assert t.deepseek.trusted == ["deepseek-ai/DeepSeek-OCR@abc"]
    assert t.separator_text.strip() == "---"
    assert not list(tmp_path.glob("*.part"))


def test_bad_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"dpi": "high", "show_boxes": 3, "deepseek": {"batch_size": True, "mode": "base"}}))
    s = Settings.load(path)
    assert s.dpi == 144
    assert s.show_boxes is True
    assert s.deepseek.batch_size == 0
    assert s.deepseek.mode == "base"


def test_corrupt_file_gives_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(b"\x00{not json")
    assert Settings.load(path).dpi == 144


def test_old_schema_is_upgraded(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"dpi": 300}))
    s = Settings.load(path)
    assert s.dpi == 300
    assert s.schema_version == SCHEMA_VERSION


def test_default_path_is_under_the_config_dir(_isolated_basedir):
    Settings().save()
    assert (_isolated_basedir / "config" / "settings.json").is_file()


def test_atomic_writes_get_the_usual_permissions(tmp_path):
    import os

    from desktop_ocr.fsutil import atomic_write_text

    umask = os.umask(0o022)
    try:
        target = tmp_path / "new.md"
        atomic_write_text(target, "x")
        assert target.stat().st_mode & 0o777 == 0o644
        os.chmod(target, 0o600)
        atomic_write_text(target, "y")
        assert target.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)
