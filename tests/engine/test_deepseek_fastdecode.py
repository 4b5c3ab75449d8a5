"""The fast decoder (static KV cache, continuous batching) on the CPU.

The bans are checked against the implementations they stand in for; the decoder itself needs a model
with the remote code's decoder layers: with the stand-in it must refuse cleanly (one log line, the
engine keeps ``generate()``); with the real v1 remote code (``DESKTOP_OCR_REMOTE_CODE`` pointing at a
folder holding it, never part of this repository) a tiny random checkpoint is built and the static
decoder's ids are compared with ``generate_pages``' (the model's own ``generate()``) in float32.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.torch

ROOT = Path(__file__).resolve().parents[2]


def _random_rows(rng: random.Random, rows: int, length: int, vocab: int) -> list[list[int]]:
    return [[rng.randrange(vocab) for _ in range(length)] for _ in range(rows)]


@pytest.mark.parametrize("n,window,length", [(3, 12, 30), (2, 5, 4), (1, 4, 9), (4, 20, 40)])
def test_ban_window_equals_the_windowed_processor(n: int, window: int, length: int) -> None:
    import torch

    from desktop_ocr.engine.deepseek.fastdecode import ban_window
    from desktop_ocr.engine.deepseek.ngram import WindowedNGramBan

    rng = random.Random(n * 100 + window)
    vocab = 3  # small: n-grams repeat, so bans happen
    gen = torch.tensor(_random_rows(rng, 5, length, vocab))
    prompt = torch.full((5, 7), 5)
    scores = torch.randn(5, vocab)
    ref = WindowedNGramBan(n, window, prompt_length=7, whitelist=[4])(
        torch.cat([prompt, gen], 1), scores.clone()
    )
    tail = torch.full((5, window), -1, dtype=torch.long)
    keep = gen[:, -window:]
    tail[:, window - keep.shape[1] :] = keep
    got = ban_window(scores.clone(), tail, n, torch.tensor([4]))
    assert torch.equal(torch.isinf(ref), torch.isinf(got))
    assert torch.isinf(ref).any() or length < n  # the check saw bans


@pytest.mark.parametrize("n", [1, 2, 3])
def test_ban_whole_equals_transformers_no_repeat_ngram(n: int) -> None:
    import torch
    from transformers import NoRepeatNGramLogitsProcessor

    from desktop_ocr.engine.deepseek.fastdecode import ban_whole

    rng = random.Random(n)
    vocab = 2
    lengths = [9, 14, 3]
    rows = _random_rows(rng, 3, max(lengths), vocab)
    hist = torch.full((3, 20), -1, dtype=torch.long)
    for i, (row, ln) in enumerate(zip(rows, lengths)):
        hist[i, :ln] = torch.tensor(row[:ln])
    scores = torch.randn(3, vocab)
    got = ban_whole(scores.clone(), hist, torch.tensor(lengths), n)
    proc = NoRepeatNGramLogitsProcessor(n)
    for i, ln in enumerate(lengths):
        ref = proc(torch.tensor([rows[i][:ln]]), scores[i : i + 1].clone())
        assert torch.equal(torch.isinf(ref[0]), torch.isinf(got[i])), i
    assert torch.isinf(got).any()


def test_standin_model_is_refused_with_a_log_line(standin_checkpoint, caplog) -> None:
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine
    from desktop_ocr.engine.deepseek.fastdecode import create_decoder

    eng = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, fast_decode=True)
    with caplog.at_level(logging.INFO, logger="desktop_ocr.engine.deepseek"):
        eng.load()
    try:
        assert eng._fast is None
        assert any("fast decoder off" in r.getMessage() for r in caplog.records)
        assert create_decoder(eng.loaded_model.model, 2, 64) is None
        # The engine still reads through generate().
        from desktop_ocr.engine.base import PageInput, ReadOptions
        from desktop_ocr.model.result import PageResult

        (res,) = eng.read([PageInput("p", Image.new("RGB", (640, 640), "white"), ReadOptions())])
        assert isinstance(res, PageResult)
    finally:
        eng.unload()


REMOTE = os.environ.get("DESKTOP_OCR_REMOTE_CODE")


@pytest.fixture(scope="module")
def tiny_real(tmp_path_factory):
    if not REMOTE:
        pytest.skip("DESKTOP_OCR_REMOTE_CODE is not set (the model's own remote code is needed)")
    import torch

    sys.path.insert(0, str(ROOT / "scripts"))
    import dsocr_checkpoint as ckpt

    from desktop_ocr.engine.deepseek.loader import load_model

    folder = tmp_path_factory.mktemp("tiny_real")
    ckpt.ensure_checkpoint(Path(REMOTE), folder, tiny=True, device="cpu")
    return load_model(folder, device="cpu", dtype=torch.float32, trust_remote_code=True)


def _tiny_requests(caps: list[int]) -> list:
    from desktop_ocr.engine.base import ReadOptions
    from desktop_ocr.engine.deepseek.generation import PageRequest

    prompt = ReadOptions().prompt_text()
    colours = ["white", "black", (90, 140, 200), (200, 30, 30)]
    out = []
    for i, cap in enumerate(caps):
        img = Image.new("RGB", (300 + 40 * i, 420), colours[i % len(colours)])
        out.append(PageRequest(img, prompt, "tiny", cap))
    return out


@pytest.mark.parametrize("moe", ["dense", "gather"])
@pytest.mark.parametrize("ban", [{"hf_no_repeat_ngram_size": 3}, {"ngram": (2, 6)}])
def test_static_decoder_equals_generate_with_slots_reused(tiny_real, moe, ban) -> None:
    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.generation import generate_pages

    lm = tiny_real
    reqs = _tiny_requests([9, 25, 5, 14])
    ref = [generate_pages(lm.model, lm.tokenizer, [r], version=lm.version, **ban)[0] for r in reqs]
    dec = fastdecode.create_decoder(lm.model, 2, 600, moe=moe)  # 4 pages through 2 slots
    assert dec is not None and not dec.graphs
    done: list[int] = []
    got = fastdecode.run_pages(
        dec, lm.tokenizer, reqs, version=lm.version, on_done=lambda i, g: done.append(i), **ban
    )
    assert [g.token_ids for g in got] == [r.token_ids for r in ref]
    assert [g.text for g in got] == [r.text for r in ref]
    assert [g.completion for g in got] == [r.completion for r in ref]
    for g, r in zip(got, ref):  # the probability of each chosen token, as generate_pages records it
        assert len(g.token_probs) == len(g.token_ids)
        assert g.token_probs == pytest.approx(r.token_probs, abs=1e-5)
    assert sorted(done) == [0, 1, 2, 3] and done != [0, 1, 2, 3]  # short pages end first


def test_static_decoder_streams_and_cancels(tiny_real) -> None:
    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.generation import GenerationCancelled
    from desktop_ocr.model.result import Completion

    lm = tiny_real
    reqs = _tiny_requests([40, 40, 40])
    dec = fastdecode.create_decoder(lm.model, 1, 600)
    cancel = threading.Event()
    texts: dict[int, str] = {}

    def on_text(i: int, delta: str) -> None:
        texts[i] = texts.get(i, "") + delta
        if len(texts[i]) > 5:
            cancel.set()

    got = fastdecode.run_pages(dec, lm.tokenizer, reqs, version=lm.version, on_text=on_text, cancel=cancel)
    assert got[0].completion is Completion.CANCELLED
    assert got[0].text.startswith(texts[0]) and texts[0]
    assert all(isinstance(g, GenerationCancelled) for g in got[1:])


class _ReplayGraph:
    """Stands in for a CUDA graph on the CPU: replay() re-runs the captured function into its output."""

    def __init__(self, fn, out) -> None:
        self.fn, self.out = fn, out

    def replay(self) -> None:
        got = self.fn()
        if self.out is not None:
            self.out.copy_(got)


def test_piecewise_step_is_exact_and_its_pieces_share_only_buffers(tiny_real) -> None:
    """Batch 1 runs piecewise (attention over exactly the written positions); replaying the pieces as
    graphs (here: re-run into their first outputs) gives the ids generate_pages gives."""
    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.generation import generate_pages

    lm = tiny_real
    reqs = _tiny_requests([12, 30, 7])
    ref = [generate_pages(lm.model, lm.tokenizer, [r], version=lm.version, ngram=(2, 6))[0] for r in reqs]
    dec = fastdecode.create_decoder(lm.model, 1, 600)
    assert dec is not None and dec.exact(1) and not dec.exact(2)
    assert dec.window(700, 1) == 701 and dec.window(700, 2) == 1024
    captured: list[int] = []

    def fake_graph(fn):
        tail = dec.tail.clone()
        out = fn()  # a real capture runs nothing: undo the ban's record of the choice
        dec.tail.copy_(tail)
        captured.append(1)
        return _ReplayGraph(fn, out), out

    dec.graphs = True
    dec._graph = fake_graph
    got = fastdecode.run_pages(dec, lm.tokenizer, reqs, version=lm.version, ngram=(2, 6))
    assert len(captured) == len(dec.layers) + 1  # once: one piece per layer boundary, for batch 1
    assert [g.token_ids for g in got] == [r.token_ids for r in ref]
    assert [g.text for g in got] == [r.text for r in ref]
