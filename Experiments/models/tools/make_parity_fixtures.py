"""Builds the LLaDA-MoE parity fixtures for the Swift engine tests (deterministic, re-runnable).

  /work/venv/bin/python Experiments/models/tools/make_parity_fixtures.py

Writes Tests/DiffusionEngineTests/Fixtures/llada-moe-parity{,-f16,-bf16}/ (HF folders) plus
golden.json (F32 logits and taps), golden_f16.json and golden_bf16.json (logits of the rounded weights,
computed in F32). The PyTorch forward is cross-checked against an independent float64 numpy loop.
"""
import json
import os
import sys

import numpy as np
import torch

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lladamoe import LLaDAMoEModelLM, make_config, save_hf_folder, load_hf_folder, load_tokenizer  # noqa

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIX = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures")
CHARS = list("0123456789+-*/=.()ABCDEFGHIJKLMNOP")   # 34 single characters, ids 3..36
SEED = int(os.environ.get("PARITY_SEED", "7"))  # chosen so that no routing decision is a near tie


def build_model():
    cfg = make_config(vocab_size=3 + len(CHARS), hidden_size=48, num_hidden_layers=3,
                      num_attention_heads=6, num_key_value_heads=2, num_experts=5, num_experts_per_tok=2,
                      expert_intermediate_size=20, dense_intermediate_size=40,
                      shared_expert_intermediate_size=16, moe_layer_freq=[1, 0, 1], norm_topk_prob=False,
                      rope_theta=10000.0, partial_rotary_factor=0.5, rms_norm_eps=1e-5,
                      max_position_embeddings=64)
    torch.manual_seed(SEED)
    model = LLaDAMoEModelLM(cfg)
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("norm.weight") or name.endswith("layernorm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
    return model.eval(), cfg


def naive_forward(sd, c, ids, key_mask):
    """Independent float64 reference: explicit loops over heads and tokens."""
    W = {k: v.double().numpy() for k, v in sd.items()}
    T, d, H, KVH = len(ids), c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
    hd, eps = d // H, c["rms_norm_eps"]
    r = int(hd * c["partial_rotary_factor"])

    def rms(x, w):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w

    def rope(v, t):  # v: [hd]; pairs (i, i + r/2) for i < r/2
        out = v.copy()
        for i in range(r // 2):
            ang = t / c["rope_theta"] ** (2 * i / r)
            a, b = v[i], v[i + r // 2]
            out[i] = a * np.cos(ang) - b * np.sin(ang)
            out[i + r // 2] = b * np.cos(ang) + a * np.sin(ang)
        return out

    def swiglu(x, p):
        g = x @ W[p + "gate_proj.weight"].T
        return (g / (1 + np.exp(-g)) * (x @ W[p + "up_proj.weight"].T)) @ W[p + "down_proj.weight"].T

    x = W["model.embed_tokens.weight"][ids]
    taps = {"embed": x.copy()}
    for L in range(c["num_hidden_layers"]):
        p = f"model.layers.{L}."
        h = rms(x, W[p + "input_layernorm.weight"])
        q = (h @ W[p + "self_attn.q_proj.weight"].T).reshape(T, H, hd)
        k = (h @ W[p + "self_attn.k_proj.weight"].T).reshape(T, KVH, hd)
        v = (h @ W[p + "self_attn.v_proj.weight"].T).reshape(T, KVH, hd)
        q = np.array([[rope(rms(q[t, j], W[p + "self_attn.q_norm.weight"]), t) for j in range(H)]
                      for t in range(T)])
        k = np.array([[rope(rms(k[t, j], W[p + "self_attn.k_norm.weight"]), t) for j in range(KVH)]
                      for t in range(T)])
        o = np.zeros((T, H, hd))
        for j in range(H):
            kv = j // (H // KVH)
            s = q[:, j] @ k[:, kv].T / np.sqrt(hd)
            if key_mask is not None:
                s[:, np.array(key_mask) == 0] = -np.inf
            s = np.exp(s - s.max(-1, keepdims=True))
            o[:, j] = (s / s.sum(-1, keepdims=True)) @ v[:, kv]
        x = x + o.reshape(T, H * hd) @ W[p + "self_attn.o_proj.weight"].T
        h = rms(x, W[p + "post_attention_layernorm.weight"])
        if c["moe_layer_freq"][L]:
            y = np.zeros_like(h)
            for t in range(T):
                lg = W[p + "mlp.gate.weight"] @ h[t]
                pr = np.exp(lg - lg.max()); pr /= pr.sum()
                top = np.argsort(-pr, kind="stable")[: c["num_experts_per_tok"]]
                w = pr[top] / (pr[top].sum() if c["norm_topk_prob"] else 1.0)
                for e, we in zip(top, w):
                    y[t] += we * swiglu(h[t], p + f"mlp.experts.{e}.")
            if c["shared_expert_intermediate_size"]:
                y = y + swiglu(h, p + "shared_expert.")
        else:
            y = swiglu(h, p + "mlp.")
        x = x + y
        taps[f"layer{L}"] = x.copy()
    x = rms(x, W["model.norm.weight"])
    taps["final_norm"] = x
    return x @ W["lm_head.weight"].T, taps


def f32list(a):
    """Float32 values as the shortest decimal strings that round-trip in float32."""
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 1:
        return [float(str(v)) for v in a]
    return [f32list(row) for row in a]


def cases(tok):
    enc = lambda s: tok.encode(s).ids  # noqa: E731
    c1 = enc("A12+3=7")                                           # 7 tokens
    c2 = enc("(48*15)-9=") + [1] * 6 + enc("P.E")                 # 19 tokens, 6 masks inside
    c3 = enc("BC/7=") + [1] * 4 + [0] * 3                         # 12 tokens, last 3 keys padded out
    assert (len(c1), len(c2), len(c3)) == (7, 19, 12)
    return [("seven_tokens", c1, None), ("nineteen_with_masks", c2, None),
            ("twelve_key_padded", c3, [1] * 9 + [0] * 3)]


def run(model, ids, key_mask, taps=None):
    with torch.no_grad():
        km = None if key_mask is None else torch.tensor(key_mask)
        return model(torch.tensor(ids), km, taps)[0].float().numpy()


def routing_stats(models, tok):
    """Experts used by the cases, and the smallest margin of any top-k decision over all precisions.
    A margin near float32 noise would let a correct port pick another expert, so we insist on 1e-3."""
    used, gap = set(), 1.0
    with torch.no_grad():
        for m in models.values():
            for _, ids, km in cases(tok):
                m(torch.tensor(ids), None if km is None else torch.tensor(km))
                for layer in m.moe_layers():
                    used |= set(layer.last_topk.flatten().tolist())
                    p = layer.last_router_probs.sort(-1, descending=True).values
                    k = layer.k
                    gap = min(gap, float((p[:, k - 1] - p[:, k]).min()))
    return used, gap


def main():
    model, cfg = build_model()
    dirs = {"f32": "llada-moe-parity", "f16": "llada-moe-parity-f16", "bf16": "llada-moe-parity-bf16"}
    dts = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}
    for k in dirs:
        save_hf_folder(model, cfg, CHARS, os.path.join(FIX, dirs[k]), dts[k])
    tok = load_tokenizer(os.path.join(FIX, dirs["f32"]))
    assert tok.encode("A12+3=<mask><mask>").ids == [tok.token_to_id(ch) for ch in "A12+3="] + [1, 1]
    # Reload every folder from disk (upcast to f32) so the goldens describe exactly what was written.
    models = {k: load_hf_folder(os.path.join(FIX, dirs[k]))[0] for k in dirs}
    sd32 = models["f32"].state_dict()
    assert all(torch.equal(sd32[n], v) for n, v in model.state_dict().items())
    golden = {k: [] for k in dirs}
    for ci, (name, ids, km) in enumerate(cases(tok)):
        logits = {}
        for k in dirs:
            taps = {} if (k == "f32" and ci == 0) else None
            logits[k] = run(models[k], ids, km, taps)
            entry = {"name": name, "tokens": ids, "key_mask": km, "logits": f32list(logits[k])}
            if taps is not None:
                entry["taps"] = {t: f32list(taps[t][0].numpy()) for t in ("embed", "layer0", "final_norm")}
            golden[k].append(entry)
        ref, ref_taps = naive_forward(sd32, cfg, ids, km)
        err = float(np.abs(ref - logits["f32"]).max())
        assert err < 1e-4, (name, err)
        e = golden["f32"][-1]
        e["f64_reference_vs_f32_max_abs"] = err
        e["f16_vs_f32_max_abs"] = float(np.abs(logits["f16"] - logits["f32"]).max())
        e["bf16_vs_f32_max_abs"] = float(np.abs(logits["bf16"] - logits["f32"]).max())
        e["max_abs_logit"] = float(np.abs(logits["f32"]).max())
        if ci == 0:
            for t in ("embed", "layer0", "final_norm"):
                assert np.abs(np.asarray(e["taps"][t]) - ref_taps[t]).max() < 1e-4, t
        print(f"{name}: T={len(ids)} max|logit|={e['max_abs_logit']:.3f} f64-ref diff={err:.2e} "
              f"f16 diff={e['f16_vs_f32_max_abs']:.3e} bf16 diff={e['bf16_vs_f32_max_abs']:.3e}")
    used, gap = routing_stats(models, tok)
    assert len(used) == cfg["num_experts"] and gap > 1e-3, (used, gap)
    for k, fn in (("f32", "golden.json"), ("f16", "golden_f16.json"), ("bf16", "golden_bf16.json")):
        path = os.path.join(FIX, dirs[k], fn)
        with open(path, "w") as f:
            json.dump(golden[k], f, separators=(",", ":"))
            f.write("\n")
    used, gap = routing_stats(models, tok)
    print("experts used:", sorted(used), f"min router gap (k-th minus (k+1)-th prob): {gap:.2e}")
    total = sum(os.path.getsize(os.path.join(dp, f)) for d in dirs.values()
                for dp, _, fs in os.walk(os.path.join(FIX, d)) for f in fs)
    print(f"fixture bytes total: {total}")


if __name__ == "__main__":
    main()
