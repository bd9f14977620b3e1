#!/bin/sh
# Compiles ggml_kquants_ref.c and writes the K-quant fixture (input rows and ggml's Q4_K/Q5_K/Q6_K bytes) into
# Tests/DiffusionEngineTests/Fixtures/gguf/kquant/, which GGUFQuantizeTests compares with the Swift ports.
# Needs a C compiler with _Float16 (gcc ≥ 12 or clang on x86-64/arm64). -ffp-contract=off: no fused multiply-add.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../../../Tests/DiffusionEngineTests/Fixtures/gguf/kquant"
mkdir -p "$out"
cc -O1 -ffp-contract=off -o /tmp/ggml_kquants_ref "$here/ggml_kquants_ref.c" -lm
/tmp/ggml_kquants_ref "$out"
ls -l "$out"
