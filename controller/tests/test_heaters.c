/* SSR modulation and heating strategies: delivered duty, minimum on-time, and the circuit budget. */
#include <math.h>

#include "test_helpers.h"
#include "control/heaters.h"
#include "link/proto_gen.h"

typedef struct {
  int brew, steam, both;
} counts_t;

static counts_t run(uint8_t strategy, int32_t brew_w, int32_t steam_w, int32_t circuit_w, uint16_t b, uint16_t s,
                    bool ready, int ticks) {
  heaters_t h;
  heaters_init(&h, 20);
  heaters_configure(&h, strategy, brew_w, steam_w, circuit_w);
  counts_t c = {0, 0, 0};
  for (int i = 0; i < ticks; i++) {
    bool bo, so;
    heaters_tick(&h, b, s, ready, &bo, &so);
    c.brew += bo;
    c.steam += so;
    c.both += bo && so;
  }
  return c;
}

static void delivered_duty_matches_demand_within_a_percent(void **state) {
  (void)state;
  for (uint16_t d = 50; d <= 1000; d += 150) {
    counts_t c = run(PROTO_HEATING_STRATEGY_BREW_ONLY, 1200, 0, 3680, d, 0, true, 10000);
    assert_near(c.brew / 10.0, d, 10.0);
  }
}

static void pulses_last_at_least_the_minimum_on_time(void **state) {
  (void)state;
  ssr_t s;
  ssr_init(&s, 20);
  int run_len = 0;
  for (int i = 0; i < 5000; i++) {
    if (ssr_want(&s, 70))
      run_len++;
    else {
      if (run_len > 0) assert_true(run_len >= 2);
      run_len = 0;
    }
  }
}

static void brew_only_never_fires_the_steam_heater(void **state) {
  (void)state;
  counts_t c = run(PROTO_HEATING_STRATEGY_BREW_ONLY, 1200, 1400, 3680, 500, 900, true, 2000);
  assert_int_equal(c.steam, 0);
}

static void sequential_holds_steam_until_brew_is_ready_and_never_overlaps(void **state) {
  (void)state;
  counts_t cold = run(PROTO_HEATING_STRATEGY_SEQUENTIAL, 1200, 1400, 3680, 600, 900, false, 2000);
  assert_int_equal(cold.steam, 0);
  counts_t warm = run(PROTO_HEATING_STRATEGY_SEQUENTIAL, 1200, 1400, 3680, 300, 900, true, 2000);
  assert_true(warm.steam > 1000);
  assert_int_equal(warm.both, 0);
}

static void parallel_overlaps_only_when_both_fit_the_circuit(void **state) {
  (void)state;
  counts_t fits = run(PROTO_HEATING_STRATEGY_PARALLEL, 1200, 1400, 3680, 800, 800, true, 2000);
  assert_true(fits.both > 0);
  counts_t tight = run(PROTO_HEATING_STRATEGY_PARALLEL, 1200, 1400, 2300, 800, 800, true, 2000);
  assert_int_equal(tight.both, 0);
}

static void staggered_never_overlaps_and_gives_brew_priority(void **state) {
  (void)state;
  counts_t c = run(PROTO_HEATING_STRATEGY_STAGGERED, 1200, 1400, 3680, 700, 700, true, 10000);
  assert_int_equal(c.both, 0);
  assert_near(c.brew / 10.0, 700, 10);
  assert_near(c.steam / 10.0, 300, 15); /* steam gets what brew leaves */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(delivered_duty_matches_demand_within_a_percent),
      cmocka_unit_test(pulses_last_at_least_the_minimum_on_time),
      cmocka_unit_test(brew_only_never_fires_the_steam_heater),
      cmocka_unit_test(sequential_holds_steam_until_brew_is_ready_and_never_overlaps),
      cmocka_unit_test(parallel_overlaps_only_when_both_fit_the_circuit),
      cmocka_unit_test(staggered_never_overlaps_and_gives_brew_priority),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
