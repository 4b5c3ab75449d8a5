"""Write huge_299mpx.png: a white 17320 x 17320 greyscale PNG (299.98 megapixels, about 300 KB), written
row by row with zlib so that making it takes no memory. Run: python make_huge_png.py [OUT]."""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIDE = 17320


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write(path: Path, side: int = SIDE) -> Path:
    z = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * side  # filter byte "none", then white pixels
    parts = [z.compress(row) for _ in range(side)]
    parts.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")
    )
    return path


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("huge_299mpx.png"))
