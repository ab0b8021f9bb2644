/* The RP2350 boot ROM's image metadata ("picobin" blocks, RP2350 datasheet §5.9): a loop of blocks
 * within an image, the last IMAGE_DEF of which describes it — its type flags (try-before-you-buy:
 * not yet bought) and its version. Read on the board for the image in the other A/B slot, and by
 * the host tests on a real built image. Pure parsing: no SDK headers. */
#ifndef BREWOS_PICOBIN_IMAGE_H
#define BREWOS_PICOBIN_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PICOBIN_FIRST_BLOCK_WINDOW_BYTES 4096u /* the ROM looks for the first block here */

typedef struct {
  bool valid;            /* a block loop with an IMAGE_DEF */
  bool executable;       /* image type EXE */
  bool tbyb;             /* flagged try-before-you-buy and not yet bought */
  uint16_t major, minor; /* the version item; 0.0 when it has none */
  uint32_t def_offset;   /* offset of the IMAGE_DEF block used */
} picobin_image_t;

/* Parse the image at `img` (`len` bytes of it readable). */
picobin_image_t picobin_parse(const uint8_t *img, size_t len);

/* Our versions in the ROM's two 16-bit fields: major, and minor << 8 | patch — so the ROM's order
 * is ours, and (major << 16 | minor) is CONTROLLER_FW_VERSION's encoding again. */
#define PICOBIN_ROM_MAJOR(v) ((uint16_t)((v) >> 16))
#define PICOBIN_ROM_MINOR(v) ((uint16_t)((v)&0xFFFFu))
#define PICOBIN_FW_VERSION(major, minor) ((uint32_t)(major) << 16 | (uint32_t)(minor))

#endif
