"""An autoregressive LLaDA-MoE with DeepSeek-V3-style multi-token prediction (MTP) modules, in plain PyTorch.

Reference for DiffusionLab's `ARMoEModel` (model_type `ar_moe_mtp`) and the model the tiny AR-MTP checkpoint is
trained with. The main model is the LLaDA-MoE stack of `lladamoe.py` (same tensor names and maths) with a causal
attention mask. On top sit K MTP modules (DeepSeek-V3 technical report, arXiv:2412.19437, section 2.2; layout of
vLLM's `vllm/model_executor/models/deepseek_mtp.py`, `DeepSeekMultiTokenPredictorLayer.forward`):

    module k (k = 1..K) at position i:  h_i^k = Block_k(eh_proj([enorm(Emb(t_{i+k})) ; hnorm(h_i^{k-1})]))
    logits_i^k = lm_head(norm(h_i^k))   predicts t_{i+k+1}

with h^0 the main model's last hidden state before its final norm, Emb / norm / lm_head shared with the main
model, eh_proj [d, 2d], and Block_k one causal LLaDA-MoE layer. As in DeepSeek-V3 checkpoints, module k's tensors
live at `model.layers.{L + k - 1}.` (enorm.weight, hnorm.weight, eh_proj.weight, and the usual layer tensors);
config.json names K as `num_nextn_predict_layers`.

Shapes: B batch, T tokens, d hidden, V vocab. Module k has T - k rows (positions 0 .. T-k-1).
"""
import copy
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import lladamoe
from lladamoe import RMSNorm, DecoderLayer, rope_cos_sin, apply_rope, make_config  # noqa: F401


def make_ar_config(predict_layers, mtp_moe=True, **kwargs):
    """config.json contents: LLaDA-MoE keys + model_type `ar_moe_mtp` + num_nextn_predict_layers, and
    mtp_moe_layer_freq (one 0/1 per MTP block, like moe_layer_freq: 0 = dense SwiGLU of dense_intermediate_size)."""
    c = make_config(**kwargs)
    c["architectures"] = ["ARMoEMTPForCausalLM"]
    c["model_type"] = "ar_moe_mtp"
    c["num_nextn_predict_layers"] = int(predict_layers)
    c["mtp_moe_layer_freq"] = [1 if mtp_moe else 0] * int(predict_layers)
    return c


class CausalAttention(lladamoe.Attention):
    """lladamoe.Attention with a causal mask (same parameters and names)."""
    def forward(self, x, cos, sin, key_mask=None):
        B, T, _ = x.shape
        q = self.q_norm(self.q_proj(x).view(B, T, self.H, self.hd)).transpose(1, 2)    # [B,H,T,hd]
        k = self.k_norm(self.k_proj(x).view(B, T, self.KVH, self.hd)).transpose(1, 2)  # [B,KVH,T,hd]
        v = self.v_proj(x).view(B, T, self.KVH, self.hd).transpose(1, 2)               # [B,KVH,T,hd]
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        rep = self.H // self.KVH
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)                          # [B,H,T,T]
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        p = torch.softmax(scores.float(), dim=-1).to(v.dtype)
        o = (p @ v).transpose(1, 2).reshape(B, T, self.H * self.hd)
        return self.o_proj(o)


def causal_layer(c, index):
    layer = DecoderLayer(c, index)
    layer.self_attn = CausalAttention(c)
    return layer


class MTPLayer(nn.Module):
    """One MTP module: enorm [d], hnorm [d], eh_proj [d, 2d] and one causal transformer block (its tensors at the
    same names as a main layer's)."""
    def __init__(self, c, index):
        super().__init__()
        d = c["hidden_size"]
        self.enorm = RMSNorm(d, c["rms_norm_eps"])
        self.hnorm = RMSNorm(d, c["rms_norm_eps"])
        self.eh_proj = nn.Linear(2 * d, d, bias=False)                # [d, 2d]
        block = causal_layer(c, index)
        self.input_layernorm = block.input_layernorm
        self.self_attn = block.self_attn
        self.post_attention_layernorm = block.post_attention_layernorm
        self.mlp = block.mlp
        self.shared_expert = block.shared_expert
        self.is_moe = block.is_moe

    def forward(self, emb, hidden, cos, sin):
        x = self.eh_proj(torch.cat([self.enorm(emb), self.hnorm(hidden)], dim=-1))
        return DecoderLayer.forward(self, x, cos, sin)


class Backbone(nn.Module):
    def __init__(self, c):
        super().__init__()
        L, K = c["num_hidden_layers"], c["num_nextn_predict_layers"]
        # MTP blocks follow mtp_moe_layer_freq: extend moe_layer_freq over them for construction only.
        ce = dict(c, moe_layer_freq=list(c["moe_layer_freq"]) + list(c.get("mtp_moe_layer_freq", [1] * K)))
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])   # [V, d]
        self.layers = nn.ModuleList([causal_layer(ce, i) for i in range(L)] + [MTPLayer(ce, L + k) for k in range(K)])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])


class ARMoEMTP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.L, self.K = config["num_hidden_layers"], config["num_nextn_predict_layers"]
        self.model = Backbone(config)
        self.lm_head = nn.Linear(config["hidden_size"], config["vocab_size"], bias=False)  # [V, d]
        hd = config["hidden_size"] // config["num_attention_heads"]
        self.rotary_dim = int(hd * config["partial_rotary_factor"])

    def forward(self, ids, modules=None):
        """ids [B, T] -> (main logits [B, T, V], [module k logits [B, T-k, V] for k = 1..modules])."""
        if ids.dim() == 1:
            ids = ids[None]
        T = ids.shape[1]
        modules = self.K if modules is None else modules
        cos, sin = rope_cos_sin(T, self.rotary_dim, self.config["rope_theta"])
        emb = self.model.embed_tokens(ids)                               # [B, T, d]
        h = emb
        for layer in self.model.layers[:self.L]:
            h = layer(h, cos, sin)
        main = self.lm_head(self.model.norm(h))
        extra = []
        for k in range(1, modules + 1):
            if T - k <= 0:
                break
            mtp = self.model.layers[self.L + k - 1]
            h = mtp(emb[:, k:], h[:, :T - k], cos[:T - k], sin[:T - k])   # [B, T-k, d]
            extra.append(self.lm_head(self.model.norm(h)))
        return main, extra

    def moe_layers(self):
        return [l.mlp for l in self.model.layers if l.is_moe]


def save_hf_folder(model, config, chars, folder, dtype=torch.float32):
    """config.json, model.safetensors, tokenizer.json, generation_config.json (the LLaDA-MoE writer, then the
    AR config on top)."""
    lladamoe.save_hf_folder(model, config, chars, folder, dtype)
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump({"eos_token_id": config["eos_token_id"], "pad_token_id": config["pad_token_id"]}, f, indent=2)
        f.write("\n")


def load_hf_folder(folder):
    from safetensors.torch import load_file
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = ARMoEMTP(config)
    model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")), strict=True)
    return model.eval(), config


# ------------------------------------------------------------------------------------- fixture (random model)

def make_fixture(out_dir):
    """A random AR-MTP model (2 layers, 2 MTP modules, GQA) and its logits on one random sequence: main [T, V] and
    module k [T-k, V], as JSON beside the safetensors."""
    torch.manual_seed(13)
    c = make_ar_config(2, vocab_size=19, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                       num_key_value_heads=2, num_experts=4, num_experts_per_tok=2, expert_intermediate_size=24,
                       shared_expert_intermediate_size=16, norm_topk_prob=True, rope_theta=10000.0,
                       dense_intermediate_size=20)
    c["mtp_moe_layer_freq"] = [1, 0]  # one MoE and one dense MTP block
    model = ARMoEMTP(c)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.ones_like(p) + 0.1 * torch.randn_like(p) if p.dim() == 1 else 0.2 * torch.randn_like(p))
    model.eval()
    ids = torch.randint(3, c["vocab_size"], (21,))
    with torch.no_grad():
        main, extra = model(ids)
    save_hf_folder(model, c, [chr(ord("a") + i) for i in range(c["vocab_size"] - 3)], out_dir)
    for name in ("tokenizer.json", "generation_config.json"):
        os.remove(os.path.join(out_dir, name))
    with open(os.path.join(out_dir, "logits.json"), "w") as f:
        json.dump({"tokens": ids.tolist(),
                   "main": [round(v, 7) for v in main[0].flatten().tolist()],
                   "modules": [[round(v, 7) for v in e[0].flatten().tolist()] for e in extra]}, f)
        f.write("\n")
    print(f"wrote {out_dir}: T={len(ids)}, modules {len(extra)}")


def make_tiny_golden(folder, out_file):
    """Main and per-module logits of the shipped tiny model on two task sequences (prompt + answer)."""
    from lladamoe import load_tokenizer
    model, _ = load_hf_folder(folder)
    tok = load_tokenizer(folder)
    cases = []
    for text in ["S99049259=02459999", "A3604+8621=12225"]:
        ids = torch.tensor(tok.encode(text).ids)
        with torch.no_grad():
            main, extra = model(ids)
        cases.append({"text": text, "tokens": ids.tolist(), "main": [round(v, 6) for v in main[0].flatten().tolist()],
                      "modules": [[round(v, 6) for v in e[0].flatten().tolist()] for e in extra]})
    with open(out_file, "w") as f:
        json.dump(cases, f)
        f.write("\n")
    print(f"wrote {out_file}")


if __name__ == "__main__":
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    fixtures = os.path.join(root, "Tests", "DiffusionEngineTests", "Fixtures")
    if len(sys.argv) > 1 and sys.argv[1] == "--tiny-golden":   # golden logits of the shipped tiny model
        make_tiny_golden(os.path.join(root, "Experiments", "models", "tiny-ar-mtp"),
                         os.path.join(fixtures, "tiny-ar-mtp-golden.json"))
    else:
        make_fixture(sys.argv[1] if len(sys.argv) > 1 else os.path.join(fixtures, "ar-moe-mtp"))
