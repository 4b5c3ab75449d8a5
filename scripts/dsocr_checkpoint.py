"""Build a DeepSeek-OCR checkpoint folder with random weights, for fidelity checks and benchmarks.

The folder holds: the model's remote code (copied from a folder the user names; it never enters this
repository), a ``config.json`` (the one found beside the remote code, or the official v1 values below),
a tokenizer made with the ``tokenizers`` library that carries the official special tokens at the
official ids and covers the model's whole vocabulary (129280 ids), and randomly initialised full-size
weights saved once as bf16 safetensors. Both sides of a comparison load this same folder, so a check
of token ids stays meaningful although the real tokenizer and weights are not used.

Also renders synthetic A4 pages with text (PIL), so every run sees the same images.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

VOCAB_SIZE = 129280
BOS, EOS, PAD = "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜▁pad▁｜>"

#: id -> (text, special), the added tokens of the official tokenizer from 128800 on.
_NAMED_TOKENS: dict[int, tuple[str, bool]] = {
    128800: ("<｜fim▁hole｜>", False),
    128801: ("<｜fim▁begin｜>", False),
    128802: ("<｜fim▁end｜>", False),
    128803: ("<｜User｜>", False),
    128804: ("<｜Assistant｜>", False),
    128805: ("<|EOT|>", True),
    128806: ("<｜tool▁calls▁begin｜>", False),
    128807: ("<｜tool▁calls▁end｜>", False),
    128808: ("<｜tool▁call▁begin｜>", False),
    128809: ("<｜tool▁call▁end｜>", False),
    128810: ("<｜tool▁outputs▁begin｜>", False),
    128811: ("<｜tool▁outputs▁end｜>", False),
    128812: ("<｜tool▁output▁begin｜>", False),
    128813: ("<｜tool▁output▁end｜>", False),
    128814: ("<｜tool▁sep｜>", False),
    128815: ("<image>", True),
    128816: ("<|ref|>", True),
    128817: ("<|/ref|>", True),
    128818: ("<|det|>", True),
    128819: ("<|/det|>", True),
    128820: ("<|grounding|>", True),
    128821: ("<td>", True),
    128822: ("</td>", True),
    128823: ("<tr>", True),
    128824: ("</tr>", True),
    128825: ("<|User|>", True),
    128826: ("<|Assistant|>", True),
}

#: The official v1 config (deepseek-ai/DeepSeek-OCR config.json), used when the remote-code folder has none.
_LANGUAGE = {
    "bos_token_id": 0,
    "eos_token_id": 1,
    "first_k_dense_replace": 1,
    "hidden_size": 1280,
    "intermediate_size": 6848,
    "kv_lora_rank": None,
    "lm_head": True,
    "max_position_embeddings": 8192,
    "moe_intermediate_size": 896,
    "n_group": 1,
    "n_routed_experts": 64,
    "n_shared_experts": 2,
    "num_attention_heads": 10,
    "num_experts_per_tok": 6,
    "num_hidden_layers": 12,
    "num_key_value_heads": 10,
    "q_lora_rank": None,
    "qk_nope_head_dim": 0,
    "qk_rope_head_dim": 0,
    "rm_head": False,
    "topk_group": 1,
    "topk_method": "greedy",
    "use_mla": False,
    "v_head_dim": 0,
    "vocab_size": VOCAB_SIZE,
}
V1_CONFIG: dict[str, Any] = {
    "_name_or_path": "deepseek-ai/DeepSeek-OCR",
    "candidate_resolutions": [[1024, 1024]],
    "global_view_pos": "head",
    "architectures": ["DeepseekOCRForCausalLM"],
    "auto_map": {
        "AutoConfig": "modeling_deepseekocr.DeepseekOCRConfig",
        "AutoModel": "modeling_deepseekocr.DeepseekOCRForCausalLM",
    },
    "language_config": dict(_LANGUAGE, architectures=["DeepseekV2ForCausalLM"], torch_dtype="bfloat16"),
    "model_type": "deepseek_vl_v2",
    "projector_config": {
        "input_dim": 2048,
        "model_type": "mlp_projector",
        "n_embed": 1280,
        "projector_type": "linear",
    },
    "tile_tag": "2D",
    "torch_dtype": "bfloat16",
    "transformers_version": "4.46.3",
    **_LANGUAGE,
}

#: Decoder sizes for a small CPU smoke run (the vision towers are hard-coded full size in the remote code).
TINY_DECODER = {
    "num_hidden_layers": 2,
    "intermediate_size": 512,
    "moe_intermediate_size": 128,
    "n_routed_experts": 8,
    "num_experts_per_tok": 2,
    "n_shared_experts": 1,
}


def build_tokenizer_files(folder: Path) -> None:
    """Write tokenizer.json, tokenizer_config.json and special_tokens_map.json into ``folder``."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    added: dict[int, tuple[str, bool]] = {0: (BOS, True), 1: (EOS, True), 2: (PAD, True)}
    for i in range(128000, 128800):
        added[i] = (f"<｜place▁holder▁no▁{i - 128000}｜>", True)
    added.update(_NAMED_TOKENS)

    byte_chars = pre_tokenizers.ByteLevel.alphabet()
    byte_chars.sort()
    vocab: dict[str, int] = {}
    next_byte = iter(byte_chars)
    for i in range(VOCAB_SIZE):
        if i in added:
            vocab[added[i][0]] = i
        elif 3 <= i < 3 + len(byte_chars):
            vocab[next(next_byte)] = i
        else:
            vocab[f"<f{i}>"] = i  # never produced by encoding; decodes to visible junk
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[], fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(
        [AddedToken(t, normalized=False, special=True) for _, (t, s) in sorted(added.items()) if s]
    )
    tok.add_tokens(
        [AddedToken(t, normalized=False, special=False) for _, (t, s) in sorted(added.items()) if not s]
    )
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))

    decoder_cfg = {
        str(i): {
            "content": t,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": s,
        }
        for i, (t, s) in sorted(added.items())
    }
    config = {
        "add_bos_token": True,
        "add_eos_token": False,
        "added_tokens_decoder": decoder_cfg,
        "additional_special_tokens": ["<|User|>", "<|Assistant|>"],
        "bos_token": BOS,
        "clean_up_tokenization_spaces": False,
        "eos_token": EOS,
        "legacy": True,
        "model_max_length": 8192,
        "pad_token": PAD,
        "tokenizer_class": "LlamaTokenizer",
        "unk_token": None,
        "use_default_system_prompt": False,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), "utf-8")
    special_map = {
        "additional_special_tokens": ["<|User|>", "<|Assistant|>"],
        "bos_token": BOS,
        "eos_token": EOS,
        "pad_token": PAD,
    }
    (folder / "special_tokens_map.json").write_text(
        json.dumps(special_map, ensure_ascii=False, indent=1), "utf-8"
    )


def prepare_folder(remote_code: Path, folder: Path, *, tiny: bool = False) -> dict[str, Any]:
    """Copy the remote code and write config + tokenizer into ``folder``; returns the config written."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(remote_code.glob("*.py")):
        shutil.copy2(src, folder / src.name)
    src_cfg = remote_code / "config.json"
    config: dict[str, Any] = json.loads(src_cfg.read_text("utf-8")) if src_cfg.exists() else dict(V1_CONFIG)
    if tiny:
        config.update(TINY_DECODER)
        config.setdefault("language_config", {}).update(TINY_DECODER)
    (folder / "config.json").write_text(json.dumps(config, indent=1), "utf-8")
    (folder / "generation_config.json").write_text(
        json.dumps({"_from_model_config": True, "bos_token_id": 0, "eos_token_id": 1}), "utf-8"
    )
    build_tokenizer_files(folder)
    return config


def has_weights(folder: Path) -> bool:
    return any(folder.glob("*.safetensors"))


def create_random_weights(folder: Path, *, seed: int = 1234, device: str = "cuda", gain: float = 4.0) -> None:
    """Instantiate the model from ``folder`` with seeded random weights and save them (bf16 safetensors).

    The decoder's linear layers and ``lm_head`` are multiplied by ``gain`` and the MoE routers drawn
    with std 0.5: with the stock init (std 0.02) the residual stream is dominated by the last token's
    embedding and every page decodes to one repeated token, which would make a fidelity check blind.
    """
    import torch
    from transformers import AutoConfig, AutoModel

    config = AutoConfig.from_pretrained(str(folder), trust_remote_code=True)
    torch.manual_seed(seed)
    random.seed(seed)
    with torch.device(device):
        model = AutoModel.from_config(config, trust_remote_code=True, torch_dtype=torch.bfloat16)
    if gain != 1.0:
        with torch.no_grad():
            for name, mod in model.named_modules():
                if isinstance(mod, torch.nn.Linear) and (
                    name.startswith("model.layers.") or name == "lm_head"
                ):
                    mod.weight.mul_(gain)
                elif name.endswith(".mlp.gate") and isinstance(getattr(mod, "weight", None), torch.Tensor):
                    mod.weight.normal_(0.0, 0.5)
    model.save_pretrained(str(folder), safe_serialization=True, max_shard_size="20GB")
    del model
    if device.startswith("cuda"):
        torch.cuda.empty_cache()


def ensure_checkpoint(
    remote_code: Path,
    folder: Path,
    *,
    tiny: bool = False,
    seed: int = 1234,
    device: str = "cuda",
    gain: float = 4.0,
) -> Path:
    """A ready checkpoint folder: code, config and tokenizer refreshed, weights created once."""
    prepare_folder(remote_code, folder, tiny=tiny)
    if not has_weights(folder):
        create_random_weights(folder, seed=seed, device=device, gain=gain)
    return folder


# --- synthetic pages --------------------------------------------------------------------------------

_WORDS = [
    "archive",
    "record",
    "court",
    "ledger",
    "page",
    "margin",
    "column",
    "table",
    "figure",
    "report",
    "letter",
    "invoice",
    "council",
    "survey",
    "minutes",
    "register",
    "deed",
    "estate",
    "witness",
    "parish",
    "harbour",
    "railway",
    "engine",
    "census",
    "clause",
    "section",
    "article",
    "volume",
    "index",
    "number",
    "date",
    "total",
    "amount",
    "signed",
    "copy",
    "original",
    "translation",
    "notes",
    "summary",
]


def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def render_page(seed: int, size: tuple[int, int] = (1240, 1754)):  # type: ignore[no-untyped-def]
    """An A4 page (150 dpi by default) with a title and paragraphs of seeded words."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    margin = int(w * 0.09)
    title = " ".join(rng.choice(_WORDS).capitalize() for _ in range(rng.randint(3, 6)))
    draw.text((margin, int(h * 0.06)), title, fill="black", font=_font(max(12, w // 30)))
    body = _font(max(10, w // 55))
    y = int(h * 0.12)
    line_h = int(w // 55 * 1.6)
    while y < h * 0.92:
        n_lines = rng.randint(3, 8)
        for _ in range(n_lines):
            words, line = [], ""
            while True:
                nxt = (line + " " + rng.choice(_WORDS)).strip()
                if draw.textlength(nxt, font=body) > w - 2 * margin:
                    break
                line = nxt
            words.append(line)
            draw.text((margin, y), line, fill="black", font=body)
            y += line_h
            if y > h * 0.92:
                break
        y += line_h
    return img


def write_pages(folder: Path, n: int, size: tuple[int, int] = (1240, 1754)) -> list[Path]:
    """Render ``n`` pages into ``folder`` as PNG (kept if already there); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"page_{size[0]}x{size[1]}_{i:03d}.png"
        if not p.exists():
            render_page(1000 + i, size).save(p)
        paths.append(p)
    return paths
