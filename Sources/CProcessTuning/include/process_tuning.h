// Process-wide glibc malloc settings for image work (malloc.h is not visible from
// Swift's Glibc module). Both executables call this once at start.
#ifndef COUPONMARK_PROCESS_TUNING_H
#define COUPONMARK_PROCESS_TUNING_H

/// glibc hands blocks over 128 KB straight to mmap and returns them to the kernel on
/// free, so every coupon's image, filter and output buffers (about 1 MB each) were fresh
/// pages, faulted in again each time: 15 % of `coupon mint` in perf. This keeps blocks up
/// to 32 MB on the heap and up to 64 MB of free heap before trimming, which made minting
/// 17 % faster (238 -> 280 coupons/s on one core). No-op without glibc.
void couponmark_tune_malloc_for_images(void);

#endif
