"""Boxes in the model's normalised 0..999 space and their conversion to page pixels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: DeepSeek-OCR writes coordinates as integers normalised to 0..999 of the original image.
NORM = 999


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in normalised 0..999 coordinates (x1 <= x2, y1 <= y2)."""

    x1: int
    y1: int
    x2: int
    y2: int

    @classmethod
    def normalised(cls, x1: float, y1: float, x2: float, y2: float) -> Box:
        """A box clamped to 0..999 with inverted corners swapped."""
        xs = sorted((_clamp(x1), _clamp(x2)))
        ys = sorted((_clamp(y1), _clamp(y2)))
        return cls(xs[0], ys[0], xs[1], ys[1])

    @classmethod
    def from_pixels(cls, x1: float, y1: float, x2: float, y2: float, width: int, height: int) -> Box:
        """The normalised box for a pixel rectangle on a page of ``width`` x ``height``."""
        w = max(width, 1)
        h = max(height, 1)
        return cls.normalised(x1 / w * NORM, y1 / h * NORM, x2 / w * NORM, y2 / h * NORM)

    @classmethod
    def enclosing(cls, boxes: Iterable[Box]) -> Box:
        """The smallest box holding all of ``boxes`` (at least one)."""
        bs = list(boxes)
        return cls(min(b.x1 for b in bs), min(b.y1 for b in bs), max(b.x2 for b in bs), max(b.y2 for b in bs))

    def to_pixels(self, width: int, height: int) -> tuple[float, float, float, float]:
        """Pixel rectangle on a page of ``width`` x ``height`` (``x_px = x / 999 * width``)."""
        return (
            self.x1 / NORM * width,
            self.y1 / NORM * height,
            self.x2 / NORM * width,
            self.y2 / NORM * height,
        )

    def as_list(self) -> list[int]:
        return [self.x1, self.y1, self.x2, self.y2]

    @property
    def area(self) -> int:
        return max(0, self.x2 - self.x1) * max(0, self.y2 - self.y1)

    def contains(self, x: float, y: float) -> bool:
        return self.x1 <= x <= self.x2 and self.y1 <= y <= self.y2

    def intersection(self, other: Box) -> int:
        """The area (normalised units squared) this box shares with ``other``; 0 when apart."""
        w = min(self.x2, other.x2) - max(self.x1, other.x1)
        h = min(self.y2, other.y2) - max(self.y1, other.y1)
        return max(0, w) * max(0, h)

    def crop_pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The pixel rectangle (left, top, right, bottom) this box cuts from a ``width`` x ``height``
        image: the official rule ``int(v / 999 * size)`` (as figure crops), at least 1 x 1 pixel and
        inside the image."""
        w, h = max(width, 1), max(height, 1)
        x1, y1, x2, y2 = (int(v) for v in self.to_pixels(w, h))
        x1, y1 = min(x1, w - 1), min(y1, h - 1)
        return x1, y1, min(max(x2, x1 + 1), w), min(max(y2, y1 + 1), h)

    def turned(self, degrees: int) -> Box:
        """This box on the page turned clockwise by ``degrees`` (a multiple of 90)."""
        d = degrees % 360
        if d == 90:
            return Box(NORM - self.y2, self.x1, NORM - self.y1, self.x2)
        if d == 180:
            return Box(NORM - self.x2, NORM - self.y2, NORM - self.x1, NORM - self.y1)
        if d == 270:
            return Box(self.y1, NORM - self.x2, self.y2, NORM - self.x1)
        return self

    @classmethod
    def from_crop(cls, inner: Box, crop: Box, width: int = 0, height: int = 0) -> Box:
        """``inner`` (0..999 of a crop) in 0..999 of the page the crop was cut from, rounded and clamped.

        With the page's pixel size the crop's exact pixel rectangle (:meth:`crop_pixels`) is used,
        so the result matches what the engine saw; without it the crop box's own span is used.
        """
        if width > 0 and height > 0:
            left, top, right, bottom = crop.crop_pixels(width, height)
            cw, ch = right - left, bottom - top
            return cls.from_pixels(
                left + inner.x1 / NORM * cw,
                top + inner.y1 / NORM * ch,
                left + inner.x2 / NORM * cw,
                top + inner.y2 / NORM * ch,
                width,
                height,
            )
        cw, ch = crop.x2 - crop.x1, crop.y2 - crop.y1
        return cls.normalised(
            crop.x1 + inner.x1 / NORM * cw,
            crop.y1 + inner.y1 / NORM * ch,
            crop.x1 + inner.x2 / NORM * cw,
            crop.y1 + inner.y2 / NORM * ch,
        )


def _clamp(v: float) -> int:
    return int(min(max(round(float(v)), 0), NORM))
