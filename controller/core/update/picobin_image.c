/* Picobin block walking. A block: the start marker word, items (byte 0 the type — bit 7 set: a
 * 2-byte size in bytes 1..2, else a 1-byte size in byte 1 — sizes in words, header included), a
 * LAST item whose size is the items' total, a signed word offset to the next block (relative to
 * this block's start; 0: a loop of one), the end marker. */
#include "update/picobin_image.h"

#include <string.h>

#define MARKER_START 0xffffded3u
#define MARKER_END 0xab123579u
#define ITEM_IMAGE_TYPE 0x42u
#define ITEM_VERSION 0x48u
#define ITEM_LAST 0xffu
#define IMAGE_TYPE_MASK 0x000fu
#define IMAGE_TYPE_EXE 0x0001u
#define IMAGE_TYPE_TBYB 0x8000u
#define MAX_BLOCKS 16u
#define MAX_ITEMS 64u

static uint32_t word_at(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t half_at(const uint8_t *p) {
  return (uint16_t)(p[0] | p[1] << 8);
}

typedef struct {
  bool ok, image_def, has_version;
  uint16_t type_flags, major, minor;
  int32_t next;
} block_t;

/* One block at `at`: its items, or ok=false when it is not a well-formed block. */
static block_t read_block(const uint8_t *img, size_t len, size_t at) {
  block_t b;
  memset(&b, 0, sizeof b);
  if (at % 4u != 0u || at + 8u > len || word_at(img + at) != MARKER_START) return b;
  size_t p = at + 4u;
  for (unsigned i = 0; i < MAX_ITEMS && p + 4u <= len; i++) {
    uint8_t type = img[p];
    uint32_t words = (type & 0x80u) ? half_at(img + p + 1u) : img[p + 1u];
    if (type == ITEM_LAST) {
      if (words != (p - at - 4u) / 4u || p + 12u > len) return b;
      if (word_at(img + p + 8u) != MARKER_END) return b;
      b.next = (int32_t)word_at(img + p + 4u);
      b.ok = true;
      return b;
    }
    if (words == 0u || p + words * 4u > len) return b;
    if (i == 0u && type == ITEM_IMAGE_TYPE) {
      b.image_def = true;
      b.type_flags = half_at(img + p + 2u);
    }
    if (type == ITEM_VERSION && words >= 2u) {
      b.has_version = true;
      b.minor = half_at(img + p + 4u);
      b.major = half_at(img + p + 6u);
    }
    p += words * 4u;
  }
  return b;
}

picobin_image_t picobin_parse(const uint8_t *img, size_t len) {
  picobin_image_t r;
  memset(&r, 0, sizeof r);
  size_t window = len < PICOBIN_FIRST_BLOCK_WINDOW_BYTES ? len : PICOBIN_FIRST_BLOCK_WINDOW_BYTES;
  size_t first = 0;
  block_t b;
  memset(&b, 0, sizeof b);
  for (; first + 4u <= window; first += 4u) {
    if (word_at(img + first) != MARKER_START) continue;
    b = read_block(img, len, first);
    if (b.ok) break;
  }
  if (!b.ok) return r;
  size_t at = first;
  for (unsigned n = 0; n < MAX_BLOCKS; n++) {
    if (b.image_def) { /* the last IMAGE_DEF in the loop wins */
      r.valid = true;
      r.def_offset = (uint32_t)at;
      r.executable = (b.type_flags & IMAGE_TYPE_MASK) == IMAGE_TYPE_EXE;
      r.tbyb = (b.type_flags & IMAGE_TYPE_TBYB) != 0u;
      r.major = b.has_version ? b.major : 0u;
      r.minor = b.has_version ? b.minor : 0u;
    }
    long long next = (long long)at + b.next;
    if (b.next == 0 || next == (long long)first) return r; /* back at the start: the loop is closed */
    if (next < 0 || (size_t)next >= len) break;
    at = (size_t)next;
    b = read_block(img, len, at);
    if (!b.ok) break;
  }
  memset(&r, 0, sizeof r); /* an open or broken loop: the ROM would not boot it */
  return r;
}
