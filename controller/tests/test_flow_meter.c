/* Flow meter: flow from pulse periods, a stall decays to zero, the pulse counter may wrap. */
#include <math.h>

#include "test_helpers.h"
#include "shot/flow_meter.h"

#define UL_PER_PULSE 500.0f /* 2000 pulses per litre */

/* Feed pulses at a steady rate for ms milliseconds, ticking every 10 ms; returns the last flow. */
static float feed(flow_meter_t *f, uint32_t *pulses, uint32_t *now_ms, float ml_s, uint32_t ms) {
  float flow = 0.0f;
  float owed_ul = 0.0f;
  for (uint32_t t = 0; t < ms; t += 10) {
    *now_ms += 10;
    owed_ul += ml_s * 10.0f; /* mL/s x 10 ms = 10 uL per (mL/s) */
    while (owed_ul >= UL_PER_PULSE) {
      owed_ul -= UL_PER_PULSE;
      (*pulses)++;
    }
    flow = flow_meter_update(f, *pulses, *now_ms, UL_PER_PULSE);
  }
  return flow;
}

static void steady_pulses_give_the_flow(void **state) {
  (void)state;
  flow_meter_t f;
  flow_meter_init(&f);
  uint32_t pulses = 0, now = 1000;
  assert_near(flow_meter_update(&f, pulses, now, UL_PER_PULSE), 0.0, 1e-6);
  assert_near(feed(&f, &pulses, &now, 2.0f, 5000), 2.0, 0.05); /* 4 pulses/s */
  assert_near(feed(&f, &pulses, &now, 6.0f, 3000), 6.0, 0.25); /* filling the group */
  assert_near(feed(&f, &pulses, &now, 1.0f, 6000), 1.0, 0.05); /* a slow pour */
}

static void a_stall_decays_and_reaches_zero(void **state) {
  (void)state;
  flow_meter_t f;
  flow_meter_init(&f);
  uint32_t pulses = 0, now = 0;
  (void)feed(&f, &pulses, &now, 2.0f, 3000);
  float before = flow_meter_update(&f, pulses, now, UL_PER_PULSE);
  float mid = feed(&f, &pulses, &now, 0.0f, 1000);
  assert_true(mid < before); /* no pulse for longer than a period: it falls as 1/time */
  assert_true(mid > 0.0f);
  assert_near(feed(&f, &pulses, &now, 0.0f, 1100), 0.0, 1e-6); /* past the stall window */
}

static void the_pulse_counter_may_wrap(void **state) {
  (void)state;
  flow_meter_t f;
  flow_meter_init(&f);
  uint32_t pulses = UINT32_MAX - 5u, now = 0;
  assert_near(feed(&f, &pulses, &now, 2.0f, 5000), 2.0, 0.05);
  assert_true(pulses < 100u); /* it did wrap */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(steady_pulses_give_the_flow),
      cmocka_unit_test(a_stall_decays_and_reaches_zero),
      cmocka_unit_test(the_pulse_counter_may_wrap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
