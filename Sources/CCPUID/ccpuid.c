#include "ccpuid.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

void dlab_read_cpu_features(dlab_cpu_features *out) {
    memset(out, 0, sizeof *out);
    out->isX86 = 1;
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    unsigned int maxLeaf = a;
    memcpy(out->vendor, &b, 4);
    memcpy(out->vendor + 4, &d, 4);
    memcpy(out->vendor + 8, &c, 4);
    out->vendor[12] = 0;
    if (maxLeaf < 1) return;
    __cpuid(1, a, b, c, d);
    int baseFamily = (a >> 8) & 0xf, baseModel = (a >> 4) & 0xf;
    out->family = baseFamily == 0xf ? baseFamily + ((a >> 20) & 0xff) : baseFamily;
    out->model = (baseFamily == 0x6 || baseFamily == 0xf) ? (((a >> 16) & 0xf) << 4) + baseModel : baseModel;
    out->sse3 = (c >> 0) & 1;
    out->ssse3 = (c >> 9) & 1;
    out->sse41 = (c >> 19) & 1;
    out->sse42 = (c >> 20) & 1;
    int osxsave = (c >> 27) & 1;
    int cpuAVX = (c >> 28) & 1;
    int cpuFMA = (c >> 12) & 1;
    unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
    int osYMM = (xcr0 & 0x6) == 0x6;            // SSE and AVX state
    int osZMM = osYMM && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
    int osAMX = (xcr0 & 0x60000) == 0x60000;     // XTILECFG, XTILEDATA
    out->avx = cpuAVX && osYMM;
    out->fma = cpuFMA && osYMM;
    if (maxLeaf < 7) return;
    __cpuid_count(7, 0, a, b, c, d);
    unsigned int maxSubleaf = a;
    out->avx2 = ((b >> 5) & 1) && osYMM;
    out->avx512f = ((b >> 16) & 1) && osZMM;
    out->avx512dq = ((b >> 17) & 1) && osZMM;
    out->avx512cd = ((b >> 28) & 1) && osZMM;
    out->avx512bw = ((b >> 30) & 1) && osZMM;
    out->avx512vl = ((b >> 31) & 1) && osZMM;
    out->amxBF16 = ((d >> 22) & 1) && osAMX;
    out->amxTile = ((d >> 24) & 1) && osAMX;
    if (maxSubleaf >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        out->avx512bf16 = ((a >> 5) & 1) && osZMM;
    }
}
#else
void dlab_read_cpu_features(dlab_cpu_features *out) { memset(out, 0, sizeof *out); }
#endif
