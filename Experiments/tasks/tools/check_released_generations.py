#!/usr/bin/env python3
"""Agreement on real model outputs: d1's released LLaDA generations scored by DiffusionLab and by the references.

d1 (github.com/dllm-reasoning/d1) publishes the generations of its baselines (eval/eval_baselines/*.json:
question, generation, ground truth) for GSM8K, MATH-500, Countdown and Sudoku. This script turns each file into a
task data file and a predictions file, scores them with `dlab tasks score` (the shipped definitions of
Experiments/tasks), scores the same generations with the reference code (lm-evaluation-harness's GSM8K filters
and metric and hendrycks_math `is_equiv`; d1's parse_countdown_answers and parse_sudoku_answers), and prints how
many of the scores agree. Nothing of d1 is copied into the repository.

    /work/venvs/lmeval/bin/python Experiments/tasks/tools/check_released_generations.py --d1 /tmp/d1 --dlab .build/debug/dlab
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import make_scorer_fixtures as fixtures

HERE = os.path.dirname(os.path.abspath(__file__))
DEFINITIONS = os.path.join(HERE, "..")


def write_jsonl(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def dlab_scores(dlab, tasks, name, outputs):
    predictions = os.path.join(tasks, "predictions.jsonl")
    write_jsonl(predictions, [{"index": i, "output": o} for i, o in enumerate(outputs)])
    result = subprocess.run([dlab, "tasks", "score", name, "--predictions", predictions], capture_output=True, text=True,
                            env=dict(os.environ, DLAB_TASKS=tasks))
    if result.returncode != 0:
        sys.exit(result.stderr)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return [line["scores"] for line in lines if "scores" in line]


def number(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--d1", required=True, help="a checkout of github.com/dllm-reasoning/d1")
    parser.add_argument("--dlab", required=True, help="the dlab executable")
    args = parser.parse_args()
    d1 = fixtures.load_d1(args.d1)
    sys.path.insert(0, os.path.join(fixtures.TASKS, "hendrycks_math"))
    import utils as hendrycks

    gsm8k = fixtures.harness_yaml("gsm8k/gsm8k.yaml")
    gsm8k_filters = {f["name"]: f["filter"] for f in gsm8k["filter_list"]}
    totals = {}

    def tally(key, ours, reference):
        agree, count, positive = totals.get(key, (0, 0, 0))
        totals[key] = (agree + (ours == reference), count + 1, positive + reference)
        if ours != reference and totals[key][1] - totals[key][0] <= 3:
            print(f"  disagreement in {key}: dlab {ours}, reference {reference}")

    for path in sorted(glob.glob(os.path.join(args.d1, "eval", "eval_baselines", "*_generations.json"))):
        # A few records have no ground truth: nothing to score them against.
        items = [item for item in json.load(open(path))["generations"] if item.get("ground_truth") is not None]
        family = os.path.basename(path).split("_")[0]
        tasks = tempfile.mkdtemp()
        try:
            outputs = [item["generations"] for item in items]
            if family == "gsm8k":
                shutil.copy(os.path.join(DEFINITIONS, "gsm8k.yaml"), tasks)
                rows = [{"question": item["question"], "answer": "#### " + number(item["ground_truth"])} for item in items]
                write_jsonl(os.path.join(tasks, "data/gsm8k/test.jsonl"), rows)
                write_jsonl(os.path.join(tasks, "data/gsm8k/train.jsonl"), rows)
                for ours, row, output in zip(dlab_scores(args.dlab, tasks, "gsm8k", outputs), rows, outputs):
                    for key, name in (("gsm8k strict", "strict-match"), ("gsm8k flexible", "flexible-extract")):
                        extracted = fixtures.run_filters(gsm8k_filters[name], output.split("Question:")[0], {})
                        tally(key, ours[name], fixtures.exact_match(extracted, row["answer"], gsm8k["metric_list"][0]))
            elif family == "math500":
                shutil.copy(os.path.join(DEFINITIONS, "math500.yaml"), tasks)
                rows = [{"problem": item["question"], "answer": item["ground_truth"]} for item in items]
                write_jsonl(os.path.join(tasks, "data/math500/test.jsonl"), rows)
                for ours, row, output in zip(dlab_scores(args.dlab, tasks, "math500", outputs), rows, outputs):
                    try:
                        extracted = hendrycks.remove_boxed(hendrycks.last_boxed_only_string(output.split("Problem:")[0]))
                    except Exception:
                        extracted = None
                    reference = 1.0 if extracted is not None and hendrycks.is_equiv(extracted, row["answer"]) else 0.0
                    tally("math500", ours["boxed-equiv"], reference)
            elif family == "countdown":
                shutil.copy(os.path.join(DEFINITIONS, "countdown3.yaml"), tasks)
                rows = [{"input": ",".join(map(str, item["ground_truth"][0])), "output": str(item["ground_truth"][1])} for item in items]
                write_jsonl(os.path.join(tasks, "data/countdown/countdown_cd3_test.jsonl"), rows)
                _, _, processed, _ = d1.parse_countdown_answers(json_data={"generations": items})
                for ours, result in zip(dlab_scores(args.dlab, tasks, "countdown3", outputs), processed):
                    tally("countdown", ours["correct"], 1.0 if result["is_correct"] else 0.0)
            elif family == "sudoku":
                shutil.copy(os.path.join(DEFINITIONS, "sudoku4-d1.yaml"), tasks)
                puzzles = [re.search(r"Sudoku puzzle: ([0-9]{16})", item["question"]).group(1) for item in items]
                os.makedirs(os.path.join(tasks, "data/sudoku"))
                with open(os.path.join(tasks, "data/sudoku/4x4_test_sudoku.csv"), "w") as f:
                    f.write("Puzzle,Solution\n" + "".join(f"{p},{item['ground_truth']}\n" for p, item in zip(puzzles, items)))
                _, _, processed, _ = d1.parse_sudoku_answers(json_data={"generations": items})
                for ours, result in zip(dlab_scores(args.dlab, tasks, "sudoku4-d1", outputs), processed):
                    tally("sudoku cell accuracy", round(ours["cell-accuracy"], 12), round(result["accuracy"], 12))
        finally:
            shutil.rmtree(tasks)
    for key, (agree, count, positive) in sorted(totals.items()):
        print(f"{key}: {agree} of {count} scores agree (reference mean score {positive / count:.3f})")


if __name__ == "__main__":
    main()
