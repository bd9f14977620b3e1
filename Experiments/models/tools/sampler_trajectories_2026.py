"""Reference trajectories of the second catalogue (samplers of 2025-26), for
Tests/SamplersTests/Fixtures/trajectories_2026.json and tiny_model_trajectories_2026.json.

Same method as sampler_trajectories.py (whose SplitMix64, scripted model, softmax statistics and tape model this
script imports): each `ref_*` function is my own port of the authors' decision rule, in the structure of the
original, with the randomness drawn from SplitMix64 in the order each Swift file documents and the deliberate
differences the Swift headers list; the ports themselves are in sampler_ports_2026.py (items 1-6) and
sampler_ports_2026_part2.py (items 7-11), each naming the function and the commit it follows. Deterministic: re-running gives byte-identical files. Usage:
    /work/venvs/samplers/bin/python Experiments/models/tools/sampler_trajectories_2026.py
    /work/venvs/samplers/bin/python Experiments/models/tools/sampler_trajectories_2026.py --tiny-model Experiments/models/tiny-llada-moe
    /work/venvs/samplers/bin/python Experiments/models/tools/sampler_trajectories_2026.py --tiny-gemma Experiments/models/tiny-diffusiongemma
The last form (tiny_diffusiongemma_trajectories_2026.json, the uniform-state samplers) needs transformers==5.23.0.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sampler_trajectories as st  # noqa: E402  (st.V, st.MASK, ... are set per model)
from sampler_ports_2026 import (ref_klass, ref_llada2, ref_pc_sampler, ref_prophet, ref_remdm,  # noqa: E402
                               ref_remdm_llada, ref_wino, tiny_shadow_forward)
from sampler_ports_2026_part2 import (ref_credit_decoding, ref_daedal, ref_dus, ref_psi_sampler,  # noqa: E402
                                      ref_saber, ref_slow_fast)


REFERENCES = {
    "llada2_threshold": lambda m, pr, n, steps, seed, params: ref_llada2(m, pr, n, seed, params, False),
    "llada21_editing": lambda m, pr, n, steps, seed, params: ref_llada2(m, pr, n, seed, params, True),
    "klass": ref_klass,
    "pc_sampler": ref_pc_sampler,
    **{name: (lambda name: lambda m, pr, n, steps, seed, params: ref_remdm(m, pr, n, steps, seed, params, name))(name)
       for name in ("remdm_cap", "remdm_rescale", "remdm_conf", "remdm_loop")},
    "prophet": ref_prophet,
    "remdm_llada": ref_remdm_llada,
    "wino": ref_wino,
    "saber": ref_saber,
    "dus": ref_dus,
    "slow_fast": ref_slow_fast,
    "credit_decoding": ref_credit_decoding,
    "daedal": ref_daedal,
    "psi_sampler": ref_psi_sampler,
}


def cases():
    prompt = [5, 9, 14, 3, 20]
    out = []

    def add(sampler, params=None, length=12, steps=12, seed=0, **extra):
        out.append(dict(sampler=sampler, params=params or {}, prompt=extra.get("prompt", prompt), length=length,
                        steps=steps, seed=seed, kind=extra.get("kind", "masked")))

    add("llada2_threshold")
    add("llada2_threshold", {"threshold": 0.5, "block_length": 4})
    add("llada2_threshold", {"threshold": 0.6, "block_length": 8, "temperature": 0.8}, seed=21)
    add("llada2_threshold", {"threshold": 0.3, "block_length": 4, "stop_at_eos": True}, length=16, steps=16,
        prompt=[7, 7, 3])
    add("llada21_editing")
    add("llada21_editing", {"block_length": 4})
    add("llada21_editing", {"threshold": 0.9, "edit_threshold": 0.8, "max_post_steps": 3, "block_length": 8})
    add("llada21_editing", {"block_length": 6, "temperature": 0.7, "max_post_steps": 4}, seed=22)
    add("llada21_editing", {"edit_threshold": 1.0, "block_length": 4})  # no edit can pass: LLaDA 2.0 with τ 0.7
    # the scripted model's rows change completely with every commit, so a KL "stable" needs a large kl_threshold
    add("klass", steps=6)
    add("klass", {"conf_threshold": 0.2, "kl_threshold": 5.0, "history_length": 1}, steps=6)
    add("klass", {"conf_threshold": 0.1, "kl_threshold": 10.0})
    add("klass", {"conf_threshold": 0.5, "kl_threshold": 8.0, "block_length": 4}, steps=6)
    add("klass", {"conf_threshold": 0.1, "kl_threshold": 6.0, "history_length": 1, "temperature": 0.8}, steps=6, seed=23)
    add("klass", {"conf_threshold": 0.1, "kl_threshold": 10.0, "temperature": 0.5}, seed=23)
    bg = "pc_sampler_background.json"  # resolved against the fixtures folder by the test
    add("pc_sampler")
    add("pc_sampler", {"background": bg}, steps=6)
    add("pc_sampler", {"background": bg, "lambda": 0.0, "alpha": 1.5, "block_length": 4}, steps=6)
    add("pc_sampler", {"background": bg, "lambda": 0.5, "temperature": 0.9, "block_length": 6, "cfg_scale": 0.5},
        steps=8, seed=24)
    add("pc_sampler", {"lambda": 1.0, "temperature": 1.0}, steps=4, seed=25)
    # ReMDM re-masks at high step counts: 32 steps for 12 positions, strengths large enough to re-mask here
    add("remdm_cap", steps=32, seed=26)
    add("remdm_cap", {"eta": 0.3, "temperature": 0.0}, steps=32)
    add("remdm_rescale", {"eta": 0.5}, steps=32, seed=27)
    add("remdm_rescale", {"eta": 0.8, "temperature": 0.0, "eps": 0.01}, steps=24)
    add("remdm_conf", steps=32, seed=28)
    add("remdm_conf", {"temperature": 0.0}, steps=20, seed=29)
    add("remdm_loop", steps=40, seed=30)
    add("remdm_loop", {"eta": 0.1, "t_on": 0.7, "t_off": 0.2, "alpha_on": 0.6, "temperature": 0.0}, steps=40, seed=31)
    add("remdm_llada", {"temperature": 0.0})
    add("remdm_llada", steps=12, seed=34)
    add("remdm_llada", {"block_length": 4, "remask_count": 2}, steps=6, seed=35)
    add("remdm_llada", {"block_length": 6, "temperature": 0.0}, steps=6)
    add("wino")
    add("wino", {"threshold": 0.3, "threshold_back": 0.6, "block_length": 4})
    add("wino", {"threshold": 0.2, "threshold_back": 0.5})
    add("wino", {"temperature": 0.8, "threshold": 0.25, "threshold_back": 0.7, "block_length": 6}, seed=33)
    add("prophet")
    add("prophet", {"answer_start": 7, "answer_length": 5, "late": 1.5, "block_length": 4}, steps=12)
    add("prophet", {"answer_start": 2, "early": 3.0, "mid": 2.0, "late": 1.0})
    add("prophet", {"early": 100.0, "mid": 100.0, "late": 100.0}, steps=6)  # never exits: LLaDA low-confidence
    add("prophet", {"temperature": 0.8, "answer_start": 4, "mid": 2.5, "late": 1.5, "block_length": 6}, steps=6, seed=32)
    add("saber")
    add("saber", {"block_length": 4})
    add("saber", {"min_tokens": 3, "block_length": 6})
    add("saber", {"min_tokens": 1})
    add("saber", {"temperature": 0.8, "block_length": 6}, seed=36)
    add("saber", {"temperature": 0.5, "min_tokens": 4}, length=16, seed=37)
    add("dus")
    add("dus", {"block_length": 4})
    add("dus", {"base": 3, "remask_threshold": 0.3})
    add("dus", {"base_skip": 2, "remask_threshold": 0.5, "block_length": 8}, length=16)
    add("dus", {"temperature": 0.8, "remask_threshold": 0.2}, seed=38)
    add("slow_fast")
    add("slow_fast", {"block_length": 6})
    add("slow_fast", {"high_threshold": 0.3, "span_threshold": 0.1})
    add("slow_fast", {"exploration_steps": 2, "stability_window": 1, "high_threshold": 0.5}, length=16)
    add("slow_fast", {"stability_window": 3, "stability_std": 0.5, "span_threshold": 0.2})
    add("slow_fast", {"temperature": 0.8, "high_threshold": 0.4, "block_length": 6}, seed=39)
    add("credit_decoding")
    add("credit_decoding", {"block_length": 4, "threshold": 0.5})
    add("credit_decoding", {"credit_alpha": 2.0, "boost_gamma": 0.5, "decay_beta": 0.5, "threshold": 0.7})
    add("credit_decoding", {"credit_alpha": 0.0, "threshold": 0.6})  # no credit: dInfer's ThresholdParallelDecoder
    add("credit_decoding", {"temperature": 0.8, "threshold": 0.6, "block_length": 6}, seed=40)
    # DAEDAL: `length` is the maximum; the scripted model's EOS (id 2) is rarely the argmax, so the canvas grows
    add("daedal", {"initial_length": 4, "eos_check_tokens": 4}, length=24)
    add("daedal", {"initial_length": 4, "eos_check_tokens": 4, "block_length": 4, "high_threshold": 0.5,
                   "low_threshold": 0.3}, length=20)
    add("daedal", {"initial_length": 6, "eos_threshold": 0.0, "eos_check_tokens": 6, "expansion_factor": 3,
                   "low_threshold": 0.5, "block_length": 6}, length=16)
    add("daedal", {"initial_length": 8, "eos_threshold": 0.0, "expand_eos_threshold": 0.0}, length=12)  # fixed length
    add("daedal", {"temperature": 0.8, "initial_length": 4, "eos_check_tokens": 4, "low_threshold": 0.2,
                   "block_length": 5}, length=18, seed=41)
    # Psi-samplers run on uniform-state models (no mask token); every case draws (the canvas starts random)
    add("psi_sampler", steps=8, seed=42, kind="uniform")
    add("psi_sampler", {"mode": "posterior"}, steps=8, seed=43, kind="uniform")
    add("psi_sampler", {"mode": "pc"}, steps=6, seed=44, kind="uniform")
    add("psi_sampler", {"mode": "max_rescale", "eta": 0.5}, steps=10, seed=45, kind="uniform")
    add("psi_sampler", {"mode": "constant", "eta": 0.3}, length=8, steps=16, seed=46, kind="uniform")
    add("psi_sampler", {"mode": "constant_remdm", "eta": 0.05}, steps=12, seed=47, kind="uniform")
    return out


def run(model, case):
    if case["sampler"] == "wino" and isinstance(model, st.TapeModel):
        return ref_wino(model, case["prompt"], case["length"], case["steps"], case["seed"], case["params"],
                        shadow=tiny_shadow_forward)
    return REFERENCES[case["sampler"]](model, case["prompt"], case["length"], case["steps"], case["seed"],
                                       case["params"])


ADDITION_ONLY = (4, 5, 6, 8, 11, 12, 14, 16, 17)  # seeds of the tiny cases run on addition only


def tiny_cases():
    """(sampler, params, seed[, divisor of the step budget]) per task on the tiny model (budget = length / divisor)."""
    return [
        ("llada2_threshold", {"block_length": 8}, 0), ("llada2_threshold", {"threshold": 0.7, "temperature": 1.0}, 1),
        ("llada21_editing", {"block_length": 8, "max_post_steps": 2}, 0),
        ("llada21_editing", {"temperature": 1.0, "max_post_steps": 2}, 2),
        ("klass", {"conf_threshold": 0.6, "kl_threshold": 0.015}, 0),
        ("pc_sampler", {"background": "pc_sampler_background.json"}, 0, 2),
        ("pc_sampler", {"background": "pc_sampler_background.json", "lambda": 0.5, "temperature": 1.0}, 4, 2),
        ("remdm_cap", {"eta": 0.3, "temperature": 0.0}, 5, 2), ("remdm_conf", {}, 6),
        ("remdm_loop", {"eta": 0.1, "temperature": 0.0}, 7, 2), ("remdm_rescale", {"eta": 0.5}, 8),
        ("remdm_llada", {"temperature": 0.0}, 0, 4), ("remdm_llada", {}, 11),
        ("wino", {}, 0), ("wino", {"temperature": 1.0, "threshold": 0.5, "threshold_back": 0.95}, 10),
        ("prophet", {}, 0), ("prophet", {"temperature": 1.0, "early": 12.0, "mid": 9.0, "late": 7.0}, 9), ("klass", {"temperature": 1.0, "conf_threshold": 0.6, "kl_threshold": 0.1}, 3),
        ("saber", {}, 0), ("saber", {"temperature": 1.0, "min_tokens": 1}, 12),
        ("dus", {}, 0), ("dus", {"temperature": 1.0, "remask_threshold": 0.9}, 15),
        ("credit_decoding", {"threshold": 1.0}, 0), ("credit_decoding", {"temperature": 1.0, "threshold": 1.0}, 16),
        ("daedal", {"initial_length": 2, "eos_check_tokens": 4}, 0),
        ("daedal", {"temperature": 1.0, "initial_length": 2, "eos_check_tokens": 4, "low_threshold": 0.5}, 17),
        ("slow_fast", {}, 0), ("slow_fast", {"temperature": 1.0, "exploration_steps": 2, "high_threshold": 1.0}, 14),
    ]


def tiny_model_fixture(folder, out):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    st.V, st.MASK, st.EOS, st.PAD = (config["vocab_size"], config["mask_token_id"], config["eos_token_id"],
                                     config["pad_token_id"])
    from lladamoe import load_tokenizer
    tokenizer = load_tokenizer(folder)
    grid = list("1234341221434321")
    for i in (1, 4, 6, 9, 11, 14, 15):
        grid[i] = "."
    prompts = {"addition": ("A4821+0977=", 5), "sudoku4": ("U" + "".join(grid) + "=", 16)}
    fixtures = []
    for task, (text, length) in prompts.items():
        prompt = tokenizer.encode(text).ids
        for sampler, params, seed, *divisor in tiny_cases():
            if task == "sudoku4" and seed in ADDITION_ONLY:  # keeps the fixture small (a pass is ~2.5 KB of logits)
                continue
            steps = max(1, length // (divisor[0] if divisor else 1))
            if sampler == "remdm_llada" and length % steps:  # it commits length/steps per step
                steps = length
            case = dict(sampler=sampler, params=params, prompt=prompt, length=length, steps=steps, seed=seed,
                        kind="masked", task=task)
            model = st.TapeModel(folder)
            result = run(model, case)
            fixtures.append({**case, **result, "tape": model.tape})
            print(f"tiny {task:8s} {sampler:22s} {json.dumps(params):50s} NFE {result['forward_passes']:3d} -> "
                  f"{tokenizer.decode(result['tokens'])}", file=sys.stderr)
    with open(out, "w") as f:
        json.dump({"model": os.path.basename(os.path.normpath(folder)), "vocabulary": st.V, "mask": st.MASK,
                   "eos": st.EOS, "pad": st.PAD, "cases": fixtures}, f, separators=(",", ":"))
        f.write("\n")


class GemmaTapeModel:
    """The shipped tiny DiffusionGemma-format model through transformers' DiffusionGemmaForBlockDiffusion (the
    prompt encoded into the KV cache, the decoder run on the canvas), recording every call as TapeModel does.
    Self-conditioning: the previous pass's probabilities, handed to transformers as their logarithms (its decoder
    takes logits and applies the softmax)."""
    self_conditioning = True

    def __init__(self, folder):
        import torch
        from transformers import DiffusionGemmaForBlockDiffusion
        torch.set_num_threads(1)
        self.model = DiffusionGemmaForBlockDiffusion.from_pretrained(folder, attn_implementation="eager").eval()
        self.tape = []

    def __call__(self, prefix, canvas, conditioning=None):
        import base64
        import numpy as np
        import torch
        from transformers.cache_utils import DynamicCache
        text = self.model.config.text_config
        cache = DynamicCache(config=text)
        sc = None
        if conditioning is not None:
            with np.errstate(divide="ignore"):
                sc = torch.tensor(np.log(np.array(conditioning, dtype=np.float32)))[None]
        with torch.no_grad():
            self.model.model.encoder(input_ids=torch.tensor([list(prefix)]), past_key_values=cache,
                                     position_ids=torch.arange(len(prefix))[None])
            out = self.model(decoder_input_ids=torch.tensor([list(canvas)]), past_key_values=cache,
                             self_conditioning_logits=sc,
                             decoder_position_ids=torch.arange(len(prefix), len(prefix) + len(canvas))[None])
        logits = out.logits[0].float().numpy()
        self.tape.append({"tokens": list(prefix) + list(canvas),
                          "logits": base64.b64encode(logits.astype("<f4").tobytes()).decode()})
        return [row for row in logits]


def tiny_gemma_fixture(folder, out):
    """psi_sampler on the shipped uniform-state model (Experiments/models/tiny-diffusiongemma), transformers 5.23."""
    with open(os.path.join(folder, "config.json")) as f:
        text = json.load(f)["text_config"]
    st.V, st.MASK, st.EOS, st.PAD = text["vocab_size"], -1, text["eos_token_id"], text["pad_token_id"]
    from lladamoe import load_tokenizer
    tokenizer = load_tokenizer(folder)
    grid = list("1234341221434321")
    for i in (1, 4, 6, 9, 11, 14, 15):
        grid[i] = "."
    prompts = {"addition": ("A4821+0977=", 5), "sudoku4": ("U" + "".join(grid) + "=", 16)}
    fixtures = []
    for task, (text_prompt, length) in prompts.items():
        prompt = tokenizer.encode(text_prompt).ids  # as dlab encodes a task prompt (no BOS)
        for params, steps, seed in [({}, 8, 0), ({"mode": "posterior"}, 8, 1), ({"mode": "max_rescale", "eta": 0.5}, 12, 2)]:
            if task == "sudoku4" and seed == 2:  # keeps the fixture small
                continue
            case = dict(sampler="psi_sampler", params=params, prompt=prompt, length=length, steps=steps, seed=seed,
                        kind="uniform", task=task)
            model = GemmaTapeModel(folder)
            result = ref_psi_sampler(model, prompt, length, steps, seed, params)
            fixtures.append({**case, **result, "tape": model.tape})
            print(f"gemma {task:8s} psi_sampler {json.dumps(params):40s} NFE {result['forward_passes']:3d} -> "
                  f"{tokenizer.decode(result['tokens'])}", file=sys.stderr)
    with open(out, "w") as f:
        json.dump({"model": os.path.basename(os.path.normpath(folder)), "vocabulary": st.V, "mask": st.MASK,
                   "eos": st.EOS, "pad": st.PAD, "cases": fixtures}, f, separators=(",", ":"))
        f.write("\n")


def main():
    fixtures_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../Tests/SamplersTests/Fixtures")
    if len(sys.argv) > 1 and sys.argv[1] == "--tiny-gemma":
        assert len(sys.argv) == 3, "usage: sampler_trajectories_2026.py --tiny-gemma FOLDER"
        tiny_gemma_fixture(sys.argv[2], os.path.join(fixtures_dir, "tiny_diffusiongemma_trajectories_2026.json"))
        return
    if len(sys.argv) > 1:
        assert sys.argv[1] == "--tiny-model" and len(sys.argv) == 3, \
            "usage: sampler_trajectories_2026.py [--tiny-model FOLDER | --tiny-gemma FOLDER]"
        tiny_model_fixture(sys.argv[2], os.path.join(fixtures_dir, "tiny_model_trajectories_2026.json"))
        return
    fixtures = []
    for case in cases():
        result = run(st.ScriptedModel(True), case)
        fixtures.append({**case, **result})
        print(f"{case['sampler']:22s} {json.dumps(case['params']):70s} steps {len(result['trajectory']):3d} "
              f"NFE {result['forward_passes']:3d} -> {result['tokens']}", file=sys.stderr)
    with open(os.path.join(fixtures_dir, "trajectories_2026.json"), "w") as f:
        json.dump({"vocabulary": st.V, "mask": st.MASK, "eos": st.EOS, "pad": st.PAD, "cases": fixtures}, f,
                  separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
