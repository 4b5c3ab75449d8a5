"""A windowed no-repeat n-gram ban computed on the device, vectorised over the batch.

Public API: :class:`WindowedNGramBan` (a ``transformers`` logits processor) and :data:`DEFAULT_NGRAM`.

Semantics follow the official vLLM scripts' processor: only the *generated* tokens count (not the
prompt); once at least ``ngram_size`` tokens exist, every n-gram that starts inside the last
``window`` generated tokens and whose first ``ngram_size - 1`` tokens equal the current last
``ngram_size - 1`` tokens bans its last token; whitelisted tokens (``<td>``, ``</td>``) are never
banned. Unlike the official processor it is one set of tensor ops for the whole batch, without
copying ids to the host, so it costs microseconds per step instead of a Python loop per sequence.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from desktop_ocr.engine.deepseek.inputs import TD_CLOSE_ID, TD_ID

#: (ngram_size, window) of the official PDF script; its single-image script uses (30, 90).
DEFAULT_NGRAM = (20, 50)
#: Never banned: table cells legitimately repeat.
DEFAULT_WHITELIST = frozenset({TD_ID, TD_CLOSE_ID})


class WindowedNGramBan:
    """Ban tokens that would repeat an n-gram seen in the last ``window`` generated tokens."""

    def __init__(
        self,
        ngram_size: int,
        window: int,
        prompt_length: int,
        whitelist: Iterable[int] = DEFAULT_WHITELIST,
    ) -> None:
        if ngram_size < 1 or window < 1:
            raise ValueError("ngram_size and window must be positive")
        self.ngram_size = int(ngram_size)
        self.window = int(window)
        self.prompt_length = int(prompt_length)
        self.whitelist = sorted({int(t) for t in whitelist})
        self._whitelist_tensor: torch.Tensor | None = None

    def candidates(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor] | None:
        """(tokens [batch, k], banned [batch, k]): each candidate's last token and whether it is banned."""
        n = self.ngram_size
        generated = input_ids[:, self.prompt_length :]
        length = generated.shape[1]
        if length < n:
            return None
        start = max(0, length - self.window)
        if n == 1:
            # Every token of the window is a 1-gram whose (empty) prefix matches.
            cand = generated[:, start:]
            match = torch.ones_like(cand, dtype=torch.bool)
        else:
            stop = length - n + 1  # n-grams start at start .. stop - 1
            if stop <= start:
                return None
            grams = generated[:, start : stop + n - 1].unfold(1, n, 1)  # [batch, stop - start, n]
            prefix = generated[:, length - n + 1 :]  # the last n - 1 tokens
            match = (grams[:, :, :-1] == prefix[:, None, :]).all(dim=-1)
            cand = grams[:, :, -1]
        if self.whitelist:
            if self._whitelist_tensor is None or self._whitelist_tensor.device != cand.device:
                self._whitelist_tensor = torch.tensor(self.whitelist, dtype=cand.dtype, device=cand.device)
            match = match & ~torch.isin(cand, self._whitelist_tensor)
        return cand, match

    def banned_mask(self, input_ids: torch.Tensor, vocab_size: int) -> torch.Tensor:
        """Bool mask [batch, vocab] of the tokens banned now (for inspection and tests)."""
        scores = torch.zeros((input_ids.shape[0], vocab_size), device=input_ids.device)
        return torch.isinf(self(input_ids, scores))

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        found = self.candidates(input_ids)
        if found is None:
            return scores
        cand, match = found
        # No host sync and no [batch, vocab] temporaries: scores = min(scores, -inf if banned else +inf).
        src = torch.full(cand.shape, float("inf"), dtype=scores.dtype, device=scores.device)
        src.masked_fill_(match, -float("inf"))
        return scores.scatter_reduce_(1, cand, src, reduce="amin")
