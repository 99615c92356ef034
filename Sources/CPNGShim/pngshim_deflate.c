// The fast PNG writer: row filters here, DEFLATE by libdeflate, chunks assembled by hand.
// Stock zlib 1.2.13 (what libpng links on Debian) compresses 25-35 % slower than the
// zlib-ng inside common Python wheels; libdeflate is faster than both at the same level
// and writes standard zlib streams, so any PNG decoder reads the result.
#include "pngshim.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

enum { F_NONE = 0, F_SUB = 1, F_UP = 2, F_AVG = 3, F_PAETH = 4 };

static inline uint8_t paeth(uint8_t a, uint8_t b, uint8_t c) {
    int p = (int)a + (int)b - (int)c;
    int pa = abs(p - (int)a), pb = abs(p - (int)b), pc = abs(p - (int)c);
    return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}

// Writes one filtered row (without its type byte) into dst.
static void filter_row(int type, const uint8_t *row, const uint8_t *prev, size_t n, size_t bpp, uint8_t *dst) {
    size_t i;
    switch (type) {
    case F_NONE:
        memcpy(dst, row, n);
        break;
    case F_SUB:
        for (i = 0; i < bpp && i < n; i++) dst[i] = row[i];
        for (; i < n; i++) dst[i] = (uint8_t)(row[i] - row[i - bpp]);
        break;
    case F_UP:
        for (i = 0; i < n; i++) dst[i] = (uint8_t)(row[i] - prev[i]);
        break;
    case F_AVG:
        for (i = 0; i < bpp && i < n; i++) dst[i] = (uint8_t)(row[i] - (prev[i] >> 1));
        for (; i < n; i++) dst[i] = (uint8_t)(row[i] - (uint8_t)(((unsigned)row[i - bpp] + prev[i]) >> 1));
        break;
    default:
        for (i = 0; i < bpp && i < n; i++) dst[i] = (uint8_t)(row[i] - paeth(0, prev[i], 0));
        for (; i < n; i++) dst[i] = (uint8_t)(row[i] - paeth(row[i - bpp], prev[i], prev[i - bpp]));
        break;
    }
}

// libpng's heuristic: the sum of the residuals read as signed bytes, absolute.
static uint64_t cost(const uint8_t *residuals, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t v = residuals[i];
        sum += v < 128 ? v : 256u - v;
    }
    return sum;
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

// Chunk at p: length, type, data (already in place after the 8-byte header), CRC.
static size_t seal_chunk(uint8_t *p, const char type[4], size_t length) {
    put32(p, (uint32_t)length);
    memcpy(p + 4, type, 4);
    put32(p + 8 + length, libdeflate_crc32(0, p + 4, length + 4));
    return length + 12;
}

int pngshim_encode_fast(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                        int channels, int level, int filters, uint8_t **out, size_t *out_len) {
    if (pixels == NULL || out == NULL || out_len == NULL || width == 0 || height == 0) return PNGSHIM_ERR_ARGUMENT;
    if ((channels != 3 && channels != 4) || level < 0 || level > 12) return PNGSHIM_ERR_ARGUMENT;
    if (width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) return PNGSHIM_ERR_ARGUMENT;
    *out = NULL;
    *out_len = 0;

    const size_t bpp = (size_t)channels;
    const size_t n = (size_t)width * bpp;
    if (stride < n) return PNGSHIM_ERR_ARGUMENT;
    const size_t filtered_len = (n + 1) * (size_t)height;
    uint8_t *filtered = (uint8_t *)malloc(filtered_len);
    uint8_t *scratch = (uint8_t *)malloc(n + 1);
    uint8_t *zeros = (uint8_t *)calloc(n + 1, 1);
    if (filtered == NULL || scratch == NULL || zeros == NULL) {
        free(filtered);
        free(scratch);
        free(zeros);
        return PNGSHIM_ERR_NOMEM;
    }

    int allowed[5], count = 0;
    const int bits[5] = {PNGSHIM_FILTER_NONE, PNGSHIM_FILTER_SUB, PNGSHIM_FILTER_UP, PNGSHIM_FILTER_AVG,
                         PNGSHIM_FILTER_PAETH};
    for (int t = 0; t < 5; t++)
        if (filters & bits[t]) allowed[count++] = t;
    if (count == 0) allowed[count++] = F_NONE;

    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *row = pixels + (size_t)y * stride;
        const uint8_t *prev = y ? pixels + (size_t)(y - 1) * stride : zeros;
        uint8_t *dst = filtered + (size_t)y * (n + 1);
        int best = allowed[0];
        if (count > 1) {
            // Try each allowed filter into scratch; keep the cheapest in dst.
            uint64_t best_cost = UINT64_MAX;
            for (int k = 0; k < count; k++) {
                filter_row(allowed[k], row, prev, n, bpp, scratch);
                uint64_t c = cost(scratch, n);
                if (c < best_cost) {
                    best_cost = c;
                    best = allowed[k];
                    memcpy(dst + 1, scratch, n);
                }
            }
        } else {
            filter_row(best, row, prev, n, bpp, dst + 1);
        }
        dst[0] = (uint8_t)best;
    }
    free(scratch);
    free(zeros);

    // One compressor per call, freed before returning: nothing outlives the call.
    struct libdeflate_compressor *compressor = libdeflate_alloc_compressor(level);
    if (compressor == NULL) {
        free(filtered);
        return PNGSHIM_ERR_NOMEM;
    }
    const size_t bound = libdeflate_zlib_compress_bound(compressor, filtered_len);
    const size_t total = 8 + 25 + 12 + bound + 12;
    uint8_t *png = (uint8_t *)malloc(total);
    if (png == NULL) {
        free(filtered);
        libdeflate_free_compressor(compressor);
        return PNGSHIM_ERR_NOMEM;
    }
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    size_t at = 0;
    memcpy(png, signature, 8);
    at += 8;
    uint8_t *ihdr = png + at + 8;
    put32(ihdr, width);
    put32(ihdr + 4, height);
    ihdr[8] = 8;                        // bit depth
    ihdr[9] = channels == 4 ? 6 : 2;    // colour type RGBA / RGB
    ihdr[10] = ihdr[11] = ihdr[12] = 0; // deflate, adaptive filtering method, no interlace
    at += seal_chunk(png + at, "IHDR", 13);
    const size_t compressed = libdeflate_zlib_compress(compressor, filtered, filtered_len, png + at + 8, bound);
    free(filtered);
    libdeflate_free_compressor(compressor);
    if (compressed == 0 || compressed > 0x7FFFFFFFu) {
        free(png);
        return PNGSHIM_ERR_NOMEM;
    }
    at += seal_chunk(png + at, "IDAT", compressed);
    at += seal_chunk(png + at, "IEND", 0);
    *out = png;
    *out_len = at;
    return PNGSHIM_OK;
}
