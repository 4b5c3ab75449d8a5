"""Our inputs equal what the official remote code's infer() passes to generate() (when it is at hand).

Set ``DESKTOP_OCR_DS_REF_V1`` / ``DESKTOP_OCR_DS_REF_V2`` to a folder holding the official remote code
(modeling_deepseekocr.py / modeling_deepseekocr2.py and their siblings; relative imports are fine).
The code is only run from there, never copied into the project. ``infer(eval_mode=True)`` runs with a
recording ``generate`` on the CPU; input ids, image mask, image tensors (bitwise, dtype included) and
the crop grid must be identical for several page sizes, every mode and several prompts.
"""

from __future__ import annotations

import importlib
import os
import random
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.torch

PROMPTS = [
    "<image>\n<|grounding|>Convert the document to markdown. ",
    "<image>\nLocate <|ref|>foo bar<|/ref|> in the image. ",
    "<image>\nFree OCR. ",
]
SIZES = [(1240, 1754), (1754, 1240), (600, 500), (769, 300), (2000, 2000), (333, 1200), (6000, 900)]
V1_MODES = {"tiny": (512, 512, False), "small": (640, 640, False), "base": (1024, 1024, False),
            "large": (1280, 1280, False), "gundam": (1024, 640, True)}  # fmt: skip
V2_MODES = {"base": (1024, 1024, False), "gundam": (1024, 768, True)}


def _import_remote(folder: str, module: str):
    path = Path(folder).resolve()
    package = "dsref_" + module
    if package not in sys.modules:
        spec = importlib.machinery.ModuleSpec(package, None, is_package=True)
        pkg = importlib.util.module_from_spec(spec)
        pkg.__path__ = [str(path)]
        sys.modules[package] = pkg
    return importlib.import_module(f"{package}.{module}")


def _page(w: int, h: int, rnd: random.Random) -> Image.Image:
    im = Image.new("RGB", (w, h), (rnd.randint(0, 255),) * 3)
    for _ in range(20):
        x, y = rnd.randint(0, w - 1), rnd.randint(0, h - 1)
        colour = (rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(0, 255))
        im.paste(colour, (x, y, min(w, x + rnd.randint(5, 300)), min(h, y + rnd.randint(5, 300))))
    return im


def _compare(tmp_path, standin_checkpoint, env: str, module: str, cls: str, version: str, modes) -> None:
    folder = os.environ.get(env)
    if not folder:
        pytest.skip(f"set {env} to the official remote code folder to compare with infer()")
    import torch
    from transformers import AutoTokenizer

    from desktop_ocr.engine.deepseek.generation import PageRequest, prepare_batch
    from desktop_ocr.engine.deepseek.runtime import preserve_torch_init, redirect_cuda

    ref_cls = getattr(_import_remote(folder, module), cls)
    tokenizer = AutoTokenizer.from_pretrained(standin_checkpoint)
    captured: dict = {}

    class Recorder:
        def disable_torch_init(self):
            pass

        def generate(self, input_ids, **kwargs):
            captured.update(kwargs, input_ids=input_ids)
            return torch.cat([input_ids, torch.tensor([[1]])], 1)

    rnd = random.Random(11)
    compared = 0
    for w, h in SIZES:
        path = tmp_path / f"page_{w}x{h}.png"
        _page(w, h, rnd).save(path)
        for mode, (base, size, crop) in modes.items():
            for prompt in PROMPTS:
                captured.clear()
                with redirect_cuda("cpu"), preserve_torch_init():
                    ref_cls.infer(Recorder(), tokenizer, prompt=prompt, image_file=str(path), output_path=str(tmp_path),
                                  base_size=base, image_size=size, crop_mode=crop, eval_mode=True)  # fmt: skip
                with Image.open(path) as im:
                    batch = prepare_batch(tokenizer, [PageRequest(im, prompt, mode)], version)
                crops, glob = captured["images"][0]
                where = (w, h, mode, prompt)
                assert torch.equal(captured["input_ids"], batch.input_ids), where
                assert torch.equal(captured["images_seq_mask"], batch.images_seq_mask), where
                assert torch.equal(glob, batch.images[0].global_tensor) and glob.dtype == torch.bfloat16, (
                    where
                )
                assert torch.equal(crops, batch.images[0].crops_tensor), where
                assert crops.dtype == batch.images[0].crops_tensor.dtype, where
                assert torch.equal(captured["images_spatial_crop"], batch.images_spatial_crop), where
                compared += 1
    assert compared == len(SIZES) * len(modes) * len(PROMPTS)


def test_inputs_equal_official_infer_v1(tmp_path, standin_checkpoint):
    _compare(tmp_path, standin_checkpoint, "DESKTOP_OCR_DS_REF_V1", "modeling_deepseekocr",
             "DeepseekOCRForCausalLM", "v1", V1_MODES)  # fmt: skip


def test_inputs_equal_official_infer_v2(tmp_path, standin_checkpoint):
    _compare(tmp_path, standin_checkpoint, "DESKTOP_OCR_DS_REF_V2", "modeling_deepseekocr2",
             "DeepseekOCR2ForCausalLM", "v2", V2_MODES)  # fmt: skip


@pytest.mark.slow
def test_batched_equals_single_with_official_code_v1(tmp_path, standin_checkpoint):
    """The official v1 code with a reduced decoder and random weights, fp32 on the CPU: the engine's
    left-padded batch gives the same tokens as one page at a time (pages of different prompt lengths)."""
    folder = os.environ.get("DESKTOP_OCR_DS_REF_V1")
    if not folder:
        pytest.skip("set DESKTOP_OCR_DS_REF_V1 to the official remote code folder")
    import json
    import shutil

    import torch
    from PIL import ImageDraw
    from transformers import AutoConfig, AutoModel

    from desktop_ocr.engine.deepseek.generation import PageRequest, generate_pages
    from desktop_ocr.engine.deepseek.loader import load_model

    ck = tmp_path / "reduced"
    ck.mkdir()
    for src in Path(folder).glob("*.py"):
        shutil.copy(src, ck / src.name)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(standin_checkpoint / name, ck / name)
    config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    small = {"num_hidden_layers": 2, "n_routed_experts": 8, "num_experts_per_tok": 2, "intermediate_size": 512,
             "moe_intermediate_size": 128}  # fmt: skip
    config.update(small)
    config.get("language_config", {}).update(small)
    (ck / "config.json").write_text(json.dumps(config), encoding="utf-8")
    torch.manual_seed(0)
    model = AutoModel.from_config(
        AutoConfig.from_pretrained(ck, trust_remote_code=True), trust_remote_code=True
    )
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lm_head" in name or "embed_tokens" in name:
                param.normal_(0, 0.5)  # sharper logits: fewer near-ties
    model.save_pretrained(ck, safe_serialization=True)
    del model
    lm = load_model(ck, trust_remote_code=True, device="cpu", dtype=torch.float32)

    def page(w, h, seed):
        rnd = random.Random(seed)
        im = Image.new("RGB", (w, h), "white")
        draw = ImageDraw.Draw(im)
        for _ in range(40):
            draw.text(
                (rnd.randint(0, w - 50), rnd.randint(0, h - 20)), f"word{rnd.randint(0, 999)}", fill="black"
            )
        return im

    prompt = "<image>\n<|grounding|>Convert the document to markdown. "
    reqs = [
        PageRequest(page(1240, 1754, 1), prompt, "tiny", max_new_tokens=8),
        PageRequest(page(800, 600, 2), prompt, "small", max_new_tokens=8),
        PageRequest(page(900, 1200, 3), "<image>\nFree OCR. ", "tiny", max_new_tokens=8),
    ]
    singles = [generate_pages(lm.model, lm.tokenizer, [r], ngram=None)[0] for r in reqs]
    batched = generate_pages(lm.model, lm.tokenizer, reqs, ngram=None)
    assert len({g.prompt_tokens for g in batched}) == 3
    assert [g.token_ids for g in batched] == [g.token_ids for g in singles]
