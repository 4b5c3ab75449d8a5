"""Settings: defaults, round trip, bad values, upgrades, atomic save."""

from __future__ import annotations

import json

import pytest

from desktop_ocr.settings import RANGES, SCHEMA_VERSION, Settings


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
    path.write_text(
        json.dumps({"dpi": "high", "show_boxes": 3, "deepseek": {"batch_size": True, "mode": "base"}})
    )
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


@pytest.mark.parametrize(
    ("data", "name", "allowed"),
    [
        ({"dpi": -72}, "dpi", "36 to 1200"),
        ({"dpi": 0}, "dpi", "36 to 1200"),
        ({"dpi": 5000}, "dpi", "36 to 1200"),
        ({"deepseek": {"max_new_tokens": 100_000}}, "deepseek.max_new_tokens", "16 to 8192"),
        ({"deepseek": {"batch_size": -1}}, "deepseek.batch_size", "0 to 256"),
        ({"deepseek": {"ngram_size": -3}}, "deepseek.ngram_size", "0 to 200"),
        ({"deepseek": {"mode": "huge"}}, "deepseek.mode", "one of tiny, small, base, large, gundam"),
        ({"deepseek": {"device": "gpu"}}, "deepseek.device", "one of auto, cuda, cpu"),
        ({"deepseek": {"decode": "quick"}}, "deepseek.decode", "one of exact, fastest"),
        ({"separator": "dashes"}, "separator", "one of official, none, hr"),
        ({"server": {"concurrency": 0}}, "server.concurrency", "1 to 64"),
        ({"server": {"timeout_s": -5}}, "server.timeout_s", "5 to 3600"),
        ({"dpi": "high"}, "dpi", "an integer from 36 to 1200"),
        ({"deepseek": 5}, "deepseek", "an object of settings"),
    ],
)
def test_values_out_of_range_are_refused_by_name(tmp_path, data, name, allowed):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({**data, "show_boxes": False}))
    s, problems = Settings.load_checked(path)
    (problem,) = problems
    assert problem.name == name and problem.allowed == allowed
    message = problem.message()
    assert name in message and allowed in message and repr(problem.value) in message
    fresh = Settings()
    section, _, key = name.rpartition(".")
    assert getattr(getattr(s, section) if section else s, key) == getattr(
        getattr(fresh, section) if section else fresh, key
    )
    assert s.show_boxes is False  # the good values around a bad one are kept


def test_range_bounds_are_allowed_and_a_step_beyond_is_not(tmp_path):
    path = tmp_path / "settings.json"
    for name, (low, high) in RANGES.items():
        section, _, key = name.rpartition(".")
        for value, ok in ((low, True), (high, True), (low - 1, False), (high + 1, False)):
            path.write_text(json.dumps({section: {key: value}} if section else {key: value}))
            s, problems = Settings.load_checked(path)
            got = getattr(getattr(s, section) if section else s, key)
            assert (not problems, got == value) == (ok, ok), (name, value)


def test_a_valid_file_has_no_problems(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings()
    s.dpi, s.deepseek.mode, s.deepseek.batch_size = 300, "tiny", 8
    s.save(path)
    assert Settings.load_checked(path)[1] == []


def test_decoding_is_exact_by_default_and_fastest_reaches_the_engine_arguments(tmp_path):
    from desktop_ocr.engine.registry import deepseek_arguments

    path = tmp_path / "settings.json"
    assert Settings.load(path).deepseek.decode == "exact"
    s = Settings()
    s.deepseek.source, s.deepseek.folder = "folder", str(tmp_path)
    assert deepseek_arguments(s)[1]["decode"] == "exact"
    s.deepseek.decode = "fastest"
    s.save(path)
    t, problems = Settings.load_checked(path)
    assert not problems and t.deepseek.decode == "fastest"
    assert deepseek_arguments(t)[1]["decode"] == "fastest"
