/* Slot layout (little-endian): magic u32 | format u16 | count u16 | seq u32 | count x (key u16, value i32) | crc32 u32.
 * The CRC covers everything before it. Erased flash (0xFF) never validates. */
#include "persist.h"

#include <string.h>

#include "crc32.h"

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint16_t get16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

#define HEADER_BYTES 12u
#define PAIR_BYTES 6u

void persist_encode(const config_t *c, uint32_t seq, uint8_t *buf) {
  memset(buf, 0xFF, PERSIST_SLOT_BYTES);
  put32(buf, PERSIST_MAGIC);
  put16(buf + 4, PERSIST_FORMAT_VERSION);
  put16(buf + 6, (uint16_t)PROTO_CONFIG_KEY_COUNT);
  put32(buf + 8, seq);
  uint8_t *p = buf + HEADER_BYTES;
  for (size_t i = 0; i < PROTO_CONFIG_KEY_COUNT; i++) {
    put16(p, proto_config_keys[i].id);
    put32(p + 2, (uint32_t)c->v[i]);
    p += PAIR_BYTES;
  }
  put32(p, crc32_ieee(buf, (size_t)(p - buf), 0));
}

/* Sequence number of a valid slot image, 0 when invalid. */
static uint32_t slot_valid(const uint8_t *buf) {
  if (get32(buf) != PERSIST_MAGIC || get16(buf + 4) != PERSIST_FORMAT_VERSION) return 0;
  uint16_t count = get16(buf + 6);
  size_t body = HEADER_BYTES + (size_t)count * PAIR_BYTES;
  if (body + 4u > PERSIST_SLOT_BYTES) return 0;
  if (crc32_ieee(buf, body, 0) != get32(buf + body)) return 0;
  return get32(buf + 8);
}

int persist_load(persist_t *p, config_t *c) {
  static uint8_t buf[2][PERSIST_SLOT_BYTES];
  uint32_t seq[2] = {0, 0};
  for (uint8_t s = 0; s < 2; s++) {
    if (p->read(s, buf[s], PERSIST_SLOT_BYTES)) seq[s] = slot_valid(buf[s]);
  }
  config_defaults(c);
  if (seq[0] == 0 && seq[1] == 0) {
    p->seq = 0;
    p->newest_slot = 1;
    return -1;
  }
  /* Sequence numbers are compared with wrap-around in mind: the newer is the one ahead by < 2^31. */
  uint8_t s = (seq[1] != 0 && (seq[0] == 0 || (int32_t)(seq[1] - seq[0]) > 0)) ? 1 : 0;
  p->seq = seq[s];
  p->newest_slot = s;
  int applied = 0;
  uint16_t count = get16(buf[s] + 6);
  const uint8_t *q = buf[s] + HEADER_BYTES;
  for (uint16_t i = 0; i < count; i++, q += PAIR_BYTES) {
    if (config_set_in_range(c, get16(q), (int32_t)get32(q + 2)) == PROTO_ACK_RESULT_OK) applied++;
  }
  if (!config_consistent(c)) {
    config_defaults(c);
    return -1;
  }
  return applied;
}

bool persist_save(persist_t *p, const config_t *c) {
  static uint8_t buf[PERSIST_SLOT_BYTES];
  uint32_t next = p->seq + 1u;
  if (next == 0) next = 1;
  uint8_t target = (uint8_t)(p->newest_slot ^ 1u);
  persist_encode(c, next, buf);
  if (!p->write(target, buf, PERSIST_SLOT_BYTES)) return false;
  p->seq = next;
  p->newest_slot = target;
  return true;
}
