// CPU features as the processor reports them (CPUID), masked by what the operating system saves on a context
// switch (XGETBV): the same test OpenBLAS makes when it picks its kernels. Swift has no inline assembly, so this
// small C target asks. On other architectures every field is zero.
#ifndef CCPUID_H
#define CCPUID_H

typedef struct {
    int isX86;                      // 1 on x86-64 (and i386), 0 elsewhere
    char vendor[13];                // "GenuineIntel", "AuthenticAMD", ...
    int family, model;              // display family and model (extended fields folded in)
    int sse3, ssse3, sse41, sse42;
    int avx, avx2, fma;             // avx: also needs the OS to save YMM state
    int avx512f, avx512dq, avx512cd, avx512bw, avx512vl;  // also need the OS to save ZMM/opmask state
    int avx512bf16, amxTile, amxBF16;
} dlab_cpu_features;

/// Fills `out` from CPUID leaves 0, 1, 7.0 and 7.1.
void dlab_read_cpu_features(dlab_cpu_features *out);

#endif
