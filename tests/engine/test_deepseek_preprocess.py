"""DeepSeek-OCR preprocessing: tile grids, token counts, tensors and input ids as infer() builds them."""

from __future__ import annotations

import sys

import pytest
from PIL import Image

from desktop_ocr.engine.deepseek import preprocess as pp
from desktop_ocr.engine.deepseek.inputs import build_input_ids, normalise_prompt


@pytest.mark.parametrize(
    ("size", "grid", "tokens"),
    [
        ((1240, 1754), (2, 3), 903),  # A4 portrait, 150 dpi
        ((2480, 3508), (2, 3), 903),  # A4 portrait, 300 dpi
        ((1754, 1240), (3, 2), 893),  # A4 landscape
        ((3508, 2480), (3, 2), 893),
        ((640, 640), (1, 1), 273),  # no tiles up to 640 x 640
        ((300, 500), (1, 1), 273),
        ((641, 640), (2, 2), 273 + (10 * 2 + 1) * 20),  # just over 640: 2x2
        ((1280, 1280), (2, 2), 273 + (10 * 2 + 1) * 20),  # square, below the tie threshold
        ((2000, 2000), (3, 3), 273 + (10 * 3 + 1) * 30),  # tie rule: larger grid when area > half canvas
        ((1000, 4000), (1, 4), 273 + (10 * 1 + 1) * 40),
    ],
)
def test_gundam_grid_and_tokens_v1(size, grid, tokens):
    assert pp.tile_grid(*size, "v1", "gundam") == grid
    assert pp.image_token_count(*size, "v1", "gundam") == tokens


@pytest.mark.parametrize(("mode", "tokens"), [("tiny", 73), ("small", 111), ("base", 273), ("large", 421)])
def test_fixed_modes_v1(mode, tokens):
    for size in ((1240, 1754), (500, 300), (4000, 1000)):
        assert pp.image_token_count(*size, "v1", mode) == tokens
        assert pp.tile_grid(*size, "v1", mode) == (1, 1)


def test_v2_modes():
    assert pp.tile_grid(1240, 1754, "v2", "gundam") == (2, 3)
    assert pp.image_token_count(1240, 1754, "v2", "gundam") == 1121  # 256 + 6 * 144 + 1
    assert pp.image_token_count(768, 768, "v2", "gundam") == 257
    assert pp.image_token_count(800, 400, "v2", "gundam") == 257 + 2 * 144
    assert pp.image_token_count(1240, 1754, "v2", "base") == 257
    assert pp.tile_grid(8000, 1000, "v2", "gundam") == (6, 1)  # v2 caps at 6 tiles
    assert pp.tile_grid(8000, 1000, "v1", "gundam") == (8, 1)
    with pytest.raises(ValueError, match="tiny"):
        pp.mode_spec("v2", "tiny")


def test_tie_rule_small_image_keeps_smaller_grid():
    # A square image exactly ties 1:1 grids (2x2, 3x3); 2x2 is found first; 3x3 replaces it only when
    # the area exceeds half of 3x3's canvas (0.5 * 640 * 640 * 9 = 1843200 px).
    assert pp.choose_grid(1300, 1300) == (2, 2)  # 1.69 Mpx < 1.84 Mpx
    assert pp.choose_grid(1400, 1400) == (3, 3)  # 1.96 Mpx > 1.84 Mpx


def test_smaller_mode_chain():
    assert pp.smaller_mode("v1", "gundam") == "base"
    assert pp.smaller_mode("v1", "large") == "gundam"
    assert pp.smaller_mode("v1", "tiny") is None
    assert pp.smaller_mode("v2", "gundam") == "base"


def _page(size, colour=(200, 30, 90)):
    im = Image.new("RGB", size, colour)
    im.paste((10, 220, 40), (0, 0, size[0] // 3, size[1] // 4))
    return im


@pytest.mark.torch
def test_prepared_tensors_gundam():
    import torch

    prep = pp.prepare_image(_page((1240, 1754)), "v1", "gundam")
    assert prep.grid == (2, 3)
    assert tuple(prep.global_tensor.shape) == (1, 3, 1024, 1024)
    assert tuple(prep.crops_tensor.shape) == (6, 3, 640, 640)
    assert prep.global_tensor.dtype == torch.bfloat16
    # Padding is grey 127 -> (127/255 - 0.5) / 0.5, rounded to bf16; the page is centred.
    pad = torch.tensor((127 / 255 - 0.5) / 0.5).to(torch.bfloat16)
    assert prep.global_tensor[0, :, 512, 0].eq(pad).all()
    assert not prep.global_tensor[0, :, 512, 512].eq(pad).all()
    # First tile is the top-left of the page (the green patch), row-major order.
    green = torch.tensor([(10 / 255 - 0.5) / 0.5, (220 / 255 - 0.5) / 0.5, (40 / 255 - 0.5) / 0.5])
    assert torch.allclose(prep.crops_tensor[0, :, 5, 5].float(), green, atol=1e-2)
    assert not torch.allclose(prep.crops_tensor[1, :, 5, 5].float(), green, atol=1e-2)


@pytest.mark.torch
def test_prepared_tensors_no_tiles_and_fixed_modes():
    import torch

    prep = pp.prepare_image(_page((500, 400)), "v1", "gundam")
    assert prep.grid == (1, 1)
    assert tuple(prep.crops_tensor.shape) == (1, 3, 1024, 1024) and prep.crops_tensor.abs().sum() == 0
    tiny = pp.prepare_image(_page((1240, 1754)), "v1", "tiny")
    assert tuple(tiny.global_tensor.shape) == (1, 3, 512, 512)
    # Tiny/small are plainly resized (aspect distorted): no grey padding at the left edge.
    pad = torch.tensor((127 / 255 - 0.5) / 0.5).to(torch.bfloat16)
    assert not tiny.global_tensor[0, :, 256, 0].eq(pad).all()
    base = pp.prepare_image(_page((1240, 1754)), "v1", "base")
    assert base.global_tensor[0, :, 512, 0].eq(pad).all()


@pytest.mark.torch
def test_normalisation_matches_torchvision():
    import torch
    from torchvision import transforms

    im = _page((64, 48))
    ref = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])(im)
    assert torch.equal(pp.to_tensor(im), ref.to(torch.bfloat16))


def test_exif_orientation_applied(tmp_path):
    im = Image.new("RGB", (40, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise when shown
    path = tmp_path / "rotated.jpg"
    im.save(path, exif=exif)
    loaded = pp.load_page_image(path)
    assert loaded.size == (20, 40) and loaded.mode == "RGB"
    assert pp.upright_rgb(loaded).size == (20, 40)  # idempotent


class _CharTokenizer:
    """One id per character (special tokens as one id), enough to check the id layout."""

    specials = {"<|grounding|>": 128820, "<|ref|>": 128816, "<|/ref|>": 128817}

    def encode(self, text, add_special_tokens=True):
        assert add_special_tokens is False
        ids, i = [], 0
        while i < len(text):
            for tok, tid in self.specials.items():
                if text.startswith(tok, i):
                    ids.append(tid)
                    i += len(tok)
                    break
            else:
                ids.append(1000 + ord(text[i]))
                i += 1
        return ids


def test_input_ids_layout():
    prompt = "<image>\n<|grounding|>Convert the document to markdown. "
    assert normalise_prompt(prompt) == "<image>\n<|grounding|>Convert the document to markdown."
    built = build_input_ids(_CharTokenizer(), prompt, 903)
    text = "\n<|grounding|>Convert the document to markdown."
    tail = _CharTokenizer().encode(text, add_special_tokens=False)
    assert built.input_ids == [0] + [pp.IMAGE_TOKEN_ID] * 903 + tail
    assert built.images_seq_mask == [False] + [True] * 903 + [False] * len(tail)
    # Text before the image and the locate prompt.
    built = build_input_ids(_CharTokenizer(), "  Hi <image>Locate <|ref|>x<|/ref|>.", 3)
    assert built.input_ids[:4] == [0, 1000 + ord("H"), 1000 + ord("i"), 1000 + ord(" ")]
    assert built.input_ids[4:7] == [pp.IMAGE_TOKEN_ID] * 3
    assert 128816 in built.input_ids and sum(built.images_seq_mask) == 3


def test_import_is_cheap():
    import subprocess

    code = (
        "import sys, desktop_ocr.engine.deepseek, desktop_ocr.engine.deepseek.preprocess, "
        "desktop_ocr.engine.deepseek.inputs, desktop_ocr.engine.grounding; "
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
