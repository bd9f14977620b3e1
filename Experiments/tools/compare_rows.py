# Compares the result rows of two quickstart databases on every column but timing and machine fields.
import sqlite3, sys
cols = ("run_key, experiment, model, task, task_version, split, task_seed, example_index, sampler, sampler_parameters, "
        "sampler_config, step_budget, seed, repeat_index, generation_length, block_length, prompt, output, reference, "
        "score, nfe, steps_run, tokens_per_forward, commit_steps, git_commit, dlab_version")
def rows(path):
    return sqlite3.connect(path).execute(f"SELECT {cols} FROM examples ORDER BY run_key, example_index, repeat_index").fetchall()
a, b = rows(sys.argv[1]), rows(sys.argv[2])
print(f"{len(a)} vs {len(b)} rows; identical: {a == b}; differing: {sum(x != y for x, y in zip(a, b))}")
