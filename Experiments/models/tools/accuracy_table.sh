#!/usr/bin/env bash
# Accuracy-vs-steps table (markdown) of a model on the built-in tasks, measured with the Swift tool itself
# (LLaDA low-confidence sampler, greedy), on held-out examples. Used for the model cards.
#   Experiments/models/tools/accuracy_table.sh Experiments/models/tiny-llada-moe [count] [tasks...]
set -euo pipefail
model=${1:?model folder}
count=${2:-200}
shift $(( $# > 1 ? 2 : 1 ))
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(addition sorting sudoku4 decomp countdown)
dlab=${DLAB:-.build/release/dlab}
echo "| task | answer tokens | steps: accuracy % (mean NFE) |"
echo "|---|---|---|"
for task in "${tasks[@]}"; do
    length=$("$dlab" tasks list | awk -v t="$task" '$1 == t {print $4}')
    cells=()
    for steps in 1 2 4 8 16 "$length"; do
        [ "$steps" -le "$length" ] || continue
        case " ${done_steps:-} " in *" $steps "*) continue ;; esac
        done_steps="${done_steps:-} $steps"
        line=$("$dlab" sample --model "$model" --task "$task" --index 0 --count "$count" --steps "$steps" | tail -1)
        accuracy=$(echo "$line" | awk '{print $2}')
        nfe=$(echo "$line" | awk '{print $5}')
        cells+=("$steps: $accuracy ($nfe)")
    done
    unset done_steps
    row=""
    for cell in "${cells[@]}"; do row="${row:+$row · }$cell"; done
    echo "| $task | $length | $row |"
done
