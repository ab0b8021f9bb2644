/* Configuration: ranges, cross-checks, two-slot persistence that survives a power cut mid-write. */
#include "test_helpers.h"
#include "config/config.h"
#include "config/crc32.h"
#include "config/persist.h"

static uint8_t flash[2][PERSIST_SLOT_BYTES];
static size_t tear_after;

static bool rd(uint8_t slot, uint8_t *buf, size_t len) {
  memcpy(buf, flash[slot], len);
  return true;
}
static bool wr(uint8_t slot, const uint8_t *buf, size_t len) {
  memset(flash[slot], 0xFF, PERSIST_SLOT_BYTES);
  if (tear_after) {
    memcpy(flash[slot], buf, tear_after);
    tear_after = 0;
    return false;
  }
  memcpy(flash[slot], buf, len);
  return true;
}
static int setup(void **state) {
  (void)state;
  memset(flash, 0xFF, sizeof flash);
  tear_after = 0;
  return 0;
}

static void crc32_matches_its_check_value(void **state) {
  (void)state;
  assert_int_equal(crc32_ieee((const uint8_t *)"123456789", 9, 0), 0xCBF43926u);
}

static void values_outside_their_range_are_refused_and_change_nothing(void **state) {
  (void)state;
  config_t c;
  config_defaults(&c);
  assert_int_equal(config_set(&c, PROTO_CONFIG_PREINFUSION_ON_MS, 10001), PROTO_ACK_RESULT_INVALID_FIELD);
  assert_int_equal(config_get(&c, PROTO_CONFIG_PREINFUSION_ON_MS), 0);
  assert_int_equal(config_set(&c, 999, 1), PROTO_ACK_RESULT_INVALID_FIELD);
  assert_int_equal(config_set(&c, PROTO_CONFIG_PREINFUSION_ON_MS, 3000), PROTO_ACK_RESULT_OK);
}

static void a_heater_larger_than_the_circuit_is_rejected(void **state) {
  (void)state;
  config_t c;
  config_defaults(&c);
  assert_int_equal(config_set(&c, PROTO_CONFIG_MAINS_VOLTAGE_V, 120), PROTO_ACK_RESULT_OK);
  assert_int_equal(config_set(&c, PROTO_CONFIG_MAINS_CURRENT_LIMIT_MA, 10000), PROTO_ACK_RESULT_REJECTED_STATE);
  assert_int_equal(config_get(&c, PROTO_CONFIG_MAINS_CURRENT_LIMIT_MA), 16000);
  assert_int_equal(config_set(&c, PROTO_CONFIG_STEAM_HEATER_W, 3000), PROTO_ACK_RESULT_REJECTED_STATE);
}

static void saved_configuration_is_applied_after_the_defaults(void **state) {
  (void)state;
  persist_t p = {rd, wr, 0, 1};
  config_t c;
  assert_int_equal(persist_load(&p, &c), -1); /* blank flash */
  assert_int_equal(config_set(&c, PROTO_CONFIG_BREW_KP_MILLI, 123456), PROTO_ACK_RESULT_OK);
  assert_true(persist_save(&p, &c));
  config_t d;
  persist_t q = {rd, wr, 0, 1};
  assert_true(persist_load(&q, &d) > 0);
  assert_int_equal(config_get(&d, PROTO_CONFIG_BREW_KP_MILLI), 123456);
}

static void power_cut_mid_write_keeps_the_previous_configuration(void **state) {
  (void)state;
  persist_t p = {rd, wr, 0, 1};
  config_t c;
  (void)persist_load(&p, &c);
  (void)config_set(&c, PROTO_CONFIG_ECO_TIMEOUT_S, 600);
  assert_true(persist_save(&p, &c));
  (void)config_set(&c, PROTO_CONFIG_ECO_TIMEOUT_S, 900);
  tear_after = 40; /* the board loses power 40 bytes into the next write */
  assert_false(persist_save(&p, &c));
  config_t d;
  persist_t q = {rd, wr, 0, 1};
  assert_true(persist_load(&q, &d) > 0);
  assert_int_equal(config_get(&d, PROTO_CONFIG_ECO_TIMEOUT_S), 600);
  /* And the next write goes to the torn slot, so the good one stays intact. */
  (void)config_set(&d, PROTO_CONFIG_ECO_TIMEOUT_S, 1200);
  assert_true(persist_save(&q, &d));
  config_t e;
  persist_t r2 = {rd, wr, 0, 1};
  assert_true(persist_load(&r2, &e) > 0);
  assert_int_equal(config_get(&e, PROTO_CONFIG_ECO_TIMEOUT_S), 1200);
}

static void a_corrupted_slot_is_ignored(void **state) {
  (void)state;
  persist_t p = {rd, wr, 0, 1};
  config_t c;
  (void)persist_load(&p, &c);
  (void)config_set(&c, PROTO_CONFIG_ECO_TIMEOUT_S, 700);
  assert_true(persist_save(&p, &c));
  (void)config_set(&c, PROTO_CONFIG_ECO_TIMEOUT_S, 800);
  assert_true(persist_save(&p, &c));
  flash[p.newest_slot][30] ^= 0x10; /* a bit rots in the newest slot */
  config_t d;
  persist_t q = {rd, wr, 0, 1};
  assert_true(persist_load(&q, &d) > 0);
  assert_int_equal(config_get(&d, PROTO_CONFIG_ECO_TIMEOUT_S), 700);
}

static void sequence_numbers_compare_across_wrap_around(void **state) {
  (void)state;
  config_t a, b;
  config_defaults(&a);
  config_defaults(&b);
  a.v[0] = 2;
  b.v[0] = 3;
  persist_encode(&a, 0xFFFFFFFFu, flash[0]);
  persist_encode(&b, 1u, flash[1]); /* written after the counter wrapped */
  config_t d;
  persist_t q = {rd, wr, 0, 1};
  assert_true(persist_load(&q, &d) > 0);
  assert_int_equal(d.v[0], 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(crc32_matches_its_check_value, setup),
      cmocka_unit_test_setup(values_outside_their_range_are_refused_and_change_nothing, setup),
      cmocka_unit_test_setup(a_heater_larger_than_the_circuit_is_rejected, setup),
      cmocka_unit_test_setup(saved_configuration_is_applied_after_the_defaults, setup),
      cmocka_unit_test_setup(power_cut_mid_write_keeps_the_previous_configuration, setup),
      cmocka_unit_test_setup(a_corrupted_slot_is_ignored, setup),
      cmocka_unit_test_setup(sequence_numbers_compare_across_wrap_around, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
