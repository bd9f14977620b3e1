"""Trains the shipped tiny DiffusionGemma-format model (uniform-state block diffusion) on task JSONL exported by
dlab, with transformers' own DiffusionGemma classes (transformers 5.23, CPU).

  dlab tasks export addition --split train --count 300000 --seed 1 > /tmp/addition.jsonl   (one file per task)
  /work/venv-gemma/bin/python Experiments/models/tools/train_tiny_diffusiongemma.py \
      --data /tmp/data/{addition,sorting,sudoku4,decomp}.train.jsonl --task-weights 1 1 1 2 \
      --eval-data /tmp/data/{addition,sorting,sudoku4,decomp}.eval.jsonl --minutes 35

Each JSONL line: {"task", "version", "split", "index", "prompt", "answer"}; within a task every prompt has one
length P and every answer one length G. The prompt is the encoder's input, the answer the decoder's canvas
(canvas length = answer length; no EOS, the tasks have fixed answer lengths).
Objective, as the DiffusionGemma SFT recipes describe it (NeMo Megatron-Bridge `diffusion_gemma_step`, NeMo
AutoModel `DiffusionGemmaSFTRecipe`): one corruption level t ~ U(eps, 1) per example (stratified over the batch),
each answer token replaced by a uniformly random vocabulary token with probability t (no mask token);
cross-entropy on the clean token at every canvas position; detached two-pass self-conditioning: a first decoder
pass without self-conditioning, its logits detached and fed to the second pass for a random half of the examples
(`self_conditioning_mask`), the loss taken on the second pass. The encoder (the same weights, causal) runs once
over the clean prompt and the decoder reads its KV cache, as at inference. Unlike the SFT recipes (which fine-tune
a pretrained model with a frozen router) this trains from scratch, so the router trains too, with a small Switch
load-balancing term (--aux-coef; the reference objective has none).
Evaluation uses transformers' own `generate()` with the checkpoint's sampler defaults (entropy-bound sampler,
48 steps, entropy bound 0.1, temperature 0.8 -> 0.4, adaptive stop); the log's verifiers are light Python guesses
of the task formats (the product scores with the Swift tasks).
Saves a Hugging Face folder written by `save_pretrained` (F32; a 912-parameter stub vision tower, since the class
always builds one), tokenizer.json, generation_config.json, train_log.json and README.md.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_tiny_llada_moe import TaskData, read_jsonl, verifier_for  # noqa: E402  (data and log verifiers)
import lladamoe  # noqa: E402  (the shared tokenizer builder)
from transformers import DiffusionGemmaConfig, DiffusionGemmaForBlockDiffusion  # noqa: E402
from transformers.cache_utils import DynamicCache  # noqa: E402
from transformers.models.diffusion_gemma import generation_diffusion_gemma as gen  # noqa: E402
from transformers.models.diffusion_gemma.modeling_diffusion_gemma import DiffusionGemmaTextRouter  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SPECIALS = ["<pad>", "<eos>", "<bos>"]  # ids 0, 1, 2: DiffusionGemma's pad, eos, bos
STUB_VISION = dict(model_type="gemma4_vision", hidden_size=8, intermediate_size=8, num_hidden_layers=1,
                   num_attention_heads=1, num_key_value_heads=1, head_dim=8, position_embedding_size=4, patch_size=2)
SAMPLER_DEFAULTS = dict(max_denoising_steps=48, t_min=0.4, t_max=0.8, stability_threshold=1,
                        confidence_threshold=0.005, eos_token_id=[1], pad_token_id=0, bos_token_id=2)


def build_tokenizer(chars):
    return lladamoe.build_tokenizer(chars, SPECIALS)


def make_config(args, vocab_size, canvas_length, max_positions):
    kinds = ["sliding_attention" if (i % 2 == 0 and i != args.layers - 1) else "full_attention"
             for i in range(args.layers)]
    text = dict(vocab_size=vocab_size, hidden_size=args.d_model, intermediate_size=args.ffn,
                num_hidden_layers=args.layers, num_attention_heads=args.heads, num_key_value_heads=args.kv_heads,
                head_dim=args.d_model // args.heads, global_head_dim=args.d_model // args.heads,
                num_global_key_value_heads=1, layer_types=kinds, sliding_window=args.window,
                num_experts=args.experts, top_k_experts=args.top_k, moe_intermediate_size=args.expert_ffn,
                max_position_embeddings=max_positions, pad_token_id=0, eos_token_id=1, bos_token_id=2,
                use_bidirectional_attention="vision")
    return DiffusionGemmaConfig(text_config=text, vision_config=STUB_VISION, canvas_length=canvas_length)


class RouterLog:
    """Switch load balancing over every router call of a forward: E * sum_e f_e * P_e (1.0 when uniform)."""

    def __init__(self, model):
        self.calls = []
        for m in model.modules():
            if isinstance(m, DiffusionGemmaTextRouter):
                m.register_forward_hook(lambda mod, inp, out: self.calls.append((out[0], out[2])))

    def loss(self):
        total = 0.0
        for probs, index in self.calls:
            experts = probs.shape[-1]
            f = torch.bincount(index.flatten(), minlength=experts).float() / index.numel()
            total = total + experts * (f * probs.mean(0)).sum()
        n = max(len(self.calls), 1)
        self.calls = []
        return total / n


def diffusion_loss(model, x, P, G, vocab, eps, sc_prob, gen_):
    """x: [B, P+G] clean ids. Uniform-state corruption of the answer, two-pass self-conditioning."""
    B = x.shape[0]
    prompt, clean = x[:, :P], x[:, P:]
    u = (torch.arange(B) + torch.rand(B, generator=gen_)) / B            # stratified in (0, 1)
    t = eps + (1 - eps) * u[torch.randperm(B, generator=gen_)]
    replace = torch.rand(B, G, generator=gen_) < t[:, None]
    noise = torch.randint(0, vocab, (B, G), generator=gen_)
    noisy = torch.where(replace, noise, clean)
    cache = DynamicCache(config=model.config.text_config)
    model.model.encoder(input_ids=prompt, past_key_values=cache)        # causal, clean prompt, with gradients
    positions = torch.arange(P, P + G)[None].expand(B, -1)
    sc_mask = torch.rand(B, generator=gen_) < sc_prob
    sc_logits = None
    if sc_mask.any():
        with torch.no_grad():
            sc_logits = model(decoder_input_ids=noisy, past_key_values=cache, decoder_position_ids=positions).logits
    logits = model(decoder_input_ids=noisy, past_key_values=cache, decoder_position_ids=positions,
                   self_conditioning_logits=sc_logits,
                   self_conditioning_mask=sc_mask if sc_logits is not None else None).logits
    return F.cross_entropy(logits.flatten(0, 1), clean.flatten())


@torch.no_grad()
def evaluate(model, sets, itos, n=100, steps=None):
    """Accuracy with transformers' generate() and the checkpoint's sampler defaults (steps overridable)."""
    model.eval()
    stoi = {c: i for i, c in enumerate(itos)}
    acc = {}
    for name, rows in sets.items():
        rows = rows[:n]
        kind, verify = verifier_for(name)
        G = len(rows[0]["answer"])
        prompts = torch.tensor([[stoi[c] for c in r["prompt"]] for r in rows])
        model.config.canvas_length = G
        kwargs = {"max_new_tokens": G}
        if steps is not None:
            kwargs["max_denoising_steps"] = steps
        torch.manual_seed(1234)
        out = model.generate(prompts, **kwargs)
        answers = out.sequences[:, prompts.shape[1]:]
        ok = [verify(r["prompt"], "".join(itos[i] if i >= len(SPECIALS) else "?" for i in a.tolist()), r["answer"])
              for r, a in zip(rows, answers)]
        acc[name] = {"acc": sum(ok) / len(ok), "n": len(ok), "scorer": kind,
                     "tokens_per_forward": float(out.tokens_per_forward.mean())}
    model.train()
    return acc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", nargs="+", required=True, help="training JSONL, one file per task")
    ap.add_argument("--task-weights", nargs="+", type=float, help="loss weight per --data file (default 1)")
    ap.add_argument("--eval-data", nargs="+", help="held-out JSONL per task (else: first 100 train rows)")
    ap.add_argument("--vocab-data", nargs="+", help="JSONL whose characters join the vocabulary (no training)")
    ap.add_argument("--minutes", type=float, default=35.0, help="wall-clock training budget")
    ap.add_argument("--out", default=os.path.join(ROOT, "Experiments", "models", "tiny-diffusiongemma"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=64, help="examples per task per step")
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4, help="alternating sliding/full, the last full")
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2, help="sliding layers; full layers have 1 (K = V)")
    ap.add_argument("--window", type=int, default=32, help="sliding window")
    ap.add_argument("--ffn", type=int, default=128, help="dense MLP and self-conditioning width")
    ap.add_argument("--experts", type=int, default=8)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--expert-ffn", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--aux-coef", type=float, default=0.01)
    ap.add_argument("--sc-prob", type=float, default=0.5, help="share of examples trained with self-conditioning")
    ap.add_argument("--eps", type=float, default=1e-3, help="t ~ U(eps, 1)")
    ap.add_argument("--log-every", type=float, default=30.0, help="seconds")
    ap.add_argument("--eval-every", type=float, default=8.0, help="minutes")
    ap.add_argument("--final-steps", nargs="+", type=int, default=[1, 2, 4, 8, 16, 48],
                    help="max_denoising_steps values of the final accuracy table")
    args = ap.parse_args()
    weights = args.task_weights or [1.0] * len(args.data)
    if len(weights) != len(args.data):
        sys.exit("--task-weights needs one value per --data file")
    if args.eval_data and len(args.eval_data) != len(args.data):
        sys.exit("--eval-data needs one file per --data file")

    torch.manual_seed(args.seed)
    train_rows = [read_jsonl(p) for p in args.data]
    eval_rows = [read_jsonl(p) for p in args.eval_data] if args.eval_data else [r[:100] for r in train_rows]
    extra_rows = [read_jsonl(path) for path in (args.vocab_data or [])]
    chars = sorted({c for rows in train_rows + eval_rows + extra_rows for r in rows for c in r["prompt"] + r["answer"]})
    itos = SPECIALS + chars
    stoi = {c: i for i, c in enumerate(itos)}
    tasks = [TaskData(rows, stoi, args.seed * 1000 + i) for i, rows in enumerate(train_rows)]
    eval_sets = {rows[0]["task"]: rows for rows in eval_rows}
    longest = max(len(r["prompt"]) + len(r["answer"]) for rows in train_rows + eval_rows + extra_rows for r in rows)

    config = make_config(args, len(itos), max(t.G for t in tasks), max(1024, longest))
    model = DiffusionGemmaForBlockDiffusion(config)
    model.generation_config = gen.DiffusionGemmaGenerationConfig(
        sampler_config=gen.EntropyBoundSamplerConfig(entropy_bound=0.1), max_new_tokens=config.canvas_length,
        **SAMPLER_DEFAULTS)
    model.train()
    routers = RouterLog(model)
    params = {id(p): p for p in model.parameters()}.values()  # tied tensors once
    text_params = [p for n, p in model.named_parameters() if "vision" not in n]
    n_params = sum(p.numel() for n, p in model.named_parameters() if "vision" not in n)
    decay = [p for p in text_params if p.dim() >= 2]
    no_decay = [p for p in text_params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98))
    gen_ = torch.Generator().manual_seed(args.seed)
    names = [t.name for t in tasks]
    print(f"params {n_params:,} (text; {len(list(params))} tensors)  vocab {len(itos)} {''.join(chars)!r}  tasks "
          + ", ".join(f"{t.name}(P={t.P},G={t.G},n={len(t.ids)},w={w})" for t, w in zip(tasks, weights)), flush=True)

    log = {"command": " ".join([os.path.basename(sys.executable)] + sys.argv), "args": vars(args),
           "params": n_params, "vocab": itos, "config": config.to_dict(), "tasks": {}, "logs": [], "evals": []}
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
            lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * elapsed / budget)))
            lr *= min(1.0, (step + 1) / args.warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad(set_to_none=True)
            aux_total = 0.0
            for t, w in zip(tasks, weights):
                loss = diffusion_loss(model, t.batch(args.batch), t.P, t.G, len(itos), args.eps, args.sc_prob, gen_)
                aux = routers.loss()
                (w * loss + args.aux_coef * aux / len(tasks)).backward()
                acc_loss[t.name] += loss.item()
                aux_total += aux.item() / len(tasks)
            torch.nn.utils.clip_grad_norm_(text_params, 1.0)
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
                res = evaluate(model, eval_sets, itos, n=50)
                routers.calls = []
                log["evals"].append({"step": step, "minutes": round((now - start) / 60, 3), "acc": res})
                print(f"eval step {step}: " + "  ".join(f"{n} {r['acc'] * 100:.0f}%" for n, r in res.items()), flush=True)
                last_eval = time.time()
    except KeyboardInterrupt:
        print("interrupted: saving what we have", flush=True)

    minutes = (time.time() - start) / 60
    log["steps"], log["minutes"] = step, round(minutes, 3)
    model.eval()
    model.config.canvas_length = max(t.G for t in tasks)
    model.save_pretrained(args.out)
    build_tokenizer(chars).save(os.path.join(args.out, "tokenizer.json"), pretty=True)
    print(f"saved {args.out} after {step} steps ({minutes:.1f} min)", flush=True)

    table = {}
    for steps in args.final_steps:
        table[steps] = evaluate(model, eval_sets, itos, n=200, steps=steps)
        routers.calls = []
        print(f"final, max_denoising_steps {steps}: " + "  ".join(
            f"{n} {r['acc'] * 100:.1f}% ({r['tokens_per_forward']:.2f} tok/fwd)" for n, r in table[steps].items()), flush=True)
    log["final"] = {str(k): v for k, v in table.items()}
    with open(os.path.join(args.out, "train_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    write_card(args, log, tasks, table)


def write_card(args, log, tasks, table):
    last = log["logs"][-min(len(log["logs"]), 5):] if log["logs"] else []
    final = {n: sum(e["loss"][n] for e in last) / len(last) for n in last[0]["loss"]} if last else {}
    c = log["config"]["text_config"]
    names = list(next(iter(table.values())).keys())
    lines = [
        "# tiny-diffusiongemma", "",
        "A tiny uniform-state block-diffusion LM in the DiffusionGemma format (transformers",
        "`DiffusionGemmaForBlockDiffusion`, google/diffusiongemma-26B-A4B-it tensor names and config layout), trained on",
        "DiffusionLab's built-in tasks. Load it with `dlab` like any Hugging Face folder, or with transformers 5.23.", "",
        "## Model", "",
        f"- {log['params']:,} parameters (text); d_model {c['hidden_size']}, {c['num_hidden_layers']} layers "
        f"({', '.join(c['layer_types'])}; sliding window {c['sliding_window']}), {c['num_attention_heads']} heads of "
        f"{c['head_dim']}, {c['num_key_value_heads']} KV heads on sliding layers and 1 K=V head on full layers, "
        f"dense GELU MLP {c['intermediate_size']} beside {c['num_experts']} experts top-{c['top_k_experts']} "
        f"(FFN {c['moe_intermediate_size']}), self-conditioning MLP {c['intermediate_size']}, tied embeddings, "
        "logit soft-cap 30, default RoPE (θ 10⁴) on sliding and proportional RoPE (¼ of the pairs, θ 10⁶) on full layers",
        f"- vocabulary {c['vocab_size']}: `<pad>` `<eos>` `<bos>` + `{''.join(log['vocab'][3:])}`; no mask token",
        "- the prompt is the encoder's input; the answer is one canvas of exactly the answer's length (no EOS)",
        "- weights F32 (`model.safetensors`), plus a 912-parameter stub vision tower that the class always builds "
        "(never used)", "",
        "## Training", "",
        "```", log["command"], "```", "",
        f"- {log['steps']} steps in {log['minutes']:.1f} min (1 CPU thread), batch {args.batch} per task, seed {args.seed}",
        f"- objective: uniform-state diffusion: t ~ U({args.eps:g}, 1) per example (stratified), each answer token "
        "replaced by a uniformly random token with probability t; cross-entropy on every answer position; detached "
        f"two-pass self-conditioning on {args.sc_prob:g} of the examples (as the DiffusionGemma SFT recipes of NeMo "
        f"Megatron-Bridge / AutoModel); Switch load balancing x {args.aux_coef:g} (from scratch, so the router trains)",
        f"- AdamW (0.9, 0.98), lr {args.lr:g}, weight decay {args.weight_decay:g} (matrices only), "
        f"{args.warmup} warmup steps, cosine on wall-clock to 5%, grad clip 1.0", "",
        "| task | version | prompt len | answer len | train examples | weight | final loss (last logs) |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in tasks:
        i = log["tasks"][t.name]
        lines.append(f"| {t.name} | {i['version']} | {t.P} | {t.G} | {i['train_examples']} | {i['weight']:g} | "
                     f"{final.get(t.name, float('nan')):.4f} |")
    lines += ["", "## Accuracy vs steps", "",
              "transformers' own `generate()` with the checkpoint's sampler (`generation_config.json`: entropy-bound "
              "renoise sampler, entropy bound 0.1, temperature 0.8 → 0.4, adaptive stop when the argmax holds and the "
              "mean entropy < 0.005), `max_denoising_steps` as given, 200 held-out examples per task, seed 1234; "
              "tokens per forward in parentheses (the adaptive stop ends early). Scorers: the training log's Python "
              "verifiers (sudoku: valid completion; decomp: a+b=n; else exact match).", "",
              "| max steps | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for steps, res in table.items():
        lines.append(f"| {steps}{' (default)' if steps == 48 else ''} | " + " | ".join(
            f"{res[n]['acc'] * 100:.1f}% ({res[n]['tokens_per_forward']:.2f})" for n in names) + " |")
    lines += ["", "Full log: `train_log.json`.", ""]
    with open(os.path.join(args.out, "README.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
