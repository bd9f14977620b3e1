#!/bin/sh
# Accuracy and mean NFE of every built-in sampler at two step budgets on 100 eval examples of addition and
# sudoku4, from the shipped tiny model (the closing-note table of issue 3). Needs `swift build -c release`.
# Usage: sh Experiments/models/tools/sampler_table.sh [MODEL_DIR] > table.md
set -e
model=${1:-Experiments/models/tiny-llada-moe}
dlab=.build/release/dlab
samplers=$($dlab samplers list | awk '{print $1}' | grep -v decaying_threshold)
echo "| sampler | addition acc (S=5) | NFE | addition acc (S=1) | NFE | sudoku4 acc (S=16) | NFE | sudoku4 acc (S=4) | NFE |"
echo "|---|---|---|---|---|---|---|---|---|"
for s in $samplers; do
  row="| $s"
  for spec in addition:5 addition:1 sudoku4:16 sudoku4:4; do
    task=${spec%%:*}; steps=${spec##*:}
    line=$($dlab sample --model "$model" --task "$task" --count 100 --sampler "$s" --steps "$steps" | tail -1)
    acc=$(echo "$line" | sed -E 's/^accuracy ([0-9.]+)%.*/\1/')
    nfe=$(echo "$line" | sed -E 's/.*mean NFE ([0-9.]+).*/\1/')
    row="$row | $acc% | $nfe"
  done
  echo "$row |"
done
