/* Consistent Overhead Byte Stuffing: removes every 0x00 so 0x00 can delimit frames. */
#ifndef BREWOS_COBS_H
#define BREWOS_COBS_H

#include <stddef.h>
#include <stdint.h>

/* Worst-case encoded size of `n` input bytes (without the delimiter). */
#define COBS_MAX_ENCODED(n) ((n) + ((n) / 254u) + 1u)

/* Encode `len` bytes into `out` (capacity `cap`). Returns the encoded length, 0 if `cap` is too small. */
size_t cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

/* Decode a block (delimiter removed) into `out` (capacity `cap`, >= len suffices).
 * Returns the decoded length, or -1 when the block is malformed. */
int cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#endif
