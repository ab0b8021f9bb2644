/* Configuration in flash: two slots, each a versioned, CRC-protected list of (key, value) pairs
 * with a write sequence number. Loading picks the newest valid slot and applies it over the
 * defaults; saving always overwrites the older slot, so a power cut mid-write loses nothing. */
#ifndef BREWOS_PERSIST_H
#define BREWOS_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define PERSIST_SLOT_BYTES 512u
#define PERSIST_MAGIC 0x31575242u /* "BRW1" */
#define PERSIST_FORMAT_VERSION 1u

typedef bool (*persist_read_fn)(uint8_t slot, uint8_t *buf, size_t len);
typedef bool (*persist_write_fn)(uint8_t slot, const uint8_t *buf, size_t len);

typedef struct {
  persist_read_fn read;
  persist_write_fn write;
  uint32_t seq;        /* sequence number of the newest valid slot, 0 when none */
  uint8_t newest_slot; /* slot holding seq */
} persist_t;

/* Load: defaults first, then every known key from the newest valid slot (unknown keys and
 * out-of-range values are skipped). A saved set that fails the cross-checks is discarded whole.
 * Returns how many values were applied; -1 when no slot is valid or the newest is inconsistent. */
int persist_load(persist_t *p, config_t *c);

/* Save `c` into the older slot. Returns false when the write failed (the other slot is intact). */
bool persist_save(persist_t *p, const config_t *c);

/* Serialise into `buf` (PERSIST_SLOT_BYTES) with sequence `seq`; exposed for tests. */
void persist_encode(const config_t *c, uint32_t seq, uint8_t *buf);

#endif
