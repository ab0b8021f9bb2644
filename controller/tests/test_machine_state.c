/* State machine: every row of the transition table, plus priority of a trip over everything. */
#include "test_helpers.h"
#include "link/proto_gen.h"
#include "state/machine_state.h"

static state_in_t base(void) {
  state_in_t in;
  memset(&in, 0, sizeof in);
  in.sensors_ready = true;
  in.mode = PROTO_MACHINE_MODE_BREW;
  in.temp_c = 60.0f;
  in.setpoint_c = 93.0f;
  in.ready_band_c = 1.0f;
  return in;
}

static uint8_t step_from(uint8_t from, const state_in_t *in) {
  machine_state_t m = {from, 0};
  (void)machine_state_step(&m, in, 100);
  return m.state;
}

static void init_goes_idle_once_sensors_are_primed(void **state) {
  (void)state;
  state_in_t in = base();
  in.sensors_ready = false;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_INIT, &in), PROTO_MACHINE_STATE_INIT);
  in.sensors_ready = true;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_INIT, &in), PROTO_MACHINE_STATE_IDLE);
}

static void heating_then_ready_then_back_with_hysteresis(void **state) {
  (void)state;
  state_in_t in = base();
  assert_int_equal(step_from(PROTO_MACHINE_STATE_IDLE, &in), PROTO_MACHINE_STATE_HEATING);
  in.temp_c = 92.2f;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_HEATING, &in), PROTO_MACHINE_STATE_READY);
  in.temp_c = 90.5f; /* 2.5 degC low: inside the 3-band hysteresis */
  assert_int_equal(step_from(PROTO_MACHINE_STATE_READY, &in), PROTO_MACHINE_STATE_READY);
  in.temp_c = 89.5f;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_READY, &in), PROTO_MACHINE_STATE_HEATING);
}

static void steam_mode_reports_steaming_when_at_temperature(void **state) {
  (void)state;
  state_in_t in = base();
  in.mode = PROTO_MACHINE_MODE_STEAM;
  in.setpoint_c = 125.0f;
  in.temp_c = 124.5f;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_HEATING, &in), PROTO_MACHINE_STATE_STEAMING);
  in.mode = PROTO_MACHINE_MODE_BREW;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_STEAMING, &in), PROTO_MACHINE_STATE_HEATING);
}

static void shots_standby_and_eco(void **state) {
  (void)state;
  state_in_t in = base();
  in.shot_running = true;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_READY, &in), PROTO_MACHINE_STATE_BREWING);
  in.shot_running = false;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_BREWING, &in), PROTO_MACHINE_STATE_IDLE);
  in.mode = PROTO_MACHINE_MODE_STANDBY;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_READY, &in), PROTO_MACHINE_STATE_IDLE);
  in.mode = PROTO_MACHINE_MODE_BREW;
  in.eco = true;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_READY, &in), PROTO_MACHINE_STATE_ECO);
  in.eco = false;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_ECO, &in), PROTO_MACHINE_STATE_HEATING);
}

static void a_trip_wins_from_every_state_and_clearing_returns_to_idle(void **state) {
  (void)state;
  state_in_t in = base();
  in.tripped = true;
  in.shot_running = true;
  for (uint8_t s = 0; s <= PROTO_MACHINE_STATE_FAULT; s++)
    assert_int_equal(step_from(s, &in), PROTO_MACHINE_STATE_SAFE);
  in.tripped = false;
  in.shot_running = false;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_SAFE, &in), PROTO_MACHINE_STATE_IDLE);
}

static void faults_hold_fault_state_until_cleared(void **state) {
  (void)state;
  state_in_t in = base();
  in.fault = true;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_BREWING, &in), PROTO_MACHINE_STATE_FAULT);
  assert_int_equal(step_from(PROTO_MACHINE_STATE_FAULT, &in), PROTO_MACHINE_STATE_FAULT);
  in.fault = false;
  assert_int_equal(step_from(PROTO_MACHINE_STATE_FAULT, &in), PROTO_MACHINE_STATE_IDLE);
}

static void every_rule_is_reachable(void **state) {
  (void)state;
  uint8_t n;
  const state_rule_t *rules = machine_state_rules(&n);
  assert_true(n >= 15);
  for (uint8_t i = 0; i < n; i++) {
    assert_non_null(rules[i].why);
    assert_true(rules[i].from != 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(init_goes_idle_once_sensors_are_primed),
      cmocka_unit_test(heating_then_ready_then_back_with_hysteresis),
      cmocka_unit_test(steam_mode_reports_steaming_when_at_temperature),
      cmocka_unit_test(shots_standby_and_eco),
      cmocka_unit_test(a_trip_wins_from_every_state_and_clearing_returns_to_idle),
      cmocka_unit_test(faults_hold_fault_state_until_cleared),
      cmocka_unit_test(every_rule_is_reachable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
