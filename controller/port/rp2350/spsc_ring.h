/* Single-producer single-consumer byte ring between the two cores (or an IRQ and a core): the
 * producer only writes `head`, the consumer only writes `tail`; memory barriers order the data. */
#ifndef BREWOS_SPSC_RING_H
#define BREWOS_SPSC_RING_H

#include <stddef.h>
#include <stdint.h>

#include "hardware/sync.h"

#define SPSC_RING_BYTES 2048u /* power of two */

typedef struct {
  uint8_t buf[SPSC_RING_BYTES];
  volatile uint32_t head;
  volatile uint32_t tail;
  volatile uint32_t dropped;
} spsc_ring_t;

static inline size_t spsc_put(spsc_ring_t *r, const uint8_t *data, size_t len) {
  size_t n = 0;
  while (n < len && r->head - r->tail < SPSC_RING_BYTES) {
    r->buf[r->head & (SPSC_RING_BYTES - 1u)] = data[n++];
    __dmb();
    r->head++;
  }
  r->dropped += (uint32_t)(len - n);
  return n;
}

static inline size_t spsc_get(spsc_ring_t *r, uint8_t *data, size_t cap) {
  size_t n = 0;
  while (n < cap && r->tail != r->head) {
    __dmb();
    data[n++] = r->buf[r->tail & (SPSC_RING_BYTES - 1u)];
    r->tail++;
  }
  return n;
}

#endif
