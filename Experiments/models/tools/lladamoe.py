"""LLaDA-MoE (inclusionAI/LLaDA-MoE-7B-A1B layout) in plain PyTorch, for fixtures and training.

Own implementation of the released architecture: an OLMoE-style MoE transformer with bidirectional
attention, per-head q/k RMSNorm before RoPE, half-split (NEOX) RoPE on the first rotary_dim dims, softmax
top-k routing. Tensor names follow the Hugging Face checkpoints, so a state_dict saves straight to a
Hugging Face folder (config.json, model.safetensors, tokenizer.json, generation_config.json).

Shapes: T tokens, d hidden, H heads, KVH kv heads, hd = d/H, E experts, F expert FFN, V vocab.
Batch dims are supported ([B,T] ids); fixtures use B=1.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIAL_TOKENS = ["<pad>", "<mask>", "<eos>"]  # ids 0, 1, 2
PAD_ID, MASK_ID, EOS_ID = 0, 1, 2
USE_SDPA = False  # fixtures and training use the explicit attention below; bench_pytorch.py times both


def make_config(vocab_size, hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads,
                num_experts, num_experts_per_tok, expert_intermediate_size, dense_intermediate_size=None,
                shared_expert_intermediate_size=None, moe_layer_freq=None, norm_topk_prob=False,
                rope_theta=10000.0, partial_rotary_factor=1.0, rms_norm_eps=1e-5,
                max_position_embeddings=2048, torch_dtype="float32"):
    """config.json contents (LLaDAMoEConfig keys)."""
    if moe_layer_freq is None:
        moe_layer_freq = [1] * num_hidden_layers
    assert len(moe_layer_freq) == num_hidden_layers
    return {
        "architectures": ["LLaDAMoEModelLM"],
        "model_type": "llada_moe",
        "vocab_size": vocab_size,
        "hidden_size": hidden_size,
        "num_hidden_layers": num_hidden_layers,
        "num_attention_heads": num_attention_heads,
        "num_key_value_heads": num_key_value_heads,
        "hidden_act": "silu",
        "max_position_embeddings": max_position_embeddings,
        "rms_norm_eps": rms_norm_eps,
        "tie_word_embeddings": False,
        "attention_bias": False,
        "clip_qkv": None,
        "dense_intermediate_size": dense_intermediate_size if dense_intermediate_size is not None
                                   else expert_intermediate_size,
        "expert_intermediate_size": expert_intermediate_size,
        "num_experts": num_experts,
        "num_experts_per_tok": num_experts_per_tok,
        "shared_expert_intermediate_size": shared_expert_intermediate_size,
        "moe_layer_freq": list(moe_layer_freq),
        "qk_layernorm": True,
        "moe_router_score_function": "softmax",
        "moe_router_enable_expert_bias": False,
        "norm_topk_prob": bool(norm_topk_prob),
        "rope_theta": float(rope_theta),
        "rope_scaling": None,
        "partial_rotary_factor": float(partial_rotary_factor),
        "eos_token_id": EOS_ID,
        "pad_token_id": PAD_ID,
        "mask_token_id": MASK_ID,
        "torch_dtype": torch_dtype,
    }


class RMSNorm(nn.Module):
    """y = x * rsqrt(mean(x^2) + eps) * weight, computed in float32 over the last dim."""
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))  # [dim]
        self.eps = eps

    def forward(self, x):
        dt = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return (x * self.weight.float()).to(dt)


def rope_cos_sin(T, rotary_dim, theta):
    """cos, sin: [T, rotary_dim] in float32, half-split layout (freqs repeated twice)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, rotary_dim, 2, dtype=torch.float32) / rotary_dim))
    pos = torch.arange(T, dtype=torch.float32)
    freqs = torch.outer(pos, inv_freq)                  # [T, rotary_dim/2]
    emb = torch.cat([freqs, freqs], dim=-1)             # [T, rotary_dim]
    return emb.cos(), emb.sin()


def apply_rope(x, cos, sin):
    """x: [B, heads, T, hd]; rotates the first rotary_dim dims as (x1, x2) halves (NEOX rotate_half)."""
    r = cos.shape[-1]
    xr, xp = x[..., :r], x[..., r:]
    x1, x2 = xr[..., : r // 2], xr[..., r // 2:]
    rot = torch.cat([-x2, x1], dim=-1)
    return torch.cat([xr * cos + rot * sin, xp], dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.H, self.KVH = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
        self.hd = d // self.H
        self.q_proj = nn.Linear(d, self.H * self.hd, bias=False)    # [H*hd, d]
        self.k_proj = nn.Linear(d, self.KVH * self.hd, bias=False)  # [KVH*hd, d]
        self.v_proj = nn.Linear(d, self.KVH * self.hd, bias=False)  # [KVH*hd, d]
        self.o_proj = nn.Linear(self.H * self.hd, d, bias=False)    # [d, H*hd]
        self.q_norm = RMSNorm(self.hd, c["rms_norm_eps"])           # [hd], per head
        self.k_norm = RMSNorm(self.hd, c["rms_norm_eps"])           # [hd], per head

    def forward(self, x, cos, sin, key_mask=None):
        B, T, _ = x.shape
        q = self.q_norm(self.q_proj(x).view(B, T, self.H, self.hd)).transpose(1, 2)    # [B,H,T,hd]
        k = self.k_norm(self.k_proj(x).view(B, T, self.KVH, self.hd)).transpose(1, 2)  # [B,KVH,T,hd]
        v = self.v_proj(x).view(B, T, self.KVH, self.hd).transpose(1, 2)               # [B,KVH,T,hd]
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        rep = self.H // self.KVH                # head h uses kv head h // rep
        if USE_SDPA:                            # same maths through PyTorch's fused kernel (benchmarks)
            m = None if key_mask is None else (key_mask[:, None, None, :] != 0)
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=m, enable_gqa=rep > 1)
            return self.o_proj(o.transpose(1, 2).reshape(B, T, self.H * self.hd))
        k = k.repeat_interleave(rep, dim=1)     # [B,H,T,hd]
        v = v.repeat_interleave(rep, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)                          # [B,H,T,T]
        if key_mask is not None:                # [B,T], 1 = attend, 0 = never attended to
            scores = scores.masked_fill(key_mask[:, None, None, :] == 0, float("-inf"))
        p = torch.softmax(scores.float(), dim=-1).to(v.dtype)   # no causal mask: bidirectional
        o = (p @ v).transpose(1, 2).reshape(B, T, self.H * self.hd)
        return self.o_proj(o)


class MLP(nn.Module):
    """SwiGLU: down(silu(gate x) * up x); gate/up [F, d], down [d, F]."""
    def __init__(self, d, f):
        super().__init__()
        self.gate_proj = nn.Linear(d, f, bias=False)
        self.up_proj = nn.Linear(d, f, bias=False)
        self.down_proj = nn.Linear(f, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class SparseMoE(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.E, self.k = c["hidden_size"], c["num_experts"], c["num_experts_per_tok"]
        self.norm_topk_prob = c["norm_topk_prob"]
        self.gate = nn.Linear(d, self.E, bias=False)                # router [E, d]
        self.experts = nn.ModuleList(MLP(d, c["expert_intermediate_size"]) for _ in range(self.E))
        self.last_router_probs = None    # [N, E], kept for the load-balancing loss
        self.last_topk = None            # [N, k]

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])                                  # [N, d]
        probs = torch.softmax(self.gate(x).float(), dim=-1)           # [N, E] float32
        w, idx = torch.topk(probs, self.k, dim=-1)                    # [N, k]
        if self.norm_topk_prob:
            w = w / w.sum(-1, keepdim=True)
        w = w.to(x.dtype)
        self.last_router_probs, self.last_topk = probs, idx
        out = torch.zeros_like(x)
        for e in range(self.E):          # group tokens by expert
            tok, slot = torch.where(idx == e)
            if tok.numel() == 0:
                continue
            out.index_add_(0, tok, self.experts[e](x[tok]) * w[tok, slot, None])
        return out.reshape(shape)


class DecoderLayer(nn.Module):
    def __init__(self, c, layer_idx):
        super().__init__()
        d = c["hidden_size"]
        self.input_layernorm = RMSNorm(d, c["rms_norm_eps"])
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(d, c["rms_norm_eps"])
        self.is_moe = c["moe_layer_freq"][layer_idx] == 1
        self.mlp = SparseMoE(c) if self.is_moe else MLP(d, c["dense_intermediate_size"])
        s = c.get("shared_expert_intermediate_size")
        # NB: the shared expert hangs off the layer (model.layers.N.shared_expert.*), not off mlp.
        self.shared_expert = MLP(d, s) if (self.is_moe and s) else None

    def forward(self, x, cos, sin, key_mask=None):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, key_mask)
        h = self.post_attention_layernorm(x)
        y = self.mlp(h)
        if self.shared_expert is not None:
            y = y + self.shared_expert(h)
        return x + y


class Backbone(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])   # [V, d]
        self.layers = nn.ModuleList(DecoderLayer(c, i) for i in range(c["num_hidden_layers"]))
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])


class LLaDAMoEModelLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.model = Backbone(config)
        self.lm_head = nn.Linear(config["hidden_size"], config["vocab_size"], bias=False)  # [V, d]
        hd = config["hidden_size"] // config["num_attention_heads"]
        self.rotary_dim = int(hd * config["partial_rotary_factor"])

    def forward(self, ids, key_mask=None, taps=None):
        """ids [B,T] (or [T]) -> logits [B,T,V]. taps: optional dict filled with hidden states."""
        if ids.dim() == 1:
            ids = ids[None]
        if key_mask is not None and key_mask.dim() == 1:
            key_mask = key_mask[None]
        cos, sin = rope_cos_sin(ids.shape[1], self.rotary_dim, self.config["rope_theta"])
        x = self.model.embed_tokens(ids)
        if taps is not None:
            taps["embed"] = x
        for i, layer in enumerate(self.model.layers):
            x = layer(x, cos.to(x.dtype), sin.to(x.dtype), key_mask)
            if taps is not None:
                taps[f"layer{i}"] = x
        x = self.model.norm(x)
        if taps is not None:
            taps["final_norm"] = x
        return self.lm_head(x)

    def moe_layers(self):
        return [l.mlp for l in self.model.layers if l.is_moe]


# ---------------------------------------------------------------- tokenizer and Hugging Face folder

def build_tokenizer(chars, specials=SPECIAL_TOKENS):
    """Hugging Face tokenizers Tokenizer: WordLevel over `specials` + single characters (shared by every tiny
    model and fixture: LLaDA-MoE's specials by default, DiffusionGemma's scripts pass their own)."""
    from tokenizers import Tokenizer, Regex, decoders, models, pre_tokenizers
    from tokenizers import AddedToken
    vocab = {t: i for i, t in enumerate(specials)}
    for ch in chars:
        assert len(ch) == 1 and ch not in vocab, ch
        vocab[ch] = len(vocab)
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tok.decoder = decoders.Fuse()
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return tok


DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16,
          "f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}
DTYPE_NAMES = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16"}


def save_hf_folder(model, config, tokenizer_vocab, folder, dtype=torch.float32):
    """Writes config.json, model.safetensors, tokenizer.json, generation_config.json.
    tokenizer_vocab: the single characters after the 3 specials, in id order (ids 3, 4, ...)."""
    from safetensors.torch import save_file
    dtype = DTYPES.get(dtype, dtype) if isinstance(dtype, str) else dtype
    os.makedirs(folder, exist_ok=True)
    cfg = dict(config, torch_dtype=DTYPE_NAMES[dtype])
    assert cfg["vocab_size"] == len(SPECIAL_TOKENS) + len(tokenizer_vocab)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    tensors = {k: v.detach().to(dtype).contiguous().clone() for k, v in model.state_dict().items()}
    save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(tokenizer_vocab).save(os.path.join(folder, "tokenizer.json"), pretty=True)
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump({"eos_token_id": cfg["eos_token_id"], "pad_token_id": cfg["pad_token_id"],
                   "mask_token_id": cfg["mask_token_id"]}, f, indent=2)
        f.write("\n")


def load_hf_folder(folder, compute_dtype=torch.float32):
    """Loads a folder written by save_hf_folder; weights are upcast to compute_dtype."""
    from safetensors.torch import load_file
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = LLaDAMoEModelLM(config)
    sd = {k: v.to(compute_dtype) for k, v in load_file(os.path.join(folder, "model.safetensors")).items()}
    model.load_state_dict(sd, strict=True)
    return model.to(compute_dtype).eval(), config


def load_tokenizer(folder):
    from tokenizers import Tokenizer
    return Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
