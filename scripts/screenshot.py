"""Start the real app offscreen with a generated sample project, read it, and save a screenshot.

    python scripts/screenshot.py docs/screenshots/main-window.png [--size 1400x900|first] [--page 1]
    xvfb-run -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb python scripts/screenshot.py shot.png --size first --screen

With ``--open FILE ...`` it reads those files (real scans) instead.

Everything runs in a throw-away base directory (settings, logs, project), with the embedded engine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PAGES = [
    (
        "Harbour Survey of 1911",
        [
            "The north pier was measured in April by the engineer Margaret Holloway and two assistants. "
            "Depths were taken at low water every fifty feet along the outer face of the wall.",
            "Most of the stones of the upper courses were found loose, and several had been displaced "
            "by the winter storms. The report recommends that they are numbered before removal.",
            "The crane on the east quay was inspected at the same time; its chain was replaced in May "
            "and the timber jib was found sound apart from some surface rot near the pivot.",
        ],
    ),
    (
        "Second Report",
        [
            "Repairs began on the east wall in May. The foundations were exposed at three places and "
            "found to rest on clay rather than rock, as the drawings of 1850 had assumed.",
            "The contractor proposed piling along the whole length; the committee agreed to a trial "
            "section of one hundred feet, to be finished before the autumn gales.",
        ],
    ),
    (
        "Final Notes",
        [
            "All stones were numbered before removal and stored on the west quay. The survey closed in "
            "June, and the drawings were deposited with the harbour office in July.",
        ],
    ),
]


def make_sample_pdf(path: Path) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for title, paragraphs in PAGES:
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(
            pymupdf.Rect(60, 60, 535, 110), title, fontsize=22, fontfile=FONT_BOLD, fontname="title"
        )
        page.insert_textbox(
            pymupdf.Rect(60, 120, 535, 560),
            "\n\n".join(paragraphs),
            fontsize=12,
            fontfile=FONT,
            fontname="body",
        )
        page.draw_rect(
            pymupdf.Rect(60, 600, 300, 760), color=(0.2, 0.3, 0.5), fill=(0.85, 0.9, 0.95), width=1.5
        )
        page.draw_line((70, 740), (290, 620), color=(0.6, 0.1, 0.1), width=2)
    doc.save(str(path))
    doc.close()
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("output", type=Path, help="PNG file to write")
    p.add_argument(
        "--size",
        default="1600x1000",
        help="window size WxH, or 'first': the size the app gives its first window on this screen",
    )
    p.add_argument(
        "--screen",
        action="store_true",
        help="save the whole screen (under Xvfb: what a user sees), not the window",
    )
    p.add_argument("--page", type=int, default=1, help="page to show (1-based)")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for reading")
    p.add_argument("--lang", default="", help="user interface language, e.g. zh_CN")
    p.add_argument(
        "--proofread",
        action="store_true",
        help="show proofreading: a block selected with handles, an edit, a relabel, a located phrase",
    )
    p.add_argument("--order", action="store_true", help="number the blocks in their reading order")
    p.add_argument(
        "--open", nargs="+", type=Path, help="read these files instead of the sample (e.g. real scans)"
    )
    args = p.parse_args(argv)
    first = args.size.lower() == "first"
    width, height = (0, 0) if first else (int(v) for v in args.size.lower().split("x"))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = Path(tempfile.mkdtemp(prefix="desktop-ocr-shot-"))
    os.environ["DESKTOP_OCR_BASEDIR"] = str(base)
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        # Qt's offscreen screen is 800×800, to which the window would be fitted (ui/screen_fit.py):
        # a screen that holds the asked size (or the tests' desktop screen for 'first')
        screen = {"name": "shot", "x": 0, "y": 0, "width": max(width, 1920), "height": max(height, 1200)}
        config = base / "screen.json"
        config.write_text(
            json.dumps({"screens": [{**screen, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

    from PySide6.QtCore import QCoreApplication

    from desktop_ocr.app import make_application
    from desktop_ocr.log import setup_logging
    from desktop_ocr.settings import Settings

    setup_logging(console=True)
    app = make_application()  # kept alive for the whole run
    if args.lang:
        from desktop_ocr import i18n

        if not i18n.install_translators(app, args.lang):
            print(f"no catalogue for {args.lang}", file=sys.stderr)
    from desktop_ocr.ui.main_window import MainWindow
    from desktop_ocr.worker.controller import Controller

    settings = Settings()
    settings.engine = "embedded"
    controller = Controller(settings)
    window = MainWindow(controller)
    if not first:
        window.resize(width, height)
    window.show()

    def wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            if predicate():
                return True
            time.sleep(0.02)
        return False

    files = (
        [str(f) for f in args.open] if args.open else [str(make_sample_pdf(base / "Harbour survey 1911.pdf"))]
    )
    window.open_paths(files)
    expected = len(files) if args.open else len(PAGES)
    if not wait_for(lambda: controller.project.page_count >= expected, 60):
        print("the sample did not import", file=sys.stderr)
        return 1
    controller.read_all()
    if not wait_for(lambda: not controller.reading.is_reading, args.timeout):
        print("reading did not finish in time", file=sys.stderr)
        return 1
    pages = list(controller.project.all_pages())
    target = pages[min(max(args.page, 1), len(pages)) - 1]
    window.page_list.select_page(target.id)
    wait_for(lambda: window.canvas.image_item() is not None, 30)
    # let thumbnails, the preview and the fit-to-page settle
    wait_for(lambda: all(controller.thumbnails.request(p.id, p.rotation, 240) is not None for p in pages), 30)
    window.canvas.fit_page()
    if args.order:
        window.blocks.order_action.setChecked(True)
    wait_for(lambda: False, 1.0)
    if args.proofread:
        window.setProperty("shot_path", str(args.output))
        proofread(window, controller, wait_for)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    shot = window.screen().grabWindow(0) if args.screen else window.grab()
    ok = shot.save(str(args.output), "PNG")
    controller.cancel_all()
    controller.discard_untitled()
    window.close()
    controller.shutdown()
    print(f"saved {args.output}" if ok else f"could not save {args.output}")
    return 0 if ok else 1


def proofread(window, controller, wait_for) -> None:  # type: ignore[no-untyped-def]
    """What a proofreader does on the page: correct a word, relabel a block, locate a phrase,
    select a block (its box gets handles) and draw a region to read again."""
    from PySide6.QtGui import QTextCursor

    from desktop_ocr.model.geometry import Box

    editor, flow = window.editor, window.blocks
    text = editor.text()
    at = text.find("Holloway")
    if at >= 0:
        cur = editor.editor.textCursor()
        cur.setPosition(at)
        cur.setPosition(at + len("Holloway"), QTextCursor.MoveMode.KeepAnchor)
        editor.editor.setTextCursor(cur)
        editor.editor.insertPlainText("Holloway (chief engineer)")
    layout = editor.block_layout()
    last = len(layout) - 1
    if last > 0:
        flow.relabel("footnote", last)
    located = []
    controller.located.connect(lambda *args: located.append(args))
    flow.locate("stones")
    wait_for(lambda: bool(located), 60)
    target = next((i for i in range(len(layout)) if "crane" in layout.block_text(i)), 1)
    editor.select_block(target)
    window.canvas.highlight_block(target)
    window.canvas._tools.overlays.set_pending(Box(80, 880, 930, 960))
    editor.flush()
    wait_for(lambda: False, 1.0)
    menu = flow.menu  # the Block menu, saved beside the screenshot for a look at its wording
    menu.popup(window.mapToGlobal(window.rect().center()))
    wait_for(lambda: False, 0.3)
    menu.grab().save(str(window.property("shot_path")).replace(".png", "-block-menu.png"))
    menu.hide()


if __name__ == "__main__":
    sys.exit(main())
