"""Searchable PDF: each page is the original scan (a PDF source's own page, an image's own bytes) with
the user's corrected text laid over it as invisible text (render mode 3). No Qt.

The page is built turned as the user sees it (its result's boxes are on the page turned so), the
scan placed under it turned to match. Optional PDF/A-2b: XMP metadata
with the PDF/A identification, an sRGB output intent (the profile LittleCMS builds, through
Pillow) and embedded (subset) fonts.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

import pymupdf
from PIL import Image, ImageCms

from desktop_ocr import __version__
from desktop_ocr.export.textlayer import Line, upright_lines
from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.document import Document, Page, Project, SourceKind
from desktop_ocr.model.imaging import orientation, upright_rgb
from desktop_ocr.model.sources import SourceData, detect_format, pdf_text_layer, read_head

PRODUCER = f"desktop-ocr {__version__}"
#: Images without a resolution of their own are taken to be scanned at this many dpi.
FALLBACK_DPI = 300

#: EXIF orientation -> the clockwise turn that makes the stored pixels upright (mirrored ones have none).
_EXIF_TURN = {1: 0, 3: 180, 6: 90, 8: 270}


class PdfError(ValueError):
    """A page that cannot be put into the PDF (its source is missing or unreadable)."""


def _latin_font() -> pymupdf.Font:
    return pymupdf.Font("helv")


def _wide_font() -> pymupdf.Font:
    return pymupdf.Font("cjk")  # Droid Sans Fallback: Latin, Greek, Cyrillic, CJK


class _Fonts:
    def __init__(self) -> None:
        self._latin: pymupdf.Font | None = None
        self._wide: pymupdf.Font | None = None
        self._advance: dict[tuple[int, str], float] = {}

    def width(self, font: pymupdf.Font, text: str, size: float) -> float:
        """The text's advance width at ``size`` (glyph advances cached: Font.text_length is slow)."""
        key = id(font)
        total = 0.0
        for ch in text:
            a = self._advance.get((key, ch))
            if a is None:
                a = self._advance[(key, ch)] = font.glyph_advance(ord(ch))
            total += a
        return total * size

    def for_text(self, text: str) -> pymupdf.Font:
        if self._latin is None:
            self._latin = _latin_font()
        if all(self._latin.has_glyph(ord(c)) for c in text if not c.isspace()):
            return self._latin
        if self._wide is None:
            self._wide = _wide_font()
        return self._wide


def write_pdf(
    project: Project,
    document: Document,
    opener: Callable[[str], SourceData],
    pdfa: bool = False,
    step: Callable[[int], None] | None = None,
) -> bytes:
    """The searchable PDF of ``document`` as bytes. ``opener(source_id)`` gives a source's data;
    ``step(page_number)`` is called before each page (it may raise to cancel)."""
    out = pymupdf.open()
    fonts = _Fonts()
    sources: dict[str, Any] = {}
    try:
        for number, page in enumerate(document.pages, 1):
            if step is not None:
                step(number)
            _add_page(out, project, page, opener, sources, fonts)
        _metadata(out, document.name, pdfa)
        out.subset_fonts()
        if pdfa:
            _make_pdfa(out, document.name)
        return out.tobytes(garbage=3, deflate=True, no_new_id=False)
    finally:
        for handle in sources.values():
            if isinstance(handle, pymupdf.Document):
                handle.close()
        out.close()


# --- pages --------------------------------------------------------------------------------------------
def read_rotation(page: Page) -> int:
    """The page's rotation: its result's boxes and lines are on the page turned so (turning a read
    page turns what was read with it; see ``Project.rotate_pages``)."""
    return page.rotation % 360


def _add_page(
    out: Any,
    project: Project,
    page: Page,
    opener: Callable[[str], SourceData],
    sources: dict[str, Any],
    fonts: _Fonts,
) -> None:
    source = project.sources.get(page.source_id)
    if source is None:
        raise PdfError(QT_TRANSLATE_NOOP("Export", "the page's source file is missing from the project"))
    turn = read_rotation(page)
    if source.id not in sources:
        data = opener(source.id)
        sources[source.id] = _open_pdf(data) if source.kind == SourceKind.PDF else data
    handle = sources[source.id]
    if source.kind == SourceKind.PDF:
        src_rect = handle[page.index].rect
        w, h = src_rect.width, src_rect.height
        if turn % 180:
            w, h = h, w
        new = out.new_page(width=w, height=h)
        _drop_old_ocr_layer(handle[page.index])
        # show_pdf_page turns counter-clockwise; our rotations are clockwise
        new.show_pdf_page(new.rect, handle, page.index, rotate=-turn % 360)
        if pdf_text_layer(handle[page.index]) is not None:
            return  # a born-digital page: its own text is searchable already, ours would double it
    else:
        stream, (px_w, px_h), dpi, exif_turn = _image_stream(handle, page.index, project)
        total = (turn + exif_turn) % 360
        w, h = px_w * 72.0 / dpi[0], px_h * 72.0 / dpi[1]  # the stored pixels, before any turn
        if total % 180:
            w, h = h, w
        new = out.new_page(width=w, height=h)
        new.insert_image(new.rect, stream=stream, rotate=-total % 360)
    lines, turned = upright_lines(page)
    _text_layer(new, lines, fonts, turned)


def _drop_old_ocr_layer(src_page: Any) -> None:
    """Remove a scan's old OCR layer (every character of the page invisible) from the opened copy
    of its PDF, so that the corrected layer is the only text (search and copy found every word
    twice). Images and drawings stay as they are; a page with any visible text is left alone."""
    visible = invisible = 0
    for span in src_page.get_texttrace():
        n = len(span.get("chars", ()))
        if span.get("type") == 3 or span.get("opacity", 1.0) == 0:
            invisible += n
        else:
            visible += n
    if not invisible or visible:
        return
    side = max(src_page.rect.width, src_page.rect.height, src_page.mediabox.width, src_page.mediabox.height)
    src_page.add_redact_annot(pymupdf.Rect(0, 0, side, side), fill=False)
    pm: Any = pymupdf  # (its stubs lack the redaction constants)
    src_page.apply_redactions(
        images=pm.PDF_REDACT_IMAGE_NONE, graphics=pm.PDF_REDACT_LINE_ART_NONE, text=pm.PDF_REDACT_TEXT_REMOVE
    )


def _open_pdf(data: SourceData) -> Any:
    if isinstance(data, bytes):
        return pymupdf.open(stream=data, filetype="pdf")
    return pymupdf.open(os.fspath(data), filetype="pdf")


def _image_stream(
    data: SourceData, index: int, project: Project
) -> tuple[bytes, tuple[int, int], tuple[float, float], int]:
    """The image file's own bytes when a PDF can hold them as they are (single-frame JPEG or PNG
    without a mirroring EXIF orientation), else the upright frame as a lossless PNG. Returns the
    stream, its pixel size, its dpi (x, y) and the clockwise turn that makes it upright."""
    raw = data if isinstance(data, bytes) else None
    fmt = detect_format(read_head(data))
    fp: Any = io.BytesIO(data) if isinstance(data, bytes) else os.fspath(data)
    with Image.open(fp) as img:
        if index:
            img.seek(index)
        dpi = _dpi(img, project)
        turn = _EXIF_TURN.get(orientation(img))
        single = int(getattr(img, "n_frames", 1) or 1) == 1
        as_is = (
            single
            and turn is not None
            and (
                (fmt == "jpeg" and img.mode in ("L", "RGB"))
                or (fmt == "png" and img.mode in ("L", "RGB", "P", "1", "LA", "RGBA"))
            )
        )
        if as_is and fmt == "png" and img.mode == "P" and _grey_palette(img):
            # PDF holds no PNG: MuPDF re-packs it, and a palette one as RGB (2-3x the size). The
            # same pixels as grey stay one channel.
            img.load()
            buf = io.BytesIO()
            img.convert("L").save(buf, format="PNG", compress_level=1)
            assert turn is not None
            return buf.getvalue(), img.size, dpi, turn
        if as_is:
            if raw is None:
                with open(fp, "rb") as fh:
                    raw = fh.read()
            assert turn is not None
            return raw, img.size, dpi, turn
        img.load()
        upright = upright_rgb(img)
    buf = io.BytesIO()
    upright.save(buf, format="PNG", optimize=False)
    if turn is None:  # mirrored: the PNG is already upright, but its size is the upright one
        return buf.getvalue(), upright.size, dpi, 0
    # the PNG is upright: its dpi pair follows the turn
    return buf.getvalue(), upright.size, (dpi[1], dpi[0]) if turn % 180 else dpi, 0


def _grey_palette(img: Image.Image) -> bool:
    if "transparency" in img.info:
        return False
    palette = img.getpalette() or []
    used = {tuple(palette[i : i + 3]) for i in range(0, len(palette), 3)}
    return all(r == g == b for r, g, b in used)


def _dpi(img: Image.Image, project: Project) -> tuple[float, float]:
    info = img.info.get("dpi")
    try:
        if info and float(info[0]) >= 36 and float(info[1]) >= 36:
            return float(info[0]), float(info[1])
    except (TypeError, ValueError, IndexError):
        pass
    return float(FALLBACK_DPI), float(FALLBACK_DPI)


def _upright_to_page(turn: int, width: float, height: float) -> Callable[[float, float], Any]:
    """Where a point of the page as it was read (upright, ``width`` x ``height`` points) lies on the
    page turned clockwise by ``turn`` since."""
    if turn == 90:
        return lambda x, y: pymupdf.Point(height - y, x)
    if turn == 180:
        return lambda x, y: pymupdf.Point(width - x, height - y)
    if turn == 270:
        return lambda x, y: pymupdf.Point(y, width - x)
    return lambda x, y: pymupdf.Point(x, y)


def _text_layer(page: Any, lines: list[Line], fonts: _Fonts, turned: int = 0) -> None:
    """Invisible text: each line's baseline near the bottom of its box, stretched to the box's width.
    ``lines`` are on the page as it was read; ``turned``: clockwise degrees it was turned since,
    the text is turned with it (it runs down the page at 90, up at 270)."""
    width, height = page.rect.width, page.rect.height
    if turned % 180:
        width, height = height, width  # the upright page's size
    to_page = _upright_to_page(turned, width, height)
    for line in lines:
        x0, y0, x1, y1 = line.x0 * width, line.y0 * height, line.x1 * width, line.y1 * height
        box_w, box_h = x1 - x0, y1 - y0
        if box_w <= 0.5 or box_h <= 0.5 or not line.text.strip():
            continue
        font = fonts.for_text(line.text)
        # the font's ascender-to-descender span fills the box, so a search highlights the box
        span = (font.ascender - font.descender) or 1.0
        size = max(1.0, box_h / span)
        natural = fonts.width(font, line.text, size)
        if natural <= 0:
            continue
        scale = box_w / natural
        base = to_page(x0, y1 + font.descender * size)
        writer = pymupdf.TextWriter(page.rect)
        writer.append(base, line.text, font=font, fontsize=size)
        # stretched along the line, then turned clockwise with the page (PDF space: y up)
        morph = pymupdf.Matrix(scale, 1) * pymupdf.Matrix(-turned) if turned else pymupdf.Matrix(scale, 1)
        writer.write_text(page, render_mode=3, morph=(base, morph))


# --- metadata and PDF/A ---------------------------------------------------------------------------------
def _metadata(doc: Any, title: str, pdfa: bool) -> None:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    doc.set_metadata(
        {
            "title": title,
            "producer": PRODUCER,
            "creator": PRODUCER,
            "creationDate": now,
            "modDate": now,
            "author": "",
            "subject": "",
            "keywords": "",
        }
    )


def _srgb_icc() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return bytes(profile.tobytes())


def _xmp(title: str, created: str) -> str:
    t = escape(title)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{escape(PRODUCER)}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{escape(PRODUCER)}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{created}</xmp:ModifyDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _make_pdfa(doc: Any, title: str) -> None:
    """PDF/A-2b identification: XMP (matching the Info dictionary's dates), an sRGB output intent."""
    info_date = doc.metadata.get("creationDate", "")  # D:YYYYMMDDHHMMSS+00'00'
    d = info_date[2:16]
    created = f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}+00:00"
    doc.set_xml_metadata(_xmp(title, created))
    icc = doc.get_new_xref()
    doc.update_object(icc, "<< /N 3 >>")
    doc.update_stream(icc, _srgb_icc(), compress=True)
    intent = doc.get_new_xref()
    doc.update_object(
        intent,
        f"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "
        f"/Info (sRGB IEC61966-2.1) /DestOutputProfile {icc} 0 R >>",
    )
    doc.xref_set_key(doc.pdf_catalog(), "OutputIntents", f"[{intent} 0 R]")
