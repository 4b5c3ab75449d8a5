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
def tiny_folder(tmp_path_factory):
    if not REMOTE:
        pytest.skip("DESKTOP_OCR_REMOTE_CODE is not set (the model's own remote code is needed)")
    sys.path.insert(0, str(ROOT / "scripts"))
    import dsocr_checkpoint as ckpt

    folder = tmp_path_factory.mktemp("tiny_real")
    ckpt.ensure_checkpoint(Path(REMOTE), folder, tiny=True, device="cpu")
    return folder


@pytest.fixture(scope="module")
def tiny_real(tiny_folder):
    import torch

    from desktop_ocr.engine.deepseek.loader import load_model

    return load_model(tiny_folder, device="cpu", dtype=torch.float32, trust_remote_code=True)


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


# -- repetition loops ---------------------------------------------------------------------------


def test_loop_at_finds_a_repeated_line_and_leaves_other_text_alone() -> None:
    from desktop_ocr.engine.deepseek.repetition import LoopGuard, loop_at

    rng = random.Random(3)
    text = [rng.randrange(5000) for _ in range(600)]
    assert loop_at(text, 384, 128) is None
    unit = [rng.randrange(5000) for _ in range(37)]
    looping = text[:200] + unit * 12  # 444 tokens of one 37-token line
    found = loop_at(looping, 384, 128)
    assert found is not None and found.period == 37 and found.span >= 384
    assert loop_at(text[:200] + unit * 9, 384, 128) is None  # 333 repeated tokens: not yet
    long_unit = [rng.randrange(5000) for _ in range(150)]
    assert loop_at(text[:50] + long_unit * 4, 384, 128) is None  # period above max_period
    cells = [128821, 128822] * 300  # empty cells, 600 tokens: a loop of period 2
    assert loop_at(text[:10] + cells, 384, 128).period == 2
    guard = LoopGuard(384, 128, every=32)
    hits = [n for n in range(1, len(looping) + 1) if guard.check(looping[:n])]
    assert hits and all(n % 32 == 0 for n in hits) and hits[0] <= len(looping)


def _loop_at_reference(tokens, min_span, max_period):
    """loop_at as first written: every period compared in full, shortest first."""
    from desktop_ocr.engine.deepseek.repetition import Loop

    max_period = max(1, int(max_period))
    need_longest = max(int(min_span), 3 * max_period)
    if len(tokens) < int(min_span) + 1:
        return None
    tail = tokens[-(need_longest + max_period) :]
    n = len(tail)
    for p in range(1, min(max_period, n - 1) + 1):
        need = max(int(min_span), 3 * p)
        if need + p > n:
            break
        if tail[n - need :] == tail[n - need - p : n - p]:
            run = 0
            while run < n - p and tail[n - 1 - run] == tail[n - 1 - run - p]:
                run += 1
            return Loop(p, max(run, need))
    return None


@pytest.mark.parametrize("seed", range(6))
def test_loop_at_equals_the_full_comparison_of_every_period(seed: int) -> None:
    """The vectorised pre-filter of loop_at drops only periods that cannot loop: on sequences built to
    nearly loop (small vocabularies, repeated units with a changed token, short spans), loop_at gives
    the result of comparing every period in full."""
    from desktop_ocr.engine.deepseek.repetition import loop_at

    rng = random.Random(seed)
    found = 0
    for _ in range(300):
        vocab = rng.choice([2, 3, 5, 50])
        min_span, max_period = rng.choice([(384, 128), (5, 4), (2, 7), (40, 16), (1, 3)])
        unit = [rng.randrange(vocab) for _ in range(rng.randint(1, max_period + 3))]
        body = [rng.randrange(vocab) for _ in range(rng.randint(0, 60))]
        tokens = body + unit * rng.randint(1, 600 // len(unit) + 2)
        if tokens and rng.random() < 0.4:
            tokens[-rng.randint(1, min(len(tokens), 12))] = rng.randrange(vocab)
        want = _loop_at_reference(tokens, min_span, max_period)
        assert loop_at(tokens, min_span, max_period) == want, (min_span, max_period, len(tokens))
        found += want is not None
    assert found > 30


def test_run_pages_ends_a_looping_page_and_gives_its_slot_to_the_next(tiny_real, caplog) -> None:
    """A model whose head is zeroed picks token 0 at every step (a loop of period 1, as a real loop
    would repeat a line): the guard ends each page once the repetition spans ``min_span`` tokens,
    marks it and logs it, and the next page gets the one slot at once."""
    import torch

    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.generation import Generated
    from desktop_ocr.model.result import Completion

    lm = tiny_real
    reqs = _tiny_requests([300, 300])
    saved = lm.model.lm_head.weight.detach().clone()
    try:
        with torch.no_grad():
            lm.model.lm_head.weight.zero_()
        dec = fastdecode.create_decoder(lm.model, 1, 600)
        free = fastdecode.run_pages(dec, lm.tokenizer, reqs, version=lm.version, loop_guard=None)
        assert [len(g.token_ids) for g in free] == [300, 300]  # unguarded: each burns its whole cap
        stats: dict = {}
        with caplog.at_level(logging.WARNING, logger="desktop_ocr.engine.deepseek"):
            got = fastdecode.run_pages(
                dec, lm.tokenizer, reqs, version=lm.version, loop_guard=(24, 8), stats=stats
            )
    finally:
        with torch.no_grad():
            lm.model.lm_head.weight.copy_(saved)
    assert all(isinstance(g, Generated) for g in got)
    for g, f in zip(got, free):
        assert g.completion is Completion.INCOMPLETE and g.token_ids == f.token_ids[: len(g.token_ids)]
        assert len(g.token_ids) == 32  # checked every 32 tokens: the first check past 24 repeats
        assert g.extra["repetition"] == {"period": 1, "span": 31, "at_token": 32}
    assert stats["steps"] < 70 and stats.get("loops") == 2  # the second page did not wait 300 steps
    assert sum("repeats a 1-token sequence" in r.getMessage() for r in caplog.records) == 2


# -- the lean step (fewer kernels, same arithmetic) --------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_lean_step_is_bit_identical_to_the_plain_step(tiny_real, dtype) -> None:
    import torch

    from desktop_ocr.engine.deepseek import fastdecode

    lm = tiny_real
    model = lm.model.to(getattr(torch, dtype))
    try:
        plain = fastdecode.create_decoder(model, 2, 600, lean=False)
        lean = fastdecode.create_decoder(model, 2, 600, lean=True)
        assert lean.shared_rope and not plain.shared_rope
        gen = torch.Generator().manual_seed(5)
        for dec in (plain, lean):  # the same cache contents
            for layer in range(len(dec.layers)):
                dec.k[layer].copy_(torch.randn(dec.k[layer].shape, generator=gen).to(dec.k[layer].dtype))
                dec.v[layer].copy_(torch.randn(dec.v[layer].shape, generator=gen).to(dec.v[layer].dtype))
            gen.manual_seed(5)
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bfloat16"):
            for step in range(6):
                tok = torch.tensor([11 + step, 7 * step + 3])
                pos = torch.tensor([40 + step, 90 + step])
                a = plain.step(tok[:1], pos[:1], 1, int(pos[0]) + 1)  # batch 1: piecewise, exact window
                b = lean.step(tok[:1], pos[:1], 1, int(pos[0]) + 1)
                assert torch.equal(a, b), step
                a2 = plain.step(tok, pos, 2, 512)
                b2 = lean.step(tok, pos, 2, 512)
                assert torch.equal(a2, b2), step
    finally:
        model.to(torch.float32)


# -- the engine's feed: continuous batching for the app -------------------------------------------------


def test_engine_read_feed_reports_each_page_as_it_ends_with_streaming_and_errors(tiny_folder) -> None:
    """Through ``read_feed`` (what the reading service calls) the fast decoder draws pages from the
    feed and reports each the moment it ends: a short page taken after a long one is done first, a
    page with a mode the model lacks fails alone, and the streamed text is the page's text."""
    import torch

    from desktop_ocr.engine.base import PageFailure, PageFeed, PageInput, ReadOptions
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine
    from desktop_ocr.model.result import PageResult

    eng = DeepSeekOCREngine(
        tiny_folder, trust_remote_code=True, fast_decode=True, batch_size=2, dtype=torch.float32, ngram=(2, 6)
    )
    eng.load()
    try:
        assert eng._fast is not None
        caps = {"long": 40, "short": 6, "bad": 5, "mid": 12}
        pages = [
            PageInput(
                k, Image.new("RGB", (300 + 30 * i, 420), "white"), ReadOptions(mode="tiny", max_new_tokens=c)
            )
            for i, (k, c) in enumerate(caps.items())
        ]
        pages[2] = PageInput("bad", pages[2].image, ReadOptions(mode="huge", max_new_tokens=5))
        queue = list(pages)
        events: list[tuple[str, str]] = []
        done: dict[str, object] = {}
        texts: dict[str, str] = {}

        def take():
            page = queue.pop(0) if queue else None
            events.append(("take", page.key if page else "-"))
            return page

        def report(key, outcome):
            events.append(("done", key))
            assert key not in done
            done[key] = outcome

        def on_text(key, delta):
            texts[key] = texts.get(key, "") + delta

        eng.read_feed(PageFeed(take, report, on_text=on_text))
        assert set(done) == set(caps)
        assert isinstance(done["bad"], PageFailure) and "Huge" in done["bad"].message
        for key in ("long", "short", "mid"):
            res = done[key]
            assert isinstance(res, PageResult), res
            assert res.generated_tokens <= caps[key] and texts.get(key, "") == res.raw
        order = [k for e, k in events if e == "done"]
        assert order.index("short") < order.index("long") and order.index("mid") < order.index("long")
        # The same pages through read() give the same text.
        again = eng.read([p for p in pages if p.key != "bad"])
        assert [r.raw for r in again] == [done[k].raw for k in ("long", "short", "mid")]
    finally:
        eng.unload()


def test_engine_read_feed_cancel_stops_every_page_in_flight(tiny_folder) -> None:
    import torch

    from desktop_ocr.engine.base import PageFeed, PageInput, ReadOptions
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine
    from desktop_ocr.model.result import Completion, PageResult

    eng = DeepSeekOCREngine(
        tiny_folder, trust_remote_code=True, fast_decode=True, batch_size=2, dtype=torch.float32
    )
    eng.load()
    try:
        pages = [
            PageInput(
                f"p{i}", Image.new("RGB", (320, 420), "white"), ReadOptions(mode="tiny", max_new_tokens=400)
            )
            for i in range(3)
        ]
        queue = list(pages)
        done: dict[str, object] = {}
        cancel = threading.Event()
        counts: dict[str, int] = {}

        def on_text(key, delta):
            counts[key] = counts.get(key, 0) + 1
            if counts[key] >= 3:
                cancel.set()

        eng.read_feed(
            PageFeed(lambda: queue.pop(0) if queue else None, done.__setitem__, on_text=on_text),
            cancel=cancel,
        )
        assert set(done) == {"p0", "p1", "p2"}
        for key, res in done.items():
            if isinstance(res, PageResult):
                assert res.completion is Completion.CANCELLED and res.generated_tokens < 50, key
            else:
                assert res.reason == "cancelled", key
    finally:
        eng.unload()


_VARLEN_CHECK = r"""
import math, torch
from desktop_ocr.engine.deepseek.decode_attention import attend
torch.manual_seed(0)
B, H, T, D = 3, 2, 200, 16
k, v = torch.randn(B, H, T, D), torch.randn(B, H, T, D)
lengths = torch.tensor([1, 77, 200])
for b in range(B):  # what lies beyond a row's length must not matter
    k[b, :, int(lengths[b]):] = float("nan")
    v[b, :, int(lengths[b]):] = 1e30
q = torch.randn(B, 2 * H, 1, D)[:, :H]  # a strided view, as the decoder passes it
out = torch.zeros(B, H, 1, D)
attend(q, k, v, lengths, out, block=32)
for b in range(B):
    n = int(lengths[b])
    w = torch.softmax(torch.matmul(q[b:b+1], k[b:b+1, :, :n].transpose(2, 3)) / math.sqrt(D), -1)
    ref = torch.matmul(w, v[b:b+1, :, :n])
    assert torch.allclose(ref, out[b:b+1], atol=1e-5, rtol=1e-5), (b, (ref - out[b:b+1]).abs().max())
print("varlen ok")
"""


def test_varlen_attention_reads_each_row_over_its_own_length() -> None:
    """The Triton decode-attention kernel, run by Triton's interpreter on the CPU: each row attends
    over exactly its own positions (NaN and huge values beyond them change nothing)."""
    import subprocess

    pytest.importorskip("triton")
    env = {**os.environ, "TRITON_INTERPRET": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _VARLEN_CHECK], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0 and "varlen ok" in proc.stdout, proc.stderr[-2000:]


# -- exact rows: a batch whose every row computes what that row computes alone -------------------------


def test_exact_rows_step_gives_each_row_its_batch1_logits(tiny_real, monkeypatch) -> None:
    """With ``exact_rows``, a step over several rows of very different lengths attends each row over
    exactly its own positions with the batch-1 ops and gathers each row's experts, so every row's
    logits equal those of the same row stepped alone (slot 0, batch 1) on the same cache contents;
    the padded step over the longest row's window (the old path) is checked to differ, so the
    comparison can see a change. The H200's cuBLAS linears give a row the same bits for 1..256 rows
    (fidelity_check --kernel-map); the CPU's BLAS does not, so here each linear runs row by row.
    float32 only: the CPU's bfloat16 kernels change a row's bits with the row count elsewhere too (the
    bf16 case is measured on the H200 by fidelity_check --batches)."""
    dtype = "float32"
    import torch

    from desktop_ocr.engine.deepseek import fastdecode

    linear = torch.nn.functional.linear

    def by_row(x, weight, bias=None):
        flat = x.reshape(-1, x.shape[-1])
        out = torch.cat([linear(flat[i : i + 1], weight, bias) for i in range(flat.shape[0])])
        return out.reshape(*x.shape[:-1], weight.shape[0])

    monkeypatch.setattr(torch.nn.functional, "linear", by_row)
    lm = tiny_real
    model = lm.model.to(getattr(torch, dtype))
    try:
        rows = fastdecode.create_decoder(model, 4, 600, moe="gather")  # default: every step exact
        alone = fastdecode.create_decoder(model, 4, 600, moe="gather", exact_rows=0)
        padded = fastdecode.create_decoder(model, 4, 600, moe="gather", attention="padded", exact_rows=0)
        assert rows.exact(4) and not alone.exact(4)
        gen = torch.Generator().manual_seed(9)
        layers = range(len(rows.layers))
        k = [torch.randn(rows.k[i].shape, generator=gen).to(rows.k[i].dtype) for i in layers]
        v = [torch.randn(rows.v[i].shape, generator=gen).to(rows.v[i].dtype) for i in layers]
        tok = torch.tensor([11, 7, 300, 42])
        pos = torch.tensor([3, 250, 90, 17])
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bfloat16"):
            for dec in (rows, padded):
                for i in layers:
                    dec.k[i].copy_(k[i])
                    dec.v[i].copy_(v[i])
            got = rows.step(tok, pos, 4, int(pos.max()) + 1, [int(p) + 1 for p in pos]).clone()
            other = padded.step(tok, pos, 4, 512).clone()
            for r in range(4):
                for i in layers:  # row r's cache in slot 0 of the single-row decoder
                    alone.k[i][0].copy_(k[i][r])
                    alone.v[i][0].copy_(v[i][r])
                one = alone.step(tok[r : r + 1], pos[r : r + 1], 1, int(pos[r]) + 1)
                assert torch.equal(got[r], one[0]), r
        assert not torch.equal(got, other)
    finally:
        model.to(torch.float32)


# -- batch-invariant whole-step graphs: a row's bits whatever its batch ---------------------------------

_INVARIANT_CHECK = r"""
import sys, torch
from desktop_ocr.engine.deepseek import fastdecode
from desktop_ocr.engine.deepseek.loader import load_model

folder, dtype_name, expect_varlen = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
dtype = getattr(torch, dtype_name)
linear, matmul, bmm = torch.nn.functional.linear, torch.matmul, torch.bmm

def by_row(fn):
    # The H200's cuBLAS products give a row the same bits for 1..256 rows (fidelity_check
    # --kernel-map); the CPU's BLAS does not, so here every product runs row by row.
    def wrapped(x, w, *a, **kw):
        if x.dim() == 2 and x.shape[0] > 1:
            return torch.cat([fn(x[i : i + 1], w, *a, **kw) for i in range(x.shape[0])])
        if x.dim() == 3 and x.shape[1] > 1 and w.dim() == 3:  # bmm [E, rows, I] x [E, I, H]
            return torch.cat([fn(x[:, i : i + 1], w, *a, **kw) for i in range(x.shape[1])], dim=1)
        return fn(x, w, *a, **kw)
    return wrapped

def linear_rows(x, weight, bias=None):
    flat = x.reshape(-1, x.shape[-1])
    out = torch.cat([linear(flat[i : i + 1], weight, bias) for i in range(flat.shape[0])])
    return out.reshape(*x.shape[:-1], weight.shape[0])

torch.nn.functional.linear = linear_rows
torch.matmul = by_row(matmul)
torch.bmm = by_row(bmm)
fastdecode.DENSE_ROWS = 2  # the dense MLP in chunks, as from 65 rows on
lm = load_model(folder, device="cpu", dtype=dtype, trust_remote_code=True)
model = lm.model
dec = fastdecode.create_decoder(model, 8, 600, invariant=True)
old = fastdecode.create_decoder(model, 8, 600, exact_rows=0)  # the old fast path, for contrast
assert dec.invariant and dec.varlen == expect_varlen and not dec.exact(1) and not dec.gathers(1)
gen = torch.Generator().manual_seed(9)
layers = range(len(dec.layers))
k = [torch.randn(dec.k[i].shape, generator=gen).to(dtype) for i in layers]
v = [torch.randn(dec.v[i].shape, generator=gen).to(dtype) for i in layers]
tok = torch.tensor([11, 7, 300, 42, 5])
pos = torch.tensor([3, 250, 90, 17, 599])
with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == torch.bfloat16):
    for d in (dec, old):
        for i in layers:
            d.k[i].copy_(k[i]); d.v[i].copy_(v[i])
    b = len(tok)
    got = dec.step(tok, pos, b, dec.window(int(pos.max()), b)).clone()
    other = old.step(tok, pos, b, old.window(int(pos.max()), b)).clone()
    same_old = []
    for r in range(b):
        for d in (dec, old):  # row r's cache in slot 0, stepped alone
            for i in layers:
                d.k[i][0].copy_(k[i][r]); d.v[i][0].copy_(v[i][r])
        one = dec.step(tok[r : r + 1], pos[r : r + 1], 1, dec.window(int(pos[r]), 1))
        assert torch.equal(got[r], one[0]), (r, float((got[r] - one[0]).abs().max()))
        alone_old = old.step(tok[r : r + 1], pos[r : r + 1], 1, old.window(int(pos[r]), 1))
        same_old.append(bool(torch.equal(other[r], alone_old[0])))
print("invariant ok; old path's rows equal alone:", same_old)
"""


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
@pytest.mark.parametrize("interpret", [False, True], ids=["eager-rows", "triton-interpreter"])
def test_invariant_step_gives_each_row_its_batch1_bits(tiny_folder, dtype, interpret) -> None:
    """``invariant=True``: a step over 5 rows of very different lengths gives every row the logits
    of that row stepped alone (batch 1, slot 0, same cache contents), bit for bit, in float32 and in
    bfloat16 under autocast; with the Triton interpreter the rows attend through the varlen kernel
    (the path the GPU graphs take, batch 1 included), without it each row through the batch-1 ops.
    The products run row by row here (the CPU's BLAS is not row-invariant; the H200's cuBLAS is), which
    also makes the old fast path (``exact_rows=0``) invariant on the CPU for some of these cases: its
    batch dependence is the H200's attention kernels (round four), measured by fidelity_check there."""
    import subprocess

    if interpret:
        pytest.importorskip("triton")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRITON_INTERPRET", None)
    if interpret:
        env["TRITON_INTERPRET"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", _INVARIANT_CHECK, str(tiny_folder), dtype, "1" if interpret else "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0 and "invariant ok" in proc.stdout, (proc.stdout[-1000:], proc.stderr[-3000:])


def test_engine_decode_fastest_reads_with_the_invariant_decoder(tiny_folder) -> None:
    """The app's ``deepseek.decode`` choice reaches the decoder: "fastest" builds the batch-invariant
    one (which reads pages), "exact" the default one, and anything else is refused by name."""
    import torch

    from desktop_ocr.engine.base import PageInput, ReadOptions
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine
    from desktop_ocr.model.result import PageResult

    with pytest.raises(ValueError, match="quick"):
        DeepSeekOCREngine(tiny_folder, decode="quick")
    for decode in ("fastest", "exact"):
        eng = DeepSeekOCREngine(
            tiny_folder,
            trust_remote_code=True,
            fast_decode=True,
            batch_size=2,
            dtype=torch.float32,
            decode=decode,
        )
        eng.load()
        try:
            assert eng._fast is not None and eng._fast.invariant == (decode == "fastest")
            pages = [
                PageInput(
                    k,
                    Image.new("RGB", (300 + 40 * i, 420), "white"),
                    ReadOptions(mode="tiny", max_new_tokens=6),
                )
                for i, k in enumerate(("a", "b"))
            ]
            results = eng.read(pages)
            assert all(isinstance(r, PageResult) and r.generated_tokens > 0 for r in results), results
        finally:
            eng.unload()


# -- pipelined steps (a step launched before the previous one's tokens are read) -------------------


@pytest.mark.parametrize("ban", [{"hf_no_repeat_ngram_size": 3}, {"ngram": (2, 6)}])
def test_pipelined_steps_give_the_ids_of_steps_read_one_by_one(tiny_real, ban) -> None:
    """With pipelining the next step's input ids come from the device and a page that ends has one
    more step launched for it: the pages still get exactly the ids, probabilities and ends of steps
    read one at a time, with pages ending on their end-of-text id mid-batch and slots taken over."""
    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.model.result import Completion

    lm = tiny_real
    caps = [9, 25, 5, 14, 11, 20]
    reqs = _tiny_requests(caps)
    dec = fastdecode.create_decoder(lm.model, 2, 600)
    kw = dict(version=lm.version, **ban)
    plain = fastdecode.run_pages(dec, lm.tokenizer, reqs, pipeline=False, **kw)
    # An id that pages choose part-way: taken as the end-of-text id, those pages end there while a
    # step for them is already in flight.
    eos = plain[1].token_ids[3]
    want = fastdecode.run_pages(dec, lm.tokenizer, reqs, pipeline=False, eos_id=eos, **kw)
    ended = [
        w for w, cap in zip(want, caps) if w.completion is Completion.COMPLETE and len(w.token_ids) < cap
    ]
    assert ended  # the check below covers pages ending early, not only at their caps
    stats: dict = {}
    done: list[int] = []
    streamed: dict[int, str] = {}

    def on_text(i: int, delta: str) -> None:
        streamed[i] = streamed.get(i, "") + delta

    got = fastdecode.run_pages(
        dec,
        lm.tokenizer,
        reqs,
        pipeline=True,
        eos_id=eos,
        stats=stats,
        on_done=lambda i, g: done.append(i),
        on_text=on_text,
        **kw,
    )
    assert [g.token_ids for g in got] == [w.token_ids for w in want]
    assert [g.text for g in got] == [w.text for w in want]
    assert [g.completion for g in got] == [w.completion for w in want]
    for g, w in zip(got, want):
        assert g.token_probs == pytest.approx(w.token_probs, abs=1e-6)
    assert sorted(done) == list(range(len(reqs)))  # each page ends once
    # What was streamed is the page's text: nothing of the spare step after a page's end.
    assert [streamed.get(i, "") for i in range(len(reqs))] == [w.text for w in want]
    # No row is decoded past a page's cap: the rows are those of the plain run plus one spare for each
    # page that ended on its end-of-text id from a decode step before its cap.
    spares = [
        w for w, cap in zip(want, caps) if w.completion is Completion.COMPLETE and 2 <= len(w.token_ids) < cap
    ]
    again: dict = {}
    fastdecode.run_pages(dec, lm.tokenizer, reqs, pipeline=False, eos_id=eos, stats=again, **kw)
    assert stats["rows"] == again["rows"] + len(spares)
