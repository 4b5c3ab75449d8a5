"""Image preparation for DeepSeek-OCR exactly as the model's own ``infer()`` does it (v1 and v2).

Public API:

- :data:`MODES` / :func:`mode_spec` - the modes per model generation (``"v1"``, ``"v2"``).
- :func:`choose_grid` - the tile grid ``(columns, rows)`` for an image in crop (Gundam) mode.
- :func:`image_token_count` - how many ``<image>`` tokens a page takes in the sequence.
- :func:`prepare_image` - the global view and tiles as normalised tensors plus the grid.
- :func:`load_page_image` - open a file as ``infer()`` does (EXIF transpose, RGB).

Facts honoured (see docs/deepseek-ocr-contract.md): tiles are 640 px in v1 and 768 px in v2 whatever
the mode's image size says; the global view is padded (aspect kept, colour (127, 127, 127), bicubic) to
the base size, or plainly resized first when the image size is at most 640 (v1) / 768 (v2) outside crop
mode; tiles come from a plain resize of the whole image to ``tile * grid`` cut row-major; pixels are
scaled to 0..1, then ``(x - 0.5) / 0.5`` in float32 and rounded through bfloat16 like ``infer()``.
torch is imported lazily, so the geometry helpers can be used without it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps

if TYPE_CHECKING:
    import torch

#: The hard-coded id of the ``<image>`` token.
IMAGE_TOKEN_ID = 128815
#: Mean and std of the normalisation; the padding colour is ``int(0.5 * 255)`` per channel.
NORM_MEAN = 0.5
NORM_STD = 0.5
PAD_COLOR = (127, 127, 127)
#: SAM patch size and the compressor's downsampling: one token per 64 x 64 pixels.
PATCH_SIZE = 16
DOWNSAMPLE = 4


@dataclass(frozen=True, slots=True)
class ModeSpec:
    """One resolution mode: ``base_size`` (global view), ``image_size``, ``crop`` (tiling on)."""

    name: str
    base_size: int
    image_size: int
    crop: bool


@dataclass(frozen=True, slots=True)
class VersionSpec:
    """What differs between model generations."""

    tile: int  # tile side in crop mode
    min_tiles: int
    max_tiles: int
    newlines: bool  # v1 puts a newline embedding after each row of features; v2 does not


VERSIONS: dict[str, VersionSpec] = {
    "v1": VersionSpec(tile=640, min_tiles=2, max_tiles=9, newlines=True),
    "v2": VersionSpec(tile=768, min_tiles=2, max_tiles=6, newlines=False),
}

MODES: dict[str, dict[str, ModeSpec]] = {
    "v1": {
        "tiny": ModeSpec("tiny", 512, 512, False),
        "small": ModeSpec("small", 640, 640, False),
        "base": ModeSpec("base", 1024, 1024, False),
        "large": ModeSpec("large", 1280, 1280, False),
        "gundam": ModeSpec("gundam", 1024, 640, True),
    },
    # v2's encoder has learned queries for 768 (tiles) and 1024 (global view) only.
    "v2": {
        "base": ModeSpec("base", 1024, 1024, False),
        "gundam": ModeSpec("gundam", 1024, 768, True),
    },
}

#: Modes from most to least demanding, for "try a smaller mode" after running out of memory.
MODE_ORDER = ("large", "gundam", "base", "small", "tiny")


def mode_spec(version: str, mode: str) -> ModeSpec:
    """The spec of ``mode`` for model generation ``version``; ValueError for unknown ones."""
    try:
        return MODES[version][mode]
    except KeyError:
        known = ", ".join(MODES.get(version, {}))
        raise ValueError(
            f"Mode {mode!r} is not available for DeepSeek-OCR {version} (use one of: {known})"
        ) from None


def smaller_mode(version: str, mode: str) -> str | None:
    """The next less demanding mode of this model generation, or None."""
    names = [m for m in MODE_ORDER if m in MODES.get(version, {})]
    if mode not in names:
        return None
    i = names.index(mode)
    return names[i + 1] if i + 1 < len(names) else None


def candidate_grids(min_num: int, max_num: int) -> list[tuple[int, int]]:
    """Grids (columns, rows) with ``min_num <= columns * rows <= max_num``, fewest tiles first."""
    grids = {
        (i, j)
        for n in range(min_num, max_num + 1)
        for i in range(1, n + 1)
        for j in range(1, n + 1)
        if min_num <= i * j <= max_num
    }
    return sorted(grids, key=lambda g: g[0] * g[1])


def choose_grid(width: int, height: int, version: str = "v1") -> tuple[int, int]:
    """The tile grid (columns, rows) for a ``width`` x ``height`` image that needs tiles.

    The grid whose aspect ratio is closest to the image's wins; on an exact tie the larger grid
    replaces the current one when the image's area exceeds half of that grid's canvas.
    """
    spec = VERSIONS[version]
    aspect = width / height
    area = width * height
    best_diff = float("inf")
    best = (1, 1)
    for grid in candidate_grids(spec.min_tiles, spec.max_tiles):
        diff = abs(aspect - grid[0] / grid[1])
        if diff < best_diff:
            best_diff = diff
            best = grid
        elif diff == best_diff and area > 0.5 * spec.tile * spec.tile * grid[0] * grid[1]:
            best = grid
    return best


def needs_tiles(width: int, height: int, version: str, mode: str) -> bool:
    """Crop mode tiles an image only when either side exceeds the tile size."""
    spec = mode_spec(version, mode)
    tile = VERSIONS[version].tile
    return spec.crop and not (width <= tile and height <= tile)


def tile_grid(width: int, height: int, version: str, mode: str) -> tuple[int, int]:
    """The grid for this page and mode: ``(1, 1)`` when no tiles are used."""
    if needs_tiles(width, height, version, mode):
        return choose_grid(width, height, version)
    return (1, 1)


def _queries(side: int) -> int:
    return math.ceil((side // PATCH_SIZE) / DOWNSAMPLE)


def image_token_count(width: int, height: int, version: str, mode: str) -> int:
    """Number of ``<image>`` tokens for a page of this size in this mode (global, tiles, separator)."""
    spec = mode_spec(version, mode)
    newline = 1 if VERSIONS[version].newlines else 0
    if not spec.crop:
        q = _queries(spec.image_size)
        return (q + newline) * q + 1
    qb = _queries(spec.base_size)
    count = (qb + newline) * qb + 1
    cols, rows = tile_grid(width, height, version, mode)
    if cols > 1 or rows > 1:
        q = _queries(spec.image_size)
        count += (q * cols + newline) * (q * rows)
    return count


def load_page_image(path: Any) -> Image.Image:
    """Open an image file as ``infer()`` does: EXIF orientation applied, converted to RGB."""
    with Image.open(path) as im:
        im.load()
        return upright_rgb(im)


def upright_rgb(image: Image.Image) -> Image.Image:
    """EXIF orientation applied (a no-op for images already upright) and converted to RGB."""
    out = ImageOps.exif_transpose(image)
    if out is None:  # pragma: no cover - only with in_place=True
        out = image
    return out.convert("RGB")


def global_view(image: Image.Image, version: str, mode: str) -> Image.Image:
    """The global view: padded to the base size (crop mode) or to the image size."""
    spec = mode_spec(version, mode)
    if spec.crop:
        return ImageOps.pad(image, (spec.base_size, spec.base_size), color=PAD_COLOR)
    if spec.image_size <= VERSIONS[version].tile:
        image = image.resize((spec.image_size, spec.image_size))
    return ImageOps.pad(image, (spec.image_size, spec.image_size), color=PAD_COLOR)


def tiles(image: Image.Image, grid: tuple[int, int], version: str) -> list[Image.Image]:
    """The image resized to ``tile * grid`` and cut into tiles, row by row."""
    tile = VERSIONS[version].tile
    cols, rows = grid
    resized = image.resize((tile * cols, tile * rows))
    return [
        resized.crop((c * tile, r * tile, (c + 1) * tile, (r + 1) * tile))
        for r in range(rows)
        for c in range(cols)
    ]


def to_tensor(image: Image.Image) -> torch.Tensor:
    """CHW float32 in -1..1 (``x / 255``, then ``(x - 0.5) / 0.5``) rounded through bfloat16."""
    import numpy as np
    import torch

    arr = np.array(image, dtype=np.uint8, copy=True)
    t = torch.from_numpy(arr).permute(2, 0, 1).contiguous().to(torch.float32).div(255)
    t.sub_(NORM_MEAN).div_(NORM_STD)
    return t.to(torch.bfloat16)


@dataclass(frozen=True, slots=True)
class PreparedImage:
    """What the model needs for one page: tensors (bfloat16 on the CPU) and the layout."""

    global_tensor: torch.Tensor  # [1, 3, S, S]
    crops_tensor: torch.Tensor  # [P, 3, T, T], or zeros [1, 3, base, base] (float32) without tiles
    grid: tuple[int, int]  # (columns, rows); (1, 1) without tiles
    n_image_tokens: int
    width: int
    height: int


def prepare_image(image: Image.Image, version: str, mode: str) -> PreparedImage:
    """Global view and tiles of an upright RGB page, as tensors, exactly as ``infer()`` builds them."""
    import torch

    spec = mode_spec(version, mode)
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    grid = tile_grid(width, height, version, mode)
    glob = to_tensor(global_view(image, version, mode)).unsqueeze(0)
    if grid != (1, 1):
        crops = torch.stack([to_tensor(t) for t in tiles(image, grid, version)], dim=0)
    else:
        crops = torch.zeros((1, 3, spec.base_size, spec.base_size))
    return PreparedImage(
        global_tensor=glob,
        crops_tensor=crops,
        grid=grid,
        n_image_tokens=image_token_count(width, height, version, mode),
        width=width,
        height=height,
    )
