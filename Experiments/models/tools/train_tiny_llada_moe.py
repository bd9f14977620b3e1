"""Trains the shipped tiny LLaDA-MoE masked-diffusion model on task JSONL exported by dlab.

  dlab tasks export add    --split train --count 200000 --seed 1 > /tmp/add.jsonl      (one file per task)
  /work/venv/bin/python Experiments/models/tools/train_tiny_llada_moe.py \
      --data /tmp/add.jsonl /tmp/sudoku.jsonl --task-weights 1 1 \
      --eval-data /tmp/add-eval.jsonl /tmp/sudoku-eval.jsonl --minutes 30

Each JSONL line: {"task", "version", "split", "index", "prompt", "answer"}; within a task every prompt has
one length P and every answer one length G. Sequence = prompt + answer; only answer tokens are masked.
Objective (LLaDA/MDLM): t ~ U(eps, 1) stratified over the batch, each answer token masked with prob t,
cross-entropy on masked tokens weighted 1/t, divided by B*G; plus 0.01 x Switch load-balancing loss.
Saves an HF folder (F32) with train_log.json and a README.md model card skeleton.
"""
import argparse
import ast
import json
import math
import os
import sys
import time
from fractions import Fraction

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lladamoe import LLaDAMoEModelLM, make_config, save_hf_folder, load_tokenizer, SPECIAL_TOKENS, MASK_ID  # noqa

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


# ----------------------------------------------------------------------------------------------- data

def read_jsonl(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if not rows:
        sys.exit(f"{path}: no examples")
    names = {r["task"] for r in rows}
    if len(names) != 1:
        sys.exit(f"{path}: expected one task per file, found {sorted(names)}")
    P, G = {len(r["prompt"]) for r in rows}, {len(r["answer"]) for r in rows}
    if len(P) != 1 or len(G) != 1:
        sys.exit(f"{path}: prompt lengths {sorted(P)} / answer lengths {sorted(G)} are not fixed")
    return rows


class TaskData:
    """Cycles through one task's examples, reshuffled every epoch from the seed."""
    def __init__(self, rows, stoi, seed):
        self.name, self.version = rows[0]["task"], rows[0].get("version")
        self.P, self.G = len(rows[0]["prompt"]), len(rows[0]["answer"])
        self.ids = torch.tensor([[stoi[c] for c in r["prompt"] + r["answer"]] for r in rows])
        self.rng = np.random.default_rng(seed)
        self.order, self.pos, self.epoch = self.rng.permutation(len(rows)), 0, 0

    def batch(self, B):
        out = []
        while len(out) < B:
            if self.pos == len(self.order):
                self.order, self.pos, self.epoch = self.rng.permutation(len(self.order)), 0, self.epoch + 1
            take = min(B - len(out), len(self.order) - self.pos)
            out.extend(self.order[self.pos:self.pos + take].tolist())
            self.pos += take
        return self.ids[out]


# ------------------------------------------------------------------------------------------ verifiers
# Light scorers for the training log only (the product's scorers are the Swift ones). Formats are the
# spike's; anything that does not parse scores 0, and unknown tasks fall back to exact match.

def _ints(s):
    out, cur = [], ""
    for ch in s + " ":
        if ch.isdigit():
            cur += ch
        elif cur:
            out.append(int(cur)); cur = ""
    return out


def verify_sudoku(prompt, answer, ref):
    cells = [c for c in prompt if c.isdigit() or c in "._"]
    n2 = len(answer)
    n = int(round(math.sqrt(n2)))
    b = int(round(math.sqrt(n)))
    if n * n != n2 or b * b != n or len(cells) < n2 or not answer.isdigit():
        return answer == ref
    cells = cells[-n2:]
    if any(c.isdigit() and c != a for c, a in zip(cells, answer)):
        return False
    g = [[int(answer[r * n + c]) for c in range(n)] for r in range(n)]
    want = set(range(1, n + 1))
    rows = all(set(r) == want for r in g)
    cols = all({g[r][c] for r in range(n)} == want for c in range(n))
    boxes = all({g[br + i][bc + j] for i in range(b) for j in range(b)} == want
                for br in range(0, n, b) for bc in range(0, n, b))
    return rows and cols and boxes


def verify_decomp(prompt, answer, ref):
    """Any a+b = n, with n the (last) number in the prompt."""
    nums, parts = _ints(prompt), answer.split("+")
    if not nums or len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return False
    return int(parts[0]) + int(parts[1]) == nums[-1]


def _eval_expr(node, used):
    if isinstance(node, ast.Expression):
        return _eval_expr(node.body, used)
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        used.append(node.value)
        return Fraction(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div):
        a, b = _eval_expr(node.left, used), _eval_expr(node.right, used)
        op = type(node.op)
        return a + b if op is ast.Add else a - b if op is ast.Sub else a * b if op is ast.Mult else a / b
    raise ValueError("unsupported expression")


def verify_countdown(prompt, answer, ref):
    """Answer is an arithmetic expression over a sub-multiset of the prompt's numbers equal to its
    last number (the target). Padding characters ('_', '.', ' ') are ignored."""
    nums = _ints(prompt)
    if len(nums) < 2:
        return answer == ref
    target, pool = nums[-1], list(nums[:-1])
    expr = answer.strip(" _.").replace("x", "*")
    try:
        used = []
        val = _eval_expr(ast.parse(expr, mode="eval"), used)
    except (SyntaxError, ValueError, ZeroDivisionError):
        return False
    for u in used:
        if u not in pool:
            return False
        pool.remove(u)
    return val == target


def verifier_for(task):
    t = task.lower()
    if "sudoku" in t:
        return "sudoku", verify_sudoku
    if "decomp" in t:
        return "decomp", verify_decomp
    if "countdown" in t:
        return "countdown", verify_countdown
    return "exact", lambda p, a, r: a == r


# --------------------------------------------------------------------------------------------- model

def init_weights(model, std=0.02):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1:
                p.fill_(1.0)                 # RMSNorm weights
            else:
                p.normal_(0.0, std)


def lb_loss(model):
    """Switch load balancing, averaged over MoE layers: E * sum_e f_e * P_e (1.0 when uniform)."""
    total = 0.0
    layers = model.moe_layers()
    for m in layers:
        probs, idx = m.last_router_probs, m.last_topk             # [N, E], [N, k]
        f = torch.bincount(idx.flatten(), minlength=m.E).float() / idx.numel()
        total = total + m.E * (f * probs.mean(0)).sum()
    return total / max(len(layers), 1)


def mdlm_loss(model, x, P, G, eps, gen):
    """x: [B, P+G] clean ids. Returns (loss, aux) for one task batch."""
    B = x.shape[0]
    u = (torch.arange(B) + torch.rand(B, generator=gen)) / B          # stratified in (0, 1)
    t = eps + (1 - eps) * u[torch.randperm(B, generator=gen)]         # [B]
    masked = torch.zeros_like(x, dtype=torch.bool)
    masked[:, P:] = torch.rand(B, G, generator=gen) < t[:, None]      # answer tokens only
    logits = model(torch.where(masked, torch.full_like(x, MASK_ID), x))   # [B, T, V]
    ce = F.cross_entropy(logits.flatten(0, 1), x.flatten(), reduction="none").view_as(x)
    loss = (ce * masked / t[:, None]).sum() / (B * G)
    return loss, lb_loss(model)


@torch.no_grad()
def greedy_confidence(model, prompts, G):
    """LLaDA low-confidence remasking, steps = G (one token per step), specials never predicted."""
    B, P = prompts.shape
    x = torch.cat([prompts, torch.full((B, G), MASK_ID)], dim=1)
    for _ in range(G):
        logits = model(x)[:, P:].float()
        logits[..., :len(SPECIAL_TOKENS)] = -float("inf")
        p = logits.softmax(-1)
        conf, pred = p.max(-1)                                         # [B, G]
        conf = torch.where(x[:, P:] == MASK_ID, conf, torch.full_like(conf, -1.0))
        pos = conf.argmax(-1)                                          # [B]
        rows = torch.arange(B)
        x[rows, P + pos] = pred[rows, pos]
    return x[:, P:]


def evaluate(model, sets, itos, n=100):
    model.eval()
    acc = {}
    for name, rows in sets.items():
        rows = rows[:n]
        kind, ver = verifier_for(name)
        stoi = {c: i for i, c in enumerate(itos)}
        prompts = torch.tensor([[stoi[c] for c in r["prompt"]] for r in rows])
        out = greedy_confidence(model, prompts, len(rows[0]["answer"]))
        ok = [ver(r["prompt"], "".join(itos[i] for i in o.tolist()), r["answer"]) for r, o in zip(rows, out)]
        acc[name] = {"acc": sum(ok) / len(ok), "n": len(ok), "scorer": kind}
    model.train()
    return acc


# ---------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", nargs="+", required=True, help="training JSONL, one file per task")
    ap.add_argument("--task-weights", nargs="+", type=float, help="loss weight per --data file (default 1)")
    ap.add_argument("--eval-data", nargs="+", help="held-out JSONL per task (else: first 100 train rows)")
    ap.add_argument("--vocab-data", nargs="+", help="JSONL whose characters join the vocabulary (no training)")
    ap.add_argument("--minutes", type=float, default=30.0, help="wall-clock training budget")
    ap.add_argument("--out", default=os.path.join(ROOT, "Experiments", "models", "tiny-llada-moe"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=64, help="examples per task per step")
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=None, help="default: = heads")
    ap.add_argument("--experts", type=int, default=8)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--expert-ffn", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--aux-coef", type=float, default=0.01)
    ap.add_argument("--eps", type=float, default=1e-3, help="t ~ U(eps, 1)")
    ap.add_argument("--log-every", type=float, default=30.0, help="seconds")
    ap.add_argument("--eval-every", type=float, default=3.0, help="minutes")
    args = ap.parse_args()
    weights = args.task_weights or [1.0] * len(args.data)
    if len(weights) != len(args.data):
        sys.exit("--task-weights needs one value per --data file")
    if args.eval_data and len(args.eval_data) != len(args.data):
        sys.exit("--eval-data needs one file per --data file")

    torch.manual_seed(args.seed)
    train_rows = [read_jsonl(p) for p in args.data]
    eval_rows = [read_jsonl(p) for p in args.eval_data] if args.eval_data else [r[:100] for r in train_rows]
    # The vocabulary covers the training data plus --vocab-data files (tasks the model is evaluated on without
    # being trained on, e.g. sudoku9), so their prompts tokenize and a sampler can run on them.
    extra_rows = [read_jsonl(path) for path in (args.vocab_data or [])]
    chars = sorted({c for rows in train_rows + eval_rows + extra_rows for r in rows for c in r["prompt"] + r["answer"]})
    itos = SPECIAL_TOKENS + chars
    stoi = {c: i for i, c in enumerate(itos)}
    tasks = [TaskData(rows, stoi, args.seed * 1000 + i) for i, rows in enumerate(train_rows)]
    eval_sets = {rows[0]["task"]: rows for rows in eval_rows}

    cfg = make_config(vocab_size=len(itos), hidden_size=args.d_model, num_hidden_layers=args.layers,
                      num_attention_heads=args.heads, num_key_value_heads=args.kv_heads or args.heads,
                      num_experts=args.experts, num_experts_per_tok=args.top_k,
                      expert_intermediate_size=args.expert_ffn, dense_intermediate_size=args.expert_ffn,
                      shared_expert_intermediate_size=None, norm_topk_prob=True, rope_theta=10000.0,
                      partial_rotary_factor=1.0, rms_norm_eps=1e-5,
                      max_position_embeddings=max(2048, max(t.P + t.G for t in tasks)))
    model = LLaDAMoEModelLM(cfg)
    init_weights(model)
    model.train()
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98))
    gen = torch.Generator().manual_seed(args.seed)
    names = [t.name for t in tasks]
    print(f"params {n_params:,}  vocab {len(itos)} {''.join(chars)!r}  tasks "
          + ", ".join(f"{t.name}(P={t.P},G={t.G},n={len(t.ids)},w={w})" for t, w in zip(tasks, weights)),
          flush=True)

    log = {"command": " ".join([os.path.basename(sys.executable)] + sys.argv), "args": vars(args),
           "params": n_params, "vocab": itos, "config": cfg, "tasks": {}, "logs": [], "evals": []}
    for t, w in zip(tasks, weights):
        log["tasks"][t.name] = {"version": t.version, "prompt_len": t.P, "answer_len": t.G,
                                "train_examples": len(t.ids), "weight": w}
    budget = args.minutes * 60.0
    start = last_log = last_eval = time.time()
    step, acc_loss, acc_aux, acc_n = 0, {n: 0.0 for n in names}, 0.0, 0
    try:
        while True:
            elapsed = time.time() - start
            if elapsed >= budget:
                break
            frac = elapsed / budget
            lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
            lr *= min(1.0, (step + 1) / args.warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad(set_to_none=True)
            aux_total = 0.0
            for t, w in zip(tasks, weights):
                loss, aux = mdlm_loss(model, t.batch(args.batch), t.P, t.G, args.eps, gen)
                (w * loss + args.aux_coef * aux / len(tasks)).backward()
                acc_loss[t.name] += loss.item()
                aux_total += aux.item() / len(tasks)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            acc_aux += aux_total
            acc_n += 1
            now = time.time()
            if now - last_log >= args.log_every:
                entry = {"step": step, "minutes": round((now - start) / 60, 3), "lr": lr,
                         "loss": {n: acc_loss[n] / acc_n for n in names}, "aux": acc_aux / acc_n,
                         "epochs": {t.name: t.epoch for t in tasks}}
                log["logs"].append(entry)
                print(f"step {step:6d}  {entry['minutes']:6.2f} min  lr {lr:.2e}  "
                      + "  ".join(f"{n} {v:.4f}" for n, v in entry["loss"].items())
                      + f"  aux {entry['aux']:.3f}", flush=True)
                acc_loss, acc_aux, acc_n, last_log = {n: 0.0 for n in names}, 0.0, 0, now
            if now - last_eval >= args.eval_every * 60:
                res = evaluate(model, eval_sets, itos)
                log["evals"].append({"step": step, "minutes": round((now - start) / 60, 3), "acc": res})
                print(f"eval step {step}: " + "  ".join(f"{n} {r['acc'] * 100:.0f}% ({r['scorer']})"
                                                         for n, r in res.items()), flush=True)
                last_eval = time.time()
    except KeyboardInterrupt:
        print("interrupted: saving what we have", flush=True)

    minutes = (time.time() - start) / 60
    model.eval()
    res = evaluate(model, eval_sets, itos)
    log["evals"].append({"step": step, "minutes": round(minutes, 3), "acc": res, "final": True})
    log["steps"], log["minutes"] = step, round(minutes, 3)
    print(f"final step {step} ({minutes:.1f} min): " + "  ".join(
        f"{n} {r['acc'] * 100:.0f}% ({r['scorer']}, n={r['n']})" for n, r in res.items()), flush=True)

    save_hf_folder(model, cfg, chars, args.out, torch.float32)
    tok = load_tokenizer(args.out)
    sample = train_rows[0][0]["prompt"] + train_rows[0][0]["answer"]
    assert tok.encode(sample).ids == [stoi[c] for c in sample], "tokenizer.json disagrees with training ids"
    with open(os.path.join(args.out, "train_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    write_card(args, log, tasks, res)
    print(f"saved {args.out}", flush=True)


def write_card(args, log, tasks, res):
    last = log["logs"][-min(len(log["logs"]), 5):] if log["logs"] else []
    final = {n: sum(e["loss"][n] for e in last) / len(last) for n in last[0]["loss"]} if last else {}
    c = log["config"]
    lines = [
        "# tiny-llada-moe", "",
        "A tiny masked-diffusion LM in the LLaDA-MoE format (inclusionAI/LLaDA-MoE-7B-A1B tensor names),",
        "trained on DiffusionLab's built-in tasks. Load it with `dlab` like any Hugging Face folder.", "",
        "## Model", "",
        f"- {log['params']:,} parameters; d_model {c['hidden_size']}, {c['num_hidden_layers']} layers, "
        f"{c['num_attention_heads']} heads (head dim {c['hidden_size'] // c['num_attention_heads']}), "
        f"{c['num_experts']} experts top-{c['num_experts_per_tok']} (FFN {c['expert_intermediate_size']}, "
        f"norm_topk_prob {str(c['norm_topk_prob']).lower()}), no shared expert, RoPE theta {c['rope_theta']:g}",
        f"- vocabulary {c['vocab_size']}: `<pad>` `<mask>` `<eos>` + `{''.join(log['vocab'][3:])}`",
        "- weights F32 (`model.safetensors`)", "",
        "## Training", "",
        "```", log["command"], "```", "",
        f"- {log['steps']} steps in {log['minutes']:.1f} min (1 CPU thread), batch {args.batch} per task, seed {args.seed}",
        f"- objective: LLaDA/MDLM masked diffusion on answer tokens, t ~ U({args.eps:g}, 1) stratified, CE/t; "
        f"Switch load balancing x {args.aux_coef:g}",
        f"- AdamW (0.9, 0.98), lr {args.lr:g}, weight decay {args.weight_decay:g} (matrices only), "
        f"{args.warmup} warmup steps, cosine on wall-clock to 5%, grad clip 1.0", "",
        "| task | version | prompt len | answer len | train examples | weight | final loss (last logs) |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in tasks:
        i = log["tasks"][t.name]
        lines.append(f"| {t.name} | {i['version']} | {t.P} | {t.G} | {i['train_examples']} | {i['weight']:g} | "
                     f"{final.get(t.name, float('nan')):.4f} |")
    lines += ["", "Greedy check at the end of training (Python, confidence order, steps = answer length; "
              "indicative only):", "", "| task | accuracy | n | scorer |", "|---|---|---|---|"]
    lines += [f"| {n} | {r['acc'] * 100:.1f}% | {r['n']} | {r['scorer']} |" for n, r in res.items()]
    lines += ["", "## Accuracy vs steps (measured with dlab)", "", "TODO (lead): tables from `dlab sweep`.", "",
              "Full log: `train_log.json`.", ""]
    with open(os.path.join(args.out, "README.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
