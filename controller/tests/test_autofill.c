/* Steam boiler auto-fill: heater off first, fill until wet plus top-up, timeout, never during a shot. */
#include "test_helpers.h"
#include "water/autofill.h"

static void fill_sequence_and_top_up(void **state) {
  (void)state;
  autofill_t a;
  autofill_init(&a, true, 30000);
  bool block, valve;
  uint16_t pump;
  uint32_t t = 0;
  for (; t < 300; t += 10) (void)autofill_tick(&a, t, false, false, true, &block, &valve, &pump);
  assert_false(valve); /* dry reading debounced */
  for (; t < 750; t += 10) (void)autofill_tick(&a, t, false, false, true, &block, &valve, &pump);
  assert_true(block);
  assert_false(valve); /* heater off 500 ms before filling */
  for (; t < 1200; t += 10) (void)autofill_tick(&a, t, false, false, true, &block, &valve, &pump);
  assert_true(valve);
  assert_int_equal(pump, 1000);
  for (; t < 2000; t += 10) (void)autofill_tick(&a, t, true, false, true, &block, &valve, &pump);
  assert_true(valve); /* top-up */
  for (; t < 2500; t += 10) (void)autofill_tick(&a, t, true, false, true, &block, &valve, &pump);
  assert_false(valve);
  assert_false(block);
}

static void a_fill_that_never_finishes_times_out_and_waits_for_a_clear(void **state) {
  (void)state;
  autofill_t a;
  autofill_init(&a, true, 5000);
  bool block, valve, timed_out = false;
  uint16_t pump;
  uint32_t t = 0;
  for (; t < 7000; t += 10) timed_out |= autofill_tick(&a, t, false, false, true, &block, &valve, &pump);
  assert_true(timed_out);
  assert_false(valve);
  assert_true(block);
  autofill_rearm(&a);
  for (; t < 8000; t += 10) (void)autofill_tick(&a, t, false, false, true, &block, &valve, &pump);
  assert_true(valve);
}

static void a_shot_preempts_the_fill(void **state) {
  (void)state;
  autofill_t a;
  autofill_init(&a, true, 30000);
  bool block, valve;
  uint16_t pump;
  uint32_t t = 0;
  for (; t < 1200; t += 10) (void)autofill_tick(&a, t, false, false, true, &block, &valve, &pump);
  assert_true(valve);
  (void)autofill_tick(&a, t, false, true, true, &block, &valve, &pump);
  assert_false(valve);
  assert_int_equal(pump, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fill_sequence_and_top_up),
      cmocka_unit_test(a_fill_that_never_finishes_times_out_and_waits_for_a_clear),
      cmocka_unit_test(a_shot_preempts_the_fill),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
