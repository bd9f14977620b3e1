// One source, three instruction-set levels: vector_impl.h is included once per level with its lane count, name
// suffix and target attribute. The vector types are Clang's, so the same expressions become SSE, AVX2 or
// AVX-512 instructions.
#include "cvectorkernels.h"

#define LEVEL_LANES 4
#define LEVEL_SUFFIX baseline
#define LEVEL_TARGET
#include "vector_impl.h"
#undef LEVEL_LANES
#undef LEVEL_SUFFIX
#undef LEVEL_TARGET

#if defined(__x86_64__)
#define LEVEL_LANES 8
#define LEVEL_SUFFIX avx2
#define LEVEL_TARGET __attribute__((target("avx2,fma")))
#include "vector_impl.h"
#undef LEVEL_LANES
#undef LEVEL_SUFFIX
#undef LEVEL_TARGET

#define LEVEL_LANES 16
#define LEVEL_SUFFIX avx512
#define LEVEL_TARGET __attribute__((target("avx512f,avx2,fma")))
#include "vector_impl.h"
#endif

const dlab_vector_kernels *dlab_vector_kernels_for_level(int level) {
    switch (level) {
    case 0: return &kernels_baseline;
#if defined(__x86_64__)
    case 1: return &kernels_avx2;
    case 2: return &kernels_avx512;
#endif
    default: return 0;
    }
}
