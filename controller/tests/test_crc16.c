/* CRC-16/CCITT-FALSE: the catalogue check value and incremental use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "link/crc16.h"

static void crc_matches_check_value_over_123456789(void **state) {
  (void)state;
  const uint8_t s[] = "123456789";
  assert_int_equal(crc16_ccitt_false(s, 9, CRC16_INIT), 0x29B1);
}

static void crc_of_nothing_is_the_initial_value(void **state) {
  (void)state;
  assert_int_equal(crc16_ccitt_false(NULL, 0, CRC16_INIT), 0xFFFF);
}

static void crc_can_be_computed_in_pieces(void **state) {
  (void)state;
  const uint8_t s[] = "123456789";
  assert_int_equal(crc16_ccitt_false(s + 4, 5, crc16_ccitt_false(s, 4, CRC16_INIT)), 0x29B1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(crc_matches_check_value_over_123456789),
      cmocka_unit_test(crc_of_nothing_is_the_initial_value),
      cmocka_unit_test(crc_can_be_computed_in_pieces),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
