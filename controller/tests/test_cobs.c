/* COBS: textbook examples, long runs, malformed blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "link/cobs.h"

static void cobs_encodes_textbook_examples(void **state) {
  (void)state;
  uint8_t out[16];
  const uint8_t a[] = {0x11, 0x22, 0x00, 0x33};
  const uint8_t a_enc[] = {0x03, 0x11, 0x22, 0x02, 0x33};
  assert_int_equal(cobs_encode(a, sizeof a, out, sizeof out), sizeof a_enc);
  assert_memory_equal(out, a_enc, sizeof a_enc);
  const uint8_t b[] = {0x00, 0x00};
  const uint8_t b_enc[] = {0x01, 0x01, 0x01};
  assert_int_equal(cobs_encode(b, sizeof b, out, sizeof out), sizeof b_enc);
  assert_memory_equal(out, b_enc, sizeof b_enc);
}

static void cobs_round_trips_long_runs_without_zeros(void **state) {
  (void)state;
  static uint8_t in[300], enc[310], dec[310];
  for (size_t n = 253; n <= 300; n++) {
    for (size_t i = 0; i < n; i++) in[i] = (uint8_t)((i % 255u) + 1u);
    size_t e = cobs_encode(in, n, enc, sizeof enc);
    assert_true(e > n);
    assert_null(memchr(enc, 0, e));
    assert_int_equal(cobs_decode(enc, e, dec, sizeof dec), (int)n);
    assert_memory_equal(dec, in, n);
  }
}

static void cobs_rejects_code_past_end_and_small_buffers(void **state) {
  (void)state;
  uint8_t out[8];
  const uint8_t bad[] = {0x05, 0x11, 0x22};
  assert_int_equal(cobs_decode(bad, sizeof bad, out, sizeof out), -1);
  const uint8_t in[] = {1, 2, 3, 4};
  assert_int_equal(cobs_encode(in, sizeof in, out, 4), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cobs_encodes_textbook_examples),
      cmocka_unit_test(cobs_round_trips_long_runs_without_zeros),
      cmocka_unit_test(cobs_rejects_code_past_end_and_small_buffers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
