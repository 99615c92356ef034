#include <fftw3.h>

// FFTW's planner flags are macros Swift does not import; the robust layer's plans are
// made with FFTW_ESTIMATE (no trial runs: the arrays are not touched while planning).
static inline fftwf_plan couponmark_fftwf_plan_r2c_2d(int rows, int columns, float *in, fftwf_complex *out) {
    return fftwf_plan_dft_r2c_2d(rows, columns, in, out, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
}

static inline fftwf_plan couponmark_fftwf_plan_c2r_2d(int rows, int columns, fftwf_complex *in, float *out) {
    return fftwf_plan_dft_c2r_2d(rows, columns, in, out, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
}
