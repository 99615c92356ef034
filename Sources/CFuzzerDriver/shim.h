// libFuzzer's driver, in the libclang_rt.fuzzer runtime that -sanitize=fuzzer links: it parses
// libFuzzer's command line and calls UserCb for each input. The fuzz-* executables call it from
// their own main (SwiftPM renames an executable's main, so libFuzzer's main cannot be used).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
