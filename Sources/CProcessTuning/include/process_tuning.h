// Process-wide setup for image work, called once at start by both executables: glibc
// malloc settings (malloc.h is not visible from Swift's Glibc module) and the processor
// check for the image kernels.
#ifndef COUPONMARK_PROCESS_TUNING_H
#define COUPONMARK_PROCESS_TUNING_H

/// glibc hands blocks over 128 KB straight to mmap and returns them to the kernel on
/// free, so every coupon's image, filter and output buffers (about 1 MB each) were fresh
/// pages, faulted in again each time: 15 % of `coupon mint` in perf. This keeps blocks up
/// to 32 MB on the heap and up to 64 MB of free heap before trimming, which made minting
/// 17 % faster (238 -> 280 coupons/s on one core). No-op without glibc.
void couponmark_tune_malloc_for_images(void);

/// 1 when this processor runs the image kernels as they are built: on x86-64, the
/// x86-64-v2 instructions (SSSE3, SSE4.1, SSE4.2, POPCNT) that ImageCore and RobustMark
/// are compiled for; always 1 on other architectures. The executables call this before
/// anything else, so that an older processor gets a message instead of an illegal
/// instruction.
int couponmark_cpu_runs_image_kernels(void);

#endif
