// The kernels of one instruction-set level; included by vector_kernels.c with LEVEL_LANES (floats per vector),
// LEVEL_SUFFIX (name suffix) and LEVEL_TARGET (the function attribute that enables the level) defined.
// exp is Cephes' expf scheme (http://www.netlib.org/cephes/, cephes/single/expf.c): x = n ln2 + r with
// |r| <= ln2/2, a degree-6 polynomial for e^r, and 2^n built in the exponent bits; relative error below 3e-7 on
// [-87, 88], 0 below -87.33, +inf above 88.72, NaN stays NaN.

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, LEVEL_SUFFIX)
#define VF F(vf)
#define VI F(vi)
#define N LEVEL_LANES

typedef float VF __attribute__((ext_vector_type(LEVEL_LANES)));
typedef int VI __attribute__((ext_vector_type(LEVEL_LANES)));

LEVEL_TARGET static inline VF F(load)(const float *p) {
    VF v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

LEVEL_TARGET static inline void F(store)(float *p, VF v) { __builtin_memcpy(p, &v, sizeof v); }

// The first `count` (< N) floats of p, the other lanes `fill`.
LEVEL_TARGET static inline VF F(load_partial)(const float *p, long count, float fill) {
    float lanes[N];
    for (long i = 0; i < N; i++) lanes[i] = i < count ? p[i] : fill;
    return F(load)(lanes);
}

LEVEL_TARGET static inline void F(store_partial)(float *p, VF v, long count) {
    float lanes[N];
    F(store)(lanes, v);
    for (long i = 0; i < count; i++) p[i] = lanes[i];
}

LEVEL_TARGET static inline float F(sum_lanes)(VF v) {
    float lanes[N];
    F(store)(lanes, v);
    float sum = 0;
    for (long i = 0; i < N; i++) sum += lanes[i];
    return sum;
}

LEVEL_TARGET static inline VF F(exp_v)(VF x) {
    const VF low = (VF)(-87.33f), high = (VF)(88.72f);
    VF clamped = __builtin_elementwise_min(__builtin_elementwise_max(x, low), high);
    // Round to nearest with the 1.5 * 2^23 trick: the integer lands in the low mantissa bits.
    const VF magic = (VF)(12582912.0f);
    VF shifted = clamped * 1.44269504f + magic;
    VF n = shifted - magic;
    // r = x - n ln2, with ln2 split in two parts so that the product is exact enough.
    VF r = clamped - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    VF p = (VF)(1.98756915e-4f);
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.33345190e-3f;
    p = p * r + 4.16657960e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5e-1f;
    VF er = p * (r * r) + r + 1.0f;
    // 2^n: n sits in the low bits of `shifted` (bias 0x4B400000); move it into the exponent field.
    VI integer = (VI)shifted - 0x4B400000;
    VF result = er * (VF)((integer + 127) << 23);
    VI bits = (VI)result;
    VI below = x < low, above = x > high, nan = x != x;
    VI infinity = (VI)(VF)(__builtin_inff());
    bits &= ~below;
    bits = (bits & ~above) | (infinity & above);
    bits = (bits & ~nan) | ((VI)x & nan);
    return (VF)bits;
}

LEVEL_TARGET static float F(exp_shift_sum)(float *x, long count, float shift) {
    VF sums = (VF)(0.0f);
    long i = 0;
    for (; i + N <= count; i += N) {
        VF e = F(exp_v)(F(load)(x + i) - shift);
        F(store)(x + i, e);
        sums += e;
    }
    if (i < count) {
        VF e = F(exp_v)(F(load_partial)(x + i, count - i, -__builtin_inff()) - shift);  // padding: exp(-inf) = 0
        F(store_partial)(x + i, e, count - i);
        sums += e;
    }
    return F(sum_lanes)(sums);
}

LEVEL_TARGET static void F(exp_all)(const float *x, float *y, long count) {
    long i = 0;
    for (; i + N <= count; i += N) F(store)(y + i, F(exp_v)(F(load)(x + i)));
    if (i < count) F(store_partial)(y + i, F(exp_v)(F(load_partial)(x + i, count - i, 0)), count - i);
}

LEVEL_TARGET static float F(maximum)(const float *x, long count) {
    // maxnum semantics: a NaN operand loses, as NaN compares below everything.
    VF lanes = (VF)(-__builtin_inff());
    long i = 0;
    for (; i + N <= count; i += N) lanes = __builtin_elementwise_max(lanes, F(load)(x + i));
    float values[N];
    F(store)(values, lanes);
    float result = -__builtin_inff();
    for (long j = 0; j < N; j++) if (values[j] > result) result = values[j];
    for (; i < count; i++) if (x[i] > result) result = x[i];
    return result;
}

LEVEL_TARGET static void F(scale)(float *x, long count, float factor) {
    long i = 0;
    for (; i + N <= count; i += N) F(store)(x + i, F(load)(x + i) * factor);
    for (; i < count; i++) x[i] *= factor;
}

LEVEL_TARGET static float F(sum_of_squares)(const float *x, long count) {
    VF sums = (VF)(0.0f);
    long i = 0;
    for (; i + N <= count; i += N) {
        VF v = F(load)(x + i);
        sums += v * v;
    }
    if (i < count) {
        VF v = F(load_partial)(x + i, count - i, 0);
        sums += v * v;
    }
    return F(sum_lanes)(sums);
}

LEVEL_TARGET static void F(rms_norm)(const float *x, long rows, long width, const float *weight, float eps, float *y) {
    for (long r = 0; r < rows; r++) {
        const float *row = x + r * width;
        float *out = y + r * width;
        float scale = 1.0f / __builtin_sqrtf(F(sum_of_squares)(row, width) / (float)width + eps);
        long i = 0;
        for (; i + N <= width; i += N) F(store)(out + i, F(load)(weight + i) * (F(load)(row + i) * scale));
        for (; i < width; i++) out[i] = weight[i] * (row[i] * scale);
    }
}

LEVEL_TARGET static inline VF F(silu_times)(VF g, VF u) { return g / (1.0f + F(exp_v)(-g)) * u; }

LEVEL_TARGET static void F(silu_gate)(float *g, const float *u, long count) {
    long i = 0;
    for (; i + N <= count; i += N) F(store)(g + i, F(silu_times)(F(load)(g + i), F(load)(u + i)));
    if (i < count) {
        VF result = F(silu_times)(F(load_partial)(g + i, count - i, 0), F(load_partial)(u + i, count - i, 0));
        F(store_partial)(g + i, result, count - i);
    }
}

// 0.5 x (1 + tanh(z)), z = sqrt(2/pi) (x + 0.044715 x^3), with tanh(z) = 1 - 2 / (e^(2z) + 1).
LEVEL_TARGET static inline VF F(gelu_times)(VF x, VF u) {
    VF z = 0.7978845608028654f * (x + 0.044715f * x * x * x);
    VF tanh = 1.0f - 2.0f / (F(exp_v)(2.0f * z) + 1.0f);
    return 0.5f * x * (1.0f + tanh) * u;
}

LEVEL_TARGET static void F(gelu_tanh_gate)(float *g, const float *u, long count) {
    long i = 0;
    for (; i + N <= count; i += N) F(store)(g + i, F(gelu_times)(F(load)(g + i), F(load)(u + i)));
    if (i < count) {
        VF result = F(gelu_times)(F(load_partial)(g + i, count - i, 0), F(load_partial)(u + i, count - i, 0));
        F(store_partial)(g + i, result, count - i);
    }
}

LEVEL_TARGET static void F(rotate_half)(float *v, const float *cosines, const float *sines, long half) {
    long i = 0;
    for (; i + N <= half; i += N) {
        VF x1 = F(load)(v + i), x2 = F(load)(v + half + i), c = F(load)(cosines + i), s = F(load)(sines + i);
        F(store)(v + i, x1 * c - x2 * s);
        F(store)(v + half + i, x2 * c + x1 * s);
    }
    for (; i < half; i++) {
        float x1 = v[i], x2 = v[half + i];
        v[i] = x1 * cosines[i] - x2 * sines[i];
        v[half + i] = x2 * cosines[i] + x1 * sines[i];
    }
}

static const dlab_vector_kernels F(kernels) = {
    F(exp_shift_sum), F(exp_all), F(maximum), F(scale), F(sum_of_squares), F(rms_norm), F(silu_gate),
    F(gelu_tanh_gate), F(rotate_half),
};

#undef VF
#undef VI
#undef N
#undef F
#undef CAT
#undef CAT_
