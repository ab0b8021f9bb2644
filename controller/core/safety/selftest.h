/* Class-B style self-tests (after IEC 60730 Annex H/R; not certified): RAM march over a region in
 * blocks, image CRC in increments, clock against a reference, stack canary. The port supplies the
 * regions and measurements through hooks; the core schedules the tests and trips on failure.
 * Schedule: one RAM block and one flash chunk each 100 ms, clock and stack each 1 s. */
#ifndef BREWOS_SELFTEST_H
#define BREWOS_SELFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SELFTEST_RAM_BLOCK_WORDS 16u
#define SELFTEST_FLASH_CHUNK_BYTES 4096u
#define SELFTEST_CLOCK_TOLERANCE_PCT 5u

typedef struct {
  volatile uint32_t *ram; /* region the march walks (NULL: skip) */
  size_t ram_words;
  const uint8_t *flash; /* image to checksum (NULL: skip) */
  size_t flash_len;
  uint32_t flash_crc;                  /* expected CRC-32 of the image */
  uint32_t (*clock_measured_hz)(void); /* NULL: skip */
  uint32_t clock_expected_hz;
  const volatile uint32_t *stack_canary; /* NULL: skip */
  uint32_t stack_canary_value;
} selftest_hooks_t;

typedef struct {
  selftest_hooks_t h;
  size_t ram_at;
  size_t flash_at;
  uint32_t flash_crc_acc;
  uint32_t last_fast_ms, last_slow_ms;
  uint32_t flash_passes, ram_passes;
} selftest_t;

void selftest_init(selftest_t *t, const selftest_hooks_t *hooks);
/* March C- over words, saving and restoring their contents; false on a stuck or coupled bit. */
bool selftest_march(volatile uint32_t *p, size_t words);
/* Run what is due. Returns the proto_alarm_code_t of a failure, or NONE. */
uint8_t selftest_tick(selftest_t *t, uint32_t now_ms);

#endif
