"""Builds the DiffusionGemma parity fixtures for the Swift engine tests with transformers' own classes.

  /work/venv-gemma/bin/python Experiments/models/tools/make_diffusiongemma_fixtures.py

Needs `transformers==5.23.0` (models/diffusion_gemma) with a CPU torch. Writes
Tests/DiffusionEngineTests/Fixtures/diffusiongemma-parity/, a Hugging Face folder written by
`DiffusionGemmaForBlockDiffusion.save_pretrained` (tied weights, a tiny vision tower that the Swift engine
ignores), plus tokenizer.json, and:
- golden.json: decoder logits [canvas, V] conditioned on the encoder's KV cache, per case: prompt encoded in one
  chunk or in several (as `generate` does for multi-canvas), with and without self-conditioning logits, prompts
  longer and shorter than the sliding window; the first case also has taps (hidden states after each encoder and
  decoder layer, the decoder input after self-conditioning, the final norm).
  (`use_bidirectional_attention: "all"` has no golden: transformers 5.23 fails on it, passing `is_causal` twice
  to the attention function, in eager and SDPA alike; the Swift engine refuses it.)
- trajectory.json, trajectory_adaptive_stop.json: full `generate()` runs (two canvases; the checkpoint's sampler
  defaults, and a looser setting where the adaptive stop fires) with every random draw recorded: the initial canvas,
  per step the multinomial samples and the uniform re-noise canvas, the temperature, the entropies, the accepted
  positions, the argmax canvas, and the final sequence; enough for a Swift sampler to replay it exactly.

Every golden is computed by the model reloaded from the written folder with eager attention (SDPA is checked to
agree), and no top-k routing decision (of ~3000) is closer than 2e-4 in probability (F32 error: ~1e-6) (seed chosen for that).
"""
import json
import os
import sys

import numpy as np
import torch

torch.set_num_threads(1)
from transformers import DiffusionGemmaConfig, DiffusionGemmaForBlockDiffusion  # noqa: E402
from transformers.cache_utils import DynamicCache  # noqa: E402
from transformers.models.diffusion_gemma import generation_diffusion_gemma as gen  # noqa: E402
from transformers.models.diffusion_gemma.modeling_diffusion_gemma import DiffusionGemmaTextRouter  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lladamoe  # noqa: E402  (the shared tokenizer builder)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FOLDER = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures", "diffusiongemma-parity")
SPECIALS = ["<pad>", "<eos>", "<bos>"]  # ids 0, 1, 2: DiffusionGemma's pad, eos, bos defaults
CHARS = list("0123456789+-*/=.()ABCDEFGHIJKLMNOPQRSTUVWXYZ ")  # ids 3 ..< 48
SEED = int(os.environ.get("PARITY_SEED", "6"))  # chosen so that no routing decision is a near tie
CANVAS = 8
SC_SCALE = float(os.environ.get("SC_SCALE", "0.01"))

TEXT_CONFIG = dict(
    vocab_size=len(SPECIALS) + len(CHARS), hidden_size=32, intermediate_size=24, num_hidden_layers=4,
    num_attention_heads=4, num_key_value_heads=2, head_dim=8,
    global_head_dim=16, num_global_key_value_heads=1,  # full-attention layers: wider heads, one K=V head
    layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
    sliding_window=6, num_experts=4, top_k_experts=2, moe_intermediate_size=12, max_position_embeddings=128,
    rope_parameters={"sliding_attention": {"rope_type": "default", "rope_theta": 10000.0},
                     "full_attention": {"rope_type": "proportional", "partial_rotary_factor": 0.5,
                                        "rope_theta": 100.0}},
    pad_token_id=0, eos_token_id=1, bos_token_id=2, rms_norm_eps=1e-6)
VISION_CONFIG = dict(model_type="gemma4_vision", hidden_size=8, intermediate_size=8, num_hidden_layers=1,
                     num_attention_heads=1, num_key_value_heads=1, head_dim=8, position_embedding_size=4,
                     patch_size=2)
GENERATION = dict(max_denoising_steps=48, t_min=0.4, t_max=0.8, stability_threshold=1,
                  confidence_threshold=0.005, eos_token_id=[1], pad_token_id=0, bos_token_id=2,
                  max_new_tokens=2 * CANVAS)


def build_tokenizer():
    return lladamoe.build_tokenizer(CHARS, SPECIALS)


def make_config():
    return DiffusionGemmaConfig(text_config=TEXT_CONFIG, vision_config=VISION_CONFIG,
                                canvas_length=CANVAS)


def build_and_save():
    torch.manual_seed(SEED)
    model = DiffusionGemmaForBlockDiffusion(make_config())
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "vision" in name:
                continue
            if name.endswith("norm.weight") or name.endswith("router.scale") or name.endswith("per_expert_scale"):
                p.copy_(1.0 + 0.3 * torch.randn(p.shape, generator=g))
            elif name.endswith("router.proj.weight"):  # spread routing so no top-k choice is a near tie
                p.copy_(2.0 * torch.randn(p.shape, generator=g))
            elif name.endswith("self_conditioning.down_proj.weight"):
                # A random model's self-conditioning loop is chaotic (a 1e-5 change in one step's logits grows
                # ~10x per step at std 0.25); at 0.01 a 1e-5 change stays ~1e-5 over 48 steps, so the trajectory is
                # replayable at F32 precision, and self-conditioning still moves the logits by ~2.
                p.copy_(SC_SCALE * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.25 * torch.randn(p.shape, generator=g))
        # Buffers are not tied: the encoder's layer scalars differ from the decoder's, and the test must notice.
        for name, b in sorted(model.named_buffers()):
            if name.endswith("layer_scalar"):
                b.copy_(0.6 + 0.8 * torch.rand(b.shape, generator=g))
    model.generation_config = gen.DiffusionGemmaGenerationConfig(
        sampler_config=gen.EntropyBoundSamplerConfig(entropy_bound=0.1), **GENERATION)
    model.save_pretrained(FOLDER)
    build_tokenizer().save(os.path.join(FOLDER, "tokenizer.json"), pretty=True)


def load(attn="eager"):
    model = DiffusionGemmaForBlockDiffusion.from_pretrained(FOLDER, attn_implementation=attn)
    return model.eval()


def f32list(a):
    """Float32 values as the shortest decimal strings that round-trip in float32."""
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 1:
        return [float(str(v)) for v in a]
    return [f32list(row) for row in a]


class Recorder:
    """Forward hooks: hidden states after each encoder/decoder layer and router margins."""

    def __init__(self, model):
        self.taps, self.gap, self.used, self.handles = {}, 1.0, set(), []
        lm = model.model
        for i, layer in enumerate(lm.encoder.language_model.layers):
            self.handles.append(layer.register_forward_hook(self.tap(f"encoder.layer.{i}")))
        for i, layer in enumerate(lm.decoder.layers):
            self.handles.append(layer.register_forward_hook(self.tap(f"decoder.layer.{i}")))
        self.handles.append(lm.decoder.self_conditioning.register_forward_hook(self.tap("decoder.embed")))
        self.handles.append(lm.decoder.norm.register_forward_hook(self.tap("decoder.final_norm")))
        for m in model.modules():
            if isinstance(m, DiffusionGemmaTextRouter):
                self.handles.append(m.register_forward_hook(self.router))

    def tap(self, name):
        def hook(_module, _inputs, output):
            out = output[0] if isinstance(output, tuple) else output
            self.taps.setdefault(name, []).append(out[0].detach().float().numpy().copy())
        return hook

    def router(self, module, _inputs, output):
        probs, _, index = output
        k = module.config.top_k_experts
        p = probs.sort(-1, descending=True).values
        self.gap = min(self.gap, float((p[:, k - 1] - p[:, k]).min()))
        self.used |= set(index.flatten().tolist())

    def remove(self):
        for h in self.handles:
            h.remove()


def decode(model, chunks, canvas, sc_logits):
    """Encodes `chunks` one after another into a fresh cache (as generate does), then runs the decoder on
    `canvas`; returns logits [canvas, V]."""
    text = model.config.text_config
    cache = DynamicCache(config=text)
    position = 0
    with torch.no_grad():
        for chunk in chunks:
            ids = torch.tensor([chunk])
            model.model.encoder(input_ids=ids, past_key_values=cache,
                                position_ids=torch.arange(position, position + len(chunk))[None])
            position += len(chunk)
        out = model(decoder_input_ids=torch.tensor([canvas]), past_key_values=cache,
                    self_conditioning_logits=None if sc_logits is None else torch.tensor(sc_logits)[None],
                    decoder_position_ids=torch.arange(position, position + len(canvas))[None])
    return out.logits[0].float().numpy()


def golden_cases(tok):
    enc = lambda s: tok.encode(s).ids  # noqa: E731
    prompt = [2] + enc("(48*15)-9=")        # 11 tokens: longer than the sliding window (6, or 4 when halved)
    committed = enc("711=ABCD")             # a finished canvas that the encoder ingests as a second chunk
    rng = np.random.default_rng(SEED)
    canvas = rng.integers(0, TEXT_CONFIG["vocab_size"], CANVAS).tolist()
    canvas2 = rng.integers(0, TEXT_CONFIG["vocab_size"], CANVAS).tolist()
    short = enc("7+")                       # shorter than the window: every prefix key visible
    return prompt, committed, canvas, canvas2, short


def goldens(tok):
    prompt, committed, canvas, canvas2, short = golden_cases(tok)
    cases = []
    model, sdpa = load(), load("sdpa")
    rec = Recorder(model)
    first = decode(model, [prompt], canvas, None)
    sc = (first / 0.8).astype(np.float32)  # processed logits of a first step at temperature 0.8
    runs = [("prompt_no_sc", [prompt], canvas, None),
            ("prompt_with_sc", [prompt], canvas, sc),
            ("two_chunks_with_sc", [prompt, committed], canvas2, sc),
            ("short_prompt", [short], canvas, None)]
    for index, (name, chunks, cv, sc_logits) in enumerate(runs):
        rec.taps = {}
        logits = decode(model, chunks, cv, sc_logits)
        other = decode(sdpa, chunks, cv, sc_logits)
        assert np.abs(other - logits).max() < 1e-4, (name, np.abs(other - logits).max())
        entry = {"name": name, "chunks": chunks, "canvas": cv,
                 "self_conditioning_logits": None if sc_logits is None else f32list(sc_logits),
                 "logits": f32list(logits), "max_abs_logit": float(np.abs(logits).max()),
                 "sdpa_vs_eager_max_abs": float(np.abs(other - logits).max())}
        if index == 0:
            entry["taps"] = {k: f32list(np.concatenate(v, 0)) for k, v in sorted(rec.taps.items())}
        cases.append(entry)
        print(f"{name}: chunks={[len(c) for c in chunks]} max|logit|={entry['max_abs_logit']:.3f} "
              f"sdpa diff={entry['sdpa_vs_eager_max_abs']:.1e}")
    print(f"  experts used {sorted(rec.used)}, min router gap {rec.gap:.2e}")
    assert len(rec.used) == TEXT_CONFIG["num_experts"] and rec.gap > 2e-4, (rec.used, rec.gap)
    rec.remove()
    return cases


class RecordingSampler(gen.EntropyBoundSampler):
    """The reference sampler, recording every uniform canvas it draws and every acceptance mask."""

    log = None

    def initialize_canvas(self, batch_size, device):
        canvas = super().initialize_canvas(batch_size, device)
        self.log.append(("uniform", canvas[0].tolist()))
        return canvas

    def accept_canvas(self, current_canvas, denoiser_canvas, logits, cur_step):
        accepted = super().accept_canvas(current_canvas, denoiser_canvas, logits, cur_step)
        entropy = torch.distributions.Categorical(logits=logits).entropy()[0]
        self.log.append(("accept", {"step": int(cur_step), "canvas_in": current_canvas[0].tolist(),
                                    "samples": denoiser_canvas[0].tolist(),
                                    "accepted": self.accepted_token_mask[0].int().tolist(),
                                    "argmax": logits[0].argmax(-1).tolist(),
                                    "entropy": f32list(entropy.numpy()),
                                    "mean_entropy": float(entropy.mean())}))
        return accepted


def trajectory(tok, seed, **overrides):
    model = load()
    log = []
    RecordingSampler.log = log
    model._prepare_sampler = lambda gc: RecordingSampler(gc.sampler_config, model.config.canvas_length,
                                                         model.config.text_config.vocab_size,
                                                         gc.max_denoising_steps)
    prompt = [2] + tok.encode("(48*15)-9=").ids
    torch.manual_seed(seed)
    entropy_bound = overrides.get("entropy_bound", 0.1)
    if "entropy_bound" in overrides:
        overrides["sampler_config"] = gen.EntropyBoundSamplerConfig(entropy_bound=overrides.pop("entropy_bound"))
    out = model.generate(torch.tensor([prompt]), **overrides)
    sequence = out.sequences[0].tolist()
    gc = model.generation_config
    gc = gen.DiffusionGemmaGenerationConfig(**{**gc.to_dict(), **overrides, "sampler_config": None})
    # The log alternates: a canvas's initial uniform draw, then per step an acceptance followed by the
    # uniform re-noise draw; a uniform draw that follows no acceptance starts the next canvas.
    canvases, current = [], None
    pending_renoise = False
    for kind, value in log:
        if kind == "accept":
            # The temperature as LinearTemperatureScheduleLogitsProcessor computes it: in float32, since
            # `cur_step` reaches it as an int32 tensor.
            step = torch.tensor(value["step"], dtype=torch.int32)
            temperature = gc.t_min + ((gc.t_max - gc.t_min) * (step / gc.max_denoising_steps))
            current["steps"].append(dict(value, temperature=float(str(temperature.numpy()))))
            pending_renoise = True
        elif pending_renoise:
            current["steps"][-1]["renoise"] = value
            pending_renoise = False
        else:
            current = {"initial_canvas": value, "steps": []}
            canvases.append(current)
    for c in canvases:
        for s in c["steps"]:
            s["next_canvas"] = [r if not a else x for x, r, a in zip(s["samples"], s["renoise"], s["accepted"])]
    return {"prompt": prompt, "seed": seed, "sequence": sequence,
            "generated": sequence[len(prompt):], "canvas_length": model.config.canvas_length,
            "generation_config": {k: getattr(gc, k) for k in ("max_denoising_steps", "t_min", "t_max",
                                                               "stability_threshold", "confidence_threshold",
                                                               "eos_token_id", "pad_token_id", "max_new_tokens")}
            | {"entropy_bound": entropy_bound},
            "tokens_per_forward": float(out.tokens_per_forward[0]),
            "canvases": canvases}


def main():
    build_and_save()
    tok = build_tokenizer()
    cases = goldens(tok)
    with open(os.path.join(FOLDER, "golden.json"), "w") as f:
        json.dump(cases, f, separators=(",", ":"))
        f.write("\n")
    # The checkpoint's defaults (48 steps, entropy bound 0.1: a random model never stops early), and a run with a
    # loose bound, where several tokens are accepted per step, and an adaptive stop that fires (a random model's
    # argmax never holds still, so stability_threshold 0 leaves the stop to the mean-entropy threshold).
    for name, overrides in (("trajectory.json", {}),
                            ("trajectory_adaptive_stop.json", {"entropy_bound": 2.0, "confidence_threshold": 2.0,
                                                               "stability_threshold": 0})):
        traj = trajectory(tok, SEED, **overrides)
        print(name, "canvases", len(traj["canvases"]), "steps", [len(c["steps"]) for c in traj["canvases"]],
              "generated", traj["generated"])
        with open(os.path.join(FOLDER, name), "w") as f:
            json.dump(traj, f, separators=(",", ":"))
            f.write("\n")
    total = sum(os.path.getsize(os.path.join(FOLDER, n)) for n in os.listdir(FOLDER))
    print("fixture bytes total:", total)


if __name__ == "__main__":
    main()
