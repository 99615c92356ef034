#include "process_tuning.h"

#include <stdlib.h>  // defines __GLIBC__ (through features.h) before it is tested

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void couponmark_tune_malloc_for_images(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

int couponmark_cpu_runs_image_kernels(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1")
        && __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
#else
    return 1;
#endif
}
