// DiffusionLab's own driver for ggml's reference K-quantizers: makes the input rows, calls the library's
// quantize_row_q4_K_ref / quantize_row_q5_K_ref / quantize_row_q6_K_ref (ggml-base, built from the vendored ggml
// of the llama-cpp-python sdist by make_kquant_fixture.py) and writes the rows and ggml's bytes into a folder.
// Usage: kquant_fixture_harness OUT_DIR
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ggml-quants.h"  // ggml's own header from the downloaded sdist: block_q*_K and the _ref prototypes

enum { BLOCKS = 40, N = QK_K * BLOCKS };  // 32 Gaussian blocks at four scales, then 8 edge blocks

/* Deterministic input: SplitMix64 → Box-Muller normals (float, libm logf/cosf). */
static uint64_t state = 20261201;
static uint64_t next64(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static float uniform(void) { return ((next64() >> 40) + 0.5f) * 0x1p-24f; }
static float normal(void) { return sqrtf(-2.f * logf(uniform())) * cosf(6.2831853f * uniform()); }

static int write_file(const char * dir, const char * name, const void * data, size_t size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE * f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) { fprintf(stderr, "cannot write %s\n", path); return 1; }
    return 0;
}

int main(int argc, char ** argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]); return 2; }
    static float x[N];
    static block_q4_K q4[BLOCKS];
    static block_q5_K q5[BLOCKS];
    static block_q6_K q6[BLOCKS];
    const float scales[] = {1e-3f, 0.02f, 1.f, 30.f};
    for (int b = 0; b < 32; ++b) for (int i = 0; i < QK_K; ++i) x[QK_K * b + i] = normal() * scales[b % 4];
    for (int i = 0; i < QK_K; ++i) x[QK_K * 32 + i] = 0.f;                           // all zero
    for (int i = 0; i < QK_K; ++i) x[QK_K * 33 + i] = 0.25f;                         // constant
    for (int i = 0; i < QK_K; ++i) x[QK_K * 34 + i] = fabsf(normal()) + 0.5f;        // all positive
    for (int i = 0; i < QK_K; ++i) x[QK_K * 35 + i] = -fabsf(normal()) - 0.5f;       // all negative
    for (int i = 0; i < QK_K; ++i) x[QK_K * 36 + i] = normal() * (i % 37 == 0 ? 40.f : 1.f);  // outliers
    for (int i = 0; i < QK_K; ++i) x[QK_K * 37 + i] = (i < 16 ? 0.f : normal());    // a zero sub-block
    for (int i = 0; i < QK_K; ++i) x[QK_K * 38 + i] = normal() * 1e-6f;              // F16 subnormal scales
    for (int i = 0; i < QK_K; ++i) x[QK_K * 39 + i] = (float)(i % 16) - 7.5f;        // exact levels
    quantize_row_q4_K_ref(x, q4, N);
    quantize_row_q5_K_ref(x, q5, N);
    quantize_row_q6_K_ref(x, q6, N);
    return write_file(argv[1], "input.f32", x, sizeof x) || write_file(argv[1], "q4_k.bin", q4, sizeof q4)
        || write_file(argv[1], "q5_k.bin", q5, sizeof q5) || write_file(argv[1], "q6_k.bin", q6, sizeof q6);
}
