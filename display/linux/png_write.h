/* Writes an RGB565 frame as a PNG (stored deflate: no zlib needed; the test reads it with pngjs). */
#ifndef BREWOS_DISPLAY_PNG_WRITE_H
#define BREWOS_DISPLAY_PNG_WRITE_H

#include <stdbool.h>
#include <stdint.h>

bool png_write_rgb565(const char *path, const uint16_t *pixels, uint32_t width, uint32_t height);

#endif
