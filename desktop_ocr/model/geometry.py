"""Boxes in the model's normalised 0..999 space and their conversion to page pixels."""

from __future__ import annotations

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


def _clamp(v: float) -> int:
    return int(min(max(round(float(v)), 0), NORM))
