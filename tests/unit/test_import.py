"""Import of PDFs and images: type by content, every colour mode, bad files reported, nothing half-added."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image
from sample_docs import real_two_page_pdf, write_cut_real_pdf

from desktop_ocr.model.document import Project, SourceKind
from desktop_ocr.model.importer import ANY_FILE, MemorySources, import_paths, natural_key, prepare
from desktop_ocr.model.sources import (
    PageRenderer,
    PasswordRequired,
    SourceError,
    apply_rotation,
    detect_format,
    probe,
    render_page,
)

# --- builders ---------------------------------------------------------------------------------


def make_pdf(path: Path, pages: int = 3, size=(595, 842), password: str | None = None) -> Path:
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=size[0], height=size[1])
        page.insert_text((72, 100), f"Page {i + 1}", fontsize=36)
        page.draw_rect(pymupdf.Rect(0, 0, 40, 40), color=(1, 0, 0), fill=(1, 0, 0))
    if password:
        data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "x")
    else:
        data = doc.tobytes()
    path.write_bytes(data)
    return path


def quadrant_image(w=80, h=60) -> Image.Image:
    """Red top-left quadrant, everything else white: shows orientation unambiguously."""
    img = Image.new("RGB", (w, h), "white")
    img.paste((255, 0, 0), (0, 0, w // 2, h // 2))
    return img


def save(img: Image.Image, path: Path, fmt: str, **kw) -> Path:
    img.save(path, fmt, **kw)
    return path


def import_into(paths, dpi=144, passwords=None):
    project = Project()
    sink = MemorySources()
    outcome = import_paths(project, [str(p) for p in paths], sink, dpi, passwords)
    return project, sink, outcome


def render(project: Project, sink: MemorySources, page, dpi=144):
    src = project.sources[page.source_id]
    renderer = PageRenderer(sink.opener(project))
    try:
        return renderer.render(src.id, src.kind, page.index, dpi, page.rotation)
    finally:
        renderer.close()


# --- detection --------------------------------------------------------------------------------


def test_type_is_detected_by_content_not_extension(tmp_path):
    png_named_jpg = save(quadrant_image(), tmp_path / "photo.jpg", "PNG")
    pdf_named_png = make_pdf(tmp_path / "scan.png", pages=2)
    assert detect_format(png_named_jpg.read_bytes()[:32]) == "png"
    project, _, outcome = import_into([png_named_jpg, pdf_named_png])
    assert not outcome.problems
    kinds = sorted(s.kind for s in project.sources.values())
    assert kinds == sorted([SourceKind.IMAGE, SourceKind.PDF])
    assert project.page_count == 3


def test_detect_format_magic():
    assert detect_format(b"%PDF-1.7\n") == "pdf"
    assert detect_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert detect_format(b"GIF89a....") == "gif"
    assert detect_format(b"II*\x00....") == "tiff"
    assert detect_format(b"hello world") is None


# --- PDFs -------------------------------------------------------------------------------------


def test_pdf_every_page_sized_at_dpi_without_rendering(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", pages=4, size=(612, 792))
    project, sink, outcome = import_into([pdf], dpi=200)
    (doc,) = outcome.documents
    assert doc.name == "doc"
    assert len(doc.pages) == 4
    assert [p.index for p in doc.pages] == [0, 1, 2, 3]
    page = doc.pages[2]
    assert (page.width, page.height) == (1700, 2200)
    img = render(project, sink, page, dpi=200)
    assert img.mode == "RGB" and img.size == (page.width, page.height)
    # The red square drawn in the corner is there.
    assert img.getpixel((10, 10))[0] > 200 and img.getpixel((10, 10))[1] < 60


def test_encrypted_pdf_needs_password_then_imports(tmp_path):
    pdf = make_pdf(tmp_path / "secret.pdf", pages=2, password="s3cret")
    with pytest.raises(PasswordRequired) as info:
        probe(pdf, pdf.name)
    assert "secret.pdf" in str(info.value)

    project, _, outcome = import_into([pdf])
    assert project.page_count == 0 and not project.sources
    (problem,) = outcome.problems
    assert problem.needs_password and problem.name == "secret.pdf"

    _, _, wrong = import_into([pdf], passwords={str(pdf): "nope"})
    assert wrong.problems[0].wrong_password

    project, sink, outcome = import_into([pdf], passwords={ANY_FILE: "s3cret"})
    assert not outcome.problems and project.page_count == 2
    # The stored copy opens without the password (the project works on any machine).
    (source,) = project.sources.values()
    stored = sink.opener(project)(source.id)
    assert isinstance(stored, bytes)
    assert not pymupdf.open(stream=stored, filetype="pdf").needs_pass
    img = render(project, sink, project.documents[0].pages[1])
    assert img.size == (1190, 1684)


def test_rendered_pdf_sizes_match_import_sizes_for_odd_page_sizes(tmp_path):
    pdf = make_pdf(tmp_path / "odd.pdf", pages=1, size=(333.3, 517.7))
    project, sink, _ = import_into([pdf], dpi=144)
    page = project.documents[0].pages[0]
    assert render(project, sink, page).size == (page.width, page.height)


# --- images -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt,ext",
    [("PNG", "png"), ("JPEG", "jpg"), ("BMP", "bmp"), ("WEBP", "webp"), ("TIFF", "tif"), ("GIF", "gif")],
)
def test_every_image_format_imports_as_rgb(tmp_path, fmt, ext):
    path = save(quadrant_image(), tmp_path / f"img.{ext}", fmt)
    project, sink, outcome = import_into([path])
    assert not outcome.problems
    page = project.documents[0].pages[0]
    assert (page.width, page.height) == (80, 60)
    img = render(project, sink, page)
    assert img.mode == "RGB" and img.size == (80, 60)
    r, g, b = img.getpixel((5, 5))
    assert r > 200 and g < 70 and b < 70
    assert min(img.getpixel((70, 50))) > 200


def _modes():
    base = quadrant_image()
    grey = base.convert("L")
    return {
        "1": base.convert("1"),
        "L": grey,
        "P": base.convert("P"),
        "RGBA": base.convert("RGBA"),
        "LA": grey.convert("LA"),
        "CMYK": base.convert("CMYK"),
    }


@pytest.mark.parametrize("mode", ["1", "L", "P", "RGBA", "LA", "CMYK"])
def test_image_modes_convert_to_rgb(tmp_path, mode):
    img = _modes()[mode]
    fmt = "JPEG" if mode == "CMYK" else ("TIFF" if mode == "LA" else "PNG")
    path = save(img, tmp_path / f"m_{mode}.img", fmt)
    project, sink, outcome = import_into([path])
    assert not outcome.problems
    out = render(project, sink, project.documents[0].pages[0])
    assert out.mode == "RGB"
    # Dark (red or its grey) top-left, white bottom-right, in every mode.
    assert sum(out.getpixel((5, 5))) < sum(out.getpixel((70, 50)))
    assert min(out.getpixel((70, 50))) > 200
    if mode in ("P", "RGBA", "CMYK"):
        r, g, b = out.getpixel((5, 5))
        assert r > 180 and g < 90 and b < 90


def test_alpha_is_composited_on_white(tmp_path):
    img = Image.new("RGBA", (20, 20), (0, 0, 0, 0))  # fully transparent black
    img.paste((0, 0, 255, 255), (0, 0, 10, 10))
    path = save(img, tmp_path / "alpha.png", "PNG")
    project, sink, _ = import_into([path])
    out = render(project, sink, project.documents[0].pages[0])
    assert out.getpixel((15, 15)) == (255, 255, 255)
    assert out.getpixel((2, 2)) == (0, 0, 255)


def test_palette_with_transparency_on_white(tmp_path):
    img = Image.new("P", (10, 10), 0)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    img.paste(1, (0, 0, 5, 5))
    path = tmp_path / "pal.png"
    img.save(path, transparency=0)
    project, sink, _ = import_into([path])
    out = render(project, sink, project.documents[0].pages[0])
    assert out.getpixel((8, 8)) == (255, 255, 255)
    assert out.getpixel((1, 1)) == (255, 0, 0)


def test_16_bit_grey_is_scaled_not_clipped(tmp_path):
    arr = np.zeros((20, 40), dtype=np.uint16)
    arr[:, 20:] = 65535
    arr[:, 10:20] = 32768
    img = Image.fromarray(arr)  # mode I;16
    assert img.mode.startswith("I")
    path = save(img, tmp_path / "deep.png", "PNG")
    project, sink, _ = import_into([path])
    out = render(project, sink, project.documents[0].pages[0])
    assert out.getpixel((1, 1)) == (0, 0, 0)
    assert out.getpixel((15, 1))[0] in range(125, 131)  # mid grey, not white
    assert out.getpixel((30, 1)) == (255, 255, 255)


def test_16_bit_tiff(tmp_path):
    arr = np.full((10, 10), 40000, dtype=np.uint16)
    path = save(Image.fromarray(arr), tmp_path / "deep.tif", "TIFF")
    project, sink, outcome = import_into([path])
    assert not outcome.problems
    out = render(project, sink, project.documents[0].pages[0])
    assert out.getpixel((5, 5))[0] == round(40000 / 257)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_exif_orientation_is_honoured(tmp_path, orientation):
    upright = quadrant_image(80, 60)
    # Store the pixels so that applying ``orientation`` gives the upright image back.
    inverse = {
        1: None,
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }
    stored = upright.transpose(inverse[orientation]) if inverse[orientation] is not None else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.jpg"
    stored.save(path, "JPEG", exif=exif, quality=95)
    project, sink, _ = import_into([path])
    page = project.documents[0].pages[0]
    assert (page.width, page.height) == (80, 60)
    out = render(project, sink, page)
    assert out.size == (80, 60)
    r, g, _b = out.getpixel((8, 8))
    assert r > 200 and g < 80, "red quadrant must be top-left after orientation"
    assert min(out.getpixel((70, 50))) > 200


def test_multiframe_tiff_every_frame_is_a_page(tmp_path):
    frames = [Image.new("RGB", (30 + i, 20), (i * 60, 0, 0)) for i in range(3)]
    path = tmp_path / "scan.tiff"
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:])
    project, sink, outcome = import_into([path])
    (doc,) = outcome.documents
    assert doc.name == "scan" and len(doc.pages) == 3
    assert project.sources[doc.pages[0].source_id].kind == SourceKind.MULTIFRAME
    assert [p.width for p in doc.pages] == [30, 31, 32]
    assert render(project, sink, doc.pages[2]).getpixel((1, 1))[0] == 120


def test_gif_frames(tmp_path):
    frames = [Image.new("P", (16, 16), i) for i in range(2)]
    for f in frames:
        f.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    project, sink, _ = import_into([path])
    pages = project.documents[0].pages
    assert len(pages) == 2
    assert render(project, sink, pages[0]).getpixel((3, 3)) == (0, 0, 0)
    assert render(project, sink, pages[1]).getpixel((3, 3)) == (255, 255, 255)


# --- grouping and folders ---------------------------------------------------------------------


def test_loose_images_become_one_document_named_after_the_first(tmp_path):
    a = save(quadrant_image(), tmp_path / "alpha.png", "PNG")
    b = save(quadrant_image(), tmp_path / "beta.jpg", "JPEG")
    pdf = make_pdf(tmp_path / "report.pdf", pages=2)
    _, _, outcome = import_into([a, pdf, b])
    names = [d.name for d in outcome.documents]
    assert names == ["alpha", "report"]
    assert [p.label for p in outcome.documents[0].pages] == ["alpha.png", "beta.jpg"]


def test_folder_recursive_natural_order(tmp_path):
    folder = tmp_path / "box 7"
    sub = folder / "letters"
    sub.mkdir(parents=True)
    for n in (10, 2, 1):
        save(quadrant_image(), folder / f"page{n}.png", "PNG")
    make_pdf(folder / "minutes.pdf", pages=2)
    save(quadrant_image(), sub / "l1.png", "PNG")
    (folder / "notes.txt").write_text("not an image")
    (folder / ".hidden.png").write_bytes(b"junk")
    _, _, outcome = import_into([folder])
    assert not outcome.problems  # unknown non-image files in folders are skipped quietly
    docs = {d.name: d for d in outcome.documents}
    assert set(docs) == {"box 7", "minutes", "box 7/letters"}
    assert [p.label for p in docs["box 7"].pages] == ["page1.png", "page2.png", "page10.png"]
    assert len(docs["minutes"].pages) == 2
    assert sorted(natural_key(x) for x in ["a10", "a2"])[0] == natural_key("a2")


# --- bad files --------------------------------------------------------------------------------


def test_bad_files_are_reported_and_the_others_import(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", pages=2)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    full = io.BytesIO()
    quadrant_image(400, 300).save(full, "PNG")
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(full.getvalue()[: len(full.getvalue()) // 2])
    jpg = io.BytesIO()
    quadrant_image(400, 300).save(jpg, "JPEG")
    truncated_jpg = tmp_path / "cut.jpg"
    truncated_jpg.write_bytes(jpg.getvalue()[:300])
    text = tmp_path / "readme.png"
    text.write_text("this is text, not a picture")
    missing = tmp_path / "missing.pdf"
    project, _, outcome = import_into([good, empty, corrupt, truncated, truncated_jpg, text, missing])
    reasons = {p.name: p.reason for p in outcome.problems}
    assert set(reasons) == {
        "empty.png",
        "corrupt.pdf",
        "truncated.png",
        "cut.jpg",
        "readme.png",
        "missing.pdf",
    }
    assert "empty" in reasons["empty.png"]
    assert "not a PDF" in reasons["readme.png"]
    assert "does not exist" in reasons["missing.pdf"]
    assert project.page_count == 2 and len(project.sources) == 1
    assert [d.name for d in project.documents] == ["good"]


def _png_header_only(w: int, h: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def test_huge_dimensions_refused_before_decoding(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(40000, 40000))  # 1.6 gigapixels in a tiny file
    with pytest.raises(SourceError) as info:
        probe(bomb, bomb.name)
    assert "too large" in info.value.reason
    project, _, outcome = import_into([bomb])
    assert project.page_count == 0 and outcome.problems[0].name == "bomb.png"


def test_an_image_over_the_limit_is_refused_with_its_size_not_pillows_words(tmp_path):
    """Found importing a 20000 x 16000 PNG (a blank scan of 320 megapixels, 350 KB) in the window:
    the message read "the image is too large (Image size (320000000 pixels) exceeds limit of
    300000000 pixels, could be decompression bomb DOS attack.)"."""
    big = tmp_path / "big.png"
    big.write_bytes(_png_header_only(20000, 16000))  # between the limit and twice it: Pillow warns
    with pytest.raises(SourceError) as info:
        probe(big, big.name)
    assert info.value.reason == "the image is too large (20000 x 16000 pixels; the limit is 300 megapixels)"
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(40000, 40000))  # over twice the limit: Pillow refuses to open it
    with pytest.raises(SourceError) as info:
        probe(bomb, bomb.name)
    assert (
        info.value.reason == "the image is too large (more than 600 megapixels; the limit is 300 megapixels)"
    )
    for reason in ("decompression", "DOS", "Image size"):
        assert reason not in info.value.reason


def test_pdf_page_too_large_at_dpi(tmp_path):
    pdf = make_pdf(tmp_path / "poster.pdf", pages=1, size=(14400, 14400))  # 200 in square
    with pytest.raises(SourceError) as info:
        probe(pdf, pdf.name, dpi=144)
    assert "too large" in info.value.reason and "DPI" in info.value.reason


def test_multiframe_with_one_bad_frame_adds_nothing(tmp_path):
    frames = [Image.new("RGB", (50, 50), (i * 80, 0, 0)) for i in range(3)]
    path = tmp_path / "multi.tif"
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3000])  # cut into the last frames
    plan = prepare([path])
    assert not plan.documents
    assert plan.problems and plan.problems[0].name == "multi.tif"


def test_same_file_twice_stored_once(tmp_path):
    a = save(quadrant_image(), tmp_path / "a.png", "PNG")
    b = tmp_path / "copy.png"
    b.write_bytes(a.read_bytes())
    project, _, _ = import_into([a, b])
    assert len(project.sources) == 1
    assert project.page_count == 2


# --- rendering helpers ------------------------------------------------------------------------


def test_rotation_and_thumbnail(tmp_path):
    pdf = make_pdf(tmp_path / "t.pdf", pages=1)
    project, sink, _ = import_into([pdf])
    page = project.documents[0].pages[0]
    project.rotate_pages([page.id], 90)
    img = render(project, sink, page)
    assert img.size == page.display_size == (page.height, page.width)
    # Red square was top-left; after a clockwise quarter turn it is top-right.
    assert img.getpixel((img.width - 10, 10))[0] > 200 and img.getpixel((img.width - 10, 10))[1] < 60
    renderer = PageRenderer(sink.opener(project))
    thumb = renderer.thumbnail(page.source_id, SourceKind.PDF, 0, 128)
    assert max(thumb.size) == 128
    renderer.close()
    jpg = save(quadrant_image(2000, 1000), tmp_path / "big.jpg", "JPEG")
    project, sink, _ = import_into([jpg])
    p = project.documents[0].pages[0]
    thumb = PageRenderer(sink.opener(project)).thumbnail(p.source_id, SourceKind.IMAGE, 0, 100)
    assert thumb.size == (100, 50)
    assert apply_rotation(thumb, 270).size == (50, 100)


def test_render_page_function_and_lru(tmp_path):
    pdfs = [make_pdf(tmp_path / f"d{i}.pdf", pages=1) for i in range(4)]
    data = pdfs[0].read_bytes()
    assert render_page(data, "pdf", 0, 72).size == (595, 842)
    project, sink, _ = import_into(pdfs)
    renderer = PageRenderer(sink.opener(project), max_open=2)
    for d in project.documents:
        p = d.pages[0]
        renderer.render(p.source_id, SourceKind.PDF, 0, 36)
    assert len(renderer._open) == 2
    renderer.close()


def test_empty_folder_reported_and_pages_mapped_to_their_inputs(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    a = save(quadrant_image(), tmp_path / "a.png", "PNG")
    b = save(quadrant_image(40, 40), tmp_path / "b.png", "PNG")
    _, _, outcome = import_into([empty, a, b])
    assert [p.name for p in outcome.problems] == ["empty"]
    assert "no PDF or image" in outcome.problems[0].reason
    (doc,) = outcome.documents
    assert outcome.pages_by_input == {str(a): [doc.pages[0].id], str(b): [doc.pages[1].id]}
    assert outcome.documents_by_input == {str(a): [doc.id], str(b): [doc.id]}


def test_a_truncated_pdf_page_that_lost_its_content_fails_instead_of_reading_blank(tmp_path):
    """A PDF cut short (an interrupted download or copy): MuPDF repairs it, opens every page and draws
    the page whose content was cut off as a blank white page, so it was read as "no text" and the
    export said nothing. Rendering it (to read, export or show) now names the page and the damage."""
    rng = np.random.default_rng(7)
    doc = pymupdf.open()
    for k in range(2):
        page = doc.new_page(width=300, height=400)
        noise = Image.fromarray(rng.integers(0, 255, (400, 300, 3), dtype=np.uint8))
        buf = io.BytesIO()
        noise.save(buf, "PNG")
        page.insert_image(page.rect, stream=buf.getvalue())
        page.insert_text((20, 40 + k), f"page {k + 1}")
    whole = doc.tobytes(garbage=0, deflate=True)
    # cut inside the second page's objects (its picture is the last big stream)
    cut = whole.rfind(b"/Subtype/Image") + 200
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[:cut])
    first = render_page(str(path), SourceKind.PDF, 0, dpi=72)
    assert first.size == (300, 400) and len(first.getcolors(1 << 24)) > 1000  # page 1 is whole
    with pytest.raises(SourceError) as info:
        render_page(str(path), SourceKind.PDF, 1, dpi=72)
    assert info.value.name == "cut.pdf" and "page 2 is damaged" in str(info.value.reason)


def test_a_pdf_cut_before_its_page_objects_fails_instead_of_reading_blank_pages(tmp_path):
    """A two-page PDF of real scans cut in half (each page a picture PDF joined with insert_pdf, so
    the page objects come last): the page tree still names both pages but their objects are gone.
    MuPDF warns only at open ("non-page object in page tree"), makes up two empty Letter pages and
    draws them white, so `convert` read two blank pages, wrote an empty .md and exited 0."""
    path = write_cut_real_pdf(tmp_path / "half.pdf")
    renderer = PageRenderer(lambda source: source)
    for index in (0, 1):
        with pytest.raises(SourceError) as info:
            renderer.render(str(path), SourceKind.PDF, index, dpi=72)
        assert info.value.name == "half.pdf"
        assert f"page {index + 1} is damaged" in str(info.value.reason)
    whole_path = tmp_path / "whole.pdf"
    whole_path.write_bytes(real_two_page_pdf())  # the same file uncut still renders both pages
    assert len(renderer.render(str(whole_path), SourceKind.PDF, 1, dpi=72).getcolors(1 << 24)) > 2
