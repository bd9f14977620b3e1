// Declarations only (include/FuzzSupport.h); the definitions come from libFuzzer (-sanitize=fuzzer).
#include "FuzzSupport.h"
