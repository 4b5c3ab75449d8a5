"""Rendered preview of a page's Markdown: HTML tables, figures from the page, LaTeX shown as written."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_ocr.model.result import FIGURE_SCHEME

FigureProvider = Callable[[str, int], "QImage | None"]

_MATH = re.compile(
    r"\\\[(.+?)\\\]|\$\$(.+?)\$\$|\\\((.+?)\\\)|(?<![\\$])\$(?!\$)(?=\S)([^\n$]+?)(?<=\S)\$(?!\$)", re.S
)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.S | re.M)
_TABLE_OPEN = re.compile(r"<table(?![^>]*\bborder=)", re.I)
_EMPTY_ALT = re.compile(r"!\[\]\(")


def protect_math(markdown: str) -> str:
    """Show LaTeX as written: math becomes code spans, so Markdown leaves ``\\``, ``_``, ``*`` alone."""
    out: list[str] = []
    last = 0
    for fence in _FENCE.finditer(markdown):
        out.append(_protect_math_outside_code(markdown[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_protect_math_outside_code(markdown[last:]))
    return "".join(out)


def _protect_math_outside_code(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        src = m.group(0)
        display = src.startswith(("\\[", "$$"))
        body = " ".join(src.split()) if display else src
        ticks = "`" * (max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
        span = f"{ticks} {body} {ticks}"
        return f"\n\n{span}\n\n" if display else span

    # leave inline code spans untouched
    parts = re.split(r"(`+[^`]*`+)", text)
    return "".join(p if i % 2 else _MATH.sub(repl, p) for i, p in enumerate(parts))


def _plain_probe(markdown: str) -> str:
    """A few words of a Markdown snippet as they appear rendered (markers and tags removed)."""
    for line in markdown.splitlines():
        text = re.sub(r"<[^>]+>", " ", line)
        text = re.sub(r"^\s*(#{1,6}|[-*+]|\d+[.)]|>)\s+", "", text)
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"[*_`~|]", " ", text)
        words = text.split()
        if len(words) >= 1 and len(" ".join(words)) >= 2:
            return " ".join(words[:6])
    return ""


class PreviewPane(QTextBrowser):
    """Renders Markdown (GitHub dialect, raw HTML such as tables) with a debounce."""

    DEBOUNCE_MS = 300

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setOpenLinks(True)
        self._page_id: str | None = None
        self._markdown: str | Callable[[], str] = ""
        self._provider: FigureProvider | None = None
        self._figure_cache: dict[tuple[str, int, int], QImage] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.render_now)
        self.document().setDocumentMargin(14)
        self._apply_style()

    def set_figure_provider(self, provider: FigureProvider | None) -> None:
        """``provider(page_id, n)`` returns the n-th figure (1-based) of a page, or None."""
        self._provider = provider
        self._figure_cache.clear()

    def set_markdown(
        self,
        page_id: str | None,
        markdown: str | Callable[[], str],
        immediate: bool = False,
        throttle: bool = False,
    ) -> None:
        """Show Markdown (or a getter called when the preview renders).

        Updates are debounced (300 ms after the last one); with ``throttle`` (streamed text) a
        pending render is not pushed back, so the preview keeps up while text arrives.
        """
        if page_id != self._page_id:
            self._figure_cache.clear()
            immediate = True
        self._page_id = page_id
        self._markdown = markdown
        if immediate:
            self._timer.stop()
            self.render_now()
        elif not (throttle and self._timer.isActive()):
            self._timer.start()

    def markdown(self) -> str:
        return self._markdown() if callable(self._markdown) else self._markdown

    def pending(self) -> bool:
        return self._timer.isActive()

    def render_now(self) -> None:
        self._timer.stop()
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4 and bar.maximum() > 0
        ratio = bar.value() / bar.maximum() if bar.maximum() else 0.0
        doc = self.document()
        # drop cached resources so changed figures reload
        doc.clear()
        self._apply_style()
        text = _TABLE_OPEN.sub(
            '<table border="1" cellspacing="0" cellpadding="5"', protect_math(self.markdown())
        )
        text = _EMPTY_ALT.sub("![image](", text)  # Qt drops images without alt text
        doc.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        if at_end:
            bar.setValue(bar.maximum())
        else:
            bar.setValue(round(ratio * bar.maximum()))

    def reveal(self, source_text: str) -> bool:
        """Select and scroll to the rendered form of a piece of Markdown (its first words)."""
        probe = _plain_probe(source_text)
        if not probe:
            return False
        if self._timer.isActive():
            self.render_now()
        found = self.document().find(probe)
        if found.isNull():
            return False
        self.setTextCursor(found)
        self.ensureCursorVisible()
        return True

    def _apply_style(self) -> None:
        pal = self.palette()
        grid = pal.color(QPalette.ColorRole.Mid).name()
        head = pal.color(QPalette.ColorRole.AlternateBase).name()
        self.document().setDefaultStyleSheet(
            f"table {{ border-collapse: collapse; margin: 6px 0; }}"
            f"td, th {{ border: 1px solid {grid}; padding: 4px 8px; }}"
            f"th {{ background-color: {head}; }}"
            "code { font-family: monospace; }"
        )

    def loadResource(self, type_: int, url: QUrl):
        if url.scheme() == FIGURE_SCHEME.rstrip(":") or url.toString().startswith(FIGURE_SCHEME):
            return self._figure(url.toString()[len(FIGURE_SCHEME) :])
        return super().loadResource(type_, url)

    def _figure(self, number: str) -> QImage | None:
        if self._provider is None or self._page_id is None or not number.strip().isdigit():
            return None
        n = int(number)
        width = max(120, self.viewport().width() - 40)
        key = (self._page_id, n, width)
        image = self._figure_cache.get(key)
        if image is None:
            try:
                image = self._provider(self._page_id, n)
            except Exception:  # a broken figure must not break the preview
                image = None
            if image is None or image.isNull():
                return None
            if image.width() > width:
                image = image.scaledToWidth(width)
            self._figure_cache[key] = image
        return image
