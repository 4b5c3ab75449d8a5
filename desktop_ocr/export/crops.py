"""Figure crops: a figure box cut out of the full-resolution page image and saved atomically as JPEG."""

from __future__ import annotations

import math
import os

from PIL import Image

from desktop_ocr.fsutil import atomic_open
from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.geometry import Box

#: Smallest crop side in pixels; anything thinner is a detection glitch, not a figure.
MIN_SIDE = 4
JPEG_QUALITY = 92


class CropError(ValueError):
    """A figure box that cannot be cut out (empty, outside the page...)."""


def crop_box(image: Image.Image, box: Box) -> Image.Image:
    """The part of ``image`` under the normalised ``box`` (0..999 of the image's size), as RGB.

    The pixel rectangle is widened to whole pixels (floor/ceil) so no edge of the figure is lost.
    """
    width, height = image.size
    x1, y1, x2, y2 = box.to_pixels(width, height)
    left, top = max(0, math.floor(x1)), max(0, math.floor(y1))
    right, bottom = min(width, math.ceil(x2)), min(height, math.ceil(y2))
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        raise CropError(
            QT_TRANSLATE_NOOP(
                "Export", "the figure box {box} is too small to cut out ({width}x{height} px)"
            ).format(box=str(box.as_list()), width=right - left, height=bottom - top)
        )
    crop = image.crop((left, top, right, bottom))
    if crop.mode not in ("RGB", "L"):
        if crop.mode in ("RGBA", "LA", "P", "PA"):
            rgba = crop.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            crop = background
        else:
            crop = crop.convert("RGB")
    return crop


def save_jpeg(image: Image.Image, path: str | os.PathLike[str], quality: int = JPEG_QUALITY) -> None:
    """Write ``image`` as a JPEG, atomically (a crash leaves the old file or none, never half a file)."""
    with atomic_open(path, "wb") as fh:
        image.save(fh, format="JPEG", quality=quality, optimize=True)
