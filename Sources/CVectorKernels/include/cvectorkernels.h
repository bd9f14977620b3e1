// The element-wise loops of a forward pass (exp for softmax and SiLU, row maxima, sums of squares, RMSNorm, rotary
// embedding, gated activations), compiled once per x86 instruction-set level from one source (vector_impl.h) and
// chosen at run time, since Swift cannot compile one function for several targets. Each level's table is only
// valid on a CPU that has its extensions (the Swift side checks CPUID before asking for it).
#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

typedef struct {
    // x[i] <- exp(x[i] - shift); returns the sum of the results.
    float (*exp_shift_sum)(float *x, long count, float shift);
    // y[i] <- exp(x[i]) (no reduction), for the tests of exp over its range.
    void (*exp)(const float *x, float *y, long count);
    // max x[i]; -inf for an empty row; NaN entries are skipped (they compare below everything).
    float (*maximum)(const float *x, long count);
    // x[i] <- x[i] * factor.
    void (*scale)(float *x, long count, float factor);
    // sum of x[i]^2.
    float (*sum_of_squares)(const float *x, long count);
    // y <- x / sqrt(mean(x^2) + eps) * weight over `rows` rows of `width` (y may be x).
    void (*rms_norm)(const float *x, long rows, long width, const float *weight, float eps, float *y);
    // g[i] <- silu(g[i]) * u[i].
    void (*silu_gate)(float *g, const float *u, long count);
    // g[i] <- gelu_tanh(g[i]) * u[i].
    void (*gelu_tanh_gate)(float *g, const float *u, long count);
    // (x1, x2) <- (x1 cos - x2 sin, x2 cos + x1 sin) for the halves x1 = v[0 ..< half], x2 = v[half ..< 2 half].
    void (*rotate_half)(float *v, const float *cosines, const float *sines, long half);
} dlab_vector_kernels;

// 0: baseline (SSE2 on x86-64, the compiler's default elsewhere); 1: AVX2 + FMA; 2: AVX-512F.
// NULL for a level not compiled for this architecture.
const dlab_vector_kernels *dlab_vector_kernels_for_level(int level);

#endif
