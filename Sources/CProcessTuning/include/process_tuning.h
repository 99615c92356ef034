// glibc malloc settings for image work (malloc.h is not visible from Swift's Glibc module).
#ifndef COUPONMARK_PROCESS_TUNING_H
#define COUPONMARK_PROCESS_TUNING_H

/// Keeps blocks up to `mmap_threshold` bytes on the heap and up to `trim_threshold`
/// bytes of free heap before returning memory to the kernel. No-op without glibc.
void couponmark_tune_malloc(int mmap_threshold, int trim_threshold);

#endif
