"""Trains the shipped tiny autoregressive MoE with MTP modules (model_type `ar_moe_mtp`) on task JSONL from dlab.

Same data, vocabulary, backbone shape and CPU budget as train_tiny_llada_moe.py (see the tiny-llada-moe model
card for the `dlab tasks export` commands); the difference is the objective:

  sequence = prompt + answer; main loss = next-token cross-entropy on the answer tokens;
  MTP module k (k = 1..K) at position i predicts t_{i+k+1}, cross-entropy on answer targets;
  loss = main + (lambda / K) * sum_k MTP_k + aux * Switch load balancing   (DeepSeek-V3, arXiv:2412.19437, eq. 25)

  python Experiments/models/tools/train_tiny_ar_mtp.py --data /tmp/data/addition.train.jsonl ... \
      --eval-data /tmp/data/addition.eval.jsonl ... --vocab-data /tmp/data/sudoku9.eval.jsonl --minutes 30

Saves an HF folder (F32) with train_log.json and a README.md model card skeleton.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_tiny_llada_moe import read_jsonl, TaskData, verifier_for, init_weights, lb_loss  # noqa: E402
from lladamoe import SPECIAL_TOKENS, load_tokenizer  # noqa: E402
from ar_mtp import ARMoEMTP, make_ar_config, save_hf_folder  # noqa: E402

torch.set_num_threads(1)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def ar_loss(model, x, P, G):
    """x: [B, P+G]. Returns (main CE, [module k CE], aux) on answer targets."""
    T = P + G
    main, extra = model(x)
    ce_main = F.cross_entropy(main[:, P - 1:T - 1].flatten(0, 1), x[:, P:].flatten())
    ce_mtp = []
    for k, logits in enumerate(extra, start=1):
        # row i predicts t_{i+k+1}; answer targets t_P .. t_{T-1} come from rows P-k-1 .. T-k-2
        lo = max(P - k - 1, 0)
        rows = logits[:, lo:T - k - 1]
        ce_mtp.append(F.cross_entropy(rows.flatten(0, 1), x[:, lo + k + 1:].flatten()))
    return ce_main, ce_mtp, lb_loss(model)


@torch.no_grad()
def greedy_with_drafts(model, prompts, G):
    """Greedy AR (full recompute) and, on its own output, the top-1 agreement of each MTP module's draft with the
    main model's next greedy token (the acceptance of a greedy draft at that depth, teacher-forced)."""
    B, P = prompts.shape
    x = prompts.clone()
    for _ in range(G):
        main, _ = model(x, modules=0)
        logits = main[:, -1].clone()
        logits[:, :len(SPECIAL_TOKENS)] = -float("inf")
        x = torch.cat([x, logits.argmax(-1, keepdim=True)], dim=1)
    _, extra = model(x)
    agree = []
    for k, logits in enumerate(extra, start=1):
        # module k at row i predicts t_{i+k+1}; compare on answer targets
        lo = P - k - 1
        pred = logits[:, lo:P + G - k - 1].argmax(-1)
        agree.append((pred == x[:, lo + k + 1:]).float().mean().item())
    return x[:, P:], agree


def evaluate(model, sets, itos, n=100):
    model.eval()
    stoi = {c: i for i, c in enumerate(itos)}
    out = {}
    for name, rows in sets.items():
        rows = rows[:n]
        kind, ver = verifier_for(name)
        prompts = torch.tensor([[stoi[c] for c in r["prompt"]] for r in rows])
        gen, agree = greedy_with_drafts(model, prompts, len(rows[0]["answer"]))
        ok = [ver(r["prompt"], "".join(itos[i] for i in o.tolist()), r["answer"]) for r, o in zip(rows, gen)]
        out[name] = {"acc": sum(ok) / len(ok), "n": len(ok), "scorer": kind, "mtp_agreement": agree}
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", nargs="+", required=True)
    ap.add_argument("--task-weights", nargs="+", type=float)
    ap.add_argument("--eval-data", nargs="+")
    ap.add_argument("--vocab-data", nargs="+")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--out", default=os.path.join(ROOT, "Experiments", "models", "tiny-ar-mtp"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--experts", type=int, default=8)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--expert-ffn", type=int, default=128)
    ap.add_argument("--mtp", type=int, default=4, help="MTP modules (drafts up to this many tokens)")
    ap.add_argument("--mtp-ffn", type=int, default=128, help="dense SwiGLU width of the MTP blocks")
    ap.add_argument("--mtp-lambda", type=float, default=0.3)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--aux-coef", type=float, default=0.01)
    ap.add_argument("--log-every", type=float, default=30.0)
    ap.add_argument("--eval-every", type=float, default=5.0)
    args = ap.parse_args()
    weights = args.task_weights or [1.0] * len(args.data)

    torch.manual_seed(args.seed)
    train_rows = [read_jsonl(p) for p in args.data]
    eval_rows = [read_jsonl(p) for p in args.eval_data] if args.eval_data else [r[:100] for r in train_rows]
    extra_rows = [read_jsonl(p) for p in (args.vocab_data or [])]
    chars = sorted({c for rows in train_rows + eval_rows + extra_rows for r in rows for c in r["prompt"] + r["answer"]})
    itos = SPECIAL_TOKENS + chars
    stoi = {c: i for i, c in enumerate(itos)}
    tasks = [TaskData(rows, stoi, args.seed * 1000 + i) for i, rows in enumerate(train_rows)]
    eval_sets = {rows[0]["task"]: rows for rows in eval_rows}

    # MTP blocks are dense SwiGLU (mtp_moe_layer_freq 0): the backbone keeps the diffusion model's shape.
    cfg = make_ar_config(args.mtp, mtp_moe=False, vocab_size=len(itos), hidden_size=args.d_model,
                         num_hidden_layers=args.layers, num_attention_heads=args.heads, num_key_value_heads=args.heads,
                         num_experts=args.experts, num_experts_per_tok=args.top_k, expert_intermediate_size=args.expert_ffn,
                         dense_intermediate_size=args.mtp_ffn, shared_expert_intermediate_size=None,
                         norm_topk_prob=True, rope_theta=10000.0, partial_rotary_factor=1.0, rms_norm_eps=1e-5,
                         max_position_embeddings=max(2048, max(t.P + t.G for t in tasks)))
    model = ARMoEMTP(cfg)
    init_weights(model)
    model.train()
    n_params = sum(p.numel() for p in model.parameters())
    n_mtp = sum(p.numel() for l in model.model.layers[args.layers:] for p in l.parameters())
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98))
    names = [t.name for t in tasks]
    print(f"params {n_params:,} (MTP modules {n_mtp:,})  vocab {len(itos)}  tasks "
          + ", ".join(f"{t.name}(P={t.P},G={t.G},w={w})" for t, w in zip(tasks, weights)), flush=True)
    log = {"command": " ".join([os.path.basename(sys.executable)] + sys.argv), "args": vars(args),
           "params": n_params, "mtp_params": n_mtp, "vocab": itos, "config": cfg, "tasks": {}, "logs": [], "evals": []}
    for t, w in zip(tasks, weights):
        log["tasks"][t.name] = {"version": t.version, "prompt_len": t.P, "answer_len": t.G,
                                "train_examples": len(t.ids), "weight": w}
    budget = args.minutes * 60.0
    start = last_log = last_eval = time.time()
    step, acc, acc_n = 0, {n: [0.0] * (1 + args.mtp) for n in names}, 0
    try:
        while time.time() - start < budget:
            frac = (time.time() - start) / budget
            lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac))) * min(1.0, (step + 1) / args.warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad(set_to_none=True)
            for t, w in zip(tasks, weights):
                ce_main, ce_mtp, aux = ar_loss(model, t.batch(args.batch), t.P, t.G)
                loss = ce_main + args.mtp_lambda / max(len(ce_mtp), 1) * sum(ce_mtp)
                (w * loss + args.aux_coef * aux / len(tasks)).backward()
                for i, v in enumerate([ce_main] + ce_mtp):
                    acc[t.name][i] += v.item()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            acc_n += 1
            now = time.time()
            if now - last_log >= args.log_every:
                entry = {"step": step, "minutes": round((now - start) / 60, 3), "lr": lr,
                         "loss": {n: [v / acc_n for v in acc[n]] for n in names}}
                log["logs"].append(entry)
                print(f"step {step:6d} {entry['minutes']:6.2f} min  " + "  ".join(
                    f"{n} " + "/".join(f"{v:.3f}" for v in l) for n, l in entry["loss"].items()), flush=True)
                acc, acc_n, last_log = {n: [0.0] * (1 + args.mtp) for n in names}, 0, now
            if now - last_eval >= args.eval_every * 60:
                res = evaluate(model, eval_sets, itos, n=50)
                log["evals"].append({"step": step, "minutes": round((now - start) / 60, 3), "acc": res})
                print(f"eval step {step}: " + "  ".join(f"{n} {r['acc'] * 100:.0f}%" for n, r in res.items()), flush=True)
                last_eval = time.time()
    except KeyboardInterrupt:
        print("interrupted: saving what we have", flush=True)
    minutes = (time.time() - start) / 60
    # On a shared machine wall time overstates the compute: record this process's CPU time too.
    log["steps"], log["minutes"], log["cpu_minutes"] = step, round(minutes, 3), round(time.process_time() / 60, 3)
    save_hf_folder(model, cfg, chars, args.out, torch.float32)   # save before the slow final evaluation
    model.eval()
    res = evaluate(model, eval_sets, itos)
    log["evals"].append({"step": step, "minutes": round(minutes, 3), "acc": res, "final": True})
    print(f"final step {step} ({minutes:.1f} min wall, {log['cpu_minutes']:.1f} min CPU): " + "  ".join(
        f"{n} {r['acc'] * 100:.0f}% mtp " + "/".join(f"{a:.2f}" for a in r["mtp_agreement"]) for n, r in res.items()),
        flush=True)
    tok = load_tokenizer(args.out)
    sample = train_rows[0][0]["prompt"] + train_rows[0][0]["answer"]
    assert tok.encode(sample).ids == [stoi[c] for c in sample], "tokenizer.json disagrees with training ids"
    with open(os.path.join(args.out, "train_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    print(f"saved {args.out}", flush=True)


if __name__ == "__main__":
    main()
