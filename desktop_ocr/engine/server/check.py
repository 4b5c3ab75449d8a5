"""The settings' "Test connection": each server's models (``/v1/models``) and one sample page read.

Public API: :func:`check_connection` returns a :class:`ConnectionReport`; plain Python, run it in a
worker thread (it waits on the network).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from desktop_ocr.engine.base import EngineError, PageFailure, PageInput, ReadOptions
from desktop_ocr.engine.server.engine import ServerConfig, ServerEngine

if TYPE_CHECKING:
    from PIL import Image

SAMPLE_TEXT = "Desktop OCR test page 1907"


@dataclass(frozen=True, slots=True)
class ServerReport:
    """One server: its models, or why it could not be asked."""

    url: str
    models: tuple[str, ...] = ()
    kind: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class ConnectionReport:
    servers: tuple[ServerReport, ...] = ()
    #: The sample page's text as read ("" when it was not read), by which server, in how long.
    sample: str = ""
    sample_server: str = ""
    seconds: float = 0.0
    #: Why the sample page was not read ("" when it was, or was not asked for).
    error: str = ""
    models: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return bool(self.servers) and all(not s.error for s in self.servers) and not self.error


def sample_page() -> Image.Image:
    """A small white page with one printed line, made here (nothing is downloaded)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.load_default(size=44)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((40, 120), SAMPLE_TEXT, fill="black", font=font)
    return img


def check_connection(
    config: ServerConfig, *, read_sample: bool = True, cancel: threading.Event | None = None
) -> ConnectionReport:
    """Ask every server of ``config`` for its models; then read :func:`sample_page` once."""
    probe = ServerEngine(replace(config, retries=0))
    reports = []
    models: list[str] = []
    for endpoint in probe.endpoints:
        try:
            kind, ids = probe.list_models(endpoint)
        except EngineError as exc:
            reports.append(ServerReport(endpoint.base, error=str(exc)))
            continue
        reports.append(ServerReport(endpoint.base, tuple(ids), kind))
        models.extend(m for m in ids if m not in models)
    report = ConnectionReport(servers=tuple(reports), models=tuple(models))
    if not read_sample or not any(not r.error for r in reports):
        return report
    engine = ServerEngine(replace(config, retries=1))
    try:
        engine.load(cancel=cancel)
        t0 = time.monotonic()
        [res] = engine.read(
            [PageInput("sample", sample_page(), ReadOptions(prompt="free", mode="base", max_new_tokens=256))],
            cancel=cancel,
        )
    except EngineError as exc:
        return replace(report, error=str(exc))
    if isinstance(res, PageFailure):
        return replace(report, error=res.message)
    return replace(
        report,
        sample=" ".join(res.markdown.split())[:200],
        sample_server=str(res.extra.get("server", "")),
        seconds=round(time.monotonic() - t0, 2),
    )
