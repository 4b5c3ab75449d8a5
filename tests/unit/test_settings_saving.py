"""The one place settings are saved: every value checked by range first, the export dialog's choices
kept on disk at once."""

from __future__ import annotations

from desktop_ocr.settings import Settings
from desktop_ocr.setup.saving import remember_export, save_settings


def test_the_defaults_fit_and_the_export_choices_are_on_disk_at_once(tmp_path) -> None:
    s = Settings()
    assert s.problems() == []
    out = tmp_path / "exports"
    assert remember_export(s, out, ["pdf", "docx"], "hr", True) == ""
    again = Settings.load()
    assert (again.last_export_dir, again.export_formats, again.separator, again.export_pdfa) == (
        str(out),
        ["pdf", "docx"],
        "hr",
        True,
    )


def test_a_value_out_of_its_range_is_never_written() -> None:
    s = Settings()
    assert save_settings(s) == ""
    before = Settings.path().read_bytes()
    s.dpi = -72  # renders pages upside down, and the next convert would refuse the file
    s.deepseek.mode = "huge"
    error = save_settings(s)
    assert "setting dpi is -72: allowed 36 to 1200" in error and "deepseek.mode" in error
    assert Settings.path().read_bytes() == before
    assert remember_export(s, "/tmp", ["md"], "dashes", False) != ""  # not a separator
    assert Settings.path().read_bytes() == before
