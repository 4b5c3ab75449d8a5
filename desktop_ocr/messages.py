"""User-visible messages made without Qt: English text that the GUI can show in the user's language.

The Qt-free layers (model, engine, export, reading, setup, settings) say what went wrong with a
:class:`Message`: a ``str`` holding the English text, so logs, the command line and tests see plain
English, that also remembers its ``template``, named ``args`` and translation ``context``. The GUI
turns it into the user's language with ``desktop_ocr.i18n.translated`` (Qt Linguist catalogue).

Make one with :func:`QT_TRANSLATE_NOOP` (the name ``pyside6-lupdate`` looks for, so the template
lands in the catalogue) and add arguments with :meth:`Message.format`::

    raise SourceError(name, QT_TRANSLATE_NOOP("Import", "the file is empty"))
    QT_TRANSLATE_NOOP("Import", "the PDF has {n} pages; the limit is {limit}").format(n=n, limit=20_000)

lupdate only sees calls whose two arguments are string literals (implicit concatenation is fine)
and that take no keyword arguments: put the arguments in ``.format(...)``, never in the call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: The context of messages that only join others (``"{name}: {reason}"``).
CONTEXT = "Message"


class Message(str):
    """English text that knows how it was made: ``template.format(**args)`` in ``context``.

    Arguments may be Messages (or exceptions holding one) themselves; the GUI translates those too.
    Concatenating or slicing gives a plain ``str`` (English only): join messages with a template.
    """

    template: str
    context: str
    args: Mapping[str, Any]

    def __new__(cls, template: str, context: str = CONTEXT, /, **args: Any) -> Message:
        self = super().__new__(cls, template.format(**args) if args else template)
        self.template = str(template)
        self.context = context
        self.args = args
        return self

    def format(self, *positional: object, **args: Any) -> Message:  # type: ignore[override]
        """The message with (more) named arguments filled in; positional arguments are not allowed."""
        if positional:
            raise TypeError("Message.format takes named arguments only")
        return Message(self.template, self.context, **{**self.args, **args})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.context, dict(self.args)))


def _rebuild(template: str, context: str, args: dict[str, Any]) -> Message:
    return Message(template, context, **args)


def QT_TRANSLATE_NOOP(context: str, source: str) -> Message:  # the name lupdate knows
    """Mark ``source`` for translation in ``context``; returns it (English) as a :class:`Message`."""
    return Message(source, context)


def joined(name: object, reason: object) -> Message:
    """``"name: reason"`` (a file or page and what is wrong with it), translatable as a whole."""
    return QT_TRANSLATE_NOOP("Message", "{name}: {reason}").format(name=name, reason=reason)


def message_of(exc: BaseException) -> str:
    """What an exception says: its :class:`Message` when it holds one, else ``str(exc)``."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    text = exc.__str__()  # a class of ours may build its text in __str__
    return text if isinstance(text, Message) else str(exc)


def join_lines(lines: Iterable[str]) -> Message:
    """Lines (Messages or plain text) one under the other; the GUI translates each line."""
    return _join(lines, "\n")


def join_list(items: Iterable[str]) -> Message:
    """Items (Messages or plain text) separated by commas; the GUI translates each item."""
    return _join(items, ", ")


def _join(items: Iterable[str], separator: str) -> Message:
    parts = list(items)
    template = separator.join(f"{{part{i}}}" for i in range(len(parts)))
    # No context: the template has no words and is not looked up; only the parts are translated.
    return Message(template, "", **{f"part{i}": part for i, part in enumerate(parts)})


def escaped(text: str) -> str:
    """``text`` as one line of valid Unicode, for file names and command-line output.

    Bytes a file name could not decode (Python's surrogate escapes) become ``\\xNN``, other lone
    surrogates ``\\uNNNN``, and control or other unprintable characters (newline, tab, ESC, U+2028, ...)
    their ``repr`` escapes; printable text, spaces included, is kept as it is.
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)
