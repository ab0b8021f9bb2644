/* SHA-256 (FIPS 180-4), incremental. Used to verify a firmware image in flash before booting it. */
#ifndef BREWOS_SHA256_H
#define BREWOS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32u

typedef struct {
  uint32_t h[8];
  uint64_t total_bytes;
  uint8_t block[64];
  uint8_t block_len;
} sha256_t;

void sha256_init(sha256_t *s);
void sha256_update(sha256_t *s, const uint8_t *data, size_t len);
void sha256_final(sha256_t *s, uint8_t out[SHA256_BYTES]);

#endif
