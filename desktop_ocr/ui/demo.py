"""Sample content for demos, screenshots, benchmarks and widget tests: projects, pages, blocks."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPen

from desktop_ocr.model.document import Page, PageState, Project, Source, SourceKind, new_id
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

SAMPLE_MARKDOWN = r"""# 2. Thermal behaviour of the sample

The measured conductivity follows *Fourier's law*, \(q = -k \nabla T\), and the
**steady state** was reached after 40 min. See [the appendix](#appendix) and `run_07.csv`.

\[
k(T) = k_0 \left(1 + \alpha (T - T_0)\right)
\]

<table><tr><td>Sample</td><td>k (W/m K)</td><td>T (K)</td></tr><tr><td>A</td><td>0.52</td><td>293</td></tr><tr><td>B</td><td>0.61</td><td>310</td></tr></table>

Table 1: conductivity of the two samples.

![](figure:1)

- the error is below $\pm 2\%$ for both samples;
- ~~sample C~~ was discarded.
"""

_PARAGRAPH = (
    "The measured conductivity follows Fourier's law and the steady state was reached after forty "
    "minutes. Both samples were cut from the same sheet and conditioned for two days at 23 degrees "
    "and fifty percent relative humidity before the measurement started."
)


def sample_page(width: int = 1190, height: int = 1684) -> tuple[QImage, list[Block]]:
    """A rendered page (title, text, equation, table, figure, caption, footer) and its blocks."""
    img = QImage(width, height, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    s = width / 1190
    blocks: list[Block] = []

    def add(label: str, rect: QRect, text: str) -> None:
        r = rect.adjusted(-round(6 * s), -round(4 * s), round(6 * s), round(4 * s))
        blocks.append(
            Block(label, (Box.from_pixels(r.left(), r.top(), r.right(), r.bottom(), width, height),), text)
        )

    margin = round(110 * s)
    col_w = width - 2 * margin
    font = QFont("DejaVu Serif")
    font.setPixelSize(round(40 * s))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#111"))
    title = QRect(margin, round(120 * s), col_w, round(56 * s))
    p.drawText(
        title,
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        "2. Thermal behaviour of the sample",
    )
    add(
        "title",
        p.boundingRect(
            title,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "2. Thermal behaviour of the sample",
        ),
        "# 2. Thermal behaviour of the sample",
    )

    font.setBold(False)
    font.setPixelSize(round(21 * s))
    p.setFont(font)
    y = round(220 * s)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop
    for _ in range(2):
        r = p.boundingRect(QRect(margin, y, col_w, 1000), flags, _PARAGRAPH)
        p.drawText(r, flags, _PARAGRAPH)
        add("text", r, _PARAGRAPH)
        y = r.bottom() + round(28 * s)

    font.setItalic(True)
    font.setPixelSize(round(26 * s))
    p.setFont(font)
    eq = "k(T) = k₀ (1 + α (T − T₀))"
    r = p.boundingRect(QRect(margin, y, col_w, 60), Qt.AlignmentFlag.AlignHCenter, eq)
    p.drawText(r, Qt.AlignmentFlag.AlignHCenter, eq)
    add("equation", r, r"\[k(T) = k_0 (1 + \alpha (T - T_0))\]")
    y = r.bottom() + round(40 * s)
    font.setItalic(False)
    font.setPixelSize(round(20 * s))
    p.setFont(font)

    # table
    rows = [
        ("Sample", "k (W/m K)", "T (K)"),
        ("A", "0.52", "293"),
        ("B", "0.61", "310"),
        ("C", "0.58", "301"),
    ]
    tw, rh = round(640 * s), round(40 * s)
    tx = (width - tw) // 2
    p.setPen(QPen(QColor("#333"), max(1, round(1.5 * s))))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            cr = QRect(tx + j * tw // 3, y + i * rh, tw // 3, rh)
            p.drawRect(cr)
            p.drawText(cr, Qt.AlignmentFlag.AlignCenter, cell)
    add("table", QRect(tx, y, tw, rh * len(rows)), "<table>…</table>")
    y += rh * len(rows) + round(14 * s)
    cap = "Table 1: conductivity of the three samples."
    r = p.boundingRect(QRect(margin, y, col_w, 40), Qt.AlignmentFlag.AlignHCenter, cap)
    p.drawText(r, Qt.AlignmentFlag.AlignHCenter, cap)
    add("table_caption", r, cap)
    y = r.bottom() + round(40 * s)

    # figure
    fr = QRect(margin + round(140 * s), y, col_w - round(280 * s), round(360 * s))
    grad = QLinearGradient(fr.topLeft(), fr.bottomRight())
    grad.setColorAt(0, QColor("#dfe9f5"))
    grad.setColorAt(1, QColor("#9db8d9"))
    p.fillRect(fr, grad)
    p.setPen(QPen(QColor("#2a4d7a"), max(2, round(3 * s))))
    pts = [(0.05, 0.85), (0.25, 0.6), (0.45, 0.55), (0.65, 0.35), (0.9, 0.15)]
    for (x1, y1), (x2, y2) in itertools.pairwise(pts):
        p.drawLine(
            round(fr.left() + x1 * fr.width()),
            round(fr.top() + y1 * fr.height()),
            round(fr.left() + x2 * fr.width()),
            round(fr.top() + y2 * fr.height()),
        )
    add("image", fr, "![](figure:1)")
    y = fr.bottom() + round(16 * s)
    cap = "Figure 3: temperature over time."
    r = p.boundingRect(QRect(margin, y, col_w, 40), Qt.AlignmentFlag.AlignHCenter, cap)
    p.setPen(QColor("#111"))
    p.drawText(r, Qt.AlignmentFlag.AlignHCenter, cap)
    add("image_caption", r, cap)

    font.setPixelSize(round(17 * s))
    p.setFont(font)
    r = p.boundingRect(QRect(0, height - round(90 * s), width, 30), Qt.AlignmentFlag.AlignHCenter, "12")
    p.drawText(r, Qt.AlignmentFlag.AlignHCenter, "12")
    add("page_number", r, "12")
    p.end()
    return img, blocks


def sample_thumbnail(page_id: str, rotation: int, size: int) -> QImage:
    """A cheap page-like thumbnail (for the page list demo and benchmark)."""
    h = size
    w = round(size / 1.414)
    if rotation % 180:
        w, h = h, w
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    seed = sum(page_id.encode()) % 7
    p.fillRect(QRectF(w * 0.12, h * 0.08, w * (0.5 + seed * 0.04), h * 0.03), QColor("#333"))
    y = h * 0.16
    ink = QColor("#8a8a8a")
    while y < h * 0.9:
        line_w = w * (0.76 if (int(y) + seed) % 5 else 0.5)
        p.fillRect(QRectF(w * 0.12, y, line_w, max(1.0, h * 0.008)), ink)
        y += h * 0.022
        if (int(y) + seed) % 23 == 0:
            y += h * 0.03
    p.end()
    return img


def sample_project(
    documents: tuple[tuple[str, int], ...] = (("Report 2024.pdf", 6), ("scans", 4)),
) -> Project:
    """A project with documents of blank A4 pages (no stored bytes; for widgets only)."""
    project = Project()
    for name, count in documents:
        src = Source(new_id(), name, SourceKind.PDF, "0" * 64, 0, count)
        project.add_source(src)
        pages = [Page(new_id(), src.id, i, 1190, 1684, label=f"{name} p. {i + 1}") for i in range(count)]
        project.add_document(name.rsplit(".", 1)[0] if name.endswith(".pdf") else name, pages)
    return project


def sample_result(blocks: list[Block], markdown: str = SAMPLE_MARKDOWN) -> PageResult:
    return PageResult(tuple(blocks), raw="", markdown=markdown, engine="demo", width=1190, height=1684)


def set_every_state(project: Project) -> None:
    """Give the first pages every state, one reviewed (for screenshots and tests)."""
    pages = list(project.all_pages())
    states = [
        PageState.READ,
        PageState.EDITED,
        PageState.READING,
        PageState.QUEUED,
        PageState.FAILED,
        PageState.INCOMPLETE,
        PageState.NOT_READ,
    ]
    for page, state in zip(pages, states):
        project.set_state(
            [page.id],
            state,
            error="The page image could not be decoded." if state == PageState.FAILED else "",
        )
    if pages:
        project.set_reviewed([pages[0].id])
