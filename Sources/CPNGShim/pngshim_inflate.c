// The coupon fast path of the PNG reader: the files Couponmark writes itself (IHDR, one
// IDAT, IEND; 8-bit RGB or RGBA; no interlace; every row filter none) are inflated by
// libdeflate straight to the expected size, without libpng. Anything else, and any
// check that fails, answers PNGSHIM_NOT_SIMPLE so that the caller decodes with libpng,
// which then names the error exactly as it always did.
#include "pngshim.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

// libpng's default user limits (PNG_USER_WIDTH_MAX / PNG_USER_HEIGHT_MAX): larger sides
// are refused by libpng, so they are left to it.
enum { USER_SIDE_MAX = 1000000 };

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

// The chunk at `at`: its data length and whether it has type `type` and a good CRC.
// Returns 0 when the chunk does not fit in the input or does not match.
static int chunk_ok(const uint8_t *data, size_t len, size_t at, const char type[4], uint32_t *length) {
    if (at > len || len - at < 12) return 0;
    uint32_t n = get32(data + at);
    if (n > 0x7FFFFFFFu || (size_t)n > len - at - 12) return 0;
    if (memcmp(data + at + 4, type, 4) != 0) return 0;
    if (libdeflate_crc32(0, data + at + 4, (size_t)n + 4) != get32(data + at + 8 + n)) return 0;
    *length = n;
    return 1;
}

int pngshim_simple_header(const uint8_t *data, size_t len, int channels, uint32_t *width, uint32_t *height) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (data == NULL || width == NULL || height == NULL || (channels != 3 && channels != 4)) return PNGSHIM_ERR_ARGUMENT;
    if (len < 8 || memcmp(data, signature, 8) != 0) return PNGSHIM_NOT_SIMPLE;
    uint32_t n = 0;
    if (!chunk_ok(data, len, 8, "IHDR", &n) || n != 13) return PNGSHIM_NOT_SIMPLE;
    const uint8_t *ihdr = data + 16;
    uint32_t w = get32(ihdr), h = get32(ihdr + 4);
    if (w == 0 || h == 0 || w > USER_SIDE_MAX || h > USER_SIDE_MAX) return PNGSHIM_NOT_SIMPLE;
    if (ihdr[8] != 8 || ihdr[9] != (channels == 4 ? 6 : 2)) return PNGSHIM_NOT_SIMPLE;
    if (ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] != 0) return PNGSHIM_NOT_SIMPLE;
    *width = w;
    *height = h;
    return PNGSHIM_OK;
}

int pngshim_simple_pixels(const uint8_t *data, size_t len, int channels, uint8_t *dst, size_t stride) {
    uint32_t width = 0, height = 0;
    int status = pngshim_simple_header(data, len, channels, &width, &height);
    if (status != PNGSHIM_OK) return status;
    if (dst == NULL) return PNGSHIM_ERR_ARGUMENT;
    const size_t row = (size_t)width * (size_t)channels;
    if (stride < row) return PNGSHIM_ERR_ARGUMENT;

    const size_t idat = 8 + 25;
    uint32_t idat_len = 0, iend_len = 0;
    if (!chunk_ok(data, len, idat, "IDAT", &idat_len)) return PNGSHIM_NOT_SIMPLE;
    const size_t iend = idat + 12 + (size_t)idat_len;
    if (!chunk_ok(data, len, iend, "IEND", &iend_len) || iend_len != 0 || iend + 12 != len) return PNGSHIM_NOT_SIMPLE;

    const size_t expected = (row + 1) * (size_t)height;
    uint8_t *raw = (uint8_t *)malloc(expected);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (raw == NULL || d == NULL) {
        free(raw);
        libdeflate_free_decompressor(d);
        return PNGSHIM_ERR_NOMEM;
    }
    size_t in_used = 0, out_used = 0;
    // Checks the zlib header and the Adler-32 of the inflated data.
    enum libdeflate_result result =
        libdeflate_zlib_decompress_ex(d, data + idat + 8, idat_len, raw, expected, &in_used, &out_used);
    libdeflate_free_decompressor(d);
    status = PNGSHIM_OK;
    if (result != LIBDEFLATE_SUCCESS || in_used != idat_len || out_used != expected) {
        status = PNGSHIM_NOT_SIMPLE;
    } else {
        uint8_t filters = 0;
        for (uint32_t y = 0; y < height; y++) filters |= raw[(size_t)y * (row + 1)];
        if (filters != 0) {
            status = PNGSHIM_NOT_SIMPLE;
        } else {
            for (uint32_t y = 0; y < height; y++) memcpy(dst + (size_t)y * stride, raw + (size_t)y * (row + 1) + 1, row);
        }
    }
    free(raw);
    return status;
}
