"""The windowed no-repeat n-gram ban: same bans as the official vLLM processor, batched, <td> exempt."""

from __future__ import annotations

import random

import pytest

pytestmark = pytest.mark.torch

TD, TD_CLOSE = 128821, 128822


def reference_bans(generated: list[int], n: int, window: int, whitelist: set[int]) -> set[int]:
    """The official processor's rule, written out plainly (generated tokens only)."""
    if len(generated) < n:
        return set()
    prefix = tuple(generated[len(generated) - (n - 1) :])
    banned = set()
    for i in range(max(0, len(generated) - window), len(generated) - n + 1):
        gram = tuple(generated[i : i + n])
        if gram[:-1] == prefix:
            banned.add(gram[-1])
    return banned - whitelist


def test_matches_reference_on_random_batches():
    import torch

    from desktop_ocr.engine.deepseek.ngram import WindowedNGramBan

    rnd = random.Random(7)
    vocab = 12
    for trial in range(200):
        n = rnd.randint(2, 5)
        window = rnd.randint(n, 20)
        prompt = rnd.randint(0, 6)
        length = rnd.randint(0, 40)
        batch = [[rnd.randint(0, 4) for _ in range(prompt + length)] for _ in range(3)]
        ids = torch.tensor(batch, dtype=torch.long).reshape(3, prompt + length)
        proc = WindowedNGramBan(n, window, prompt_length=prompt, whitelist={3})
        mask = proc.banned_mask(ids, vocab)
        for b in range(3):
            expected = reference_bans(batch[b][prompt:], n, window, {3})
            got = {int(t) for t in mask[b].nonzero().flatten()}
            assert got == expected, (trial, b)


def test_bans_the_repeating_token_and_only_within_the_window():
    import torch

    from desktop_ocr.engine.deepseek.ngram import WindowedNGramBan

    seq = [5, 6, 7, 8, 5, 6, 7]  # "5 6 7" then 8: after "6 7" comes 8 again -> ban 8 (n=3)
    proc = WindowedNGramBan(3, 50, prompt_length=2)
    ids = torch.tensor([[9, 9, *seq]])
    scores = torch.zeros((1, 20))
    out = proc(ids, scores.clone())
    assert torch.isinf(out[0, 8]) and out[0, 8] < 0
    assert torch.isfinite(out[0, [5, 6, 7, 9]]).all()
    # The prompt does not count: the same n-gram only in the prompt bans nothing.
    proc = WindowedNGramBan(3, 50, prompt_length=4)
    assert not proc.banned_mask(torch.tensor([[6, 7, 8, 1, 6, 7]]), 20).any()
    # Outside the window: nothing banned.
    proc = WindowedNGramBan(3, 4, prompt_length=0)
    assert not proc.banned_mask(torch.tensor([[5, 6, 7, 8, 1, 2, 5, 6, 7]]), 20)[0, 8]


def test_table_cells_are_never_banned():
    import torch

    from desktop_ocr.engine.deepseek.ngram import WindowedNGramBan

    row = [TD, 100, TD_CLOSE, TD, 100, TD_CLOSE, TD, 100]  # next: </td> would repeat "<td> 100 </td>"
    proc = WindowedNGramBan(3, 50, prompt_length=0)
    mask = proc.banned_mask(torch.tensor([row]), 129280)
    assert not mask[0, TD_CLOSE]
    row2 = [TD, 100, TD_CLOSE, TD, 100, TD_CLOSE, TD]  # next: 100 would repeat "</td> <td> 100"
    assert proc.banned_mask(torch.tensor([row2]), 129280)[0, 100]
    row3 = [100, TD, 101, 100, TD, 101, 100]  # next: <td> would repeat "101 100 <td>"
    assert not proc.banned_mask(torch.tensor([row3]), 129280)[0, TD]


def test_defaults_are_the_official_pdf_script_values():
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM, DEFAULT_WHITELIST

    assert DEFAULT_NGRAM == (20, 50)
    assert {TD, TD_CLOSE} == set(DEFAULT_WHITELIST)
