"""Page sources: recognise PDFs and images by content, validate them, and render their pages. No Qt.

Every rendered page comes back as an upright RGB :class:`PIL.Image.Image`: PDF pages at the project's
DPI, image frames at their original resolution with EXIF orientation applied and any colour mode
(CMYK, 16-bit, palette, alpha, 1-bit) converted to RGB, transparency composited on white.

PyMuPDF is not thread-safe: a :class:`PageRenderer` is owned by one thread and keeps its own
small LRU of open documents.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pymupdf
from PIL import Image, ImageFile

from desktop_ocr.messages import QT_TRANSLATE_NOOP, Message, joined
from desktop_ocr.model.document import SourceKind
from desktop_ocr.model.imaging import apply_rotation, to_rgb, upright_rgb

log = logging.getLogger(__name__)

#: A page bigger than this (pixels at the project DPI, or an image frame) is refused.
MAX_PAGE_PIXELS = 300_000_000
#: A file bigger than this is refused.
MAX_FILE_BYTES = 2 * 1024**3
#: More pages or frames than this in one file are refused.
MAX_PAGES = 20_000
DEFAULT_DPI = 144
#: A PDF page holding a scan is read at the scan's own resolution up to this (never below the
#: project's DPI): a 300-dpi scan rendered at 144 dpi loses its small print.
MAX_SCAN_DPI = 400
#: ... and at no more pixels than this (a poster-sized scan is read at the project's DPI or a bit more).
MAX_SCAN_PIXELS = 60_000_000
#: An image counts as the page's scan when it covers at least this share of the page.
SCAN_COVER = 0.5

#: Source data: the file's bytes, or a path to a file holding them.
SourceData = bytes | str | os.PathLike

#: Of the memory free when a page is decoded, this share may go to it (the decoded frame, its RGB copy
#: and one working copy); a bigger page is refused before it is decoded.
MEMORY_SHARE = 0.25
#: Bytes per pixel of Pillow's decoded modes (what ``Image.load`` allocates), 4 for those not listed.
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "LA": 2, "PA": 2, "La": 2, "I;16": 2, "I;16L": 2, "I;16B": 2, "RGB": 3}

# Pillow's own bomb guard fires at 2x this; we check sizes ourselves before decoding.
Image.MAX_IMAGE_PIXELS = MAX_PAGE_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
# MuPDF prints what it repairs to stderr ("MuPDF error: format error: non-page object in page tree"),
# naming no file: the damage is reported with the file and page instead (its warnings are still read).
pymupdf.TOOLS.mupdf_display_errors(False)


class SourceError(Exception):
    """A file that cannot be imported; the message says why, in words a user understands."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(joined(name, reason))
        self.name = name
        self.reason = reason


class PasswordRequired(SourceError):
    """An encrypted PDF: retry the import with its password."""

    def __init__(self, name: str, wrong_password: bool = False) -> None:
        reason = (
            QT_TRANSLATE_NOOP("Import", "the password is wrong")
            if wrong_password
            else QT_TRANSLATE_NOOP("Import", "the PDF is encrypted and needs a password")
        )
        super().__init__(name, reason)
        self.wrong_password = wrong_password


# --- type detection -----------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
    (b"BM", "bmp"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)

#: File name endings we expect to be importable (used only to decide what to report in folders).
KNOWN_SUFFIXES = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff", ".bmp", ".dib", ".webp", ".gif"}
)
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF", "bmp": "BMP", "gif": "GIF", "webp": "WEBP"}


def detect_format(head: bytes) -> str | None:
    """The file format from its first bytes (at least 16): pdf, png, jpeg, tiff, bmp, webp, gif."""
    if head[:12].startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    # A PDF header may follow some junk; the spec allows it within the first 1024 bytes.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    return None


def read_head(data: SourceData, size: int = 1024) -> bytes:
    if isinstance(data, bytes):
        return data[:size]
    with open(data, "rb") as fh:
        return fh.read(size)


# --- probing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What import needs to know about a valid file: its kind and the upright size of every page."""

    format: str  # pdf, png, jpeg, ...
    kind: SourceKind
    page_sizes: tuple[tuple[int, int], ...]
    #: For an encrypted PDF opened with its password: the decrypted file to store instead.
    decrypted: bytes | None = None


def pdf_page_size(page: Any, dpi: int) -> tuple[int, int]:
    """Pixel size of a PDF page rendered at ``dpi`` (exactly what :func:`render_page` produces)."""
    z = dpi / 72.0
    r = (page.rect * pymupdf.Matrix(z, z)).irect
    return int(r.width), int(r.height)


def probe(data: SourceData, name: str, dpi: int = DEFAULT_DPI, password: str | None = None) -> ProbeResult:
    """Validate a file completely and measure its pages. Raises :class:`SourceError`."""
    if not isinstance(data, bytes):
        try:
            size = os.path.getsize(data)
        except OSError as exc:
            raise SourceError(name, _unreadable(exc)) from exc
        if os.path.isdir(data):
            raise SourceError(name, QT_TRANSLATE_NOOP("Import", "is a folder"))
    else:
        size = len(data)
    if size == 0:
        raise SourceError(name, QT_TRANSLATE_NOOP("Import", "the file is empty"))
    if size > MAX_FILE_BYTES:
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP("Import", "the file is too large ({size:.1f} GB; the limit is 2 GB)").format(
                size=size / 1024**3
            ),
        )
    try:
        head = read_head(data)
    except OSError as exc:
        raise SourceError(name, _unreadable(exc)) from exc
    fmt = detect_format(head)
    if fmt is None:
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP("Import", "not a PDF or a supported image (PNG, JPEG, TIFF, BMP, WebP, GIF)"),
        )
    if fmt == "pdf":
        return _probe_pdf(data, name, dpi, password)
    return _probe_image(data, name, fmt)


def _open_pdf(data: SourceData) -> Any:
    if isinstance(data, bytes):
        return pymupdf.open(stream=data, filetype="pdf")
    path = os.fspath(data)
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # a name with bytes that are no UTF-8: PyMuPDF cannot open it by name
        with open(path, "rb") as fh:
            return pymupdf.open(stream=fh.read(), filetype="pdf")
    return pymupdf.open(path, filetype="pdf")


def _probe_pdf(data: SourceData, name: str, dpi: int, password: str | None) -> ProbeResult:
    try:
        doc = _open_pdf(data)
    except Exception as exc:
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP("Import", "the PDF is damaged and cannot be opened ({error})").format(
                error=_short(exc)
            ),
        ) from exc
    try:
        decrypted = None
        was_encrypted = bool(doc.needs_pass)
        if was_encrypted:
            if not password:
                raise PasswordRequired(name)
            if not doc.authenticate(password):
                raise PasswordRequired(name, wrong_password=True)
        n = doc.page_count
        if n == 0:
            raise SourceError(name, QT_TRANSLATE_NOOP("Import", "the PDF has no pages"))
        if n > MAX_PAGES:
            raise SourceError(
                name,
                QT_TRANSLATE_NOOP("Import", "the PDF has {n} pages; the limit is {limit}").format(
                    n=n, limit=MAX_PAGES
                ),
            )
        sizes = []
        for i in range(n):
            try:
                w, h = pdf_page_size(doc[i], dpi)
            except Exception as exc:
                raise SourceError(
                    name,
                    QT_TRANSLATE_NOOP("Import", "page {page} is damaged ({error})").format(
                        page=i + 1, error=_short(exc)
                    ),
                ) from exc
            if w <= 0 or h <= 0:
                raise SourceError(
                    name, QT_TRANSLATE_NOOP("Import", "page {page} has no area").format(page=i + 1)
                )
            if w * h > MAX_PAGE_PIXELS:
                raise SourceError(
                    name,
                    QT_TRANSLATE_NOOP(
                        "Import",
                        "page {page} is too large ({width} x {height} pixels at {dpi} dpi); lower the DPI",
                    ).format(page=i + 1, width=w, height=h, dpi=dpi),
                )
            sizes.append((w, h))
        if was_encrypted:
            # Store a decrypted copy so the project opens anywhere without the password.
            decrypted = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_NONE, garbage=0)  # type: ignore[attr-defined]
        return ProbeResult("pdf", SourceKind.PDF, tuple(sizes), decrypted)
    finally:
        doc.close()


def _open_image(data: SourceData, fmt: str) -> Image.Image:
    fp: Any = io.BytesIO(data) if isinstance(data, bytes) else os.fspath(data)
    return Image.open(fp, formats=[_PIL_FORMATS[fmt]])


def _probe_image(data: SourceData, name: str, fmt: str) -> ProbeResult:
    label = fmt.upper()
    try:
        with warnings.catch_warnings():
            # opening reads only the header: an image over the limit is refused below, with its size
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = _open_image(data, fmt)
    except Image.DecompressionBombError as exc:  # over twice the limit: Pillow names no size we can show
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP(
                "Import",
                "the image is too large (more than {megapixels} megapixels; the limit is 300 megapixels)",
            ).format(megapixels=2 * MAX_PAGE_PIXELS // 1_000_000),
        ) from exc
    except Exception as exc:
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP("Import", "the {format} file is damaged or not supported ({error})").format(
                format=label, error=_short(exc)
            ),
        ) from exc
    try:
        n = int(getattr(img, "n_frames", 1) or 1)
        if n > MAX_PAGES:
            raise SourceError(
                name,
                QT_TRANSLATE_NOOP("Import", "the image has {n} frames; the limit is {limit}").format(
                    n=n, limit=MAX_PAGES
                ),
            )
        sizes = []
        for i in range(n):
            try:
                if i:
                    img.seek(i)
                w, h = img.size
                if w <= 0 or h <= 0:
                    raise SourceError(
                        name, QT_TRANSLATE_NOOP("Import", "frame {frame} has no area").format(frame=i + 1)
                    )
                if w * h > MAX_PAGE_PIXELS:
                    raise SourceError(
                        name,
                        QT_TRANSLATE_NOOP(
                            "Import",
                            "the image is too large ({width} x {height} pixels; the limit is 300 megapixels)",
                        ).format(width=w, height=h),
                    )
                check_decode_memory(name, w, h, img.mode)
                with warnings.catch_warnings():
                    warnings.simplefilter("error", Image.DecompressionBombWarning)
                    img.load()  # decode fully: truncated or corrupt data fails here, not later
                    # Convert as rendering will (colour modes Pillow cannot convert fail now, not later).
                    sizes.append(upright_rgb(img).size)
            except SourceError:
                raise
            except Exception as exc:
                if n > 1:
                    reason = QT_TRANSLATE_NOOP(
                        "Import",
                        "the {format} frame {frame} is damaged, truncated or not supported ({error})",
                    ).format(format=label, frame=i + 1, error=_short(exc))
                else:
                    reason = QT_TRANSLATE_NOOP(
                        "Import", "the {format} is damaged, truncated or not supported ({error})"
                    ).format(format=label, error=_short(exc))
                raise SourceError(name, reason) from exc
        kind = SourceKind.MULTIFRAME if n > 1 else SourceKind.IMAGE
        return ProbeResult(fmt, kind, tuple(sizes))
    finally:
        img.close()


def available_memory() -> int:
    """Bytes of memory the system can give this process now (without swapping)."""
    import psutil

    return int(psutil.virtual_memory().available)


def decode_bytes(width: int, height: int, mode: str) -> int:
    """About how much memory decoding a ``width`` x ``height`` frame of ``mode`` to RGB takes at its
    peak: the decoded frame, its RGB conversion and one working copy of that."""
    return width * height * (_MODE_BYTES.get(mode, 4) + 3 + 3)


def check_decode_memory(name: str, width: int, height: int, mode: str) -> None:
    """Raise :class:`SourceError` when decoding the frame would take more than :data:`MEMORY_SHARE` of
    the memory available now (checked from the header, before anything is decoded)."""
    need = decode_bytes(width, height, mode)
    free = available_memory()
    if need > free * MEMORY_SHARE:
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP(
                "Import",
                "the image is too large for the memory available ({width} x {height} pixels need about "
                "{need} MB to decode; {free} MB of memory are free). Scale it down and import it again.",
            ).format(width=width, height=height, need=need // 2**20, free=free // 2**20),
        )


def _unreadable(exc: OSError) -> Message:
    """ "cannot be read (why)" for a file the system would not let us read."""
    return QT_TRANSLATE_NOOP("Import", "cannot be read ({error})").format(error=exc.strerror or str(exc))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# --- rendering ----------------------------------------------------------------------------------


#: A text layer counts as the page's own text with at least this many visible characters, and when
#: at most this share of its characters is invisible (render mode 3: an OCR layer over a scan).
TEXT_LAYER_MIN_CHARS, TEXT_LAYER_MAX_INVISIBLE = 20, 0.2


@dataclass(frozen=True, slots=True)
class TextLayer:
    """A PDF page's visible text lines: ``(x1, y1, x2, y2)`` in points on the page as written (its
    /Rotate not applied: the text upright), with their text, the page's size so, and its /Rotate."""

    lines: tuple[tuple[tuple[float, float, float, float], str], ...]
    width: float
    height: float
    rotation: int = 0  # the page's /Rotate: a viewer shows it turned clockwise by this much


def pdf_text_layer(page: Any) -> TextLayer | None:
    """The born-digital text of a PyMuPDF page, or None (see :meth:`PageRenderer.text_lines`)."""
    visible = invisible = 0
    for span in page.get_texttrace():
        n = len(span.get("chars", ()))
        if span.get("type") == 3 or span.get("opacity", 1.0) == 0:
            invisible += n
        else:
            visible += n
    if visible < TEXT_LAYER_MIN_CHARS or invisible > TEXT_LAYER_MAX_INVISIBLE * (visible + invisible):
        return None
    lines = []
    for block in page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_LIGATURES)["blocks"]:
        for line in block.get("lines", ()):
            text = "".join(span.get("text", "") for span in line.get("spans", ())).strip()
            if text:  # PyMuPDF gives text positions on the unrotated page
                x0, y0, x1, y1 = (float(v) for v in line["bbox"])
                lines.append(((x0, y0, x1, y1), text))
    if not lines:
        return None
    rotation = int(page.rotation) % 360
    w, h = float(page.rect.width), float(page.rect.height)
    if rotation % 180:
        w, h = h, w
    return TextLayer(tuple(lines), w, h, rotation)


def pdf_scan_dpi(page: Any) -> int | None:
    """The resolution of the scan a PDF page holds: the pixels per inch (the lower of the two axes)
    of its largest image when that image covers at least :data:`SCAN_COVER` of the page; None for
    pages without such an image (born-digital pages, small pictures)."""
    area = abs(page.rect.width * page.rect.height)
    best: tuple[float, int] | None = None
    for info in page.get_image_info():
        x0, y0, x1, y1 = (float(v) for v in info.get("bbox", (0, 0, 0, 0)))
        w_pt, h_pt = abs(x1 - x0), abs(y1 - y0)
        width, height = int(info.get("width", 0)), int(info.get("height", 0))
        if w_pt < 1 or h_pt < 1 or width <= 0 or height <= 0 or area <= 0:
            continue
        cover = w_pt * h_pt / area
        if cover < SCAN_COVER:
            continue
        # an image turned by 90 degrees on the page: its pixel rows run along the page's height
        turned = abs(info.get("transform", (1, 0, 0, 1))[1]) > abs(info.get("transform", (1, 0, 0, 1))[0])
        px_w, px_h = (height, width) if turned else (width, height)
        dpi = round(min(px_w / (w_pt / 72.0), px_h / (h_pt / 72.0)))
        if best is None or cover > best[0]:
            best = (cover, dpi)
    return best[1] if best else None


def reading_dpi(page: Any, dpi: int) -> int:
    """The DPI to read a PDF page at: the project's ``dpi``, or the page's scan resolution when that
    is higher (at most :data:`MAX_SCAN_DPI` and :data:`MAX_SCAN_PIXELS`)."""
    scan = pdf_scan_dpi(page)
    if scan is None or scan <= dpi:
        return dpi
    chosen = min(scan, MAX_SCAN_DPI)
    w, h = pdf_page_size(page, chosen)
    if w * h > MAX_SCAN_PIXELS:
        chosen = int(chosen * (MAX_SCAN_PIXELS / (w * h)) ** 0.5)
    return max(dpi, chosen)


#: What MuPDF says (it still draws the page, blank where these were) when a damaged or truncated PDF
#: lost a page's content or a picture on it: the page is refused rather than read as empty.
_LOST_CONTENT = ("cannot load content stream", "cannot load image", "cannot decode image")


def _page_object_missing(doc: Any, page: Any) -> bool:
    """Whether the page tree names a page whose object is not in the file (a PDF cut short before its
    page objects): MuPDF then makes up an empty Letter-sized page and draws it white."""
    try:
        xref = int(page.xref)
        return not 0 < xref < doc.xref_length() or doc.xref_object(xref, compressed=True).strip() == "null"
    except Exception:  # MuPDF: "bad xref"
        return True


def _render_pdf_page(doc: Any, index: int, zoom: float) -> Image.Image:
    page = doc[index]
    pymupdf.TOOLS.reset_mupdf_warnings()
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False, colorspace=pymupdf.csRGB)
    said = pymupdf.TOOLS.mupdf_warnings(reset=True) or ""
    lost = next((line for line in said.splitlines() if line.startswith(_LOST_CONTENT)), None)
    if lost is None and _page_object_missing(doc, page):
        lost = "its page object is missing from the file"
    if lost is not None:  # a truncated file: MuPDF repaired it and drew the page blank
        name = os.path.basename(getattr(doc, "name", "") or "") or "PDF"
        raise SourceError(
            name,
            QT_TRANSLATE_NOOP("Import", "page {page} is damaged ({error})").format(
                page=index + 1, error=lost
            ),
        )
    return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)


def _image_frame(data: SourceData, index: int, draft: tuple[int, int] | None = None) -> Image.Image:
    fmt = detect_format(read_head(data)) or "png"
    if fmt == "pdf":
        raise ValueError("not an image")
    with _open_image(data, fmt) as img:
        if index:
            img.seek(index)
        if draft and img.format == "JPEG":
            img.draft("RGB", draft)
        name = os.path.basename(os.fspath(data)) if not isinstance(data, bytes) else ""
        check_decode_memory(name, *img.size, img.mode)  # the memory may have shrunk since the import
        img.load()
        return upright_rgb(img)


def render_page(data: SourceData, kind: SourceKind | str, index: int, dpi: int = DEFAULT_DPI) -> Image.Image:
    """One page as upright RGB: PDF pages at ``dpi``, image frames at their own resolution."""
    if SourceKind(kind) == SourceKind.PDF:
        doc = _open_pdf(data)
        try:
            return _render_pdf_page(doc, index, dpi / 72.0)
        finally:
            doc.close()
    return _image_frame(data, index)


def _thumb_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, max_side / max(w, h, 1))
    return max(1, round(w * scale)), max(1, round(h * scale))


#: Opens source data by id: the bytes, or a path to a file holding them. Must be thread-safe.
SourceOpener = Callable[[str], SourceData]


class PageRenderer:
    """Renders pages of many sources; owned by ONE thread (PyMuPDF is not thread-safe).

    Keeps the last ``max_open`` sources open (PDF documents, image data) in an LRU.
    """

    def __init__(self, opener: SourceOpener, max_open: int = 6) -> None:
        self._opener = opener
        self._max_open = max(1, max_open)
        self._open: OrderedDict[str, tuple[SourceKind, Any]] = OrderedDict()
        self._thread = threading.get_ident()

    def _check_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise RuntimeError("A PageRenderer is used only by the thread that created it")

    def _get(self, source_id: str, kind: SourceKind) -> Any:
        self._check_thread()
        entry = self._open.get(source_id)
        if entry is not None:
            self._open.move_to_end(source_id)
            return entry[1]
        data = self._opener(source_id)
        handle: Any = _open_pdf(data) if kind == SourceKind.PDF else data
        self._open[source_id] = (kind, handle)
        while len(self._open) > self._max_open:
            _, (old_kind, old) = self._open.popitem(last=False)
            if old_kind == SourceKind.PDF:
                old.close()
        return handle

    def render(
        self, source_id: str, kind: SourceKind | str, index: int, dpi: int = DEFAULT_DPI, rotation: int = 0
    ) -> Image.Image:
        """The page as RGB, upright, at ``dpi`` (PDF) or original resolution, user rotation applied."""
        kind = SourceKind(kind)
        handle = self._get(source_id, kind)
        if kind == SourceKind.PDF:
            img = _render_pdf_page(handle, index, dpi / 72.0)
        else:
            img = _image_frame(handle, index)
        return apply_rotation(img, rotation)

    def reading_dpi(self, source_id: str, kind: SourceKind | str, index: int, dpi: int = DEFAULT_DPI) -> int:
        """The DPI a page is read at: ``dpi``, or a PDF page's higher scan resolution (:func:`reading_dpi`).
        Image files are read at their own resolution whatever this says."""
        kind = SourceKind(kind)
        if kind != SourceKind.PDF:
            return dpi
        try:
            return reading_dpi(self._get(source_id, kind)[index], dpi)
        except Exception:  # an unreadable image list: the project's DPI, as before
            log.warning(
                "The images of page %d of %s could not be measured", index + 1, source_id, exc_info=True
            )
            return dpi

    def text_lines(self, source_id: str, kind: SourceKind | str, index: int) -> TextLayer | None:
        """The page's own visible text lines when it is a PDF page with a real (born-digital) text
        layer; None for images, pages without text, and scans whose text is an invisible OCR layer."""
        if SourceKind(kind) != SourceKind.PDF:
            return None
        return pdf_text_layer(self._get(source_id, SourceKind.PDF)[index])

    def thumbnail(
        self, source_id: str, kind: SourceKind | str, index: int, max_side: int = 256, rotation: int = 0
    ) -> Image.Image:
        """A small RGB image whose longer side is at most ``max_side`` (fast path: no full render)."""
        kind = SourceKind(kind)
        handle = self._get(source_id, kind)
        if kind == SourceKind.PDF:
            page = handle[index]
            longer = max(page.rect.width, page.rect.height, 1.0)
            img = _render_pdf_page(handle, index, max_side / longer)
        else:
            img = _image_frame(handle, index, draft=(max_side, max_side))
        if max(img.size) > max_side:
            img = img.resize(_thumb_size(img.size, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
        return apply_rotation(img, rotation)

    def forget(self, source_id: str) -> None:
        entry = self._open.pop(source_id, None)
        if entry and entry[0] == SourceKind.PDF:
            entry[1].close()

    def close(self) -> None:
        for kind, handle in self._open.values():
            if kind == SourceKind.PDF:
                handle.close()
        self._open.clear()


__all__ = [
    "DEFAULT_DPI",
    "MAX_FILE_BYTES",
    "MAX_PAGE_PIXELS",
    "MAX_SCAN_DPI",
    "PageRenderer",
    "PasswordRequired",
    "ProbeResult",
    "SourceError",
    "apply_rotation",
    "detect_format",
    "probe",
    "render_page",
    "to_rgb",
    "upright_rgb",
]
