"""Smoke-test a packaged build: it starts offscreen, reads a PDF with the embedded engine, exits 0.

    python packaging/smoke_test.py [build/dist/desktop-ocr]

Needs PyMuPDF in the Python that runs this script (to write the sample PDF); the build itself is
used as a user would run it, with its own bundled Python. Steps:
1. ``desktop-ocr --version`` (start-up time);
2. ``desktop-ocr convert sample.pdf -o OUT --engine embedded``: exit 0 and the known text in the Markdown;
3. the GUI: ``desktop-ocr-gui --smoke-test sample.pdf`` (desktop_ocr/smoke.py: the real window,
   offscreen, opens the file, reads it with the embedded engine, exits 0), or, in a build without it, the GUI is started offscreen with the file and must still be running
   after a few seconds (no crash on start);
4. ``install-desktop --prefix TMP`` from the build (when the build has it): Exec points at the build.
Exit status 0 when all passed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = [
    "Desktop OCR smoke test",
    "The quick brown fox jumps over the lazy dog.",
    "Packaged builds must read this page without any download.",
]


def make_sample(path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    for page_no in range(2):
        page = doc.new_page(width=595, height=842)
        y = 100
        for line in LINES:
            page.insert_text((72, y), line, fontsize=16, fontname="helv")
            y += 40
        page.insert_text((72, y + 20), f"Page {page_no + 1} of 2", fontsize=16, fontname="helv")
    doc.save(path)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def run(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, float]:
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


def main() -> int:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "dist" / "desktop-ocr"
    suffix = ".exe" if os.name == "nt" else ""
    cli = dist / f"desktop-ocr{suffix}"
    gui = dist / f"desktop-ocr-gui{suffix}"
    if not cli.is_file():
        print(f"FAIL: no build at {dist} (run packaging/build_linux.sh first)")
        return 2
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="desktop-ocr-smoke-") as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_OCR_BASEDIR=str(tmp / "base"))
        env.pop("PYTHONPATH", None)  # the build must stand on its own
        sample = tmp / "sample.pdf"
        make_sample(sample)

        code, out, secs = run([str(cli), "--version"], env, 120)
        print(f"[1] --version: exit {code} in {secs:.2f} s: {out.strip()}")
        if code != 0:
            failures.append("--version failed")

        outdir = tmp / "out"
        code, out, secs = run(
            [str(cli), "convert", str(sample), "-o", str(outdir), "--engine", "embedded"], env, 600
        )
        md = outdir / "sample.md"
        text = md.read_text(encoding="utf-8") if md.is_file() else ""
        expected = [w for line in LINES for w in words(line)]
        found = set(words(text))
        missing = [w for w in expected if w not in found]
        print(
            f"[2] convert: exit {code} in {secs:.1f} s, {len(text)} characters of Markdown, missing words: {missing}"
        )
        if code != 0 or not text or len(missing) > len(expected) // 10 or "page 2 of 2" not in text.lower():
            failures.append(f"convert did not read the sample (exit {code}): {out[-2000:]}")

        code, help_text, _ = run([str(cli), "--smoke-test"], env, 120)
        if code == 2 and "usage" in help_text:  # the build knows the flag (it asks for a file)
            code, out, secs = run([str(gui), "--smoke-test", str(sample)], env, 600)
            print(f"[3] GUI --smoke-test: exit {code} in {secs:.1f} s")
            if code != 0:
                failures.append(f"GUI smoke test failed (exit {code}): {out[-2000:]}")
        else:
            proc = subprocess.Popen(
                [str(gui), str(sample)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            time.sleep(15)
            alive = proc.poll() is None
            proc.terminate()
            try:
                out = proc.communicate(timeout=20)[0]
            except subprocess.TimeoutExpired:
                proc.kill()
                out = proc.communicate()[0]
            print(
                f"[3] GUI started offscreen with the sample and was {'running' if alive else 'GONE'} after 15 s"
            )
            if not alive:
                failures.append(f"the GUI exited on start: {out[-2000:]}")

        code, out, _ = run([str(cli), "install-desktop", "--prefix", str(tmp / "prefix")], env, 120)
        desktop = tmp / "prefix" / "share" / "applications" / "io.github.desktop_ocr.DesktopOCR.desktop"
        if desktop.is_file():
            exec_line = next(line for line in desktop.read_text().splitlines() if line.startswith("Exec="))
            ok = str(dist.resolve()) in exec_line
            print(f"[4] install-desktop: {exec_line}")
            if not ok:
                failures.append(f"install-desktop's Exec does not point at the build: {exec_line}")
        else:
            print(f"[4] install-desktop not available in this build (exit {code})")

    if failures:
        print("\nSMOKE TEST FAILED:\n- " + "\n- ".join(failures))
        return 1
    print("\nSMOKE TEST PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
