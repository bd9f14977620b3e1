"""Reference ports of the second catalogue (samplers of 2025-26), used by sampler_trajectories_2026.py.

Each `ref_*` function is my own port of the authors' decision rule, in the structure of the original; the comment
above it names the function and the commit it follows and the deliberate differences (the Swift file's header lists
the same). Randomness from SplitMix64 in the order each Swift file documents; Float64 arithmetic with math.* (libm),
summed sequentially, as the Swift code does.
"""
import json
import math
import os

import numpy as np

import sampler_trajectories as st  # st.V, st.MASK, ... are set per model


def categorical(row, temperature, rng):
    """Proposal of CategoricalPick without top-p/top-k: argmax of softmax(l), or an inverse-CDF sample of
    softmax(l / temperature); the probability is read from the distribution sampled (diffusers
    BlockRefinementScheduler._sample_from_logits)."""
    if temperature > 0:
        row = [value / temperature for value in row]
    s = st.summary(row)
    token = s["argmax"]
    if temperature > 0:
        u, cumulative = rng.uniform(), 0.0
        for v in range(len(row)):
            if row[v] > -math.inf:
                cumulative += s["prob"](row[v])
                token = v
                if u < cumulative:
                    break
    return token, s["prob"](row[token])


def suppressed_row(logits_row):
    row = [float(value) for value in logits_row]
    row[st.MASK] = row[st.PAD] = -math.inf
    return row


# ---- 1. LLaDA 2.0 / 2.1 ---------------------------------------------------------------------------------------
# Decision rule: sgl-project/sglang python/sglang/srt/dllm/algorithm/low_confidence.py `LowConfidence.step`
# (commit 0564b5215b333749d722348c3b3d9b92c3de8c44) and joint_threshold.py `JointThreshold.step` (commit
# 17d57211575786d0abf1683309f9e3b1545b8210); block loop and defaults: huggingface/diffusers
# src/diffusers/pipelines/llada2/pipeline_llada2.py `LLaDA2Pipeline.__call__` (commit
# 0f2e62af275da3749203a92045b790f6c143d406). Changes: the model sees the whole canvas (a block-causal model ignores
# later blocks), the canvas is exactly `length`, mask/pad never proposed, inverse-CDF sampling.

def llada2_blocks(prompt_length, length, block):
    blocks, start = [], 0
    while start < length:
        end = min(length, ((prompt_length + start) // block + 1) * block - prompt_length)
        blocks.append(range(start, end))
        start = end
    return blocks


def ref_llada2(model, prompt, length, seed, params, editing):
    rng = st.SplitMix64(seed)
    defaults = dict(threshold=0.7, edit_threshold=0.5, max_post_steps=16) if editing else dict(threshold=0.95)
    p = {**defaults, "block_length": 32, "temperature": 0.0, **params}
    x = [st.MASK] * length
    masked = [True] * length
    trajectory, passes, stopped = [], 0, False
    for block in llada2_blocks(len(prompt), length, p["block_length"]):
        post_steps = 0
        while True:
            masks_left = any(masked[i] for i in block)
            if not masks_left:
                if not editing:
                    break
                post_steps += 1
                if post_steps > p["max_post_steps"]:
                    break
            rows = model(prompt, x)
            passes += 1
            proposals = []  # (position, token, probability), ascending positions
            for i in block:
                if masked[i] or editing:
                    token, prob = categorical(suppressed_row(rows[i]), p["temperature"], rng)
                    proposals.append((i, token, prob))
            masked_proposals = [q for q in proposals if masked[q[0]]]
            writes = [q for q in masked_proposals if q[2] > p["threshold"]]  # M2T
            if not writes and masked_proposals:
                writes = [sorted(masked_proposals, key=lambda q: (-q[2], q[0]))[0]]
            if editing:  # T2T
                writes += [q for q in proposals if not masked[q[0]] and q[2] > p["edit_threshold"] and q[1] != x[q[0]]]
            if not writes:
                break
            for i, token, _ in writes:
                x[i], masked[i] = token, False
            if p.get("stop_at_eos"):
                eos_at = [i for i in range(length) if not masked[i] and x[i] == st.EOS]
                if eos_at and not any(masked[:eos_at[0]]):
                    for i in range(eos_at[0] + 1, length):
                        if masked[i]:
                            x[i], masked[i] = x[eos_at[0]], False
                    stopped = True
            trajectory.append(list(x))
            if stopped:
                break
        if stopped:
            break
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 2. KLASS --------------------------------------------------------------------------------------------------
# shkim0116/KLASS src/model/llada_klass.py `stable_confident_decode`, alg='klass', unmask_strategy='all' (commit
# 8c59d015b99ab7dec4cc3515595ee18f3eedb9da). Changes (see KLASS.swift): confidence and KL from softmax(l) also when
# temperature > 0 (the reference takes them from the softmax of its Gumbel-perturbed exponentials); the fallback takes
# at most the masks left and the block's last step commits every mask left; at most one step per mask.

def ref_klass(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "conf_threshold": 0.9, "kl_threshold": 0.01, "history_length": 2, **params}
    block = p.get("block_length") or length
    assert length % block == 0 and steps % (length // block) == 0
    blocks, h = length // block, p["history_length"]
    x, masked = [st.MASK] * length, [True] * length
    p_prev = [[0.0] * st.V for _ in range(length)]
    kl_history = [[0.0] * h for _ in range(length)]
    trajectory, passes = [], 0
    for b in range(blocks):
        positions_all = range(b * block, (b + 1) * block)
        at_start = sum(1 for i in positions_all if masked[i])
        block_steps = max(1, min(steps // blocks, at_start))
        schedule = st.get_num_transfer_tokens(at_start, block_steps)
        for step in range(block_steps):
            positions = [i for i in positions_all if masked[i]]
            if not positions:
                break
            rows = model(prompt, x)
            passes += 1
            for i in range(length):
                if not masked[i]:
                    continue
                row = suppressed_row(rows[i])
                s = st.summary(row)
                p_curr = [s["prob"](value) for value in row]
                kl = 0.0
                for v in range(st.V):
                    kl += p_curr[v] * (math.log(p_curr[v] + 1e-12) - math.log(p_prev[i][v] + 1e-12))
                p_prev[i] = p_curr
                kl_history[i] = kl_history[i][1:] + [kl]
            cands = []
            for i in positions:
                row = suppressed_row(rows[i])
                token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                cands.append(dict(pos=i, token=token, score=s["prob"](row[token])))
            if step >= h - 1:
                ready = [k for k, c in enumerate(cands)
                         if c["score"] > p["conf_threshold"] and all(kl < p["kl_threshold"] for kl in kl_history[c["pos"]])]
            else:
                ready = []
            if step == block_steps - 1:
                chosen = st.rank(cands, "score")
            elif ready:
                chosen = ready
            else:
                chosen = st.rank(cands, "score")[:schedule[step]]
            for k in chosen:
                x[cands[k]["pos"]], masked[cands[k]["pos"]] = cands[k]["token"], False
            trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 3. PC-Sampler ---------------------------------------------------------------------------------------------
# NEUIR/PC-Sampler src/generate.py `generate_with_pc_sampler`, `pc_sampler_function`, `load_baseline` (commit
# 6c662764d1f0cebfa0a353d4228aa44f0cbfb4b9), on the LLaDA loop of sampler_trajectories.py. Changes: Float64 softmax
# (the reference's is Float32 here), mask/pad never proposed, at most one step per mask.
BACKGROUND = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "../../../Tests/SamplersTests/Fixtures/pc_sampler_background.json")


def background_frequencies(path):
    """load_baseline: f = count / num_token, 1 / num_token for ids the file does not list; uniform 1/V without a file."""
    if path is None:
        return [1 / st.V] * st.V
    with open(path) as f:
        table = json.load(f)
    counts = {int(k): v for k, v in table["p_baseline_dict"].items()}
    return [counts.get(v, 1) / table["num_token"] for v in range(st.V)]


def ref_pc_sampler(model, prompt, length, steps, seed, params):
    f = background_frequencies(BACKGROUND if params.get("background") else None)
    lam, alpha = params.get("lambda", 0.25), params.get("alpha", 10.0)
    block = params.get("block_length") or length

    def pc_score(stats, token, pos, rng):  # pc_sampler_function on one position
        calibrated = min(stats["p"] * -math.log(f[token] + 1e-9), alpha)
        return math.exp(-lam * (pos % block)) * calibrated

    uniform = lambda cands, j, block_steps, at_start, masked, rng: \
        st.rank(cands, "score")[:st.get_num_transfer_tokens(at_start, block_steps)[j]]
    opts = {k: params[k] for k in st.LOOP_KEYS if k in params}
    return st.masked_loop(model, prompt, length, steps, seed, opts, st.gumbel(params), pc_score, uniform,
                          lambda budget, masked: max(1, min(budget, masked)))


# ---- 4. ReMDM --------------------------------------------------------------------------------------------------
# kuleshov-group/remdm diffusion.py `_ddpm_caching_update` (samplers remdm-cap/-rescale/-conf/-loop) and `_sample`
# (commit f830d65, the newest snapshot fetched). Changes (see ReMDM.swift): a decoded token that is not re-masked is
# kept (SUBS carry-over made explicit), the draw over V + {mask} is factored (one uniform, then Gumbel-max), the last
# step unmasks all and re-masks none (instead of the noise-removal pass), no nucleus sampling, mask/pad never proposed.

def remdm_probabilities(sampler, p, step, steps, masked, conf):
    dt = (1 - p["eps"]) / steps
    t = 1 - step * dt
    s = t - dt
    mdlm = lambda at, as_: [(as_ - at) / (1 - at) if m else 0.0 for m in masked]
    remdm = lambda at, as_, sig: [(as_ - (1 - sig[i]) * at) / (1 - at) if masked[i] else sig[i]
                                  for i in range(len(masked))]
    alpha_t, alpha_s = 1 - t, 1 - s
    sigma_max = min(1, (1 - alpha_s) / alpha_t) if alpha_t > 0 else 1
    if sampler == "remdm_cap":
        sigma = min(p["eta"], (1 - alpha_s) / alpha_t) if alpha_t > 0 else p["eta"]
        return remdm(alpha_t, alpha_s, [sigma] * len(masked))
    if sampler == "remdm_rescale":
        return remdm(alpha_t, alpha_s, [p["eta"] * sigma_max] * len(masked))
    if sampler == "remdm_conf":  # eta = conf.softmax(-1); eta[masked] = 0; sigma = eta * sigma_max
        decoded = [i for i in range(len(masked)) if not masked[i]]
        top = max([conf[i] for i in decoded], default=0.0)
        total = 0.0
        for i in decoded:
            total += math.exp(conf[i] - top)
        return remdm(alpha_t, alpha_s, [0.0 if masked[i] else math.exp(conf[i] - top) / total * sigma_max
                                        for i in range(len(masked))])
    eta, t_on, t_off, a_on = p["eta"], p["t_on"], p["t_off"], p["alpha_on"]  # remdm_loop
    if t > t_on:
        return mdlm((1 - t) * a_on / (1 - t_on), (1 - t + dt) * a_on / (1 - t_on))
    if t <= t_off:
        return mdlm(1 - t * (1 - a_on) / t_off, 1 - (t - dt) * (1 - a_on) / t_off)
    return [eta * a_on / (1 - a_on) if m else eta for m in masked]


def ref_remdm(model, prompt, length, steps, seed, params, sampler):
    rng = st.SplitMix64(seed)
    defaults = {"remdm_cap": dict(eta=0.008), "remdm_rescale": dict(eta=0.015), "remdm_conf": {},
                "remdm_loop": dict(eta=0.02, t_on=0.55, t_off=0.05, alpha_on=0.9)}[sampler]
    p = {"temperature": 1.0, "eps": 1e-5, **defaults, **params}
    x, masked, conf = [st.MASK] * length, [True] * length, [-math.inf] * length
    trajectory, passes, cache = [], 0, None
    for step in range(steps):
        if cache is None or cache[0] != x:  # p_x0_cache
            cache = (list(x), model(prompt, x))
            passes += 1
        rows = cache[1]
        last = step == steps - 1
        prob = remdm_probabilities(sampler, p, step, steps, masked, conf)
        was_masked = list(masked)
        for i in range(length):
            u = rng.uniform()
            if not was_masked[i]:
                if not last and u < prob[i]:
                    x[i], masked[i], conf[i] = st.MASK, True, -math.inf
            elif last or u < prob[i]:
                row = suppressed_row(rows[i])
                token, stats = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                x[i], masked[i], conf[i] = token, False, -stats["prob"](row[token])
        trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# guanghanwang/ReMDM-LLaDA eval_llada.py `llada_remdm_sample` (commit 2ef4abd97e60c1cc82b984332b6dc907e336a015).
# Changes (see ReMDMLLaDA.swift): the loop starts at pass 7s/8 of the s steps per block (the reference: 7B/8, B the
# block length), commits are capped by the masks left and only the block's tokens are re-masked; Gumbel-max sampling;
# no return at the first EOS.

def ref_remdm_llada(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 1.0, "remask_count": 1, **params}
    block = p.get("block_length") or length
    assert length % block == 0 and steps % (length // block) == 0 and length % steps == 0
    per_step, block_steps = length // steps, steps // (length // block)
    loop_start = block_steps * 7 // 8
    x, conf = [st.MASK] * length, [None] * length
    trajectory, passes = [], 0
    for b in range(length // block):
        positions_all = range(b * block, (b + 1) * block)
        for i in range(2 * block_steps):
            looping = loop_start <= i < loop_start + block_steps
            if looping:
                decoded = sorted([q for q in positions_all if conf[q] is not None], key=lambda q: (conf[q], q))
                for q in decoded[:p["remask_count"]]:
                    x[q], conf[q] = st.MASK, None
            rows = model(prompt, x)
            passes += 1
            cands = []
            for q in positions_all:
                if conf[q] is None:
                    row = suppressed_row(rows[q])
                    token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                    cands.append(dict(pos=q, token=token, score=s["prob"](row[token])))
            for k in st.rank(cands, "score")[:p["remask_count"] if looping else per_step]:
                x[cands[k]["pos"]], conf[cands[k]["pos"]] = cands[k]["token"], cands[k]["score"]
            trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 6. Prophet ------------------------------------------------------------------------------------------------
# pixeli99/Prophet generate_earlyexit.py `generate`, `should_early_exit` (commit 460afe4, the newest snapshot fetched).
# Changes (see Prophet.swift): Float64 confidence, mask/pad removed before the gap, `answer_start` given directly
# (no constraints), at most one step per mask, no CFG.

def should_early_exit(current_step, max_steps, answer_gap, thresholds):
    progress = current_step / max_steps
    if progress < 0.33:
        return answer_gap >= thresholds["early"]
    if progress < 0.67:
        return answer_gap >= thresholds["mid"]
    return answer_gap >= thresholds["late"]


def ref_prophet(model, prompt, length, steps, seed, params):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "answer_start": 0, "answer_length": 5, "early": 7.5, "mid": 5.0, "late": 2.5, **params}
    block = p.get("block_length") or length
    assert length % block == 0 and steps % (length // block) == 0
    blocks = length // block
    start = min(p["answer_start"], length)
    window = range(start, min(length, start + p["answer_length"]))
    x, masked = [st.MASK] * length, [True] * length
    trajectory, passes, global_step, exited = [], 0, 0, False

    def propose(rows, i):
        row = suppressed_row(rows[i])
        token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
        return dict(pos=i, token=token, score=s["prob"](row[token]))

    for b in range(blocks):
        positions_all = range(b * block, (b + 1) * block)
        at_start = sum(1 for i in positions_all if masked[i])
        block_steps = max(1, min(steps // blocks, at_start))
        schedule = st.get_num_transfer_tokens(at_start, block_steps)
        for j in range(block_steps):
            if not any(masked[i] for i in positions_all):
                break
            global_step += 1
            rows = model(prompt, x)
            passes += 1
            gaps = []
            for i in window:
                top = sorted(suppressed_row(rows[i]), reverse=True)
                gaps.append(top[0] - top[1])
            exited = bool(gaps) and should_early_exit(global_step, steps, sum(gaps) / len(gaps), p)
            if exited:  # fill every remaining mask with x0
                chosen = [propose(rows, i) for i in range(length) if masked[i]]
            else:
                cands = [propose(rows, i) for i in positions_all if masked[i]]
                chosen = [cands[k] for k in st.rank(cands, "score")[:schedule[j]]]
            for c in chosen:
                x[c["pos"]], masked[c["pos"]] = c["token"], False
            trajectory.append(list(x))
            if exited:
                break
        if exited:
            break
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


# ---- 5. WINO ---------------------------------------------------------------------------------------------------
# Feng-Hong/WINO-DLLM LLaDA/decoding.py `decoding_wino` (commit 84964c7d41d76f3e2db6e5b2e5c39ffdea60ec53). The shadow
# block is an extra forward input: `shadow(prefix, canvas, block)` returns its rows from the same pass. Scripted model:
# row i = the scripted row of block position i over the canvas with that position masked (ScriptedDenoiser's
# ShadowBlockModel conformance); tiny model: the reference's attention mask and position ids (tiny_shadow_forward).
# Changes (see WINO.swift): mask/pad removed from every row, at most 4 passes per position (the run guard).

def scripted_shadow(model, prefix, canvas, block):
    rows = []
    for i in block:
        hidden = list(canvas)
        hidden[i] = st.MASK
        rows.append(model(prefix, hidden)[i])
    model.calls -= len(block)  # one forward pass with its shadow block
    return rows


def ref_wino(model, prompt, length, steps, seed, params, shadow=scripted_shadow):
    rng = st.SplitMix64(seed)
    p = {"temperature": 0.0, "threshold": 0.6, "threshold_back": 0.9, **params}
    block = p.get("block_length") or length
    x, masked = [st.MASK] * length, [True] * length
    trajectory, passes = [], 0
    for b in range(length // block):
        positions_all = range(b * block, (b + 1) * block)
        last_accept = 30
        while any(masked[i] for i in positions_all):
            max_accept = min(max(int(np.float32(sum(masked[i] for i in positions_all)) * np.float32(0.7)), 5), 20)
            rows = model(prompt, x)
            back_rows = shadow(model, prompt, x, positions_all)
            passes += 1
            cands = []
            for i in positions_all:
                if masked[i]:
                    row = suppressed_row(rows[i])
                    token, s = st.add_gumbel_noise_argmax(row, p["temperature"], rng)
                    cands.append(dict(pos=i, token=token, score=s["prob"](row[token])))
            back = []  # unmask_index_block: decoded positions of the block, leave-one-out probability of their token
            for i in positions_all:
                if not masked[i]:
                    row = suppressed_row(back_rows[i - positions_all[0]])
                    back.append((i, st.summary(row)["prob"](row[x[i]])))
            ranked = st.rank(cands, "score")
            drafted = [k for k in ranked if cands[k]["score"] > p["threshold"]]
            if len(drafted) > max_accept:
                drafted = ranked[:max_accept]
            elif not drafted:
                drafted = ranked[:1]
            remasked = []
            if len(drafted) > 1:
                remasked = [i for i, prob in back if prob < p["threshold_back"]]
                if len(remasked) >= last_accept:
                    remasked = [i for i, _ in sorted(back, key=lambda q: (q[1], q[0]))[:last_accept - 1]]
            for k in drafted:
                x[cands[k]["pos"]], masked[cands[k]["pos"]] = cands[k]["token"], False
            for i in remasked:
                x[i], masked[i] = st.MASK, True
            last_accept = len(drafted)
            trajectory.append(list(x))
    return dict(trajectory=trajectory, tokens=list(x), forward_passes=passes)


def tiny_shadow_forward(tape_model, prefix, canvas, block):
    """decoding_wino's forward on the tiny model: ids + a block of masks at the block's position ids; no query sees the
    shadow, shadow query i sees everything but block position i. Records the shadow rows on the tape's last call."""
    import base64
    import torch
    from lladamoe import apply_rope, rope_cos_sin
    m = tape_model.model
    n, start = len(prefix) + len(canvas), len(prefix) + block[0]
    ids = torch.tensor(list(prefix) + list(canvas) + [st.MASK] * len(block), dtype=torch.long)
    positions = torch.cat([torch.arange(n), torch.arange(start, start + len(block))])
    allowed = torch.ones(len(ids), len(ids), dtype=torch.bool)
    allowed[:, n:] = False
    allowed[n:, n:] = True
    allowed[n:, start:start + len(block)] = ~torch.eye(len(block), dtype=torch.bool)
    cos, sin = rope_cos_sin(n, m.rotary_dim, m.config["rope_theta"])
    cos, sin = cos[positions], sin[positions]
    with torch.no_grad():
        x = m.model.embed_tokens(ids[None])
        for layer in m.model.layers:
            a, h = layer.self_attn, layer.input_layernorm(x)
            T = h.shape[1]
            q = a.q_norm(a.q_proj(h).view(1, T, a.H, a.hd)).transpose(1, 2)
            k = a.k_norm(a.k_proj(h).view(1, T, a.KVH, a.hd)).transpose(1, 2)
            v = a.v_proj(h).view(1, T, a.KVH, a.hd).transpose(1, 2)
            q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
            rep = a.H // a.KVH
            k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
            scores = ((q @ k.transpose(-1, -2)) / math.sqrt(a.hd)).masked_fill(~allowed, float("-inf"))
            o = (torch.softmax(scores.float(), dim=-1).to(v.dtype) @ v).transpose(1, 2).reshape(1, T, a.H * a.hd)
            x = x + a.o_proj(o)
            h = layer.post_attention_layernorm(x)
            y = layer.mlp(h)
            if layer.shared_expert is not None:
                y = y + layer.shared_expert(h)
            x = x + y
        logits = m.lm_head(m.model.norm(x))[0, n:].to(torch.float32).numpy()
    tape_model.tape[-1]["shadow"] = base64.b64encode(logits.astype("<f4").tobytes()).decode()
    return [row for row in logits]
