"""DOCX, ODT, HTML and EPUB from a document's corrected Markdown, through pandoc (the optional
``pypandoc-binary`` wheel carries it). No Qt.

What pandoc's Markdown reader would get wrong is prepared first: HTML tables (as DeepSeek-OCR writes
them) go in as raw HTML blocks that a small Lua filter re-reads with pandoc's HTML reader, so they
become real tables; ``\\( \\)`` and ``\\[ \\]`` are read as math (Word's own equations in DOCX,
MathML in HTML, EPUB and ODT); pages are separated by a real page break (DOCX, ODT) or a CSS break
(HTML, EPUB). Figures are the crops already written next to the export.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from desktop_ocr.export.brackets import escape_stray_brackets
from desktop_ocr.messages import QT_TRANSLATE_NOOP

#: Export format -> pandoc's writer.
WRITERS = {"docx": "docx", "odt": "odt", "html": "html5", "epub": "epub3"}
#: The page Markdown as pandoc reads it; ``-smart``: the text stays as typed (straight quotes, --, ...).
READER = "markdown+tex_math_single_backslash+raw_html+raw_attribute-implicit_figures-smart"
#: HTML and EPUB have no list numbers in parentheses: "(1)", "a)" and "1)" came out as "1.", "a.",
#: "1."; with ``-fancy_lists`` such paragraphs keep their marks as typed (lists of "1." stay lists).
#: Word and ODT lists keep the marks' style, so they keep the lists.
PLAIN_MARK_FORMATS = ("html", "epub")
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)
#: Where Word and ODT keep the title as a document property. pandoc's DOCX and ODT writers also print
#: a ``title`` as a Title paragraph above the first page: a line ("scan-0042") that is on no page.
#: So these get the title in the property only, written after pandoc.
_TITLE_PROPERTY = {"docx": "docProps/core.xml", "odt": "meta.xml"}
_EMPTY_TITLE = re.compile(r"<dc:title\s*/>|<dc:title>\s*</dc:title>")

_FILTER = r"""
local breaks = {
  docx = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
  odt = '<text:p text:style-name="Pagebreak"/>',
}
function RawBlock(el)
  if el.format == 'deskocr-table' then
    return pandoc.read(el.text, 'html').blocks
  end
  if el.format == 'deskocr-pagebreak' then
    if FORMAT:match('docx') then return pandoc.RawBlock('openxml', breaks.docx) end
    if FORMAT:match('odt') then return pandoc.RawBlock('opendocument', breaks.odt) end
    if FORMAT:match('html') or FORMAT:match('epub') then
      return pandoc.RawBlock('html', '<div class="page-break" style="break-after: page; page-break-after: always"></div><hr/>')
    end
    return pandoc.HorizontalRule()
  end
end
-- pandoc's EPUB writer puts the book's title as a level-1 heading before the text whenever the text
-- does not open with one (a page that opens with a running header, a paragraph, a sub-heading): a
-- heading the user never wrote. The book gets a marked heading of its own there instead, which the
-- writer keeps as the first chapter's start and its contents entry, and which is taken out of the
-- chapter's text after pandoc (strip_start_heading).
function Pandoc(doc)
  if not FORMAT:match('epub') then return nil end
  local first = doc.blocks[1]
  if first and first.t == 'Header' and first.level == 1 then return nil end
  local title = pandoc.utils.stringify(doc.meta.title or '')
  doc.blocks:insert(1, pandoc.Header(1, title, pandoc.Attr('deskocr-start', {'unnumbered', 'deskocr-start'})))
  return doc
end
"""
#: The heading the filter put before a book's text (see ``Pandoc`` in the filter), as pandoc writes it.
_START_HEADING = re.compile(r'<h1\b[^>]*\bclass="[^"]*\bdeskocr-start\b[^"]*"[^>]*>.*?</h1>\s*', re.S)


class PandocMissing(RuntimeError):
    """pandoc is not installed (the ``pypandoc-binary`` package)."""


def available() -> str:
    """pandoc's version; raises :class:`PandocMissing` with the reason when it cannot be used."""
    try:
        import pypandoc
    except ImportError as exc:
        raise PandocMissing(
            QT_TRANSLATE_NOOP(
                "Export", "pandoc is not installed (install the Python package pypandoc-binary)"
            )
        ) from exc
    try:
        return str(pypandoc.get_pandoc_version())
    except OSError as exc:
        raise PandocMissing(
            QT_TRANSLATE_NOOP("Export", "pandoc cannot be run ({error})").format(error=str(exc)[:200])
        ) from exc


def _fence(kind: str, body: str) -> str:
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", body)), default=0) + 1)
    return f"\n\n{ticks}{{={kind}}}\n{body}\n{ticks}\n\n"


def prepare(pages: Sequence[str]) -> str:
    """The pages' Markdown as one pandoc input: tables fenced for the filter, page breaks between
    pages, a ``<`` that is text written so that pandoc shows it (``escape_stray_brackets``)."""
    prepared = [
        _TABLE.sub(lambda m: _fence("deskocr-table", m.group(0)), escape_stray_brackets(p.strip("\n")))
        for p in pages
    ]
    return _fence("deskocr-pagebreak", "").join(prepared).strip("\n") + "\n"


def convert(
    pages: Sequence[str], fmt: str, title: str, resource_dir: Path | None, language: str = ""
) -> bytes:
    """The file (``fmt`` one of :data:`WRITERS`) made from the pages' Markdown, figure links relative
    to ``resource_dir``, as bytes (the caller writes them atomically)."""
    available()
    import pypandoc

    with tempfile.TemporaryDirectory(prefix="deskocr-pandoc-") as tmp:
        lua = Path(tmp) / "deskocr.lua"
        lua.write_text(_FILTER, encoding="utf-8")
        # HTML: the title only names the page; EPUB needs it (metadata only); DOCX and ODT keep it as a property only
        args = ["--lua-filter", str(lua)]
        if fmt not in _TITLE_PROPERTY:
            args += ["--metadata", f"{'pagetitle' if fmt == 'html' else 'title'}={title}"]
        if language:
            args += ["--metadata", f"lang={language}"]
        if resource_dir is not None:
            args += ["--resource-path", str(resource_dir)]
        if fmt in ("html", "epub"):
            args.append("--mathml")
        if fmt == "epub":
            # the title is the book's metadata (what a reader's library lists), not a page: pandoc's
            # title page put it as a heading before the first page, a line that is on no page
            args.append("--epub-title-page=false")
        if fmt == "html":
            args += ["--standalone", "--embed-resources"]
        pypandoc.convert_text(
            prepare(pages),
            WRITERS[fmt],
            format=READER + ("-fancy_lists" if fmt in PLAIN_MARK_FORMATS else ""),
            outputfile=str(Path(tmp) / f"out.{fmt}"),
            extra_args=args,
            cworkdir=str(resource_dir) if resource_dir is not None else tmp,
        )
        data = (Path(tmp) / f"out.{fmt}").read_bytes()
    if fmt in _TITLE_PROPERTY:
        data = _with_title_property(data, _TITLE_PROPERTY[fmt], title)
    if fmt == "epub":
        data = strip_start_heading(data)
    return data


def _rewrite_zip(data: bytes, edit) -> bytes:
    """The zip ``data`` with each member's bytes passed through ``edit(name, body)``, every member kept
    in its order and compression (EPUB's and ODT's ``mimetype`` stays first, stored)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, edit(info.filename, src.read(info)))
    return out.getvalue()


def _with_title_property(data: bytes, member: str, title: str) -> bytes:
    """The DOCX/ODT zip ``data`` with ``title`` in the empty ``<dc:title>`` of ``member``."""
    tag = f"<dc:title>{escape(title)}</dc:title>"

    def edit(name: str, body: bytes) -> bytes:
        if name != member:
            return body
        return _EMPTY_TITLE.sub(lambda _m: tag, body.decode("utf-8"), count=1).encode("utf-8")

    return _rewrite_zip(data, edit)


def strip_start_heading(data: bytes) -> bytes:
    """The EPUB ``data`` without the heading the filter put before a text that does not open with a
    level-1 heading: its chapter (a ``<section id="deskocr-start">``) keeps its place and its
    contents entry (the book's name, in nav.xhtml and toc.ncx), the text has no heading nobody wrote."""

    def edit(name: str, body: bytes) -> bytes:
        if not name.endswith(".xhtml") or b"deskocr-start" not in body:
            return body
        xhtml = body.decode("utf-8")
        if 'id="deskocr-start"' not in xhtml:  # the nav's link to it, not the chapter
            return body
        return _START_HEADING.sub("", xhtml, count=1).encode("utf-8")

    return _rewrite_zip(data, edit)
