"""A tiny stand-in for DeepSeek-OCR's remote code, for tests: same forward contract, scripted output.

Copied into a temporary checkpoint folder as ``modeling_deepseekocr.py`` (or ``modeling_deepseekocr2.py``)
and loaded through ``trust_remote_code``. Like the real code it

- takes ``images=[(crops, global_view)]`` per sample, ``images_seq_mask`` and ``images_spatial_crop``,
  works out the number of image features from the tensor shapes as the real vision towers would
  (v1: rows of features each followed by a newline, tiles then global view then a separator; v2: no
  newlines) and refuses a mask whose count differs (the real ``masked_scatter_`` fails or truncates);
- calls ``.cuda()`` on the mask inside ``forward`` (the real line 505);
- patches ``nn.Linear.reset_parameters`` / ``nn.LayerNorm.reset_parameters`` process-wide, at import and
  on every prefill (the real ``disable_torch_init()``);
- prints feature shapes to stdout on every prefill (as the real code does);
- generates through ``GenerationMixin`` with a ``DynamicCache`` and left padding via the attention mask.

Its output is a script from the config: token ``script[k]`` at generation step ``k`` (scored 10), the
``fallback`` token scored 5 (what an n-gram ban lets through), then EOS; ``placeholder`` tokens are
replaced by a digit computed from the page's global view (0 for black ... 9 for white), so the text
depends on the image. ``loop`` repeats the script forever (never EOS). ``oom_batch`` raises CUDA OOM
for batches of that size or more. ``step_delay`` sleeps per step, ``prefill_delay`` per
"vision block" of the prefill (for cancel tests).
"""

import time

import torch
from torch import nn
from transformers import GenerationMixin, PretrainedConfig, PreTrainedModel
from transformers.cache_utils import DynamicCache
from transformers.modeling_outputs import CausalLMOutputWithPast


def disable_torch_init():
    nn.Linear.reset_parameters = lambda self: None
    nn.LayerNorm.reset_parameters = lambda self: None


disable_torch_init()


class DeepseekOCRConfig(PretrainedConfig):
    model_type = "DeepseekOCR"

    def __init__(
        self,
        vocab_size=129280,
        max_position_embeddings=8192,
        standin_version=1,
        standin_script=(),
        standin_digits=(),
        standin_placeholder=-1,
        standin_fallback=-1,
        standin_loop=False,
        standin_oom_batch=0,
        standin_step_delay=0.0,
        standin_prefill_delay=0.0,
        **kwargs,
    ):
        self.vocab_size = vocab_size
        self.max_position_embeddings = max_position_embeddings
        self.standin_version = standin_version
        self.standin_script = list(standin_script)
        self.standin_digits = list(standin_digits)
        self.standin_placeholder = standin_placeholder
        self.standin_fallback = standin_fallback
        self.standin_loop = standin_loop
        self.standin_oom_batch = standin_oom_batch
        self.standin_step_delay = standin_step_delay
        self.standin_prefill_delay = standin_prefill_delay
        super().__init__(**kwargs)


class DeepseekOCR2Config(DeepseekOCRConfig):
    model_type = "DeepseekOCR2"


class DeepseekOCRForCausalLM(PreTrainedModel, GenerationMixin):
    config_class = DeepseekOCRConfig
    _supports_cache_class = True
    _no_split_modules = []

    def __init__(self, config):
        super().__init__(config)
        self.probe = nn.Linear(4, 4)
        self.layers = nn.ModuleList([nn.Identity() for _ in range(4)])  # "vision blocks" run at prefill
        self.post_init()

    def _init_weights(self, module):
        pass

    # -- vision stand-in ---------------------------------------------------------------------
    def _feature_count(self, patches, glob, crop):
        v2 = self.config.standin_version == 2
        qb = glob.shape[-1] // 64
        count = qb * qb + (0 if v2 else qb) + 1
        if torch.sum(patches).item() != 0:
            q = patches.shape[-1] // 64
            cols, rows = int(crop[0]), int(crop[1])
            if patches.shape[0] != cols * rows:
                raise RuntimeError("stand-in: number of tiles does not match images_spatial_crop")
            count += patches.shape[0] * q * q if v2 else (q * rows) * (q * cols + 1)
        return count

    @staticmethod
    def _digit(glob):
        value = (glob.float().mean().item() + 1.0) / 2.0
        return int(min(max(value, 0.0), 1.0) * 9.999)

    def _prefill_state(self, input_ids, attention_mask, images, images_seq_mask, images_spatial_crop):
        batch, length = input_ids.shape
        state = torch.zeros((batch, length, 2), dtype=torch.float32, device=input_ids.device)
        state[:, :, 0] = attention_mask.float()
        if images is not None and torch.sum(images[0][1]).item() != 0:
            for idx, (image, crop) in enumerate(zip(images, images_spatial_crop)):
                patches, glob = image
                mask = images_seq_mask[idx].unsqueeze(-1).cuda()
                n_feat = self._feature_count(patches, glob, crop)
                if int(mask.sum()) != n_feat:
                    raise RuntimeError(
                        f"masked_scatter_: {int(mask.sum())} image tokens in the sequence, {n_feat} image features"
                    )
                state[idx, :, 1] = mask[:, 0].float() * (self._digit(glob) + 1)
                print("=====================\nBASE: ", tuple(glob.shape), "\n=====================")
        return state

    # -- generation contract -----------------------------------------------------------------
    def forward(
        self,
        input_ids=None,
        attention_mask=None,
        position_ids=None,
        past_key_values=None,
        inputs_embeds=None,
        labels=None,
        use_cache=None,
        output_attentions=None,
        output_hidden_states=None,
        images=None,
        images_seq_mask=None,
        images_spatial_crop=None,
        return_dict=None,
        **kwargs,
    ):
        cfg = self.config
        batch, length = input_ids.shape
        if cfg.standin_oom_batch and batch >= cfg.standin_oom_batch:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB (stand-in)")
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        if past_key_values is None:
            past_key_values = DynamicCache()
        if length > 1:
            disable_torch_init()
            state = self._prefill_state(
                input_ids, attention_mask, images, images_seq_mask, images_spatial_crop
            )
            for layer in self.layers:
                time.sleep(cfg.standin_prefill_delay)
                state = layer(state)
        else:
            state = torch.zeros((batch, 1, 2), dtype=torch.float32, device=input_ids.device)
        if cfg.standin_step_delay:
            time.sleep(cfg.standin_step_delay)
        keys, _ = past_key_values.update(state.unsqueeze(1), state.unsqueeze(1), 0)
        full = keys[:, 0]
        prompt_len = full[:, :, 0].sum(-1).long()
        digit = (full[:, :, 1].amax(-1).long() - 1).clamp(min=0)
        step = attention_mask.long().sum(-1) - prompt_len
        script = torch.tensor(cfg.standin_script, dtype=torch.long, device=input_ids.device)
        n = script.shape[0]
        if cfg.standin_loop:
            nxt = script[step % n]
        else:
            nxt = torch.where(step < n, script[step.clamp(max=n - 1)], torch.full_like(step, 1))
        if cfg.standin_digits and cfg.standin_placeholder >= 0:
            digits = torch.tensor(cfg.standin_digits, dtype=torch.long, device=input_ids.device)
            nxt = torch.where(nxt == cfg.standin_placeholder, digits[digit.clamp(0, 9)], nxt)
        logits = torch.zeros(
            (batch, 1, cfg.vocab_size), dtype=self.probe.weight.dtype, device=input_ids.device
        )
        if cfg.standin_fallback >= 0:
            logits[:, 0, cfg.standin_fallback] = 5.0
        logits[torch.arange(batch), 0, nxt] = 10.0
        return CausalLMOutputWithPast(logits=logits, past_key_values=past_key_values)

    def prepare_inputs_for_generation(
        self, input_ids, past_key_values=None, attention_mask=None, inputs_embeds=None, **kwargs
    ):
        past_length = past_key_values.get_seq_length() if past_key_values is not None else 0
        if past_length:
            input_ids = input_ids[:, past_length:]
        return {
            "input_ids": input_ids,
            "past_key_values": past_key_values,
            "attention_mask": attention_mask,
            "use_cache": kwargs.get("use_cache"),
            "images": kwargs.get("images"),
            "images_seq_mask": kwargs.get("images_seq_mask"),
            "images_spatial_crop": kwargs.get("images_spatial_crop"),
        }


class DeepseekOCR2ForCausalLM(DeepseekOCRForCausalLM):
    config_class = DeepseekOCR2Config
