"""Searchable PDF, DOCX, ODT, HTML and EPUB exports, each opened by an independent reader:
PyMuPDF for the PDF, python-docx for DOCX, the zip and XML of ODT/EPUB, an HTML parser."""

from __future__ import annotations

import difflib
import io
import json
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from desktop_ocr.export import export_documents
from desktop_ocr.export.documents import pages_without_text, parse_formats, unread_pages
from desktop_ocr.model.document import Page, PageState, Project, Source, SourceKind, new_id
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

W, H, DPI = 1240, 1754, 150  # an A4 page at 150 dpi
LINES = ["The quick brown fox jumps", "over the lazy dog near the", "river bank on a sunny day."]
#: The user's correction of what the engine read (the engine misread "fox" and "sunny").
CORRECTED = " ".join(LINES)
ENGINE_TEXT = [LINES[0].replace("fox", "f0x"), LINES[1], LINES[2].replace("sunny", "sumny")]


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    sm = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")
    return edits / max(1, len(ref))


def scan() -> tuple[Image.Image, list[tuple[float, float, float, float]]]:
    """A page with three lines of black text; returns it and each line's pixel box."""
    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=40)
    boxes = []
    for k, t in enumerate(LINES):
        xy = (150, 220 + k * 64)
        draw.text(xy, t, fill="black", font=font)
        boxes.append(tuple(float(v) for v in draw.textbbox(xy, t, font=font)))
    draw.rectangle((700, 900, 1100, 1300), fill=(30, 90, 200))  # a figure
    return img, boxes


def jpeg_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, dpi=(DPI, DPI))
    return buf.getvalue()


def image_project(data: bytes, boxes, *, corrected: str | None = CORRECTED) -> tuple[Project, Page]:
    project = Project()
    src = Source(new_id(), "scan.jpg", SourceKind.IMAGE, "0" * 64, len(data), 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, W, H)
    project.add_document("Letter", [page])
    raw = json.dumps(
        {"lines": [{"box": list(b), "text": t, "score": 0.9} for b, t in zip(boxes, ENGINE_TEXT)]}
    )
    md = " ".join(ENGINE_TEXT)
    block = Block("text", (Box.from_pixels(*boxes[0][:2], *boxes[-1][2:], W, H),), md)
    project.set_result(page.id, PageResult((block,), raw, md, engine="embedded", width=W, height=H))
    if corrected is not None:
        project.set_text(page.id, corrected)
    return project, page


def render(page: pymupdf.Page, dpi: int = DPI) -> Image.Image:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
    return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)


def mean_diff(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("L"), b.convert("L").resize(a.size))
    hist = diff.histogram()
    return sum(i * n for i, n in enumerate(hist)) / (a.size[0] * a.size[1])


# --- PDF -----------------------------------------------------------------------------------------------
def test_pdf_of_an_image_keeps_the_jpeg_and_lays_the_corrected_text_on_its_lines(tmp_path):
    img, boxes = scan()
    data = jpeg_bytes(img)
    project, _page = image_project(data, boxes)
    written = export_documents(project, None, tmp_path, formats=["pdf"], opener=lambda sid: data)
    assert [p.name for p in written] == ["Letter.pdf"] and not written.problems
    doc = pymupdf.open(tmp_path / "Letter.pdf")
    page = doc[0]
    # the page is the scan's size (150 dpi -> points) and holds the JPEG's own bytes
    assert page.rect.width == pytest.approx(W / DPI * 72, abs=0.1)
    assert page.rect.height == pytest.approx(H / DPI * 72, abs=0.1)
    ((xref, *_rest),) = page.get_images()
    assert doc.extract_image(xref)["ext"] == "jpeg"
    assert doc.xref_stream_raw(xref) == data
    # the text layer is the user's text, in reading order, words separated by spaces
    text = page.get_text()
    assert cer(CORRECTED, text) < 0.02
    assert " ".join(text.split()) == CORRECTED
    assert "f0x" not in text and "sumny" not in text
    # search finds words where the scan shows them (points = pixels * 72 / dpi)
    scale = 72 / DPI
    for word, line in (("brown", 0), ("lazy", 1), ("sunny", 2)):
        (hit,) = page.search_for(word)
        x0, y0, x1, y1 = (v * scale for v in boxes[line])
        assert y0 - 4 <= hit.y0 and hit.y1 <= y1 + 4, (word, hit, (y0, y1))
        assert x0 - 4 <= hit.x0 and hit.x1 <= x1 + 4
    # the first word starts where the line starts, the last ends where it ends
    (the,) = [r for r in page.search_for("The quick")]
    assert the.x0 == pytest.approx(boxes[0][0] * scale, abs=4)
    (day,) = page.search_for("day.")
    assert day.x1 == pytest.approx(boxes[2][2] * scale, abs=4)
    # the text is invisible: rendering gives the scan's pixels
    assert mean_diff(img, render(page)) < 3.0
    assert doc.metadata["title"] == "Letter" and "desktop-ocr" in doc.metadata["producer"]


def test_pdf_of_a_pdf_source_keeps_the_original_page_and_follows_rotation(tmp_path):
    src_doc = pymupdf.open()
    sp = src_doc.new_page(width=612, height=792)  # US Letter, in points
    sp.draw_rect(pymupdf.Rect(72, 72, 300, 200), color=(0, 0, 0), fill=(0.8, 0.1, 0.1))
    data = src_doc.tobytes()
    project = Project()
    src = Source(new_id(), "in.pdf", SourceKind.PDF, "0" * 64, len(data), 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, 1224, 1584)
    project.add_document("Rotated", [page])
    md = "Red box caption here"
    block = Block("text", (Box(100, 300, 600, 340),), md)
    project.set_result(
        page.id,
        PageResult((block,), "<|ref|>text<|/ref|>", md, width=1224, height=1584, extra={"rotation": 0}),
    )
    project.rotate_pages([page.id], 90)  # turned after reading: its block turns with it
    export_documents(project, None, tmp_path, formats=["pdf"], opener=lambda sid: data)
    out = pymupdf.open(tmp_path / "Rotated.pdf")
    p = out[0]
    # the page is as the user sees it: landscape, the original page turned clockwise on it
    assert (p.rect.width, p.rect.height) == pytest.approx((792, 612))
    # the original page went in as vector content (a form XObject), not as a picture of it
    assert p.get_images() == []
    (red,) = [d["rect"] for d in p.get_drawings() if d.get("fill") and d["fill"][0] > 0.7]
    assert (red.x0, red.y0, red.x1, red.y1) == pytest.approx((792 - 200, 72, 792 - 72, 300), abs=1)
    pixel = render(p, 72).getpixel((650, 150))
    assert pixel[0] > 150 and pixel[1] < 100  # it is painted there
    assert " ".join(p.get_text().split()) == md
    # a DeepSeek block: its text spread over its (turned) box; the text runs along the turned block
    bx0, by0, bx1, by1 = Box(100, 300, 600, 340).turned(90).to_pixels(792, 612)
    (hit,) = p.search_for("caption")
    assert bx0 - 2 <= hit.x0 <= hit.x1 <= bx1 + 2 and by0 - 2 <= hit.y0 <= hit.y1 <= by1 + 2


def test_deepseek_blocks_are_spread_over_their_boxes_in_reading_order(tmp_path):
    img, _boxes = scan()
    data = jpeg_bytes(img)
    project = Project()
    src = Source(new_id(), "scan.jpg", SourceKind.IMAGE, "0" * 64, len(data), 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, W, H)
    project.add_document("Blocks", [page])
    title = "# A Title"
    body = " ".join([f"word{i}" for i in range(60)])
    table = "<table><tr><td>cell one</td><td>cell two</td></tr><tr><td>3</td><td>4</td></tr></table>"
    formula = r"\[ E = mc^2 \]"
    blocks = (
        Block("title", (Box(100, 50, 900, 90),), title),
        Block("text", (Box(100, 120, 500, 600),), body),
        Block("table", (Box(550, 120, 950, 300),), table),
        Block("equation", (Box(550, 320, 950, 360),), formula),
    )
    md = "\n\n".join(b.text for b in blocks)
    project.set_result(page.id, PageResult(blocks, "raw", md, width=W, height=H))
    export_documents(project, None, tmp_path, formats=["pdf"], opener=lambda sid: data)
    p = pymupdf.open(tmp_path / "Blocks.pdf")[0]
    words = p.get_text().split()
    assert words[:3] == ["A", "Title", "word0"]
    assert "cell" in words and "mc^2" in words  # tables and formulas keep their text
    pw, ph = p.rect.width, p.rect.height
    for word, box in (
        ("word0", blocks[1].boxes[0]),
        ("word59", blocks[1].boxes[0]),
        ("two", blocks[2].boxes[0]),
    ):
        (hit,) = p.search_for(word)
        x0, y0, x1, y1 = box.to_pixels(pw, ph)
        assert x0 - 1 <= hit.x0 and hit.x1 <= x1 + 1 and y0 - 1 <= hit.y0 and hit.y1 <= y1 + 1, word
    # the body is spread over its box: the first word near the top, the last near the bottom
    top, bottom = p.search_for("word0")[0], p.search_for("word59")[0]
    x0, y0, x1, y1 = blocks[1].boxes[0].to_pixels(pw, ph)
    assert top.y0 < y0 + (y1 - y0) * 0.2 and bottom.y1 > y0 + (y1 - y0) * 0.8


def test_pdfa_identification_output_intent_and_embedded_fonts(tmp_path):
    img, boxes = scan()
    data = jpeg_bytes(img)
    project, _ = image_project(data, boxes, corrected=CORRECTED + " Ωμέγα кириллица 中文")
    export_documents(project, None, tmp_path, formats=["pdf"], opener=lambda sid: data, pdfa=True)
    raw = (tmp_path / "Letter.pdf").read_bytes()
    doc = pymupdf.open(stream=raw, filetype="pdf")
    xmp = doc.get_xml_metadata()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "Letter" in xmp
    cat = doc.pdf_catalog()
    kind, intents = doc.xref_get_key(cat, "OutputIntents")
    assert kind == "array"
    intent = int(re.search(r"(\d+) 0 R", intents).group(1))
    assert doc.xref_get_key(intent, "S") == ("name", "/GTS_PDFA1")
    profile = int(doc.xref_get_key(intent, "DestOutputProfile")[1].split()[0])
    icc = doc.xref_stream(profile)
    assert icc[36:40] == b"acsp" and doc.xref_get_key(profile, "N") == ("int", "3")
    assert not doc.is_encrypted and doc.xref_get_key(-1, "ID")[0] == "array"  # a file identifier
    meta = int(doc.xref_get_key(cat, "Metadata")[1].split()[0])
    assert doc.xref_get_key(meta, "Filter") == ("null", "null")  # the XMP stays readable as it is
    # every font is embedded (a font file stream in its descriptor)
    fonts = doc[0].get_fonts(full=True)
    assert fonts
    for f in fonts:
        assert f[1] != "n/a", f  # extension of the embedded font program
    # the dates of the Info dictionary match the XMP's
    d = doc.metadata["creationDate"][2:16]
    assert f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}" in xmp
    text = doc[0].get_text()
    assert "Ωμέγα" in text and "кириллица" in text and "中文" in text


def test_unread_and_failed_pages_are_reported_and_have_no_text(tmp_path):
    img, boxes = scan()
    data = jpeg_bytes(img)
    project, page = image_project(data, boxes)
    unread = Page(new_id(), page.source_id, 0, W, H)
    failed = Page(new_id(), page.source_id, 0, W, H)
    other = project.add_document("tail", [unread, failed])
    project.merge_documents([project.documents[0].id, other.id])
    project.set_state([failed.id], PageState.FAILED, "out of memory")
    assert unread_pages(project) == {"Letter": [2, 3]}
    assert pages_without_text(project) == {"Letter": [(2, "not_read"), (3, "failed")]}
    project.set_text(page.id, "  ")
    assert pages_without_text(project)["Letter"][0] == (1, "empty")
    project.set_text(page.id, "Dear Sir")
    result = export_documents(project, None, tmp_path, formats=["pdf", "md"], opener=lambda sid: data)
    assert result.unread == {"Letter": [2, 3]}
    out = pymupdf.open(tmp_path / "Letter.pdf")
    assert out.page_count == 3 and out[1].get_text().strip() == "" and out[2].get_text().strip() == ""


def test_unknown_formats_are_refused_by_name():
    assert parse_formats("md, PDF,docx,md") == ["md", "pdf", "docx"]
    with pytest.raises(ValueError, match="'rtf'"):
        parse_formats("md,rtf")


# --- pandoc formats ---------------------------------------------------------------------------------------
PAGE_1 = (
    "# Results\n\nThe mass \\(m\\) gives\n\n\\[ E = mc^2 \\]\n\n- first item\n- second item\n\n"
    "<table><tr><th>Name</th><th>Value</th></tr><tr><td>alpha</td><td>1</td></tr></table>\n\n"
    "![](figure:1)"
)
PAGE_2 = "## Second page\n\nClosing words."


def pandoc_project() -> tuple[Project, bytes]:
    img, _ = scan()
    data = jpeg_bytes(img)
    project = Project()
    src = Source(new_id(), "scan.jpg", SourceKind.IMAGE, "0" * 64, len(data), 1)
    project.add_source(src)
    p1, p2 = Page(new_id(), src.id, 0, W, H), Page(new_id(), src.id, 0, W, H)
    project.add_document("Paper", [p1, p2])
    fig = Block("image", (Box.from_pixels(700, 900, 1100, 1300, W, H),), "![](figure:1)")
    project.set_result(p1.id, PageResult((fig,), "raw", PAGE_1, width=W, height=H))
    project.set_result(p2.id, PageResult((), "raw", PAGE_2, width=W, height=H))
    return project, data


def test_docx_has_headings_lists_real_tables_equations_figures_and_page_breaks(tmp_path):
    pytest.importorskip("pypandoc")
    docx = pytest.importorskip("docx")
    project, data = pandoc_project()
    result = export_documents(project, None, tmp_path, formats=["docx"], opener=lambda sid: data)
    assert not result.problems, result.problems
    assert not (tmp_path / "Paper_images").exists()  # crops went into the DOCX, not beside it
    d = docx.Document(str(tmp_path / "Paper.docx"))
    styles = {p.text: p.style.name for p in d.paragraphs if p.text}
    assert styles["Results"] == "Heading 1" and styles["Second page"] == "Heading 2"
    assert "first item" in styles and "Closing words." in styles
    (table,) = d.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["Name", "Value"], ["alpha", "1"]]
    xml = d.element.xml
    assert xml.count("<m:oMath") >= 2  # inline and display: Word equations
    assert 'w:type="page"' in xml
    assert xml.index("Results") < xml.index('w:type="page"') < xml.index("Second page")
    assert len(d.inline_shapes) == 1  # the figure, embedded
    blob = d.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(d.part.related_parts[blob].blob))
    assert image.size == (400, 400) or abs(image.size[0] - 400) <= 2
    assert d.core_properties.title == "Paper"


def test_docx_and_odt_hold_no_line_that_is_on_no_page(tmp_path):
    """The document's name is the file's title property, not a Title paragraph above page 1: pandoc
    printed "Paper" as the first line of the Word and ODT file (LibreOffice and Word showed it)."""
    pytest.importorskip("pypandoc")
    docx = pytest.importorskip("docx")
    project, data = pandoc_project()
    export_documents(project, None, tmp_path, formats=["docx", "odt"], opener=lambda sid: data)
    d = docx.Document(str(tmp_path / "Paper.docx"))
    texts = [p.text for p in d.paragraphs if p.text]
    assert texts[0] == "Results" and "Paper" not in texts
    assert "Title" not in {p.style.name for p in d.paragraphs}
    assert d.core_properties.title == "Paper"
    with zipfile.ZipFile(tmp_path / "Paper.odt") as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        content = z.read("content.xml").decode()
        assert 'text:style-name="Title"' not in content and ">Paper<" not in content
        assert "<dc:title>Paper</dc:title>" in z.read("meta.xml").decode()


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_self_contained_file_with_tables_and_mathml(tmp_path):
    pytest.importorskip("pypandoc")
    project, data = pandoc_project()
    export_documents(project, None, tmp_path, formats=["html"], opener=lambda sid: data)
    parser = _Html()
    parser.feed((tmp_path / "Paper.html").read_text(encoding="utf-8"))
    tags = [t for t, _a in parser.tags]
    assert tags.count("table") == 1 and tags.count("td") == 2 and tags.count("th") == 2
    assert tags.count("math") >= 2 and "h1" in tags and "ul" in tags
    (img,) = [a for t, a in parser.tags if t == "img"]
    assert img["src"].startswith("data:image/jpeg;base64,")
    assert any("page-break" in (a.get("class") or "") for _t, a in parser.tags)
    assert "Closing words." in "".join(parser.text)
    assert list(tmp_path.iterdir()) == [tmp_path / "Paper.html"]


def test_epub_and_odt_are_valid_zips_with_the_text(tmp_path):
    pytest.importorskip("pypandoc")
    project, data = pandoc_project()
    export_documents(project, None, tmp_path, formats=["epub", "odt"], opener=lambda sid: data)
    with zipfile.ZipFile(tmp_path / "Paper.epub") as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        container = z.read("META-INF/container.xml").decode()
        opf = re.search(r'full-path="([^"]+)"', container).group(1)
        assert "<dc:title" in z.read(opf).decode() and "Paper" in z.read(opf).decode()
        xhtml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        assert "<table" in xhtml and "<math" in xhtml and "Closing words." in xhtml
        assert any(n.endswith(".jpg") or n.endswith(".jpeg") for n in z.namelist())
    with zipfile.ZipFile(tmp_path / "Paper.odt") as z:
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = z.read("content.xml").decode()
        assert "<table:table " in content and "Pagebreak" in content and "Closing words." in content
        assert any(n.startswith("Pictures/") for n in z.namelist())
        assert any(
            "math" in z.read(n).decode(errors="ignore")
            for n in z.namelist()
            if n.endswith("content.xml") and n != "content.xml"
        )


def test_a_missing_converter_fails_its_formats_only(tmp_path, monkeypatch):
    project, data = pandoc_project()
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # as if the wheel were not installed
    result = export_documents(project, None, tmp_path, formats=["md", "docx", "pdf"], opener=lambda sid: data)
    names = sorted(p.name for p in result if p.parent == tmp_path)
    assert names == ["Paper.md", "Paper.pdf"]
    assert result.failed == [("Paper", "docx", result.failed[0][2])]
    assert "pypandoc-binary" in result.failed[0][2]
    assert "Paper" in result.problems[0] and "DOCX" in result.problems[0]
    assert not (tmp_path / "Paper.docx").exists()


def test_pdf_without_the_original_pages_names_the_reason(tmp_path):
    project, _ = pandoc_project()
    result = export_documents(project, None, tmp_path, formats=["txt", "pdf"])
    assert [p.name for p in result] == ["Paper.txt"]
    assert result.failed[0][:2] == ("Paper", "pdf") and "original pages" in result.failed[0][2]


# --- a real scan ------------------------------------------------------------------------------------------
REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.mark.slow
def test_real_scan_read_by_the_embedded_engine_exports_a_searchable_pdf(tmp_path):
    jpeg = REAL / "ocrmypdf-c03-29.jpeg"
    gt_file = REAL / "ocrmypdf-c03-29.gt.txt"
    if not jpeg.exists():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    from desktop_ocr.engine.base import PageInput
    from desktop_ocr.engine.embedded import EmbeddedEngine

    data = jpeg.read_bytes()
    img = Image.open(io.BytesIO(data)).convert("RGB")
    engine = EmbeddedEngine()
    try:
        (res,) = engine.read([PageInput("p", img)])
        assert isinstance(res, PageResult), res
    finally:
        engine.unload()
    gt = "\n".join(
        line.split(" ", 1)[1] if line.startswith("@") else line for line in gt_file.read_text().splitlines()
    )
    project = Project()
    src = Source(new_id(), jpeg.name, SourceKind.IMAGE, "0" * 64, len(data), 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, *img.size)
    project.add_document("Huck", [page])
    project.set_result(page.id, res)
    project.set_text(page.id, gt)  # the user corrected the page to the ground truth
    export_documents(project, None, tmp_path, formats=["pdf"], opener=lambda sid: data)
    doc = pymupdf.open(tmp_path / "Huck.pdf")
    p = doc[0]
    ((xref, *_r),) = p.get_images()
    assert doc.xref_stream_raw(xref) == data  # the scan itself, byte for byte
    dpi = Image.open(io.BytesIO(data)).info.get("dpi", (300, 300))[0]
    assert p.rect.width == pytest.approx(img.size[0] / dpi * 72, abs=0.5)
    assert cer(gt, p.get_text()) < 0.03
    lines = json.loads(res.raw)["lines"]
    scale = p.rect.width / img.size[0]
    # words the engine read right are found on the engine's line boxes
    checked = 0
    for ln in lines:
        words = [w for w in ln["text"].split() if len(w) >= 6 and w.isalpha() and w in gt.split()]
        if not words:
            continue
        x0, y0, x1, y1 = (v * scale for v in ln["box"])
        hits = p.search_for(words[0])
        assert any(y0 - 6 <= h.y0 and h.y1 <= y1 + 6 and x0 - 6 <= h.x0 <= x1 for h in hits), (words[0], hits)
        checked += 1
    assert checked >= 5
    assert mean_diff(img, render(p, int(dpi))) < 3.0


def test_corrected_words_follow_the_engine_lines_through_insertions_and_deletions():
    from desktop_ocr.export.textlayer import Line, align_to_lines

    lines = [
        Line("Dear Sir,", 0, 0, 1, 0.1),
        Line("thank you for", 0, 0.1, 1, 0.2),
        Line("your lettr.", 0, 0.2, 1, 0.3),
    ]
    # "very much" typed in, "your lettr." corrected, "Dear Sir," deleted by the user
    out = align_to_lines("thank you very much for your letter.", lines)
    assert [(ln.text, ln.y0) for ln in out] == [("thank you very much for", 0.1), ("your letter.", 0.2)]
    assert align_to_lines("", lines) == [] and align_to_lines("words", []) == []


def test_engine_lines_are_aligned_in_the_order_of_the_blocks():
    from desktop_ocr.export.textlayer import Line, align_to_lines, in_block_order

    # the engine stored the caption's line last; the user's text has it after the paragraph
    lines = [
        Line("a picture of a dog", 0.1, 0.1, 0.9, 0.15),
        Line("and more text below", 0.1, 0.6, 0.9, 0.65),
        Line("Fig. 1 the dog", 0.3, 0.4, 0.6, 0.45),
    ]
    text_box, caption_box = Box(50, 50, 950, 700), Box(250, 350, 650, 500)  # the caption's lies inside
    blocks = [(text_box,), (caption_box,)]
    ordered = in_block_order(lines, blocks)
    assert [ln.text for ln in ordered] == [lines[0].text, lines[1].text, lines[2].text]
    # blocks in the order text, caption -> caption line last; caption first when the user moved it
    assert in_block_order(lines, blocks[::-1])[0].text == "Fig. 1 the dog"
    out = align_to_lines(
        "Fig. 1 the dog a picture of a dog and more text below Checked", in_block_order(lines, blocks[::-1])
    )
    assert [(ln.text, ln.y0) for ln in out] == [
        ("Fig. 1 the dog", 0.4),
        ("a picture of a dog", 0.1),
        ("and more text below Checked", 0.6),
    ]
    # a line in no block stays after the line before it
    stray = Line("stray", 0.0, 0.99, 0.05, 1.0)
    assert in_block_order([lines[0], stray, lines[2]], blocks)[1] is stray


def test_documents_keep_the_quotes_dashes_and_dots_as_typed(tmp_path):
    """pandoc's Markdown reader makes "smart" typography by default: it would turn the user's
    straight quotes into curly ones, -- into an en dash and ... into an ellipsis."""
    pytest.importorskip("pypandoc")
    docx = pytest.importorskip("docx")
    typed = "It's \"1990--1995\" and 'so on'... Don't -- really --- change it."
    project = Project()
    src = Source(new_id(), "scan.jpg", SourceKind.IMAGE, "0" * 64, 1, 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, W, H)
    project.add_document("Quotes", [page])
    project.set_result(page.id, PageResult((), "raw", "read", width=W, height=H))
    project.set_text(page.id, typed)
    result = export_documents(project, None, tmp_path, formats=["docx", "html"], opener=lambda sid: b"")
    assert not result.problems, result.problems
    d = docx.Document(str(tmp_path / "Quotes.docx"))
    assert [p.text for p in d.paragraphs if p.text] == [typed]  # the page alone: no title line
    parser = _Html()
    parser.feed((tmp_path / "Quotes.html").read_text(encoding="utf-8"))
    assert typed in " ".join("".join(parser.text).split())


def test_html_and_epub_keep_list_marks_in_parentheses_as_typed(tmp_path):
    """A report's "(1) from discussions ... (2) from an analysis ..." (scribe-multicol-05, read by
    the embedded engine): pandoc made an ordered list of it, which HTML and EPUB show as "1." and
    "2." (and "a)" as "a."), so the exported page no longer said what the page and the editor say."""
    pytest.importorskip("pypandoc")
    import zipfile

    typed = (
        "This report is essentially a consensus of impressions, suggestions, and information gathered:\n\n"
        "(1) from discussions with the interviewing staff of the Harvard Project; and\n\n"
        "(2) from an analysis of the interview records of the project.\n\n"
        "a) first point\n\nb) second point\n\n1) one paren"
    )
    project = Project()
    src = Source(new_id(), "scan.jpg", SourceKind.IMAGE, "0" * 64, 1, 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, W, H)
    project.add_document("Report", [page])
    project.set_result(page.id, PageResult((), "raw", "read", width=W, height=H))
    project.set_text(page.id, typed)
    result = export_documents(project, None, tmp_path, formats=["html", "epub"], opener=lambda sid: b"")
    assert not result.problems, result.problems
    html = _Html()
    html.feed((tmp_path / "Report.html").read_text(encoding="utf-8"))
    epub = _Html()
    with zipfile.ZipFile(tmp_path / "Report.epub") as z:
        for name in sorted(n for n in z.namelist() if n.endswith(".xhtml")):
            epub.feed(z.read(name).decode("utf-8"))
    for parser in (html, epub):
        shown = " ".join("".join(parser.text).split())
        for para in typed.split("\n\n"):
            assert para in shown, (para, shown[:400])


def _one_page_epub(tmp_path, name: str, typed: str) -> tuple[Path, str, str, list[str]]:
    """A one-page document ``name`` holding ``typed``, exported as EPUB: (the book, its OPF, the OPF's
    folder in the zip, the zip names of its spine in reading order)."""
    project = Project()
    src = Source(new_id(), "scan.png", SourceKind.IMAGE, "0" * 64, 1, 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, W, H)
    project.add_document(name, [page])
    project.set_result(page.id, PageResult((), "raw", "read", width=W, height=H))
    project.set_text(page.id, typed)
    result = export_documents(project, None, tmp_path, formats=["epub"], opener=lambda sid: b"")
    assert not result.problems, result.problems
    book = tmp_path / f"{name}.epub"
    with zipfile.ZipFile(book) as z:
        opf_name = re.search(r'full-path="([^"]+)"', z.read("META-INF/container.xml").decode()).group(1)
        opf = z.read(opf_name).decode()
    folder = opf_name.rpartition("/")[0]
    hrefs = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    spine = [
        f"{folder}/{hrefs[i]}" if folder else hrefs[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)
    ]
    return book, opf, folder, spine


def test_epub_keeps_the_documents_name_as_metadata_not_as_a_heading(tmp_path):
    """Found in the new-user pass: the EPUB opened on a title page with the document's name
    ("scan-0042") as a heading above the first page, a line that is on no page and not in the
    Markdown. The name is the book's title in its metadata only. Read back in the spine's order, and
    by pandoc's own EPUB reader."""
    pypandoc = pytest.importorskip("pypandoc")
    book, opf, _folder, spine = _one_page_epub(
        tmp_path, "scan-0042", "# Harbour Survey\n\nThe north pier was measured in April."
    )
    assert re.search(r"<dc:title[^>]*>scan-0042</dc:title>", opf)
    reading = _Html()
    with zipfile.ZipFile(book) as z:
        for name in spine:
            reading.feed(re.search(r"<body.*</body>", z.read(name).decode("utf-8"), re.S).group(0))  # shown
    shown = " ".join("".join(reading.text).split())
    assert "scan-0042" not in shown
    assert shown.startswith("Harbour Survey The north pier was measured in April.")
    assert [t for t, _a in reading.tags].count("h1") == 1
    plain = pypandoc.convert_file(str(book), "plain", format="epub")
    assert "scan-0042" not in plain
    assert " ".join(plain.split()) == "Harbour Survey The north pier was measured in April."


#: How the committed real scan ocrmypdf-epson reads (its page opens with the browser's running header,
#: not a heading), a page that opens with a heading, and one that opens with a sub-heading.
_EPSON_OPENING = (
    "Optical character recognition - Wikipedia, the free e... "
    "https://en.wikipedia.org/w/index.php?title=Optical_c...\n\n"
    "# Optical character recognition\n\nFrom Wikipedia, the free encyclopedia\n\n"
    "## Contents\n\n1 History 2 Applications\n\n## History\n\nEarly optical character recognition."
)
_OPENINGS = {
    "running-header": _EPSON_OPENING,
    "heading": "# Harbour Survey\n\nThe north pier was measured in April.\n\n## Method\n\nBy tape.",
    "sub-heading": "## History\n\nThe pier was built in 1862.",
}


@pytest.mark.parametrize("opening", sorted(_OPENINGS))
def test_epub_has_only_the_headings_the_text_has(tmp_path, opening):
    """pandoc's EPUB writer puts the book's title (the document's name) as an ``<h1>`` before the text
    whenever it does not open with a level-1 heading: the real Epson scan's book began with a heading
    "ocrmypdf-epson" that is on no page. Read back in the spine's order (the XHTML a reader shows) and
    with pandoc's EPUB reader, the book's headings are the Markdown's, in order; every contents entry
    links to a place that exists, and is a heading of the text or (for the text before the first
    heading) the book's name."""
    pypandoc = pytest.importorskip("pypandoc")
    typed = _OPENINGS[opening]
    wanted = [(len(m.group(1)), m.group(2)) for m in re.finditer(r"^(#+) (.+)$", typed, re.M)]
    book, opf, folder, spine = _one_page_epub(tmp_path, "ocrmypdf-epson", typed)
    assert re.search(r"<dc:title[^>]*>ocrmypdf-epson</dc:title>", opf)
    with zipfile.ZipFile(book) as z:
        assert z.infolist()[0].filename == "mimetype"
        assert z.infolist()[0].compress_type == zipfile.ZIP_STORED
        chapters = {name: z.read(name).decode("utf-8") for name in spine if "nav" not in name}
        nav = z.read(f"{folder}/nav.xhtml").decode("utf-8")
    headings, shown = [], []
    for xhtml in chapters.values():
        body = re.search(r"<body.*</body>", xhtml, re.S).group(0)
        headings += [
            (int(n), re.sub(r"<[^>]+>", "", t))
            for n, t in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", body, re.S)
        ]
        shown.append(re.sub(r"<[^>]+>", " ", body))
    assert headings == wanted
    assert "ocrmypdf-epson" not in " ".join(shown)
    # the contents: each entry's target exists; its label is a heading of the text or the book's name
    entries = re.findall(
        r'<a href="([^"#]+)#([^"]+)">([^<]*)</a>', re.search(r"<nav.*</nav>", nav, re.S).group(0)
    )
    assert entries
    for href, anchor, label in entries:
        target = chapters[f"{folder}/{href}"]
        assert f'id="{anchor}"' in target, (href, anchor)
        assert label in [t for _n, t in wanted] or (label == "ocrmypdf-epson" and href == entries[0][0])
    assert [label for _h, _a, label in entries if label != "ocrmypdf-epson"] == [t for _n, t in wanted]
    md = pypandoc.convert_file(str(book), "markdown", format="epub")
    read = [
        (len(m.group(1)), re.sub(r"\s*\{[^}]*\}$", "", m.group(2)))
        for m in re.finditer(r"^(#+) (.+)$", md, re.M)
    ]
    assert read == wanted
    assert "ocrmypdf-epson" not in md.replace("ocrmypdf-epson.epub", "")
