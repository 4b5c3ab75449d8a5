"""Sample PDFs with known text for Qt, end-to-end tests, the screenshot script and benchmarks."""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
REAL = Path(__file__).resolve().parent / "data" / "real"

SAMPLE_PAGES = [
    ["Harbour Survey 1911", "The north pier was measured in April.", "Depth at low water: 14 feet."],
    ["Second Report", "Repairs began on the east wall in May.", "The crane was moved twice."],
    ["Final Notes", "All stones were numbered before removal.", "The survey closed in June."],
]


def make_text_pdf(pages: list[list[str]] | None = None, fontsize: float = 16) -> bytes:
    """An A5-ish PDF: each page a list of lines (the first set larger, as a title)."""
    import pymupdf

    pages = SAMPLE_PAGES if pages is None else pages
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=420, height=595)
        y = 70.0
        for i, line in enumerate(lines):
            size = fontsize * 1.5 if i == 0 else fontsize
            page.insert_text((40, y), line, fontsize=size, fontfile=str(FONT), fontname="dejavu")
            y += size * 2.2
    data = doc.tobytes()
    doc.close()
    return data


def write_pdf(path: Path, pages: list[list[str]] | None = None) -> Path:
    path.write_bytes(make_text_pdf(pages))
    return path


def many_pages(n: int) -> list[list[str]]:
    """``n`` short pages with distinct text (for the 500-page benchmark)."""
    return [
        [f"Page {i + 1} of {n}", f"Entry number {i + 1} in the ledger.", "Nothing else."] for i in range(n)
    ]


def real_two_page_pdf() -> bytes:
    """Two committed real scans (Linn, typewriter) as a 2-page PDF, each page a picture PDF joined
    with insert_pdf, so the page objects come last."""
    import pymupdf

    doc = pymupdf.open()
    for name in ("ocrmypdf-linn.png", "ocrmypdf-typewriter.png"):
        with pymupdf.open(REAL / name) as img:
            doc.insert_pdf(pymupdf.open("pdf", img.convert_to_pdf()))
    return doc.tobytes(garbage=0)


def write_cut_real_pdf(path: Path) -> Path:
    """:func:`real_two_page_pdf` cut in half: the page tree still names both pages but their
    objects are gone."""
    whole = real_two_page_pdf()
    path.write_bytes(whole[: len(whole) // 2])
    return path
