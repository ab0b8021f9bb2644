/* Machine types and modes through the whole controller: single-boiler steam switching and
 * auto-return, HX pressure control, pump max-run, thermal runaway once stable. */
#include <math.h>

#include "test_helpers.h"
#include "harness.h"

static harness_t h;

static void set_config(uint16_t key, int32_t value) {
  (void)harness_config_set(&h, key, value);
}

static void single_boiler_switches_to_steam_and_returns_by_itself(void **state) {
  (void)state;
  harness_init(&h, "single_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.desired.steam_setpoint_cdeg = 14000;
  h.send_desired = true;
  set_config(PROTO_CONFIG_STEAM_AUTO_RETURN_S, 180);
  harness_run(&h, 300000);
  assert_near(h.m.ctl.boilers.brew.target_c, 93.0, 0.01);
  h.desired.mode = PROTO_MACHINE_MODE_STEAM;
  harness_run(&h, 150000);
  assert_near(h.m.ctl.boilers.brew.target_c, 140.0, 0.01);
  assert_true(h.m.plant.brew.water_c > 135.0); /* the one boiler heats to steam */
  harness_run(&h, 31000);                      /* past steam_auto_return_s */
  assert_near(h.m.ctl.boilers.brew.target_c, 93.0, 0.01);
  assert_int_equal(h.desired.mode, PROTO_MACHINE_MODE_STEAM); /* the hub still asks for steam */
}

static void heat_exchanger_can_regulate_boiler_pressure(void **state) {
  (void)state;
  harness_init(&h, "heat_exchanger");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  set_config(PROTO_CONFIG_HX_CONTROL_PRESSURE, 1);
  set_config(PROTO_CONFIG_HX_PRESSURE_SETPOINT_MBAR, 1200);
  harness_run(&h, 1500000);
  double bar = plant_psat_bar_g(h.m.plant.steam.water_c);
  assert_near(bar, 1.2, 0.05);
  assert_false(h.m.ctl.safety.latched);
}

static void the_pump_stops_at_its_maximum_run_time(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 400000);
  set_config(PROTO_CONFIG_PUMP_MAX_RUN_S, 10);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.stop_time_ms = 60000;
  (void)harness_send(&h, &m);
  harness_run(&h, 15000);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_PUMP_MAX_TIME);
  assert_true(e->u.shot_ended.duration_ms >= 10000 && e->u.shot_ended.duration_ms <= 10100);
}

static void a_heater_that_dies_once_stable_trips_thermal_runaway_or_heating_watch(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 900000);
  assert_true(h.m.ctl.brew_stable);
  plant_set_fault(&h.m.plant, FAULT_HEATER_DEAD, true);
  uint32_t t0 = h.m.now_ms;
  while (!h.m.ctl.safety.latched && h.m.now_ms - t0 < 300000) harness_run(&h, 100);
  assert_true(h.m.ctl.safety.latched);
  uint8_t code = h.m.ctl.safety.trip_code;
  assert_true(code == PROTO_ALARM_CODE_THERMAL_RUNAWAY || code == PROTO_ALARM_CODE_BREW_HEATING_WATCH);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(single_boiler_switches_to_steam_and_returns_by_itself),
      cmocka_unit_test(heat_exchanger_can_regulate_boiler_pressure),
      cmocka_unit_test(the_pump_stops_at_its_maximum_run_time),
      cmocka_unit_test(a_heater_that_dies_once_stable_trips_thermal_runaway_or_heating_watch),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
