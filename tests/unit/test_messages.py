"""Messages of the Qt-free layers: English text for logs and the CLI, with what the GUI translates."""

from __future__ import annotations

import copy
import pickle

import pytest

from desktop_ocr.messages import QT_TRANSLATE_NOOP, Message, join_lines, join_list, joined, message_of
from desktop_ocr.model.sources import SourceError, probe


def test_a_message_is_its_english_text_and_keeps_how_it_was_made() -> None:
    m = QT_TRANSLATE_NOOP("Import", "the image is too large ({pixels:,} pixels)").format(pixels=12_345_678)
    assert m == "the image is too large (12,345,678 pixels)"
    assert isinstance(m, str) and isinstance(m, Message)
    assert (m.context, m.template, dict(m.args)) == (
        "Import",
        "the image is too large ({pixels:,} pixels)",
        {"pixels": 12_345_678},
    )
    plain = QT_TRANSLATE_NOOP("Import", "the file is empty")
    assert plain == "the file is empty" and plain.args == {} and plain.template == plain


def test_format_takes_named_arguments_only() -> None:
    m = QT_TRANSLATE_NOOP("Ctx", "{a} and {b}").format(a=1, b=2).format(b=3)
    assert m == "1 and 3" and dict(m.args) == {"a": 1, "b": 3}
    with pytest.raises(TypeError):
        QT_TRANSLATE_NOOP("Ctx", "{0}").format(1)


def test_messages_survive_pickle_and_copy() -> None:
    m = joined("a.pdf", QT_TRANSLATE_NOOP("Import", "page {page} has no area").format(page=3))
    for other in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m), copy.copy(m)):
        assert other == "a.pdf: page 3 has no area"
        assert isinstance(other, Message) and other.template == "{name}: {reason}"
        assert isinstance(other.args["reason"], Message) and other.args["reason"].context == "Import"


def test_joins_keep_each_part() -> None:
    lines = join_lines([QT_TRANSLATE_NOOP("Model", "unknown model"), "plain"])
    assert lines == "unknown model\nplain" and list(lines.args.values()) == ["unknown model", "plain"]
    assert join_list(["a", QT_TRANSLATE_NOOP("Model", "b")]) == "a, b"
    assert join_lines([]) == ""


def test_message_of_finds_the_message_inside_exceptions() -> None:
    m = QT_TRANSLATE_NOOP("Project", "The project is closed.")
    assert message_of(RuntimeError(m)) is m
    assert message_of(FileExistsError(m)) is m  # an OSError with one argument
    assert type(message_of(ValueError("plain"))) is str
    assert message_of(OSError(2, "No such file")) == "[Errno 2] No such file"


def test_a_real_import_error_is_english_and_translatable(tmp_path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(SourceError) as info:
        probe(empty, empty.name)
    exc = info.value
    assert str(exc) == "empty.pdf: the file is empty"  # what the CLI and the log show
    assert exc.reason == "the file is empty" and exc.reason.context == "Import"
    text = message_of(exc)
    assert isinstance(text, Message) and text.args["reason"] is exc.reason
