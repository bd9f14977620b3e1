"""Reference ports of the second catalogue, items 7-11 (Saber, DUS, SlowFast, CreditDecoding, DAEDAL, Psi-samplers),
used by sampler_trajectories_2026.py; items 1-6 are in sampler_ports_2026.py, whose conventions these follow: each
`ref_*` function is my own port of the authors' decision rule, the comment above it names the function and the commit it
follows and the deliberate differences (the Swift file's header lists the same); randomness from SplitMix64 in the order
each Swift file documents; Float64 arithmetic with math.* (libm), summed sequentially.
"""
import collections
import math

import numpy as np

import sampler_trajectories as st  # st.V, st.MASK, ... are set per model
from sampler_ports_2026 import suppressed_row


# ---- 7. Saber --------------------------------------------------------------------------------------------------
# zhaoyMa/Saber decoding.py `generate_with_saber` (commit 49579a9ff2f64d55d909c54e5e08f7150f0b5b9f).
# Changes (see Saber.swift): when fewer than n masks are left up to the block end the pass commits those (the
# reference's top-n reaches -inf positions: decoded, prompt or later ones); Float64 probabilities and threshold; ties
# by position; re-masking only among decoded positions; mask/pad never proposed.

def ref_saber(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "min_tokens": 2, **params}
    n, block = p["min_tokens"], p.get("block_length") or length
    x, masked = [st.MASK] * length, [True] * length
    final = [None] * length               # final_confidence (None = -inf)
    last = [0.0] * length                 # last_confidence
    trajectory, passes = [], 0
    for b in range(length // block):
        end = (b + 1) * block
        while any(masked[i] for i in range(end)):
            rows = model(prompt, x)
            passes += 1
            props = []
            for i in range(end):
                row = suppressed_row(rows[i])
                token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                props.append((token, s["prob"](row[token])))
            delta = []
            for i in range(length):
                confidence = props[i][1] if i < end else -math.inf
                d = confidence - last[i] if not (confidence == -math.inf and last[i] == -math.inf) else math.nan
                delta.append(d if math.isfinite(d) else math.inf)
                last[i] = confidence
            values, total = [v for v in final if v is not None], 0.0
            for v in values:  # sequential, as Swift's reduce (Python >= 3.12 sum() compensates)
                total += v
            threshold = 1 if not values else total / len(values)
            cands = [dict(pos=i, token=props[i][0], score=props[i][1]) for i in range(end) if masked[i]]
            ranked = st.rank(cands, "score")
            chosen = [k for k in ranked if cands[k]["score"] > threshold]
            if len(chosen) < n:
                chosen = ranked[:n]
            fixed = max(n, len(chosen))
            for k in chosen:
                i = cands[k]["pos"]
                x[i], masked[i], final[i] = cands[k]["token"], False, cands[k]["score"]
            if any(masked[i] for i in range(end)):
                count = min(max(n // 2, (fixed + 7) // 8), fixed - 1)
                decoded = sorted([i for i in range(end) if not masked[i]], key=lambda i: (delta[i], i))
                for i in decoded[:count]:
                    x[i], masked[i] = st.MASK, True
            trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 8. DUS and SlowFast ---------------------------------------------------------------------------------------
# omerlux/DUS generate.py `generate_scheduled` (scheduler 'dilated'), `dilated_unmask_levels`, `merge_last_level`
# (commit c9171685f618e270f7abd8541ce871ce05abc0b4). Changes (see DUS.swift): a position re-masked at one level joins
# the next (the reference never schedules it again); the re-masking probability is the model's; mask/pad never
# proposed; no stop strings.

def dilated_levels(start, end, base, skip):
    """`dilated_unmask_levels(start, end - 1, base, skip)` then `merge_last_level`, end exclusive."""
    if base == 1:
        return [list(range(start, end))]
    stride, levels, revealed = (end - start) // (base ** skip), [], set()
    while stride >= 1:
        level = [i for i in range(start, end) if (i - start) % stride == 0 and i not in revealed]
        if level:
            levels.append(level)
            revealed.update(level)
        stride //= base
    rest = [i for i in range(start, end) if i not in revealed]
    if rest:
        levels.append(rest)
    if len(levels) >= 2 and len(levels[-1]) < len(levels[-2]):
        levels[-2].extend(levels.pop())
    return levels


def ref_dus(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "base": 2, "base_skip": 1, "remask_threshold": 0.0, **params}
    block = p.get("block_length") or length
    x, masked = [st.MASK] * length, [True] * length
    trajectory, passes = [], 0
    for b in range(length // block):
        levels = dilated_levels(b * block, (b + 1) * block, p["base"], p["base_skip"])
        carried = []
        for index, level in enumerate(levels):
            positions = [i for i in sorted(level + carried) if masked[i]]
            if not positions:
                continue
            rows = model(prompt, x)
            passes += 1
            committed = []
            for i in positions:
                row = suppressed_row(rows[i])
                token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                committed.append((i, token, s["prob"](row[token])))
            for i, token, _ in committed:
                x[i], masked[i] = token, False
            carried = [i for i, _, prob in committed if prob < p["remask_threshold"]] if index < len(levels) - 1 else []
            for i in carried:
                x[i], masked[i] = st.MASK, True
            trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# LiangrunFlora/Slow-Fast-Sampling slow-fast-sampling/sampling_utils/generate_slow_fast_sampling.py
# `generate_slow_fast_sampling` (commit 1f56fb6d6d533bbf7f3612ce9aca4ea67044f4da), batch 1. Changes (see
# SlowFast.swift): the slow phase ends with the block (no passes that cannot commit); every fast-phase pass sees the
# whole canvas (the reference forwards only up to the span end after the first); Float64; mask/pad never proposed.

def ref_slow_fast(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "exploration_steps": 6, "span_threshold": 0.3, "stability_window": 2,
         "stability_std": 1.0, "high_threshold": 0.9, **params}
    block = p.get("block_length") or length
    x, masked = [st.MASK] * length, [True] * length
    trajectory, passes = [], 0

    def one_pass(lo, hi):
        nonlocal passes
        rows = model(prompt, x)
        passes += 1
        cands = []
        for i in range(lo, hi):
            if masked[i]:
                row = suppressed_row(rows[i])
                token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                cands.append(dict(pos=i, token=token, score=s["prob"](row[token])))
        high = [k for k in range(len(cands)) if cands[k]["score"] >= p["high_threshold"]]
        chosen = high if len(high) > 1 else st.rank(cands, "score")[:1]
        for k in chosen:
            x[cands[k]["pos"]], masked[cands[k]["pos"]] = cands[k]["token"], False
        trajectory.append(list(x))
        return cands

    for b in range(length // block):
        start, last = b * block, 0
        while any(masked[start:start + block]):
            actual, determined, history = block, False, collections.deque(maxlen=p["stability_window"])
            for k in range(p["exploration_steps"]):
                if not any(masked[start:start + block]):
                    break
                cands = one_pass(start + last, start + block)
                if determined:
                    continue
                above = [c["pos"] - (start + last) for c in cands if c["score"] >= p["span_threshold"]]
                increment = max(above) + 1 if above else 1
                history.append(min(max(1, last + increment), block))
                if len(history) >= p["stability_window"]:
                    h = np.array(list(history))
                    if np.std(h) < p["stability_std"]:
                        actual, determined = max(1, min(int(history[-1]), block)), True
                    else:
                        actual, determined = max(1, min(int(np.mean(h)), block)), k == p["exploration_steps"] - 1
            if not determined:
                actual = max(1, min(int(np.mean(list(history))), block)) if history else block // 2
            while any(masked[start + last:start + actual]):
                one_pass(start + last, start + actual)
            last = actual
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 9. CreditDecoding -----------------------------------------------------------------------------------------
# inclusionAI/dInfer python/dinfer/decoding/parallel_strategy.py `CreditThresholdParallelDecoder._apply_credit_fusion`,
# `decode`, `get_transfer_index_threshold` (commit fce4e32804103baa5d55230dff0352da0cdd6ceb), with dInfer's block loop
# (generate_uniform.py: decode the block until it has no masks). Changes (see CreditDecoding.swift): mask/pad get -inf
# logits before the credit; Float64 credit; the whole canvas is forwarded each pass.

def ref_credit_decoding(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "threshold": 0.9, "credit_alpha": 0.7, "boost_gamma": 0.2, "decay_beta": 0.8, **params}
    block = p.get("block_length") or length
    x, masked = [st.MASK] * length, [True] * length
    trajectory, passes = [], 0
    for b in range(length // block):
        lo = b * block
        credit = [dict() for _ in range(block)]  # C[i][v], nonzero entries only, in insertion order
        iteration = 0
        while any(masked[lo:lo + block]):
            rows = model(prompt, x)
            passes += 1
            if iteration > 0:
                for c in credit:
                    for v in c:
                        c[v] *= p["decay_beta"]
            iteration += 1
            cands = []
            for i in range(lo, lo + block):
                if not masked[i]:
                    continue
                row = suppressed_row(rows[i])
                s = st.summary(row)
                c = credit[i - lo]
                c[s["argmax"]] = c.get(s["argmax"], 0.0) + math.pow(s["top1"], p["boost_gamma"])
                for v, value in c.items():
                    row[v] += p["credit_alpha"] * math.log(value + 1)
                token, fused = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                cands.append(dict(pos=i, token=token, score=fused["prob"](row[token])))
            bar = min(max(c["score"] for c in cands) - 1e-5, p["threshold"])
            for c in cands:
                if c["score"] >= bar:
                    x[c["pos"]], masked[c["pos"]] = c["token"], False
            trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 10. DAEDAL ------------------------------------------------------------------------------------------------
# Li-Jinsong/DAEDAL models/LLaDA_DAEDAL.py `generate` (commit 303c9e98c24f829de2d6754d6c9f5d1e7dbc3909), batch 1.
# Changes (see DAEDAL.swift): an insertion that would pass the maximum length is shortened (the reference writes all
# expansion_factor masks and cuts the canvas, dropping its end); mask/pad never proposed (also in the EOS confidence);
# Float64; ties to the lower position. `length` is max_gen_length.

def ref_daedal(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "initial_length": 64, "block_length": 32, "high_threshold": 0.9, "low_threshold": 0.1,
         "expansion_factor": 8, "eos_threshold": 0.5, "expand_eos_threshold": 0.9, "eos_check_tokens": 32, **params}
    factor, check = p["expansion_factor"], p["eos_check_tokens"]
    passes = 0

    def forward(x):
        nonlocal passes
        passes += 1
        return model(prompt, x)

    def eos_confidence(rows):
        total, found = 0.0, 0
        for i in range(len(rows) - 1, -1, -1):
            if found >= check:
                break
            row = suppressed_row(rows[i])
            s = st.summary(row)
            if s["argmax"] == st.EOS:
                total += s["prob"](row[st.EOS])
                found += 1
        return total / check

    x = [st.MASK] * min(p["initial_length"], length)
    while True:  # stage 1
        if not (eos_confidence(forward(x)) < p["eos_threshold"] and len(x) < length):
            break
        x = x + [st.MASK] * min(factor, length - len(x))
    tail = min(check // 2, length - len(x))
    committed = [False] * len(x) + [True] * tail
    x = x + [st.EOS] * tail
    trajectory, start = [], 0
    while start < len(x):  # stage 2
        rows = forward(x)
        eos_confident = eos_confidence(rows) >= p["expand_eos_threshold"]
        cands = []
        for i in range(start, min(start + p["block_length"], len(x))):
            if not committed[i]:
                row = suppressed_row(rows[i])
                token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                cands.append(dict(pos=i, token=token, score=s["prob"](row[token])))
        chosen = [k for k in range(len(cands)) if cands[k]["score"] > p["high_threshold"]]
        if not chosen:
            chosen = st.rank(cands, "score")[:1]
        expanded = None
        if not eos_confident and len(x) < length:
            low = [k for k in range(len(cands)) if k not in chosen and cands[k]["score"] < p["low_threshold"]]
            if low:
                expanded = cands[min(low, key=lambda k: (cands[k]["score"], cands[k]["pos"]))]["pos"]
        for k in chosen:
            x[cands[k]["pos"]], committed[cands[k]["pos"]] = cands[k]["token"], True
        if expanded is not None:
            extra = min(factor - 1, length - len(x))
            x[expanded:expanded] = [st.MASK] * extra
            committed[expanded:expanded] = [False] * extra
        trajectory.append(list(x))
        while start < len(x) and all(committed[start:min(start + p["block_length"], len(x))]):
            start += p["block_length"]
        if not chosen and expanded is None:
            break
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 11. Psi-samplers (predictor-corrector for uniform-state models) -------------------------------------------
# s-sahoo/duo trainer_base.py `_psi_update`, `_mode_to_psi_kappas`, `generate_samples` (predictor=psi) and algo.py
# `DUO_BASE._posterior_from_x0` (commit 7c9b498f5b717de064d6fad7e2509c866e6cb620). Changes (see PsiSampler.swift):
# max-rescale is ReMDM's sigma = eta * min(1, (1 - alpha_s) / alpha_t) (the reference caps at eta first); Float64 time
# grid; inverse-CDF draws; no nucleus; one mode for the whole schedule; the initial canvas from int_below.

def psi_kappa(mode, eta, alpha_t, alpha_s):
    if mode == "posterior":
        return 1.0
    if mode == "pc":
        return 0.0
    if mode == "constant":
        return eta
    if mode == "max_capped":
        sigma = eta if alpha_t == 0 else min(eta, (1 - alpha_s) / alpha_t)
    elif mode == "max_rescale":
        sigma = eta * (min(1.0, (1 - alpha_s) / alpha_t) if alpha_t > 0 else 1.0)
    else:  # constant_remdm
        sigma = eta
    return min(max(1 - sigma / (1 - alpha_s), 0.0), 1.0)


def ref_psi_sampler(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"mode": "max_capped", "eta": 0.01, **params}
    alpha = lambda t: 1 - (1 - 1e-3) * t
    V = st.V
    x = [rng.int_below(V) for _ in range(length)]
    times = [1 - k * (1 - 1e-5) / steps for k in range(steps + 1)]
    trajectory, conditioning = [], None
    for step in range(steps + 1):
        a_t = alpha(times[step])
        a_s = alpha(times[step + 1]) if step < steps else 1
        kappa = psi_kappa(p["mode"], p["eta"], a_t, a_s) if step < steps else 1
        # a model with self-conditioning (DiffusionGemma) gets the previous pass's probabilities
        rows = model(prompt, x, conditioning) if getattr(model, "self_conditioning", False) else model(prompt, x)
        nxt, conditioning = list(x), []
        for i in range(length):
            row = [float(value) for value in rows[i]]
            s = st.summary(row)
            px = [s["prob"](value) for value in row]
            conditioning.append(px)
            j = x[i]
            den = a_t * V * px[j] + (1 - a_t)
            ratio, ratio_zero = a_t / a_s, a_t / 1
            q = []
            for u in range(V):
                same = 1.0 if u == j else 0.0
                predictor = (a_t * V * px[u] * same + (ratio - a_t) * same + (a_s - a_t) * px[u]
                             + (1 - ratio) * (1 - a_s) / V) / den
                to_zero = (a_t * V * px[u] * same + (ratio_zero - a_t) * same + (1 - a_t) * px[u]
                           + (1 - ratio_zero) * (1 - 1) / V) / den
                q.append(kappa * predictor + (1 - kappa) * (a_s * to_zero + (1 - a_s) / V))
            u, cumulative, token = rng.uniform(), 0.0, 0
            for v in range(V):
                if cumulative <= u and q[v] > 0:
                    token = v
                cumulative += q[v]
            nxt[i] = token
        x = nxt
        trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=steps + 1)
