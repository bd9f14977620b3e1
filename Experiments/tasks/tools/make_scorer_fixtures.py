#!/usr/bin/env python3
"""Reference scores for DiffusionLab's file-backed task scorers (Tests/TasksTests/Fixtures/scorer_agreement.json).

Runs the reference extraction and scoring code on a fixed list of model outputs (correct, wrong, malformed,
adversarial) and records, per output, the extracted answer and the score:

- GSM8K: lm-evaluation-harness's `regex` + `take_first` filters and `exact_match` with the options of
  lm_eval/tasks/gsm8k/gsm8k.yaml (read from the installed package, not copied).
- MATH: lm_eval/tasks/hendrycks_math/utils.py `last_boxed_only_string`, `remove_boxed`, `is_equiv`.
- Multiple choice: the filters of lm_eval/tasks/mmlu/generative/_default_template_yaml and the
  `strict-match` and `flexible-extract` (`multi_choice_regex`) filters of mmlu/flan_cot_zeroshot, with
  `exact_match` (ignore case and punctuation).
- Countdown and Sudoku: d1's eval/parse_and_get_acc.py (`parse_countdown_answers`, `parse_sudoku_answers`).

Usage (a venv outside the repository; d1 is not on PyPI, so point at a checkout of it):
    python3 -m venv /work/venvs/lmeval && /work/venvs/lmeval/bin/pip install lm-eval
    git clone https://github.com/dllm-reasoning/d1 /tmp/d1
    /work/venvs/lmeval/bin/python Experiments/tasks/tools/make_scorer_fixtures.py --d1 /tmp/d1
The output is deterministic: the same packages give a byte-identical file.
"""
import argparse
import importlib.metadata
import json
import os
import sys
import types

import yaml

import lm_eval
from lm_eval.api.metrics import exact_match_hf_evaluate
from lm_eval.filters.extraction import MultiChoiceRegexFilter, RegexFilter, WhitespaceFilter
from lm_eval.filters.selection import TakeFirstFilter

TASKS = os.path.join(os.path.dirname(lm_eval.__file__), "tasks")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "..", "Tests", "TasksTests", "Fixtures", "scorer_agreement.json")


class Loader(yaml.SafeLoader):
    pass


# The harness's YAML uses !function tags; they are not needed here.
Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def harness_yaml(path):
    with open(os.path.join(TASKS, path)) as f:
        return yaml.load(f, Loader=Loader)


def run_filters(steps, response, doc):
    resps = [[response]]
    for step in steps:
        function = step["function"]
        args = {k: v for k, v in step.items() if k != "function"}
        if function == "regex":
            resps = RegexFilter(**args).apply(resps, [doc])
        elif function == "multi_choice_regex":
            resps = MultiChoiceRegexFilter(**args).apply(resps, [doc])
        elif function == "remove_whitespace":
            resps = WhitespaceFilter().apply(resps, [doc])
        elif function == "take_first":
            resps = TakeFirstFilter().apply(resps, [doc])
        else:
            raise ValueError(function)
        resps = list(resps)
    return resps[0] if isinstance(resps[0], str) else resps[0][0]


def exact_match(prediction, reference, options):
    keys = ("regexes_to_ignore", "ignore_case", "ignore_punctuation", "ignore_numbers")
    kwargs = {k: options[k] for k in keys if k in options}
    return float(exact_match_hf_evaluate(predictions=[prediction], references=[reference], **kwargs)["exact_match"])


# ---------------------------------------------------------------- GSM8K

GSM8K_REFERENCES = [
    "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether.\n#### 72",
    "It costs 1,000 + 250 = <<1000+250=1250>>1,250 dollars.\n#### 1250",
    "She loses 5 dollars.\n#### -5",
    "The price is $3.50.\n#### 3.5",
    "#### 1,000,000",
    "Steps #### with #### inside\n#### 18",
    "#### 0",
    "#### 42.",
]
GSM8K_OUTPUTS = [
    "{a}", "#### {a}", "#### {a}.", "#### ${a}", "The answer is {a}.", "So she has {a} left.\n#### {a}",
    "#### {a}\n\nQuestion: next", "#### {a} dollars", "{a} apples, then 3 more: #### {a}", "#### {a}#### 7",
    "#### -{a}", "####{a}", "#### {a},000", "The answer is ${a}.00", "No idea.", "", "#### ", "####  {a}",
    "3 + 4 = 7, so {a}", "{a}, 12", "The answer is {a}!\n", "#### 1,2,3", "#### ...", "-- {a} --",
    "#### {a}\n#### 99", "Total: {a}.", "It is 5.5.5", "$ {a}", "#### −{a}", "#### {a} {a}",
]
GSM8K_ANSWERS = ["72", "1250", "1,250", "-5", "3.50", "3.5", "1,000,000", "18", "0", "42", "7"]
# The gold answer of each reference, written as a model might: every other output uses it.
GSM8K_GOLD = ["72", "1,250", "-5", "3.5", "1000000", "18", "0", "42"]


def gsm8k_items():
    config = harness_yaml("gsm8k/gsm8k.yaml")
    metric = config["metric_list"][0]
    filters = {f["name"]: f["filter"] for f in config["filter_list"]}
    items = []
    for i, reference in enumerate(GSM8K_REFERENCES):
        for j, template in enumerate(GSM8K_OUTPUTS):
            answer = GSM8K_GOLD[i] if j % 2 == 0 else GSM8K_ANSWERS[(i + j) % len(GSM8K_ANSWERS)]
            output = template.replace("{a}", answer)
            item = {"reference": reference, "output": output}
            for key, name in (("strict", "strict-match"), ("flexible", "flexible-extract")):
                extracted = run_filters(filters[name], output, {})
                item[key] = {"extracted": extracted, "score": exact_match(extracted, reference, metric)}
            items.append(item)
    return items


# ---------------------------------------------------------------- MATH

def math_items():
    sys.path.insert(0, os.path.join(TASKS, "hendrycks_math"))
    import utils as hendrycks  # lm_eval/tasks/hendrycks_math/utils.py

    references = [
        "\\frac{1}{2}", "3", "-5", "\\sqrt{2}", "10\\%", "(1,2)", "\\text{(A)}", "5", "x=3", "\\frac{\\sqrt{3}}{2}",
        "0.5", "2/3", "\\dfrac{3}{4}", "90^\\circ", "\\$10",
    ]
    outputs = [
        "\\boxed{\\frac12}", "\\boxed{0.5}", "\\boxed{\\dfrac{1}{2}}", "\\boxed{1/2}", "\\boxed{.5}", "so \\boxed{3}.",
        "\\boxed{2} then \\boxed{3}", "\\boxed{-5}", "\\boxed{\\sqrt2}", "\\boxed{10\\%}", "\\boxed{10}",
        "\\boxed{\\left( 1, 2 \\right)}", "\\boxed{(1, 2)}", "\\boxed{\\text{(A)}}", "\\boxed{5 \\text{ cm}}",
        "\\boxed{x = 3}", "\\boxed{\\frac{\\sqrt{3}}{2}}", "\\boxed{\\frac{\\sqrt3}2}", "\\boxed 5$ and more",
        "\\fbox{5}", "\\boxed{3", "no boxed answer", "", "\\boxed{}", "\\boxed{\\frac{1}}", "\\boxed{\\sqrt}",
        "\\boxed{3/0}", "\\boxed{-0/5}", "\\boxed{1_0/2}", "\\boxed{a/b}", "\\boxed{\\text{ a}\\text{ b}}",
        "\\boxed{2/3}", "\\boxed{\\frac{2}{3}}", "\\boxed{\\tfrac34}", "\\boxed{90^{\\circ}}", "\\boxed{\\$10}",
        "\\boxed{{5}}", "\\boxed{\\{1,2\\}}", "\\boxed{ 3 }", "\\boxed{3.0}", "\\boxed{\\frac{1}{2}}\n\\boxed{5}",
        "\\boxed{k=5}", "\\boxed{\\!5}", "\\boxed{\\frac 1 2}", "\\boxed{１/２}",
    ]
    items = []
    for reference in references:
        for output in outputs:
            try:
                extracted = hendrycks.remove_boxed(hendrycks.last_boxed_only_string(output))
            except Exception:
                extracted = None
            score = 1.0 if extracted is not None and hendrycks.is_equiv(extracted, reference) else 0.0
            items.append({"reference": reference, "output": output, "extracted": extracted, "score": score})
    return items


# ---------------------------------------------------------------- multiple choice

MC_DOCS = [
    {"choices": ["Paris", "London", "Berlin", "Madrid"], "answer": 0},
    {"choices": ["Guilty", "Guilty of Romance", "Innocent", "Unknown"], "answer": 1},
    {"choices": ["3", "4", "5", "6"], "answer": 2},
    {"choices": ["?!", "yes", "no", "maybe"], "answer": 3},
    {"choices": ["Same", "Same", "other", "none of the above"], "answer": 1},
    {"choices": ["C'est ça", "naïve", "ÉCOLE", "x-y"], "answer": 2},
]
MC_OUTPUTS = [
    " A", "B", "C.", "(D)", "b", " B\nC", "The answer is (B).", "", "\n", "B) because", "  C  ", "(A) or (C)",
    "answer: D", "Answer:B", "I choose (a)", "London", "guilty of romance", "It is Guilty.", "5", "(E)", "D!!",
    "The correct option is: C", "yes", "same", "École", "x y", "none", "A. Paris", "Answer: (C)",
    "the answer: b", "So the answer is A.", "The answer: (C)\n", "The final answer: (D)!", "answer is", "The answer is B",
]


def multiple_choice_items():
    generative = harness_yaml("mmlu/generative/_default_template_yaml")
    generative_metric = generative["metric_list"][0]
    generative_filter = generative["filter_list"][0]["filter"]
    flexible = harness_yaml("mmlu/flan_cot_zeroshot/_mmlu_flan_cot_zeroshot_template_yaml")
    flexible_metric = flexible["metric_list"][0]
    flexible_filter = [f for f in flexible["filter_list"] if f["name"] == "flexible-extract"][0]["filter"]
    strict_filter = [f for f in flexible["filter_list"] if f["name"] == "strict-match"][0]["filter"]
    items = []
    for doc in MC_DOCS:
        letter = "ABCD"[doc["answer"]]
        for output in MC_OUTPUTS:
            first = run_filters(generative_filter, output, doc)
            regex = run_filters(flexible_filter, output, doc)
            strict = run_filters(strict_filter, output, doc)
            items.append({
                "choices": doc["choices"], "reference": letter, "output": output,
                "generative": {"extracted": first, "score": exact_match(first, letter, generative_metric)},
                # The flan template's target is "(B)"; the exact match ignores the parentheses either way.
                "regex": {"extracted": regex, "score": exact_match(regex, f"({letter})", flexible_metric)},
                "strict": {"extracted": strict, "score": exact_match(strict, f"({letter})", flexible_metric)},
            })
    return items


# ---------------------------------------------------------------- d1: Countdown and Sudoku

def load_d1(path):
    sys.path.insert(0, os.path.join(path, "eval"))
    # parse_and_get_acc imports tiktoken only to count tokens; that count is not a score, so stub it.
    sys.modules.setdefault("tiktoken", types.ModuleType("tiktoken"))
    import parse_and_get_acc

    parse_and_get_acc.count_effective_tokens = lambda text: 0
    return parse_and_get_acc


COUNTDOWN_PROBLEMS = [([30, 100, 93], 23), ([83, 18, 75], 10), ([3, 5, 7], 22), ([6, 4, 2], 3), ([8, 8, 2], 2)]


def countdown_outputs(numbers, target):
    a, b, c = numbers
    return [
        f"\\boxed{{{c} + {a} - {b}}}", f"<answer>{a}+{c}-{b}</answer>", f"{a} + {c} - {b} = {target}",
        f"\\boxed{{({b}-{c})*{a}}}", f"\\boxed{{{a} + {b}}}", f"\\boxed{{{a} + {a} + {b}}}",
        f"\\boxed{{{a} \\times {b} - {c}}}", f"\\boxed{{{b} / ({c} - {a})}}", f"\\boxed{{{a}/({c}-{c})*{b}}}",
        f"\\boxed{{{a}({b}) - {c}}}", f"\\boxed{{0{a} + {b} - {c}}}", f"\\boxed{{{a} +\n {b} - {c}}}",
        f"\\boxed{{({a}\n+{b}-{c})}}", f"\\boxed{{{a}**1 + {b} - {c}}}", f"\\boxed {a}+{b}-{c}$ done",
        f"\\boxed{{{a}+{b}-{c}", f"<reasoning>try</reasoning><answer>\\boxed{{{a}*{b}*{c}}}</answer>",
        f"\\boxed{{{a} // {b} + {c}}}", f"\\boxed{{-{a} + {b} + {c}}}", f"\\boxed{{{a}.0 + {b} - {c}}}",
        f"\\boxed{{{a} + {b} - {c} = {target}}}", f"\\boxed{{{a} \\div {b} \\cdot {c}}}", "no answer at all",
        f"\\boxed{{{a}, {b}, {c}}}", f"\\boxed{{({a} + {b}) - ({c})}}", f"\\boxed{{{a} - {b} - {c}}}",
        f"\\boxed{{{b} - {a} + {c}}}", f"\\boxed{{{a}+{b}-{c}}} or \\boxed{{{c}+{b}-{a}}}", f"\\boxed{{1.5 + {a}}}",
    ]


def countdown_items(d1):
    items = []
    for numbers, target in COUNTDOWN_PROBLEMS:
        outputs = countdown_outputs(numbers, target)
        data = {"generations": [
            {"question": f"Numbers: {numbers}\nTarget: {target}", "ground_truth": [numbers, target], "generations": out}
            for out in outputs
        ]}
        _, _, processed, _ = d1.parse_countdown_answers(json_data=data)
        for out, result in zip(outputs, processed):
            items.append({"numbers": ",".join(map(str, numbers)), "target": str(target), "output": out,
                          "extracted": result["extracted_answer"], "score": 1.0 if result["is_correct"] else 0.0})
    return items


def sudoku_items(d1):
    import csv

    # The hand-written puzzles of the tests, in d1's CSV format.
    with open(os.path.join(HERE, "..", "..", "..", "Tests", "TasksTests", "Fixtures", "data", "sudoku", "4x4_test_sudoku.csv")) as f:
        rows = list(csv.DictReader(f))[:5]
    items = []
    for row in rows:
        puzzle, solution = row["Puzzle"], row["Solution"]
        wrong = solution[::-1]
        spaced = "\n".join(solution[i:i + 4] for i in range(0, 16, 4))
        outputs = [
            f"<answer>\n{solution}\n</answer>", f"<answer>{spaced}</answer>", f"<answer>```\n{spaced}\n```</answer>",
            f"<reasoning>x</reasoning></answer> {solution}", f"the grid is {solution} done", f"{solution}</answer>",
            f"<answer>{solution[:8]}</answer>", f"<answer>{solution}1234</answer>", f"<answer>{wrong}</answer>",
            "<answer></answer>", "nothing", "", f"<answer>{puzzle}</answer>", f"<answer>{solution}<|eot_id|>",
            f"<answer>abc{solution}</answer>", f"<answer>1 2 3 4 {solution[4:]}</answer>",
            f"<answer>\n\n</answer> then {solution}", f"x{solution}x", f"{solution}{solution}",
            f"<answer>{solution.replace('1', '9')}</answer>",
        ]
        data = {"generations": [
            {"question": f"Solve the following Sudoku puzzle: {puzzle}\n", "ground_truth": solution, "generations": out}
            for out in outputs
        ]}
        _, _, processed, _ = d1.parse_sudoku_answers(json_data=data)
        for out, result in zip(outputs, processed):
            items.append({"puzzle": puzzle, "solution": solution, "output": out,
                          "extracted": result["extracted_answer"], "score": result["accuracy"]})
    return items


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--d1", required=True, help="a checkout of github.com/dllm-reasoning/d1")
    parser.add_argument("--output", default=OUT)
    args = parser.parse_args()
    d1 = load_d1(args.d1)
    fixture = {
        "source": {
            "lm_eval": importlib.metadata.version("lm_eval"),
            "d1": "github.com/dllm-reasoning/d1 eval/parse_and_get_acc.py (commit 837888f)",
        },
        "gsm8k": gsm8k_items(),
        "math": math_items(),
        "multiple_choice": multiple_choice_items(),
        "countdown": countdown_items(d1),
        "sudoku": sudoku_items(d1),
    }
    # One output per line: small, and a change shows as the lines that changed.
    with open(args.output, "w") as f:
        f.write("{\n")
        for k, key in enumerate(sorted(fixture)):
            value = fixture[key]
            f.write(f" {json.dumps(key)}: ")
            if isinstance(value, list):
                lines = [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in value]
                f.write("[\n  " + ",\n  ".join(lines) + "\n ]")
            else:
                f.write(json.dumps(value, ensure_ascii=False, sort_keys=True))
            f.write(",\n" if k + 1 < len(fixture) else "\n")
        f.write("}\n")
    for key, items in fixture.items():
        if key != "source":
            scores = {k: sum(i[k]["score"] for i in items) for k in items[0] if isinstance(items[0][k], dict)}
            scores = scores or {"score": sum(i["score"] for i in items)}
            print(f"{key}: {len(items)} outputs; total score " + ", ".join(f"{k} {v:g}" for k, v in scores.items()))


if __name__ == "__main__":
    main()
