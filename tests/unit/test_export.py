"""Exports: Markdown with figure crops, text, JSON; edited text wins; numbering; conflicts; atomic files."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from desktop_ocr.export import (
    ExportCancelled,
    ExportConflict,
    export_documents,
    markdown_to_text,
    rewrite_figure_links,
    safe_filename,
)
from desktop_ocr.model.document import Page, PageState, Project, Source, SourceKind, new_id
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

W, H = 1000, 1400
SPLIT = "\n<--- Page Split --->\n"

# Figure boxes (0..999) and the colour painted under each on the page images.
FIG_A = Box(100, 100, 500, 300)  # red
FIG_B = Box(600, 500, 900, 700)  # green
FIG_C = Box(200, 200, 800, 400)  # blue, on page 2
COLOURS = {FIG_A: (255, 0, 0), FIG_B: (0, 160, 0), FIG_C: (0, 0, 255)}


def painted(*boxes: Box) -> Image.Image:
    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    for box in boxes:
        x1, y1, x2, y2 = box.to_pixels(W, H)
        draw.rectangle((x1, y1, x2, y2), fill=COLOURS[box])
    return img


def result(blocks: list[Block], md: str) -> PageResult:
    return PageResult(blocks=tuple(blocks), raw="raw", markdown=md, engine="test", width=W, height=H)


def text_block(t: str) -> Block:
    return Block("text", (Box(50, 50, 950, 90),), t)


def make_project(name: str = "Report") -> tuple[Project, dict[str, Image.Image]]:
    """Page 1: title, figures A and B linked; page 2: figure C, EDITED by the user; page 3 not read."""
    project = Project()
    src = Source(new_id(), "report.pdf", SourceKind.PDF, "0" * 64, 10, 3)
    project.add_source(src)
    p1 = Page(new_id(), src.id, 0, W, H)
    p2 = Page(new_id(), src.id, 1, W, H)
    p3 = Page(new_id(), src.id, 2, W, H)
    project.add_document(name, [p1, p2, p3])
    project.set_result(
        p1.id,
        result(
            [
                Block("title", (Box(50, 20, 950, 60),), "# Annual report"),
                Block("image", (FIG_A,), ""),
                text_block("Sales grew."),
                Block("image", (FIG_B,), ""),
            ],
            "# Annual report\n\n![](figure:1)\n\nSales grew.\n\n![](figure:2)",
        ),
    )
    project.set_result(
        p2.id,
        result(
            [text_block("Costs fell."), Block("image", (FIG_C,), "")],
            "Costs fell.\n\n![](figure:1)",
        ),
    )
    project.set_text(p2.id, "Costs fell sharply.\n\n![chart](figure:1)\n\nSee the table.")
    images = {p1.id: painted(FIG_A, FIG_B), p2.id: painted(FIG_C), p3.id: painted()}
    return project, images


def page_image_from(images: dict[str, Image.Image]):
    return lambda page: images[page.id]


def mean_colour(img: Image.Image) -> tuple[int, ...]:
    small = img.convert("RGB").resize((1, 1), Image.Resampling.BOX)
    return small.getpixel((0, 0))


def no_part_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".part")]


def test_markdown_uses_the_current_text_and_numbers_figures_over_the_document(tmp_path):
    project, images = make_project()
    written = export_documents(project, None, tmp_path, page_image=page_image_from(images))
    md = (tmp_path / "Report.md").read_text(encoding="utf-8")
    assert md == (
        "# Annual report\n\n![](Report_images/1.jpg)\n\nSales grew.\n\n![](Report_images/2.jpg)"
        + SPLIT
        + "Costs fell sharply.\n\n![chart](Report_images/3.jpg)\n\nSee the table."
        + SPLIT  # page 3 is not read yet: empty, but still a page
    )
    assert written.problems == []
    assert set(written) == {
        tmp_path / "Report.md",
        tmp_path / "Report.txt",
        tmp_path / "Report.json",
        *(tmp_path / "Report_images" / f"{k}.jpg" for k in (1, 2, 3)),
    }
    # Each crop is the figure's own pixels at the page's full resolution.
    for k, box in ((1, FIG_A), (2, FIG_B), (3, FIG_C)):
        crop = Image.open(tmp_path / "Report_images" / f"{k}.jpg")
        x1, y1, x2, y2 = box.to_pixels(W, H)
        assert abs(crop.width - (x2 - x1)) <= 2 and abs(crop.height - (y2 - y1)) <= 2
        assert all(abs(a - b) < 40 for a, b in zip(mean_colour(crop), COLOURS[box]))
    assert no_part_files(tmp_path)


@pytest.mark.parametrize(
    ("separator", "between"),
    [
        ("none", "\n\n"),
        ("hr", "\n\n---\n\n"),
        ("official", SPLIT),
        ("\n\n=== page ===\n\n", "\n\n=== page ===\n\n"),
    ],
)
def test_page_separators(tmp_path, separator, between):
    project, images = make_project()
    export_documents(
        project, None, tmp_path, formats=["md"], separator=separator, page_image=page_image_from(images)
    )
    md = (tmp_path / "Report.md").read_text(encoding="utf-8")
    assert md.count(between.strip() or "\n\n") >= 2
    assert "See the table." + between.rstrip("\n") in md


def test_uncroppable_figure_is_reported_and_left_out_without_shifting_later_numbers(tmp_path):
    project, images = make_project()
    p1 = project.documents[0].pages[0]
    # Figure 2 of page 1 degenerates to a line; page 1 also links a figure that does not exist.
    blocks = list(p1.result.blocks)
    blocks[3] = Block("image", (Box(600, 500, 601, 700),), "")
    project.set_result(
        p1.id,
        result(
            blocks, "# Annual report\n\n![](figure:1)\n\nSales grew. ![](figure:2)\n\n![](figure:9)\n\nEnd."
        ),
    )
    written = export_documents(project, None, tmp_path, page_image=page_image_from(images))
    md = (tmp_path / "Report.md").read_text(encoding="utf-8")
    assert md.startswith("# Annual report\n\n![](Report_images/1.jpg)\n\nSales grew.\n\nEnd." + SPLIT)
    assert "![chart](Report_images/4.jpg)" in md  # page 2's figure keeps its number
    assert "figure:" not in md
    assert sorted(p.name for p in (tmp_path / "Report_images").iterdir()) == ["1.jpg", "4.jpg"]
    assert len(written.problems) == 2
    assert "page 1: figure 2 could not be cut out" in written.problems[0]
    assert "figure 9 does not exist" in written.problems[1]


def test_page_image_failure_keeps_the_text(tmp_path):
    project, _ = make_project()

    def broken(page):
        raise OSError("the source file is damaged")

    written = export_documents(project, None, tmp_path, page_image=broken)
    md = (tmp_path / "Report.md").read_text(encoding="utf-8")
    assert "Sales grew." in md and "Costs fell sharply." in md and "figure:" not in md and "![" not in md
    assert len(written.problems) == 3 and all("damaged" in p for p in written.problems)
    assert not (tmp_path / "Report_images").exists()


def test_plain_text(tmp_path):
    project, images = make_project()
    page3 = project.documents[0].pages[2]
    project.set_text(
        page3.id,
        "## Table 1\n\n<table><tr><td>Year</td><td>Sales</td></tr><tr><td>2024</td><td>1,200 &amp; more</td></tr></table>\n\n"
        "**Bold** and *italic* with [a link](http://x.org) and \\(x_1 + y_1\\).",
    )
    export_documents(
        project, None, tmp_path, formats=["txt"], separator="none", page_image=page_image_from(images)
    )
    txt = (tmp_path / "Report.txt").read_text(encoding="utf-8")
    assert txt == (
        "Annual report\n\nSales grew.\n\n"
        "Costs fell sharply.\n\nchart\n\nSee the table.\n\n"
        "Table 1\n\nYear\tSales\n2024\t1,200 & more\n\n"
        "Bold and italic with a link and \\(x_1 + y_1\\).\n"
    )
    assert not (tmp_path / "Report_images").exists()  # crops only come with Markdown


def test_markdown_to_text_details():
    assert markdown_to_text("| a | b |\n|---|:--:|\n| 1 | 2 |") == "a\tb\n1\t2"
    assert markdown_to_text("x<y and z>w, a < b") == "x<y and z>w, a < b"
    assert markdown_to_text("```\ncode *kept*\n```") == "code *kept*"
    assert markdown_to_text("> quoted\n\n---\n\nafter") == "quoted\n\n\n\nafter".replace("\n\n\n\n", "\n\n")
    assert markdown_to_text("\\[ \\frac{a}{b} \\]") == "\\[ \\frac{a}{b} \\]"
    assert markdown_to_text('<td colspan="2">x</td>') == "x"


def test_json(tmp_path):
    project, images = make_project()
    doc = project.documents[0]
    export_documents(project, [doc.id], tmp_path, page_image=page_image_from(images))
    data = json.loads((tmp_path / "Report.json").read_text(encoding="utf-8"))
    assert data["document"] == "Report" and data["page_count"] == 3
    p1, p2, p3 = data["pages"]
    assert [p["index"] for p in data["pages"]] == [0, 1, 2]
    assert (p1["width"], p1["height"], p1["state"], p1["edited"]) == (W, H, "read", False)
    assert p2["state"] == "edited" and p2["edited"] and p2["text"].startswith("Costs fell sharply.")
    assert p2["result_text"] == "Costs fell.\n\n![](figure:1)"
    assert p3["state"] == "not_read" and p3["blocks"] == [] and p3["engine"] is None
    title, fig = p1["blocks"][0], p1["blocks"][1]
    assert title["label"] == "title" and title["text"] == "# Annual report"
    assert fig["label"] == "image" and fig["boxes"] == [FIG_A.as_list()]
    x1, y1, x2, y2 = FIG_A.to_pixels(W, H)
    assert fig["boxes_px"] == [[round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)]]
    assert [f["file"] for f in p1["figures"]] == ["Report_images/1.jpg", "Report_images/2.jpg"]
    assert p2["figures"][0]["file"] == "Report_images/3.jpg"


def test_existing_files_are_never_silently_overwritten(tmp_path):
    project, images = make_project()
    (tmp_path / "Report.txt").write_text("my own notes")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ExportConflict) as info:
        export_documents(project, None, tmp_path, page_image=page_image_from(images))
    assert info.value.existing == [tmp_path / "Report.txt"]
    assert isinstance(info.value, FileExistsError)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert (tmp_path / "Report.txt").read_text() == "my own notes"


def test_rename_policy_keeps_every_file_of_a_document_together(tmp_path):
    project, images = make_project()
    (tmp_path / "Report_images").mkdir()
    (tmp_path / "Report_images" / "1.jpg").write_bytes(b"old")
    export_documents(project, None, tmp_path, policy="rename", page_image=page_image_from(images))
    assert (tmp_path / "Report_images" / "1.jpg").read_bytes() == b"old"
    md = (tmp_path / "Report (2).md").read_text(encoding="utf-8")
    assert "![](Report%20(2)_images/1.jpg)" in md
    assert (tmp_path / "Report (2)_images" / "1.jpg").is_file()
    assert (tmp_path / "Report (2).txt").is_file() and (tmp_path / "Report (2).json").is_file()
    assert not (tmp_path / "Report.md").exists()


def test_overwrite_policy_replaces(tmp_path):
    project, images = make_project()
    (tmp_path / "Report.md").write_text("old")
    export_documents(project, None, tmp_path, overwrite=True, page_image=page_image_from(images))
    assert (tmp_path / "Report.md").read_text().startswith("# Annual report")
    assert no_part_files(tmp_path)


def test_overwriting_drops_the_old_exports_extra_figures_but_not_the_users_files(tmp_path):
    project, images = make_project()
    folder = tmp_path / "Report_images"
    folder.mkdir()
    for name in ("1.jpg", "7.jpg", "8.jpg", "my notes.txt"):
        (folder / name).write_bytes(b"old")
    export_documents(project, None, tmp_path, overwrite=True, page_image=page_image_from(images))
    assert sorted(p.name for p in folder.iterdir()) == ["1.jpg", "2.jpg", "3.jpg", "my notes.txt"]
    assert (folder / "1.jpg").read_bytes() != b"old"
    # an export without figures leaves no empty images folder behind
    for page in project.all_pages():
        project.set_text(page.id, "No figures now.")
    (folder / "my notes.txt").unlink()
    export_documents(project, None, tmp_path, overwrite=True, page_image=page_image_from(images))
    assert not folder.exists()


def test_interrupted_export_leaves_old_files_whole_and_no_partial_files(tmp_path):
    project, _ = make_project()
    (tmp_path / "Report.md").write_text("previous export")

    def interrupted(page):
        raise KeyboardInterrupt  # e.g. the process is stopped while figures are cut out

    with pytest.raises(KeyboardInterrupt):
        export_documents(project, None, tmp_path, policy="overwrite", page_image=interrupted)
    assert (tmp_path / "Report.md").read_text() == "previous export"
    assert no_part_files(tmp_path)


def test_documents_with_the_same_name_and_a_selection(tmp_path):
    project, images = make_project()
    other, other_images = make_project("report")  # same name but for case
    project.documents.extend(other.documents)
    project.sources.update(other.sources)
    project._reindex()
    images.update(other_images)
    export_documents(project, None, tmp_path, formats=["md"], page_image=page_image_from(images))
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["Report.md", "report (2).md"]
    assert "report%20(2)_images/1.jpg" in (tmp_path / "report (2).md").read_text(encoding="utf-8")

    only = tmp_path / "only"
    export_documents(project, [other.documents[0].id], only, formats=["json"])
    assert [p.name for p in only.iterdir()] == ["report.json"]


def test_figures_cut_from_the_source_through_an_opener(tmp_path):
    """Without a page_image callable, pages are rendered from their sources (here a PNG)."""
    project = Project()
    png = io.BytesIO()
    painted(FIG_A).save(png, format="PNG")
    src = Source(new_id(), "scan.png", SourceKind.IMAGE, "1" * 64, len(png.getvalue()), 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, W, H)
    project.add_document("Scan: 1/2", [page])
    project.set_result(page.id, result([Block("image", (FIG_A,), "")], "![](figure:1)"))
    data = png.getvalue()
    export_documents(project, None, tmp_path, formats=["md"], opener=lambda source_id: data)
    crop = Image.open(tmp_path / "Scan_ 1_2_images" / "1.jpg")
    assert all(abs(a - b) < 40 for a, b in zip(mean_colour(crop), COLOURS[FIG_A]))
    assert (tmp_path / "Scan_ 1_2.md").read_text() == "![](Scan_%201_2_images/1.jpg)\n"


def test_cancel_and_bad_arguments(tmp_path):
    project, images = make_project()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        export_documents(project, None, tmp_path / "c", page_image=page_image_from(images), cancel=cancel)
    with pytest.raises(ValueError, match="Unknown export format"):
        export_documents(project, None, tmp_path, formats=["rtf"])
    with pytest.raises(KeyError):
        export_documents(project, ["nope"], tmp_path)
    progress: list[float] = []
    export_documents(
        project,
        None,
        tmp_path / "p",
        page_image=page_image_from(images),
        progress=lambda f, m: progress.append(f),
    )
    assert progress == sorted(progress) and progress[-1] == 1.0


def test_rewrite_figure_links():
    targets = {1: "d_images/1.jpg", 2: None}
    assert rewrite_figure_links("a ![x](figure:1) b", targets.get) == "a ![x](d_images/1.jpg) b"
    assert rewrite_figure_links("a ![](figure:2) b", targets.get) == "a b"
    assert rewrite_figure_links("a\n\n![](figure:2)\n\nb", targets.get) == "a\n\nb"
    assert (
        rewrite_figure_links('<img src="figure:1" width="50%">', targets.get)
        == '<img src="d_images/1.jpg" width="50%">'
    )
    assert rewrite_figure_links("![](figure:2)", targets.get) == ""


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Report", "Report"),
        ("a/b\\c:d*e?f", "a_b_c_d_e_f"),
        ("CON", "CON_"),
        ("com1.txt", "com1.txt_"),
        ("name. . ", "name"),
        ("  ..  ", "document"),
        ("///", "document"),
        ("Zürich  minutes\t1923", "Zürich minutes 1923"),
        ("bad\x00char", "bad_char"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_safe_filename_length():
    long = safe_filename("ü" * 300)
    assert len(long.encode("utf-8")) <= 200 and long == "ü" * 100


def test_unread_document_exports_empty_files(tmp_path):
    project = Project()
    src = Source(new_id(), "x.png", SourceKind.IMAGE, "2" * 64, 1, 1)
    project.add_source(src)
    page = Page(new_id(), src.id, 0, 10, 10, state=PageState.NOT_READ)
    project.add_document("Empty", [page])
    export_documents(project, None, tmp_path)
    assert (tmp_path / "Empty.md").read_text() == ""
    assert json.loads((tmp_path / "Empty.json").read_text())["pages"][0]["text"] == ""
