#include "process_tuning.h"

#include <stdlib.h>  // defines __GLIBC__ (through features.h) before it is tested

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void couponmark_tune_malloc(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
#else
    (void)mmap_threshold;
    (void)trim_threshold;
#endif
}
