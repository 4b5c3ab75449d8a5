"""Pillow images to upright 8-bit RGB: EXIF orientation, 16-bit, CMYK (ICC), palette, alpha on white. No Qt."""

from __future__ import annotations

import io

from PIL import Image, ImageCms


def orientation(img: Image.Image) -> int:
    try:
        value = img.getexif().get(0x0112, 1)
        return int(value) if isinstance(value, int) and 1 <= value <= 8 else 1
    except Exception:
        return 1


_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}


def to_rgb(img: Image.Image) -> Image.Image:
    """Any Pillow image as 8-bit RGB: 16-bit scaled, CMYK via its ICC profile, alpha on white."""
    mode = img.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _wide_grey_to_rgb(img)
    if mode == "1":
        return img.convert("L").convert("RGB")
    if mode in ("P", "PA"):
        img = img.convert("RGBA" if ("transparency" in img.info or mode == "PA") else "RGB")
        mode = img.mode
    if mode in ("RGBA", "LA", "La", "RGBa"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode == "CMYK" or (img.info.get("icc_profile") and mode in ("RGB", "L")):
        converted = _icc_to_srgb(img)
        if converted is not None:
            return converted
    if mode == "RGB":
        return img
    return img.convert("RGB")


def _icc_to_srgb(img: Image.Image) -> Image.Image | None:
    icc = img.info.get("icc_profile")
    if not icc:
        return None
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        dst = ImageCms.createProfile("sRGB")
        out = ImageCms.profileToProfile(img, src, dst, outputMode="RGB")
        return out if out is not None else None
    except Exception:
        return None


def _wide_grey_to_rgb(img: Image.Image) -> Image.Image:
    import numpy as np

    arr = np.asarray(img)
    if arr.dtype.kind == "f":
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        in_unit = lo >= 0.0 and hi <= 1.0
        scaled = arr * 255.0 if in_unit else (arr - lo) * (255.0 / (hi - lo or 1.0))
    else:
        arr = arr.astype(np.int64)
        hi = int(arr.max()) if arr.size else 0
        lo = int(arr.min()) if arr.size else 0
        if lo >= 0 and hi <= 255 and img.mode == "I":
            scaled = arr
        elif lo >= 0 and hi <= 65535:
            scaled = arr / 257.0  # 16-bit samples use the full 0..65535 range
        else:
            scaled = (arr - lo) * (255.0 / ((hi - lo) or 1))
    grey = np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
    return Image.fromarray(grey, mode="L").convert("RGB")


def upright_rgb(img: Image.Image) -> Image.Image:
    """The current frame as upright RGB (EXIF orientation applied)."""
    turn = orientation(img)
    out = to_rgb(img)
    for op in _TRANSPOSE.get(turn, []):
        out = out.transpose(op)
    return out


def apply_rotation(img: Image.Image, degrees: int) -> Image.Image:
    """The image turned clockwise by the user's rotation (0, 90, 180, 270)."""
    degrees %= 360
    if degrees == 90:
        return img.transpose(Image.Transpose.ROTATE_270)
    if degrees == 180:
        return img.transpose(Image.Transpose.ROTATE_180)
    if degrees == 270:
        return img.transpose(Image.Transpose.ROTATE_90)
    return img
