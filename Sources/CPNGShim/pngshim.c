#include "pngshim.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

enum { PHASE_HEADER, PHASE_PIXELS, PHASE_END };

struct pngshim_reader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t len;
    size_t pos;
    int truncated;
    int phase;
    png_bytep *rows;
    char message[256];
};

static void copy_message(char *dst, size_t dstlen, const char *src) {
    if (dst == NULL || dstlen == 0) return;
    size_t n = strlen(src);
    if (n >= dstlen) n = dstlen - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void on_error(png_structp png, png_const_charp message) {
    char *buffer = (char *)png_get_error_ptr(png);
    copy_message(buffer, 256, message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;  // Warnings (bad ancillary CRCs, unknown chunks) are not failures.
}

static void read_from_memory(png_structp png, png_bytep out, size_t count) {
    struct pngshim_reader *r = (struct pngshim_reader *)png_get_io_ptr(png);
    if (count > r->len - r->pos) {
        r->truncated = 1;
        png_error(png, "unexpected end of data");
    }
    memcpy(out, r->data + r->pos, count);
    r->pos += count;
}

static int failure_status(const struct pngshim_reader *r) {
    if (!r->truncated) return PNGSHIM_ERR_LIBPNG;
    return r->phase == PHASE_END ? PNGSHIM_ERR_MISSING_END : PNGSHIM_ERR_TRUNCATED;
}

void pngshim_reader_free(pngshim_reader *r) {
    if (r == NULL) return;
    if (r->png != NULL) png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    free(r->rows);
    free(r);
}

int pngshim_read_header(const uint8_t *data, size_t len, pngshim_reader **out,
                        pngshim_header *header, char *err, size_t errlen) {
    if (out == NULL || header == NULL || (data == NULL && len > 0)) return PNGSHIM_ERR_ARGUMENT;
    *out = NULL;
    struct pngshim_reader *r = (struct pngshim_reader *)calloc(1, sizeof *r);
    if (r == NULL) return PNGSHIM_ERR_NOMEM;
    r->data = data;
    r->len = len;
    r->phase = PHASE_HEADER;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r->message, on_error, on_warning);
    if (r->png == NULL) { free(r); return PNGSHIM_ERR_NOMEM; }
    r->info = png_create_info_struct(r->png);
    if (r->info == NULL) { pngshim_reader_free(r); return PNGSHIM_ERR_NOMEM; }

    if (setjmp(png_jmpbuf(r->png))) {
        int status = failure_status(r);
        copy_message(err, errlen, r->message);
        pngshim_reader_free(r);
        return status;
    }
    png_set_read_fn(r->png, r, read_from_memory);
    png_read_info(r->png, r->info);

    header->width = png_get_image_width(r->png, r->info);
    header->height = png_get_image_height(r->png, r->info);
    header->bit_depth = png_get_bit_depth(r->png, r->info);
    header->color_type = png_get_color_type(r->png, r->info);
    header->interlaced = png_get_interlace_type(r->png, r->info) != PNG_INTERLACE_NONE;
    header->has_trns = png_get_valid(r->png, r->info, PNG_INFO_tRNS) != 0;
    *out = r;
    return PNGSHIM_OK;
}

int pngshim_read_pixels(pngshim_reader *r, int channels, uint8_t *dst, size_t stride,
                        size_t *trailing, char *err, size_t errlen) {
    if (r == NULL || dst == NULL || (channels != 3 && channels != 4)) return PNGSHIM_ERR_ARGUMENT;
    png_structp png = r->png;
    png_infop info = r->info;
    uint32_t height = png_get_image_height(png, info);
    uint32_t width = png_get_image_width(png, info);
    if (stride < (size_t)width * (size_t)channels) return PNGSHIM_ERR_ARGUMENT;

    r->rows = (png_bytep *)malloc(sizeof(png_bytep) * (height ? height : 1));
    if (r->rows == NULL) return PNGSHIM_ERR_NOMEM;
    for (uint32_t y = 0; y < height; y++) r->rows[y] = dst + (size_t)y * stride;

    r->phase = PHASE_PIXELS;
    if (setjmp(png_jmpbuf(png))) {
        int status = failure_status(r);
        copy_message(err, errlen, r->message);
        return status;
    }

    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (has_trns) png_set_tRNS_to_alpha(png);
    if (depth == 16) png_set_scale_16(png);  // round(v * 255 / 65535), not v >> 8
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    int has_alpha = (color & PNG_COLOR_MASK_ALPHA) != 0 || has_trns;
    if (channels == 4 && !has_alpha) png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    if (channels == 3 && has_alpha) png_set_strip_alpha(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)width * (size_t)channels) {
        png_error(png, "unexpected row size after transformations");
    }

    png_read_image(png, r->rows);
    r->phase = PHASE_END;
    png_read_end(png, NULL);
    if (trailing != NULL) *trailing = r->len - r->pos;
    if (r->pos != r->len) {
        copy_message(err, errlen, "data after IEND");
        return PNGSHIM_ERR_TRAILING;
    }
    return PNGSHIM_OK;
}

typedef struct {
    uint8_t *bytes;
    size_t len;
    size_t cap;
} growable;

static void write_to_memory(png_structp png, png_bytep data, size_t count) {
    growable *g = (growable *)png_get_io_ptr(png);
    if (count > g->cap - g->len) {
        size_t cap = g->cap ? g->cap : 4096;
        while (count > cap - g->len) {
            if (cap > SIZE_MAX / 2) png_error(png, "output too large");
            cap *= 2;
        }
        uint8_t *bigger = (uint8_t *)realloc(g->bytes, cap);
        if (bigger == NULL) png_error(png, "out of memory");
        g->bytes = bigger;
        g->cap = cap;
    }
    memcpy(g->bytes + g->len, data, count);
    g->len += count;
}

static void flush_memory(png_structp png) { (void)png; }

int pngshim_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                   int channels, int level, int filters, uint8_t **out, size_t *out_len,
                   char *err, size_t errlen) {
    if (pixels == NULL || out == NULL || out_len == NULL) return PNGSHIM_ERR_ARGUMENT;
    if ((channels != 3 && channels != 4) || level < 0 || level > 9) return PNGSHIM_ERR_ARGUMENT;
    *out = NULL;
    *out_len = 0;
    char message[256] = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, on_error, on_warning);
    if (png == NULL) return PNGSHIM_ERR_NOMEM;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) { png_destroy_write_struct(&png, NULL); return PNGSHIM_ERR_NOMEM; }

    // Assigned after setjmp, read after a longjmp: volatile so the value survives.
    growable *volatile output = (growable *)calloc(1, sizeof(growable));
    png_bytep *volatile rows = NULL;
    if (output == NULL) { png_destroy_write_struct(&png, &info); return PNGSHIM_ERR_NOMEM; }

    if (setjmp(png_jmpbuf(png))) {
        copy_message(err, errlen, message);
        png_destroy_write_struct(&png, &info);
        free(output->bytes);
        free(output);
        free(rows);
        return PNGSHIM_ERR_LIBPNG;
    }
    // Start near the likely size so large noisy images do not reallocate much.
    size_t raw = (size_t)width * (size_t)height * (size_t)channels;
    output->cap = raw / 2 + 1024;
    output->bytes = (uint8_t *)malloc(output->cap);
    if (output->bytes == NULL) png_error(png, "out of memory");

    png_set_write_fn(png, output, write_to_memory, flush_memory);
    png_set_IHDR(png, info, width, height, 8,
                 channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters & PNGSHIM_FILTER_ALL);
    png_set_compression_buffer_size(png, 1 << 17);
    png_write_info(png, info);

    rows = (png_bytep *)malloc(sizeof(png_bytep) * (height ? height : 1));
    if (rows == NULL) png_error(png, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * stride);
    png_write_image(png, rows);
    png_write_end(png, NULL);

    png_destroy_write_struct(&png, &info);
    free(rows);
    *out = output->bytes;
    *out_len = output->len;
    free(output);
    return PNGSHIM_OK;
}

void pngshim_free(void *pointer) { free(pointer); }
