"""Times the PyTorch LLaDA-MoE forward pass (eager, no_grad, batch 1, 1 thread) for reference configs.

  /work/venv/bin/python Experiments/models/tools/bench_pytorch.py [--runs 20] [--only tiny-ref] [--cpu-time]

One line per measurement, parseable:  pytorch config=NAME attn=eager|sdpa tokens=T ms=MEDIAN min=... runs=N
(attn=eager: explicit softmax(QK^T)V as in the fixtures; attn=sdpa: F.scaled_dot_product_attention)
and before it one line per config:     config NAME {json of config.json keys} params=... active=...
so the same shapes can be rebuilt in Swift (random weights; timings do not depend on the values, except
slightly through how evenly the random router spreads tokens over experts).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lladamoe  # noqa: E402
from lladamoe import LLaDAMoEModelLM, make_config  # noqa: E402

CONFIGS = {
    # The reference shape of DESIGN §7 ("as fast as PyTorch"): tiny-model-like, bigger vocabulary.
    "tiny-ref": (dict(vocab_size=4096, hidden_size=256, num_hidden_layers=4, num_attention_heads=4,
                      num_key_value_heads=4, num_experts=8, num_experts_per_tok=2,
                      expert_intermediate_size=128, norm_topk_prob=True), [84, 276]),
    # About 100M parameters (100.7M total, ~28M active per token): GQA 12/4 heads of 64,
    # 16 fine-grained experts top-2 of FFN 256, vocabulary 8192.
    "moe-100m": (dict(vocab_size=8192, hidden_size=768, num_hidden_layers=8, num_attention_heads=12,
                      num_key_value_heads=4, num_experts=16, num_experts_per_tok=2,
                      expert_intermediate_size=256, norm_topk_prob=True), [256]),
}


def build(spec, seed=0):
    cfg = make_config(rope_theta=10000.0, max_position_embeddings=4096, **spec)
    torch.manual_seed(seed)
    model = LLaDAMoEModelLM(cfg)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.normal_(0.0, 0.02)
    return model.eval(), cfg


def active_params(cfg):
    d, L, V = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["vocab_size"]
    hd = d // cfg["num_attention_heads"]
    attn = d * hd * (2 * cfg["num_attention_heads"] + 2 * cfg["num_key_value_heads"])
    moe = cfg["num_experts_per_tok"] * 3 * d * cfg["expert_intermediate_size"] + cfg["num_experts"] * d
    return L * (attn + moe) + V * d  # embedding lookup not counted; lm_head counted


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--cpu-time", action="store_true",
                    help="count the CPU time of this thread (time.thread_time) instead of wall time, as dlab bench --cpu-time")
    ap.add_argument("--model", help="also time a model folder (e.g. Experiments/models/tiny-llada-moe) at 64/256/1024 tokens")
    args = ap.parse_args()
    clock = time.thread_time if args.cpu_time else time.perf_counter
    print(f"torch {torch.__version__} threads {torch.get_num_threads()} clock {'cpu' if args.cpu_time else 'wall'}", flush=True)
    runs = [(name, spec, lengths) for name, (spec, lengths) in CONFIGS.items() if not args.only or name in args.only]
    if args.model:
        runs.insert(0, (os.path.basename(os.path.normpath(args.model)), args.model, [64, 256, 1024]))
    for name, spec, lengths in runs:
        if isinstance(spec, str):
            model, cfg = lladamoe.load_hf_folder(spec)
        else:
            model, cfg = build(spec)
        n = sum(p.numel() for p in model.parameters())
        print(f"config {name} {json.dumps(cfg, separators=(',', ':'))} params={n} active={active_params(cfg)}",
              flush=True)
        for T in [t for t in lengths if t <= cfg["max_position_embeddings"]]:
            ids = torch.randint(3, cfg["vocab_size"], (1, T), generator=torch.Generator().manual_seed(T))
            for attn in ("eager", "sdpa"):
                lladamoe.USE_SDPA = attn == "sdpa"
                times = []
                with torch.no_grad():
                    for i in range(args.warmup + args.runs):
                        t0 = clock()
                        model(ids)
                        dt = (clock() - t0) * 1000
                        if i >= args.warmup:
                            times.append(dt)
                print(f"pytorch config={name} attn={attn} tokens={T} ms={statistics.median(times):.3f} "
                      f"min={min(times):.3f} runs={len(times)}", flush=True)

if __name__ == "__main__":
    main()
