/* Shots end to end: preinfusion, stops, valve release, lever, backflush, cleaning counter, eco. */
#include <math.h>

#include "test_helpers.h"
#include "harness.h"

static harness_t h;

static void warm(const char *preset) {
  harness_init(&h, preset);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 600000);
  puck_params_t p = {18.0, 2.25, 0.6, 8.0, 1.1};
  hydraulics_load_puck(&h.m.plant.hyd, &p);
  harness_clear(&h);
}

static void set_config(uint16_t key, int32_t value) {
  (void)harness_config_set(&h, key, value);
}

static uint16_t start(uint32_t time_ms, uint32_t volume_ul, uint8_t flags) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.shot_token = 77;
  m.u.shot_start.stop_time_ms = time_ms;
  m.u.shot_start.stop_volume_ul = volume_ul;
  m.u.shot_start.flags = flags;
  return harness_send(&h, &m);
}

static void preinfusion_pumps_then_soaks_with_the_group_open_then_pours(void **state) {
  (void)state;
  warm("dual_boiler");
  set_config(PROTO_CONFIG_PREINFUSION_ON_MS, 3000);
  set_config(PROTO_CONFIG_PREINFUSION_PAUSE_MS, 5000);
  (void)start(30000, 0, 0);
  harness_run(&h, 2000);
  assert_true(h.m.out.pump_power_pmil > 0);
  harness_run(&h, 2000); /* t = 4 s: soaking */
  assert_int_equal(h.m.out.pump_power_pmil, 0);
  assert_true(h.m.out.brew_valve_open);
  harness_run(&h, 5000); /* t = 9 s: pouring */
  assert_true(h.m.out.pump_power_pmil > 0);
  assert_int_equal(harness_count(&h, PROTO_MSG_PHASE_CHANGED), 2);
  const proto_msg_t *pc = harness_last(&h, PROTO_MSG_PHASE_CHANGED);
  assert_int_equal(pc->u.phase_changed.reason, PROTO_PHASE_REASON_TIME);
  assert_true(pc->u.phase_changed.shot_time_ms >= 7990 && pc->u.phase_changed.shot_time_ms <= 8010);
  harness_run(&h, 25000);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_TIME);
  assert_true(e->u.shot_ended.flags & PROTO_SHOT_END_FLAGS_PREINFUSED);
  assert_true(e->u.shot_ended.duration_ms >= 29990 && e->u.shot_ended.duration_ms <= 30010);
}

static void volume_stop_ends_the_shot_near_the_target(void **state) {
  (void)state;
  warm("dual_boiler");
  (void)start(60000, 60000, 0);
  harness_run(&h, 60000);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_VOLUME);
  assert_true(fabs(h.m.plant.hyd.pumped_ml - 60.0) < 3.0); /* flow meter, 0.5 ml per pulse */
}

static void the_three_way_valve_vents_the_group_when_the_pump_stops(void **state) {
  (void)state;
  warm("dual_boiler");
  (void)start(10000, 0, 0);
  harness_run(&h, 10100);
  assert_int_equal(h.m.out.pump_power_pmil, 0);
  assert_false(h.m.out.brew_valve_open); /* default: vent at once, so the cup stops filling */
}

static void a_configured_valve_release_delay_holds_the_group_open(void **state) {
  (void)state;
  warm("dual_boiler");
  set_config(PROTO_CONFIG_VALVE_RELEASE_MS, 2000);
  (void)start(10000, 0, 0);
  harness_run(&h, 10100);
  assert_int_equal(h.m.out.pump_power_pmil, 0);
  assert_true(h.m.out.brew_valve_open); /* held for valve_release_ms (2 s) */
  harness_run(&h, 2500);
  assert_false(h.m.out.brew_valve_open);
  assert_true(h.m.plant.hyd.pressure_bar < 0.5); /* group vented */
}

static void the_lever_starts_and_stops_a_shot_after_debounce(void **state) {
  (void)state;
  warm("dual_boiler");
  h.m.plant.lever_down = true;
  harness_run(&h, 30);
  assert_false(h.m.ctl.shot.running); /* 50 ms debounce */
  harness_run(&h, 50);
  assert_true(h.m.ctl.shot.running);
  assert_int_equal(harness_last(&h, PROTO_MSG_SHOT_STARTED)->u.shot_started.source, PROTO_SHOT_SOURCE_LEVER);
  harness_run(&h, 20000);
  h.m.plant.lever_down = false;
  harness_run(&h, 100);
  assert_int_equal(harness_last(&h, PROTO_MSG_SHOT_ENDED)->u.shot_ended.stop_reason, PROTO_STOP_REASON_LEVER);
}

static void shots_over_15_s_count_and_a_backflush_resets_the_counter(void **state) {
  (void)state;
  warm("dual_boiler");
  (void)start(20000, 0, 0);
  harness_run(&h, 25000);
  assert_int_equal(config_get(&h.m.ctl.cfg, PROTO_CONFIG_BREW_COUNT_SHOTS), 1);
  (void)start(10000, 0, 0); /* too short to count */
  harness_run(&h, 15000);
  assert_int_equal(config_get(&h.m.ctl.cfg, PROTO_CONFIG_BREW_COUNT_SHOTS), 1);
  set_config(PROTO_CONFIG_BACKFLUSH_CYCLES, 2);
  h.m.plant.hyd.blocked = true; /* blind basket */
  (void)start(0, 0, PROTO_SHOT_FLAGS_BACKFLUSH);
  harness_run(&h, 15000);
  assert_true(h.m.ctl.shot.running);
  assert_false(h.m.out.brew_valve_open); /* between pulses the group vents: that is the flush */
  harness_run(&h, 30000);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_PROFILE_END);
  assert_int_equal(config_get(&h.m.ctl.cfg, PROTO_CONFIG_BREW_COUNT_SHOTS), 0);
  assert_false(h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_PUMP_BLOCKED]);
}

static void an_idle_machine_goes_eco_and_a_shot_wakes_it(void **state) {
  (void)state;
  warm("dual_boiler");
  set_config(PROTO_CONFIG_ECO_TIMEOUT_S, 60);
  harness_run(&h, 61000);
  assert_int_equal(h.m.ctl.state.state, PROTO_MACHINE_STATE_ECO);
  assert_true(h.m.ctl.boilers.brew.target_c < 85.0f);
  (void)start(5000, 0, 0);
  harness_run(&h, 200);
  assert_int_equal(h.m.ctl.state.state, PROTO_MACHINE_STATE_BREWING);
  harness_run(&h, 6000);
  assert_true(h.m.ctl.boilers.brew.target_c > 92.0f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(preinfusion_pumps_then_soaks_with_the_group_open_then_pours),
      cmocka_unit_test(volume_stop_ends_the_shot_near_the_target),
      cmocka_unit_test(the_three_way_valve_vents_the_group_when_the_pump_stops),
      cmocka_unit_test(a_configured_valve_release_delay_holds_the_group_open),
      cmocka_unit_test(the_lever_starts_and_stops_a_shot_after_debounce),
      cmocka_unit_test(shots_over_15_s_count_and_a_backflush_resets_the_counter),
      cmocka_unit_test(an_idle_machine_goes_eco_and_a_shot_wakes_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
