/* Self-test scheduling and the portable parts of each test. */
#include "selftest.h"

#include "config/crc32.h"
#include "link/proto_gen.h"

void selftest_init(selftest_t *t, const selftest_hooks_t *hooks) {
  t->h = *hooks;
  t->ram_at = 0;
  t->flash_at = 0;
  t->flash_crc_acc = 0;
  t->last_fast_ms = 0;
  t->last_slow_ms = 0;
  t->flash_passes = 0;
  t->ram_passes = 0;
}

bool selftest_march(volatile uint32_t *p, size_t words) {
  uint32_t saved[SELFTEST_RAM_BLOCK_WORDS];
  if (words > SELFTEST_RAM_BLOCK_WORDS) words = SELFTEST_RAM_BLOCK_WORDS;
  bool ok = true;
  for (size_t i = 0; i < words; i++) saved[i] = p[i];
  for (size_t i = 0; i < words; i++) p[i] = 0u; /* up: w0 */
  for (size_t i = 0; i < words && ok; i++) {
    ok = p[i] == 0u;
    p[i] = ~0u;
  } /* up: r0 w1 */
  for (size_t i = 0; i < words && ok; i++) {
    ok = p[i] == ~0u;
    p[i] = 0u;
  } /* up: r1 w0 */
  for (size_t i = words; i-- > 0 && ok;) {
    ok = p[i] == 0u;
    p[i] = ~0u;
  } /* down: r0 w1 */
  for (size_t i = words; i-- > 0 && ok;) {
    ok = p[i] == ~0u;
    p[i] = 0u;
  }                                                         /* down: r1 w0 */
  for (size_t i = 0; i < words && ok; i++) ok = p[i] == 0u; /* r0 */
  for (size_t i = 0; i < words; i++) p[i] = saved[i];
  return ok;
}

uint8_t selftest_tick(selftest_t *t, uint32_t now_ms) {
  if (now_ms - t->last_fast_ms >= 100u) {
    t->last_fast_ms = now_ms;
    if (t->h.ram != NULL && t->h.ram_words > 0) {
      size_t n = t->h.ram_words - t->ram_at;
      if (n > SELFTEST_RAM_BLOCK_WORDS) n = SELFTEST_RAM_BLOCK_WORDS;
      if (!selftest_march(t->h.ram + t->ram_at, n)) return PROTO_ALARM_CODE_SELF_TEST_RAM;
      t->ram_at += n;
      if (t->ram_at >= t->h.ram_words) {
        t->ram_at = 0;
        t->ram_passes++;
      }
    }
    if (t->h.flash != NULL && t->h.flash_len > 0) {
      size_t n = t->h.flash_len - t->flash_at;
      if (n > SELFTEST_FLASH_CHUNK_BYTES) n = SELFTEST_FLASH_CHUNK_BYTES;
      t->flash_crc_acc = crc32_ieee(t->h.flash + t->flash_at, n, t->flash_crc_acc);
      t->flash_at += n;
      if (t->flash_at >= t->h.flash_len) {
        bool ok = t->flash_crc_acc == t->h.flash_crc;
        t->flash_at = 0;
        t->flash_crc_acc = 0;
        t->flash_passes++;
        if (!ok) return PROTO_ALARM_CODE_SELF_TEST_FLASH;
      }
    }
  }
  if (now_ms - t->last_slow_ms >= 1000u) {
    t->last_slow_ms = now_ms;
    if (t->h.clock_measured_hz != NULL && t->h.clock_expected_hz > 0) {
      uint32_t hz = t->h.clock_measured_hz();
      uint32_t tol = t->h.clock_expected_hz / 100u * SELFTEST_CLOCK_TOLERANCE_PCT;
      if (hz + tol < t->h.clock_expected_hz || hz > t->h.clock_expected_hz + tol)
        return PROTO_ALARM_CODE_SELF_TEST_CLOCK;
    }
    if (t->h.stack_canary != NULL && *t->h.stack_canary != t->h.stack_canary_value) {
      return PROTO_ALARM_CODE_SELF_TEST_STACK;
    }
  }
  return PROTO_ALARM_CODE_NONE;
}
