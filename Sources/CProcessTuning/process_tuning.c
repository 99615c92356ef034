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
