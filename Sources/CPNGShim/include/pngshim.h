// A small C layer over libpng. libpng reports errors with longjmp, which must never
// cross a Swift frame, so every libpng call happens inside one of these functions,
// each with its own setjmp. Errors come back as a status plus libpng's message.
#ifndef COUPONMARK_PNGSHIM_H
#define COUPONMARK_PNGSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    PNGSHIM_OK = 0,
    /// libpng reported an error; the message says which.
    PNGSHIM_ERR_LIBPNG = 1,
    /// The input ended before the image data was complete.
    PNGSHIM_ERR_TRUNCATED = 2,
    /// The image data was complete, but the input ended before IEND.
    PNGSHIM_ERR_MISSING_END = 3,
    /// Bytes follow the IEND chunk (count in `trailing`).
    PNGSHIM_ERR_TRAILING = 4,
    /// Memory could not be allocated.
    PNGSHIM_ERR_NOMEM = 5,
    /// The caller passed something impossible (a bug, not bad input).
    PNGSHIM_ERR_ARGUMENT = 6,
    /// Not a file for the fast path (or a check failed): decode it with libpng.
    PNGSHIM_NOT_SIMPLE = 7
} pngshim_status;

/// What the IHDR (and the chunks before IDAT) say.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;
    /// PNG colour type: 0 gray, 2 rgb, 3 palette, 4 gray+alpha, 6 rgba.
    int color_type;
    int interlaced;
    /// A tRNS chunk is present.
    int has_trns;
} pngshim_header;

typedef struct pngshim_reader pngshim_reader;

/// Starts reading `data` (which must stay valid until `pngshim_reader_free`) and fills
/// `header`. Reads nothing past the chunks before the first IDAT and allocates no
/// pixel memory, so callers can check the size before going on. On failure `*out` is
/// NULL and `err` holds the message.
int pngshim_read_header(const uint8_t *data, size_t len, pngshim_reader **out,
                        pngshim_header *header, char *err, size_t errlen);

/// Decodes every pixel into `dst` as 8-bit RGB (`channels` 3) or RGBA (`channels` 4),
/// rows `stride` bytes apart, then reads to IEND. 16-bit samples are scaled with
/// rounding, low bit depths by replication, palettes and tRNS expanded.
/// With `channels` 3 the alpha channel (from the file or tRNS) is dropped: callers
/// ask for RGB only after checking that the image has no transparency.
/// `trailing` receives the number of bytes after IEND.
int pngshim_read_pixels(pngshim_reader *reader, int channels, uint8_t *dst, size_t stride,
                        size_t *trailing, char *err, size_t errlen);

void pngshim_reader_free(pngshim_reader *reader);

/// The fast path for the simplest PNGs (pngshim_inflate.c): the signature, then exactly
/// IHDR, one IDAT and an empty IEND at the very end, each with a good CRC; 8-bit colour
/// type 2 for `channels` 3 or 6 for `channels` 4; no interlace; sides 1...1,000,000.
/// Fills the size and returns PNGSHIM_OK, or PNGSHIM_NOT_SIMPLE.
int pngshim_simple_header(const uint8_t *data, size_t len, int channels, uint32_t *width, uint32_t *height);

/// Decodes a file `pngshim_simple_header` accepts into `dst` (rows `stride` bytes apart):
/// libdeflate inflates the IDAT to exactly (width * channels + 1) * height bytes (the
/// zlib header and Adler-32 checked, the whole chunk consumed) and every row's filter
/// byte must be 0. Returns PNGSHIM_OK, PNGSHIM_NOT_SIMPLE (decode with libpng instead) or
/// PNGSHIM_ERR_NOMEM.
int pngshim_simple_pixels(const uint8_t *data, size_t len, int channels, uint8_t *dst, size_t stride);

/// Filter choice bits, as libpng's PNG_FILTER_* (PNG_ALL_FILTERS does not import into Swift).
enum {
    PNGSHIM_FILTER_NONE = 0x08,
    PNGSHIM_FILTER_SUB = 0x10,
    PNGSHIM_FILTER_UP = 0x20,
    PNGSHIM_FILTER_AVG = 0x40,
    PNGSHIM_FILTER_PAETH = 0x80,
    PNGSHIM_FILTER_ALL = 0xF8
};

/// Encodes 8-bit RGB (`channels` 3) or RGBA (4) pixels into a PNG in memory.
/// `level` is the zlib level 0-9; `filters` a mask of PNGSHIM_FILTER_*.
/// On success `*out` is a malloc'd buffer the caller frees with `pngshim_free`.
int pngshim_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                   int channels, int level, int filters, uint8_t **out, size_t *out_len,
                   char *err, size_t errlen);

/// The same PNG, written without libpng: row filters here (libpng's min-sum-of-absolute
/// residuals heuristic when several are allowed), one zlib stream from libdeflate at
/// `level` (0-12; 0-9 match zlib's scale) in a single IDAT chunk.
int pngshim_encode_fast(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                        int channels, int level, int filters, uint8_t **out, size_t *out_len);

void pngshim_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
