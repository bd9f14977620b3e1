"""Reference trajectories of the published samplers, for Tests/SamplersTests/Fixtures/trajectories.json.

Each `ref_*` function below is my own port of the authors' published sampling function (cited above it), kept in
the structure of the original, with only these changes so that a Swift run can be compared step by step:
  * randomness comes from SplitMix64 (`SeededGenerator` in DiffusionCore), drawn in a fixed order documented in
    each Swift part (per step, per masked position of the block in ascending order: the proposal's draws, then
    the score's; then the transfer rule's draws, one per candidate in position order); torch.multinomial /
    Categorical.sample become inverse-CDF draws with one uniform, multinomial without replacement Gumbel-top-k;
  * the documented deliberate differences of the Swift files (mask/pad never proposed, a step that commits
    nothing reuses the logits, a block stops once full, at most one step per mask for LLaDA's schedule, the
    factor rule as the paper states it, the last MDLM step unmasks everything);
  * all arithmetic the Swift code does in Float64 is done here in Python floats with math.* (libm), summed
    sequentially; Float32 where the reference uses it (Dream's timesteps, CFG on Float32 logits).
The scripted model is a hash of the token sequence (exact in Float32), identical to Tests/SamplersTests/
ScriptedDenoiser.swift. Deterministic: re-running gives a byte-identical file. Usage:
    /work/venv/bin/python Experiments/models/tools/sampler_trajectories.py
    /work/venv/bin/python Experiments/models/tools/sampler_trajectories.py --tiny-model Experiments/models/tiny-llada-moe
The second form runs the same ports on the shipped tiny model and records its logits (a tape the Swift test
replays), for Tests/SamplersTests/Fixtures/tiny_model_trajectories.json.
"""
import json
import math
import os
import sys

import numpy as np
import torch

torch.set_num_threads(1)
M64 = (1 << 64) - 1
V, MASK, EOS, PAD = 24, 1, 2, 0


def mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class SplitMix64:
    """DiffusionCore's SeededGenerator."""

    def __init__(self, seed):
        self.state = seed & M64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform(self):  # nextOpenUnitDouble
        return ((self.next() >> 11) + 0.5) / 9007199254740992.0

    def int_below(self, bound):  # nextInt(below:), Lemire
        product = self.next() * bound
        low = product & M64
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                product = self.next() * bound
                low = product & M64
        return product >> 64


class ScriptedModel:
    def __init__(self, masked=True):
        self.masked = masked
        self.calls = 0

    def __call__(self, prefix, canvas):
        """Logits [len(canvas)][V] as np.float32 rows."""
        self.calls += 1
        h = 0
        for t in list(prefix) + list(canvas):
            h = mix(h ^ t)
        rows = []
        for i in range(len(canvas)):
            a = len(prefix) + i
            row = np.zeros(V, dtype=np.float32)
            for v in range(V):
                k = (mix(h ^ ((a * 1000003 + v * 7919 + 17) & M64)) >> 43) - (1 << 20)
                row[v] = np.float32(k) / np.float32(1 << 17)
            peak = mix(h ^ ((a * 31 + 5) & M64)) % V
            row[peak] = row[peak] + np.float32(mix((a * 131 + h) & M64) % 8)
            rows.append(row)
        return rows


# ---- shared arithmetic (the Swift parts' Float64 formulas) -------------------------------------------------

def summary(row):
    maximum, second, argmax = -math.inf, -math.inf, 0
    for i, value in enumerate(row):
        if value > maximum:
            second, maximum, argmax = maximum, value, i
        elif value > second:
            second = value
    total, weighted = 0.0, 0.0
    for value in row:
        if value > -math.inf:
            e = math.exp(value - maximum)
            total += e
            weighted += e * (value - maximum)
    prob = lambda value: math.exp(value - maximum) / total if value > -math.inf else 0.0
    return dict(argmax=argmax, entropy=math.log(total) - weighted / total, top1=1 / total,
                top2=math.exp(second - maximum) / total if second > -math.inf else 0.0, prob=prob)


def add_gumbel_noise_argmax(row, temperature, rng):
    """LLaDA add_gumbel_noise + argmax, Float64: exp(l) / (-ln u)^tau."""
    s = summary(row)
    token = s["argmax"]
    if temperature > 0:
        best = -math.inf
        for v in range(len(row)):
            value = math.exp(row[v]) / math.pow(-math.log(rng.uniform()), temperature)
            if value > best:
                best, token = value, v
    return token, s


def sample_tokens(row, temperature, top_p, top_k, rng):
    """Dream sample_tokens on one row (Float64; inverse-CDF sample)."""
    row = list(row)
    if temperature > 0:
        row = [value / temperature for value in row]
    if top_p is not None and top_p < 1:
        s = summary(row)
        order = sorted(range(len(row)), key=lambda v: (-row[v], v))
        cumulative, remove = 0.0, set()
        for rank, v in enumerate(order):
            if rank > 0 and cumulative > top_p:
                remove.add(v)
            cumulative += s["prob"](row[v])
        row = [-math.inf if v in remove else value for v, value in enumerate(row)]
    if top_k is not None and top_k < len(row):
        kth = sorted(row, reverse=True)[max(top_k, 1) - 1]
        row = [-math.inf if value < kth else value for value in row]
    s = summary(row)
    token = s["argmax"]
    if temperature > 0:
        u, cumulative = rng.uniform(), 0.0
        for v in range(len(row)):
            if row[v] > -math.inf:
                cumulative += s["prob"](row[v])
                token = v
                if u < cumulative:
                    break
    return token, s, row


def rank(cands, key):
    return sorted(range(len(cands)), key=lambda i: (-cands[i][key], cands[i]["pos"]))


def get_num_transfer_tokens(masked, steps):
    return [masked // steps + (1 if j < masked % steps else 0) for j in range(steps)]


def dream_fraction(step, steps, eps):
    t = torch.linspace(1, eps, steps + 1)  # float32, as Dream
    return np.float32(1) - np.float32(t[step + 1].item()) / np.float32(t[step].item())


def alpha_probability(step, steps, shape, eps):
    alpha = {"linear": lambda t: 1 - t, "loglinear": lambda t: 1 - (1 - eps) * t,
             "cosine": lambda t: 1 - math.cos(math.pi / 2 * (1 - t))}[shape]
    dt = (1 - eps) / steps
    t = 1 - step * dt
    s = t - dt
    return (alpha(s) - alpha(t)) / (1 - alpha(t))


# ---- the shared loop, as the references write it (LLaDA generate; Dream _sample; Fast-dLLM generate) --------

def masked_loop(model, prompt, length, steps, seed, opts, propose, score, select, steps_for_block):
    """ML-GSAI/LLaDA generate.py `generate` (blocks, CFG), Dream's logit shift, with the documented changes."""
    rng = SplitMix64(seed)
    block = opts.get("block_length") or length
    assert length % block == 0 and steps % (length // block) == 0
    blocks = length // block
    w = np.float32(opts.get("cfg_scale", 0))
    suppressed = [MASK, PAD] + ([EOS] if opts.get("suppress_eos") else [])
    x = [MASK] * length
    committed = [False] * length
    trajectory, cache, passes, step, stopped = [], None, 0, 0, False

    def forward(prefix):
        if opts.get("shift_logits") and prefix:
            return model(prefix[:-1], [prefix[-1]] + x)[:length]
        rows = model(prefix, x)
        return [rows[0]] + rows[:-1] if opts.get("shift_logits") else rows

    for b in range(blocks):
        if stopped:
            break
        positions_all = range(b * block, (b + 1) * block)
        masked_at_start = sum(1 for p in positions_all if not committed[p])
        block_steps = steps_for_block(steps // blocks, masked_at_start)
        for j in range(block_steps):
            positions = [p for p in positions_all if not committed[p]]
            if not positions:
                break
            if cache is None or cache[0] != x:
                c = forward(prompt)
                u = forward([MASK] * len(prompt)) if w > 0 else None
                passes += 2 if w > 0 else 1
                cache = (list(x), c, u)
            _, c, u = cache
            cands = []
            for p in positions:
                if u is not None:
                    row = [float(u[p][v] + (w + np.float32(1)) * (c[p][v] - u[p][v])) for v in range(V)]
                else:
                    row = [float(c[p][v]) for v in range(V)]
                for t in suppressed:
                    row[t] = -math.inf
                token, stats = propose(row, rng)
                cands.append(dict(pos=p, token=token, stats=stats, score=score(stats, token, p, rng)))
            chosen = select(cands, j, block_steps, masked_at_start, len(positions), rng)
            for i in chosen:
                assert not committed[cands[i]["pos"]]
                x[cands[i]["pos"]] = cands[i]["token"]
                committed[cands[i]["pos"]] = True
            if opts.get("stop_at_eos"):
                eos_at = [p for p in range(length) if committed[p] and x[p] == EOS]
                if eos_at and all(committed[p] for p in range(eos_at[0])):
                    for p in range(eos_at[0] + 1, length):
                        if not committed[p]:
                            x[p], committed[p] = x[eos_at[0]], True
                    stopped = True
            trajectory.append(list(x))
            step += 1
            if stopped:
                break
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- the catalogue -------------------------------------------------------------------------------------------

def gumbel(params, default_temperature=0.0):
    temperature = params.get("temperature", default_temperature)

    def propose(row, rng):
        token, s = add_gumbel_noise_argmax(row, temperature, rng)
        return token, dict(p=s["prob"](row[token]), top1=s["top1"], top2=s["top2"], entropy=s["entropy"])
    return propose


def dream_propose(params):
    def propose(row, rng):
        token, s, processed = sample_tokens(row, params.get("temperature", 0.0), params.get("top_p"),
                                            params.get("top_k"), rng)
        return token, dict(p=s["prob"](processed[token]), top1=s["top1"], top2=s["top2"], entropy=s["entropy"])
    return propose


def topk_select(count_of):
    def select(cands, j, steps, at_start, masked, rng):
        return rank(cands, "score")[:count_of(j, steps, at_start, masked)]
    return select


def dream_select(params):
    eps, alg_temp = params.get("eps", 1e-3), params.get("alg_temp") or 0

    def select(cands, j, steps, at_start, masked, rng):
        n = masked if j == steps - 1 else int(np.float32(masked) * dream_fraction(j, steps, eps))
        if n <= 0:
            return []
        if alg_temp > 0:
            for cand in cands:
                cand["key"] = cand["score"] / alg_temp - math.log(-math.log(rng.uniform()))
            return rank(cands, "key")[:n]
        return rank(cands, "score")[:n]
    return select


def independent_select(probability):
    def select(cands, j, steps, at_start, masked, rng):
        p = 1.0 if j == steps - 1 else probability(j, steps)
        return [i for i in range(len(cands)) if rng.uniform() < p]
    return select


def threshold_select(tau):
    def select(cands, j, steps, at_start, masked, rng):
        ranked = rank(cands, "score")
        return [i for r, i in enumerate(ranked) if r == 0 or cands[i]["score"] >= tau]
    return select


def factor_select(f):
    def select(cands, j, steps, at_start, masked, rng):
        ranked = rank(cands, "score")
        count = 1 if ranked else 0
        while count < len(ranked) and cands[ranked[count]]["score"] >= 1 - f / (count + 2):
            count += 1
        return ranked[:count]
    return select


def eb_select(gamma):
    def select(cands, j, steps, at_start, masked, rng):
        order = sorted(range(len(cands)), key=lambda i: (cands[i]["stats"]["entropy"], cands[i]["pos"]))
        total, count = 0.0, 0
        for i in order:
            total += cands[i]["stats"]["entropy"]
            if total - cands[i]["stats"]["entropy"] > gamma:
                break
            count += 1
        return order[:max(count, 1)]
    return select


prob_score = lambda s, token, pos, rng: s["p"]
random_score = lambda s, token, pos, rng: rng.uniform()
until_full = lambda budget, masked: masked
fixed_budget = lambda budget, masked: budget


def catalogue(name, params):
    """(propose, score, select, steps_for_block) of each registered sampler."""
    eps = params.get("eps", 1e-3)
    uniform_count = topk_select(lambda j, steps, at_start, masked: get_num_transfer_tokens(at_start, steps)[j])
    return {
        "llada_low_confidence": (gumbel(params), prob_score, uniform_count, lambda b, m: max(1, min(b, m))),
        "llada_random": (gumbel(params), random_score, uniform_count, lambda b, m: max(1, min(b, m))),
        "dream_origin": (dream_propose(params), prob_score,
                         independent_select(lambda j, steps: float(dream_fraction(j, steps, eps))), fixed_budget),
        "dream_maskgit_plus": (dream_propose(params), prob_score, dream_select(params), fixed_budget),
        "dream_topk_margin": (dream_propose(params), lambda s, t, p, r: s["top1"] - s["top2"], dream_select(params),
                              fixed_budget),
        "dream_entropy": (dream_propose(params), lambda s, t, p, r: -s["entropy"], dream_select(params), fixed_budget),
        "fast_dllm_threshold": (gumbel(params), prob_score, threshold_select(params.get("threshold", 0.9)), until_full),
        "fast_dllm_factor": (gumbel(params), prob_score, factor_select(params.get("factor", 1.0)), until_full),
        "eb_sampler": (gumbel(params), lambda s, t, p, r: -s["entropy"], eb_select(params.get("gamma", 0.1)), until_full),
        "mdlm_ancestral": (gumbel(params, 1.0), prob_score, independent_select(
            lambda j, steps: alpha_probability(j, steps, params.get("schedule", "loglinear"), eps)), fixed_budget),
        "mdlm_first_hitting": (gumbel(params, 1.0), random_score, topk_select(lambda *a: 1), until_full),
        "autoregressive": (gumbel({}), lambda s, t, p, r: -p, topk_select(lambda *a: 1), until_full),
    }[name]


LOOP_KEYS = ("block_length", "cfg_scale", "shift_logits", "suppress_eos", "stop_at_eos")


def ref_renoise(model, prompt, length, steps, seed, params, masked):
    """transformers DiffusionGemma: EntropyBoundSampler + LinearTemperatureSchedule + StableAndConfident stop."""
    rng = SplitMix64(seed)
    t_min, t_max = params.get("t_min", 0.4), params.get("t_max", 0.8)
    bound, stability = params.get("entropy_bound", 0.1), params.get("stability_threshold", 1)
    canvas = [MASK if masked else rng.int_below(V) for _ in range(length)]
    argmax = list(canvas)
    history = [[-1] * length for _ in range(stability)]
    trajectory, passes = [], 0
    for cur_step in range(steps, 0, -1):
        temperature = t_min + (t_max - t_min) * cur_step / steps
        rows = model(prompt, canvas)
        passes += 1
        samples, entropy, new_argmax = [0] * length, [0.0] * length, list(argmax)
        for i in range(length):
            row = [float(value) / temperature for value in rows[i]]
            if masked:
                row[MASK] = row[PAD] = -math.inf
                if canvas[i] != MASK:  # carry-over (SUBS) of an unmasked token
                    row = [value if v == canvas[i] else -math.inf for v, value in enumerate(row)]
            s = summary(row)
            entropy[i], new_argmax[i] = s["entropy"], s["argmax"]
            u, cumulative = rng.uniform(), 0.0
            for v in range(V):
                p = s["prob"](row[v])
                if cumulative <= u and p > 0:
                    samples[i] = v
                cumulative += p
        order = sorted(range(length), key=lambda i: (entropy[i], i))
        accepted, total = [False] * length, 0.0
        for i in order:
            total += entropy[i]
            if total - entropy[i] <= bound:
                accepted[i] = True
        noise = [] if masked else [rng.int_below(V) for _ in range(length)]
        canvas = [samples[i] if accepted[i] else (MASK if masked else noise[i]) for i in range(length)]
        stable = all(h == new_argmax for h in history)
        if stability > 0:
            history = history[1:] + [new_argmax]
        argmax = new_argmax
        trajectory.append(list(canvas))
        if stable and sum(entropy) / length < params.get("confidence_threshold", 0.005):
            break
    return dict(trajectory=trajectory, tokens=argmax, forward_passes=passes)


def run_case(case):
    params = case["params"]
    masked = case.get("kind", "masked") == "masked"
    model = ScriptedModel(masked)
    if case["sampler"] == "gemma_entropy_bound":
        return ref_renoise(model, case["prompt"], case["length"], case["steps"], case["seed"], params, masked)
    propose, score, select, steps_for_block = catalogue(case["sampler"], params)
    opts = {k: params[k] for k in LOOP_KEYS if k in params}
    return masked_loop(model, case["prompt"], case["length"], case["steps"], case["seed"], opts, propose, score,
                       select, steps_for_block)


def cases():
    prompt = [5, 9, 14, 3, 20]
    out = []

    def add(sampler, params=None, length=12, steps=12, seed=0, **extra):
        out.append(dict(sampler=sampler, params=params or {}, prompt=extra.get("prompt", prompt), length=length,
                        steps=steps, seed=seed, kind=extra.get("kind", "masked")))

    for name in ("llada_low_confidence", "llada_random"):
        add(name)
        add(name, {"temperature": 0.7}, steps=6, seed=11)
        add(name, {"block_length": 4}, steps=6)
        add(name, {"block_length": 6, "temperature": 1.0, "cfg_scale": 0.5}, steps=8, seed=3)
    add("llada_low_confidence", {"suppress_eos": True, "shift_logits": True}, steps=5)
    add("llada_low_confidence", {"stop_at_eos": True}, length=16, steps=16, prompt=[7, 7, 3])
    for name in ("dream_maskgit_plus", "dream_topk_margin", "dream_entropy", "dream_origin"):
        add(name, steps=7)
        add(name, {"temperature": 0.8, "top_p": 0.9}, steps=12, seed=5)
        add(name, {"temperature": 0.5, "top_k": 5, "shift_logits": True}, steps=20, seed=6)
    add("dream_entropy", {"alg_temp": 0.3}, steps=6, seed=8)
    add("dream_maskgit_plus", {"alg_temp": 1.0, "temperature": 1.0, "eps": 0.01}, steps=4, seed=9)
    for name, key in (("fast_dllm_threshold", "threshold"), ("fast_dllm_factor", "factor"), ("eb_sampler", "gamma")):
        add(name)
        add(name, {key: {"threshold": 0.5, "factor": 2.0, "gamma": 1.5}[key], "temperature": 0.9}, seed=4)
        add(name, {"block_length": 4}, steps=3)
    add("mdlm_ancestral", steps=8, seed=1)
    add("mdlm_ancestral", {"schedule": "cosine", "temperature": 0.5}, steps=10, seed=2)
    add("mdlm_ancestral", {"schedule": "linear", "block_length": 6}, steps=6, seed=3)
    add("mdlm_first_hitting", seed=4)
    add("mdlm_first_hitting", {"temperature": 0.0}, seed=5)
    add("autoregressive")
    add("autoregressive", {"stop_at_eos": True}, length=16, steps=16, prompt=[7, 7, 3])
    add("gemma_entropy_bound", length=10, steps=16, seed=12, kind="uniform")
    add("gemma_entropy_bound", {"entropy_bound": 1.0, "t_min": 0.1, "t_max": 0.5}, length=10, steps=24, seed=13,
        kind="uniform")
    add("gemma_entropy_bound", {"entropy_bound": 0.5}, length=10, steps=20, seed=14)
    add("gemma_entropy_bound", {"stability_threshold": 0, "confidence_threshold": 0.5}, length=8, steps=30, seed=15,
        kind="uniform")
    return out


class TapeModel:
    """The shipped tiny model (PyTorch, lladamoe.py), recording every call: the full token sequence and the
    Float32 logits of the canvas rows, base64 little-endian. The Swift test replays the tape, checking that the
    sampler asks for exactly the same sequences (so the test needs no engine and no model parity tolerance)."""

    def __init__(self, folder):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from lladamoe import load_hf_folder
        self.model, self.config = load_hf_folder(folder)
        self.tape = []

    def __call__(self, prefix, canvas):
        import base64
        ids = torch.tensor(list(prefix) + list(canvas), dtype=torch.long)
        with torch.no_grad():
            logits = self.model(ids)[0, len(prefix):].to(torch.float32).numpy()
        self.tape.append({"tokens": list(prefix) + list(canvas),
                          "logits": base64.b64encode(logits.astype("<f4").tobytes()).decode()})
        return [row for row in logits]


SUDOKU_SUBSET = ("llada_random", "dream_entropy", "dream_topk_margin", "fast_dllm_threshold", "eb_sampler",
                 "mdlm_ancestral", "autoregressive")


def tiny_model_fixture(folder, out):
    global V, MASK, EOS, PAD
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    V, MASK, EOS, PAD = config["vocab_size"], config["mask_token_id"], config["eos_token_id"], config["pad_token_id"]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from lladamoe import load_tokenizer
    tokenizer = load_tokenizer(folder)
    grid = list("1234341221434321")
    for i in (1, 4, 6, 9, 11, 14, 15):
        grid[i] = "."
    prompts = {"addition": ("A4821+0977=", 5), "sudoku4": ("U" + "".join(grid) + "=", 16)}
    if "U" not in tokenizer.get_vocab():  # a stand-in model without the task alphabet (development only)
        prompts = {"addition": ("1+2=", 5), "sudoku4": ("1+2=3", 16)}
    fixtures = []
    for task, (text, length) in prompts.items():
        prompt = tokenizer.encode(text).ids
        for sampler, params, steps, seed in [
            ("llada_low_confidence", {}, length, 0), ("llada_low_confidence", {"block_length": length // (1 if task == "addition" else 4)}, length, 0),
            ("llada_random", {}, length // (1 if task == "addition" else 2), 1),
            ("llada_low_confidence", {"temperature": 1.0, "cfg_scale": 0.5}, length, 2),
            ("dream_origin", {}, length, 3), ("dream_maskgit_plus", {}, length // (1 if task == "addition" else 2), 0),
            ("dream_topk_margin", {"temperature": 0.8}, length, 4), ("dream_entropy", {}, length, 0),
            ("fast_dllm_threshold", {}, length, 0), ("fast_dllm_factor", {}, length, 0), ("eb_sampler", {}, length, 0),
            ("mdlm_ancestral", {"schedule": "cosine"}, length, 5), ("mdlm_first_hitting", {}, length, 6),
            ("gemma_entropy_bound", {}, 2 * length, 7), ("autoregressive", {}, length, 0)]:
            if task == "sudoku4" and sampler not in SUDOKU_SUBSET:  # keeps the fixture small (a tape is ~2 KB a pass)
                continue
            case = dict(sampler=sampler, params=params, prompt=prompt, length=length, steps=steps, seed=seed,
                        kind="masked", task=task)
            model = TapeModel(folder)
            if sampler == "gemma_entropy_bound":
                result = ref_renoise(model, prompt, length, steps, seed, params, True)
            else:
                propose, score, select, steps_for_block = catalogue(sampler, params)
                opts = {k: params[k] for k in LOOP_KEYS if k in params}
                result = masked_loop(model, prompt, length, steps, seed, opts, propose, score, select, steps_for_block)
            fixtures.append({**case, **result, "tape": model.tape})
            answer = tokenizer.decode(result["tokens"])
            print(f"tiny {task:8s} {sampler:22s} {json.dumps(params):40s} NFE {result['forward_passes']:3d} -> {answer}",
                  file=sys.stderr)
    with open(out, "w") as f:
        json.dump({"model": os.path.basename(os.path.normpath(folder)), "vocabulary": V, "mask": MASK, "eos": EOS,
                   "pad": PAD, "cases": fixtures}, f, separators=(",", ":"))
        f.write("\n")


def main():
    root = os.path.dirname(os.path.abspath(__file__))
    if len(sys.argv) > 1:  # --tiny-model FOLDER
        assert sys.argv[1] == "--tiny-model" and len(sys.argv) == 3, "usage: sampler_trajectories.py [--tiny-model FOLDER]"
        tiny_model_fixture(sys.argv[2], os.path.join(root, "../../../Tests/SamplersTests/Fixtures/tiny_model_trajectories.json"))
        return
    out = os.path.join(root, "../../../Tests/SamplersTests/Fixtures/trajectories.json")
    fixtures = []
    for case in cases():
        result = run_case(case)
        fixtures.append({**case, **result})
        print(f"{case['sampler']:22s} {json.dumps(case['params']):70s} steps {len(result['trajectory']):3d} "
              f"NFE {result['forward_passes']:3d} -> {result['tokens']}", file=sys.stderr)
    linspace = {str(n): torch.linspace(1, 1e-3, n + 1).tolist() for n in (4, 7, 12, 20, 64, 512)}
    with open(out, "w") as f:
        json.dump({"vocabulary": V, "mask": MASK, "eos": EOS, "pad": PAD, "dream_linspace_eps_1e-3": linspace,
                   "cases": fixtures}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
