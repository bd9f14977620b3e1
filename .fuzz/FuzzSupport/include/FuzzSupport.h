// libFuzzer's driver, called from each target's main: SwiftPM gives an executable's `main` to the target itself
// (it renames the entry point for testable imports), so libFuzzer's own `main` cannot be used.
// https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
