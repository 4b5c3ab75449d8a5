"""Translations: install Qt translators for the user's language (Settings.language, else the system's).

The app's strings come from ``desktop_ocr/resources/translations/desktop_ocr_<lang>.qm`` (made from
``resources/translations/*.ts`` by ``scripts/update_translations.sh``); Qt's own strings (standard
buttons, file dialogs) from the ``qtbase_<lang>.qm`` that ships with Qt. English needs no file.
Strings in widgets are wrapped with ``self.tr("...")``, elsewhere ``QCoreApplication.translate(ctx, "...")``.
Messages from the Qt-free layers are :class:`desktop_ocr.messages.Message`; show them with :func:`translated`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_ocr import bundled
from desktop_ocr.messages import Message, message_of

log = logging.getLogger(__name__)

CATALOG = "desktop_ocr"
_ATTR = "_desktop_ocr_translators"


def available_languages() -> list[str]:
    """Locale names with a shipped translation, English first: ``["en", "zh_CN", ...]``."""
    names = sorted(
        p.stem.removeprefix(CATALOG + "_") for p in bundled.translations_dir().glob(f"{CATALOG}_*.qm")
    )
    return ["en", *names]


def chosen_locale(language: str = "") -> QLocale:
    """The locale to translate into: ``language`` when set (``"en"``, ``"zh_CN"``), else the system's."""
    return QLocale(language) if language else QLocale.system()


def install_translators(app: QCoreApplication, language: str = "") -> list[QTranslator]:
    """Load and install the app's and Qt's translators for ``language`` (see ``chosen_locale``).

    Call right after the QApplication exists, before any widget is made. Installing again (a new
    language chosen in the settings) replaces the previous translators. Returns those installed.
    """
    remove_translators(app)
    locale = chosen_locale(language)
    installed: list[QTranslator] = []
    if locale.language() == QLocale.Language.English or language == "en":
        setattr(app, _ATTR, installed)
        return installed
    ours = QTranslator(app)
    # QTranslator tries desktop_ocr_zh_CN.qm, then desktop_ocr_zh.qm, for each of the locale's UI languages.
    if ours.load(locale, CATALOG, "_", str(bundled.translations_dir())):
        app.installTranslator(ours)
        installed.append(ours)
        log.info("Translation loaded: %s", ours.filePath())
    else:
        log.info("No translation for %s; the interface stays in English", locale.name())
        ours.deleteLater()
        setattr(app, _ATTR, installed)
        return installed
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    else:
        qt.deleteLater()
    setattr(app, _ATTR, installed)
    return installed


def remove_translators(app: QCoreApplication) -> None:
    """Uninstall the translators ``install_translators`` put in (back to English)."""
    for translator in getattr(app, _ATTR, []):
        # Not deleted: deleting a just-removed translator (deleteLater) crashed later event
        # processing now and then (segfault/bus error in tests); it stays a child of the app.
        app.removeTranslator(translator)
    setattr(app, _ATTR, [])


def translated(obj: object) -> str:
    """``obj`` as text in the user's language: a :class:`desktop_ocr.messages.Message` (or an exception
    or object whose text is one) is looked up in the catalogue and formatted with its arguments, which
    are translated the same way; anything else is ``str(obj)``. Safe in any thread.
    """
    if isinstance(obj, BaseException):
        text: str = message_of(obj)
    else:
        text = obj if isinstance(obj, str) else str(obj)
    if not isinstance(text, Message):
        return str(text)
    source = QCoreApplication.translate(text.context, text.template)
    if not text.args:
        return source
    args = {k: translated(v) if isinstance(v, (Message, BaseException)) else v for k, v in text.args.items()}
    try:
        return source.format(**args)
    except (KeyError, IndexError, ValueError):
        log.warning("Bad translation of %r in %s: %r", text.template, text.context, source)
        return text.template.format(**args)
