#include "png_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc_table[256];

static uint32_t crc32_of(const uint8_t *p, size_t n, uint32_t crc) {
  if (!crc_table[1])
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[i] = c;
    }
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static void be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static bool chunk(FILE *f, const char type[4], const uint8_t *data, uint32_t n) {
  uint8_t head[8];
  be32(head, n);
  memcpy(head + 4, type, 4);
  uint32_t crc = crc32_of(data, n, crc32_of((const uint8_t *)type, 4, 0));
  uint8_t tail[4];
  be32(tail, crc);
  return fwrite(head, 1, 8, f) == 8 && fwrite(data, 1, n, f) == n && fwrite(tail, 1, 4, f) == 4;
}

bool png_write_rgb565(const char *path, const uint16_t *pixels, uint32_t width, uint32_t height) {
  size_t row = 1 + (size_t)width * 3;
  size_t raw_n = row * height;
  uint8_t *raw = malloc(raw_n);
  if (!raw) return false;
  for (uint32_t y = 0; y < height; y++) {
    uint8_t *r = raw + y * row;
    r[0] = 0; /* filter: none */
    for (uint32_t x = 0; x < width; x++) {
      uint16_t c = pixels[(size_t)y * width + x];
      uint8_t r5 = (uint8_t)(c >> 11), g6 = (uint8_t)((c >> 5) & 0x3f), b5 = (uint8_t)(c & 0x1f);
      r[1 + x * 3] = (uint8_t)((r5 << 3) | (r5 >> 2));
      r[2 + x * 3] = (uint8_t)((g6 << 2) | (g6 >> 4));
      r[3 + x * 3] = (uint8_t)((b5 << 3) | (b5 >> 2));
    }
  }
  /* zlib stream of stored blocks (at most 65535 bytes each) and its Adler-32. */
  size_t blocks = (raw_n + 65534) / 65535;
  size_t z_n = 2 + raw_n + blocks * 5 + 4;
  uint8_t *z = malloc(z_n);
  if (!z) {
    free(raw);
    return false;
  }
  size_t at = 0;
  z[at++] = 0x78;
  z[at++] = 0x01;
  uint32_t a = 1, b = 0;
  for (size_t off = 0; off < raw_n; off += 65535) {
    size_t len = raw_n - off < 65535 ? raw_n - off : 65535;
    z[at++] = off + len == raw_n ? 1 : 0;
    z[at++] = (uint8_t)len;
    z[at++] = (uint8_t)(len >> 8);
    z[at++] = (uint8_t)~len;
    z[at++] = (uint8_t)(~len >> 8);
    memcpy(z + at, raw + off, len);
    at += len;
    for (size_t i = 0; i < len; i++) {
      a = (a + raw[off + i]) % 65521;
      b = (b + a) % 65521;
    }
  }
  be32(z + at, (b << 16) | a);
  at += 4;
  free(raw);

  FILE *f = fopen(path, "wb");
  bool ok = f != NULL;
  if (ok) {
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[13];
    be32(ihdr, width);
    be32(ihdr + 4, height);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* no interlace */
    ok = fwrite(sig, 1, 8, f) == 8 && chunk(f, "IHDR", ihdr, 13) && chunk(f, "IDAT", z, (uint32_t)at) &&
         chunk(f, "IEND", NULL, 0);
    ok = fclose(f) == 0 && ok;
  }
  free(z);
  return ok;
}
