/* Safety through the whole controller: the trip path, clearing rules, dry-run protection, link loss,
 * self-tests and the watchdog. */
#include "test_helpers.h"
#include "harness.h"

static harness_t h;

static void warm_up(const char *preset, uint32_t ms) {
  harness_init(&h, preset);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, ms);
}

static uint16_t send_clear(uint8_t code) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_FAULT_CLEAR;
  m.u.fault_clear.code = code;
  return harness_send(&h, &m);
}

static void a_trip_drives_every_output_to_its_safe_default(void **state) {
  (void)state;
  warm_up("dual_boiler", 60000);
  assert_true(h.m.out.heater_mains_enable);
  plant_set_fault(&h.m.plant, FAULT_BREW_SENSOR_OPEN, true);
  harness_run(&h, 200);
  assert_true(h.m.ctl.safety.latched);
  assert_false(h.m.out.heater_mains_enable);
  assert_false(h.m.out.brew_heater_on);
  assert_false(h.m.out.steam_heater_on);
  assert_int_equal(h.m.out.pump_power_pmil, 0);
  assert_false(h.m.out.fill_valve_open);
  assert_int_equal(h.m.ctl.state.state, PROTO_MACHINE_STATE_SAFE);
  const proto_msg_t *a = harness_last(&h, PROTO_MSG_ALARM);
  assert_int_equal(a->u.alarm.code, PROTO_ALARM_CODE_BREW_SENSOR_OPEN);
  assert_int_equal(a->u.alarm.severity, PROTO_ALARM_SEVERITY_CRITICAL);
}

static void clearing_is_refused_while_the_cause_persists_and_works_after(void **state) {
  (void)state;
  warm_up("dual_boiler", 30000);
  plant_set_fault(&h.m.plant, FAULT_BREW_SENSOR_OPEN, true);
  harness_run(&h, 500);
  uint16_t s1 = send_clear(PROTO_ALARM_CODE_BREW_SENSOR_OPEN);
  harness_run(&h, 100);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, s1)->u.ack.result, PROTO_ACK_RESULT_REJECTED_STATE);
  assert_true(h.m.ctl.safety.latched);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, s1)->u.ack.detail, PROTO_ALARM_CODE_BREW_SENSOR_OPEN);
  plant_set_fault(&h.m.plant, FAULT_BREW_SENSOR_OPEN, false);
  harness_run(&h, 500);
  assert_true(h.m.ctl.safety.latched); /* no clear without a command, and no reboot needed */
  uint16_t early = send_clear(PROTO_ALARM_CODE_NONE);
  harness_run(&h, 100);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, early)->u.ack.result, PROTO_ACK_RESULT_RATE_LIMITED);
  harness_run(&h, 2000);
  uint16_t s2 = send_clear(PROTO_ALARM_CODE_NONE);
  harness_run(&h, 2000);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, s2)->u.ack.result, PROTO_ACK_RESULT_OK);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, s2)->u.ack.detail, 1); /* one alarm cleared */
  assert_false(h.m.ctl.safety.latched);
  /* Cleared, but not heating: the hub still asks for brew, and that is not a fresh command. */
  harness_run(&h, 3000);
  assert_false(h.m.out.brew_heater_on || h.m.out.steam_heater_on);
  assert_int_equal(controller_effective_mode(&h.m.ctl), PROTO_MACHINE_MODE_STANDBY);
  h.desired.mode = PROTO_MACHINE_MODE_STANDBY; /* the owner turns it off and on again */
  harness_run(&h, 500);
  h.desired.mode = PROTO_MACHINE_MODE_BREW;
  harness_run(&h, 2000);
  assert_true(h.m.out.heater_mains_enable);
  assert_true(h.m.ctl.state.state == PROTO_MACHINE_STATE_HEATING || h.m.ctl.state.state == PROTO_MACHINE_STATE_READY);
  bool logged = false;
  for (size_t i = 0; i < h.n; i++)
    logged |= h.got[i].type == PROTO_MSG_LOG && strstr(h.got[i].u.log.text, "fault clear");
  assert_true(logged);
}

static void clear_fault_spam_never_restarts_a_watch(void **state) {
  (void)state;
  /* A dead heater: the heating watch must still fire although a clear arrives every second. */
  warm_up("dual_boiler", 1000);
  plant_set_fault(&h.m.plant, FAULT_HEATER_DEAD, true);
  uint32_t window_ms = (uint32_t)config_get(&h.m.ctl.cfg, PROTO_CONFIG_HEATING_WATCH_WINDOW_S) * 1000u;
  bool tripped = false;
  uint32_t waited = 0;
  for (; waited < window_ms + 10000u && !tripped; waited += 1000) {
    (void)send_clear(PROTO_ALARM_CODE_NONE);
    harness_run(&h, 1000);
    tripped = h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_BREW_HEATING_WATCH] ||
              h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_STEAM_HEATING_WATCH];
  }
  assert_true(tripped);
  assert_true(waited <= window_ms + 2000u);
}

static void a_restart_keeps_a_latched_trip_and_nothing_heats(void **state) {
  (void)state;
  warm_up("dual_boiler", 30000);
  plant_set_fault(&h.m.plant, FAULT_BREW_SENSOR_OPEN, true);
  harness_run(&h, 500);
  assert_true(h.m.ctl.safety.latched);
  plant_set_fault(&h.m.plant, FAULT_BREW_SENSOR_OPEN, false);
  sim_machine_reboot(&h.m, PROTO_RESET_REASON_WATCHDOG);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 5000); /* the hub keeps sending brew mode */
  assert_true(h.m.ctl.safety.latched);
  assert_false(h.m.out.heater_mains_enable);
  assert_false(h.m.out.brew_heater_on || h.m.out.steam_heater_on);
  bool announced = false;
  for (size_t i = 0; i < h.n; i++)
    announced |= h.got[i].type == PROTO_MSG_ALARM && h.got[i].u.alarm.code == PROTO_ALARM_CODE_BREW_SENSOR_OPEN &&
                 h.got[i].u.alarm.action == PROTO_ALARM_ACTION_RAISED;
  assert_true(announced);
}

static void calibration_cannot_move_a_reading_far_from_the_sensor_curve(void **state) {
  (void)state;
  warm_up("dual_boiler", 1000);
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_NTC_BETA_K, 6000), PROTO_ACK_RESULT_INVALID_FIELD);
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_TEMP_OFFSET_CDEG, -1000),
                   PROTO_ACK_RESULT_INVALID_FIELD);
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_NTC_BETA_K, 4600),
                   PROTO_ACK_RESULT_REJECTED_STATE);
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_STEAM_NTC_PULLUP_OHM, 2400),
                   PROTO_ACK_RESULT_REJECTED_STATE);
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_NTC_R25_OHM, 100000),
                   PROTO_ACK_RESULT_REJECTED_STATE);
  /* A real trim is taken. */
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_TEMP_OFFSET_CDEG, -300), PROTO_ACK_RESULT_OK);
  assert_int_equal(controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_NTC_BETA_K, 3990), PROTO_ACK_RESULT_OK);
}

static void a_sensor_frozen_at_idle_trips_within_a_minute(void **state) {
  (void)state;
  warm_up("dual_boiler", 400000); /* at setpoint, no shot */
  assert_false(h.m.ctl.safety.latched);
  plant_set_fault(&h.m.plant, FAULT_SENSOR_STUCK, true);
  uint32_t t = 0;
  while (t < 120000 && !h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_SENSOR_STUCK]) {
    harness_run(&h, 100);
    t += 100;
  }
  assert_true(h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_SENSOR_STUCK]);
  assert_true(t <= 60000);
  assert_false(h.m.out.heater_mains_enable);
  /* Still frozen: a clear is refused and names the stuck sensor. */
  uint16_t s1 = send_clear(PROTO_ALARM_CODE_NONE);
  harness_run(&h, 100);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, s1)->u.ack.result, PROTO_ACK_RESULT_REJECTED_STATE);
  assert_int_equal(harness_ack(&h, PROTO_MSG_FAULT_CLEAR, s1)->u.ack.detail, PROTO_ALARM_CODE_SENSOR_STUCK);
}

/* Every calibration key at the edges of its table range, set while the machine is hot and asked
 * for its hottest setpoints: refused or harmless, the true water stays within its limit + 2 degC. */
static void every_calibration_key_at_its_limits_keeps_the_water_within_its_limit(void **state) {
  (void)state;
  static const uint16_t keys[] = {PROTO_CONFIG_BREW_NTC_R25_OHM,     PROTO_CONFIG_BREW_NTC_BETA_K,
                                  PROTO_CONFIG_BREW_NTC_PULLUP_OHM,  PROTO_CONFIG_BREW_TEMP_OFFSET_CDEG,
                                  PROTO_CONFIG_STEAM_NTC_R25_OHM,    PROTO_CONFIG_STEAM_NTC_BETA_K,
                                  PROTO_CONFIG_STEAM_NTC_PULLUP_OHM, PROTO_CONFIG_STEAM_TEMP_OFFSET_CDEG};
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    const proto_config_key_desc_t *d = proto_config_key(keys[k]);
    const int32_t edges[] = {d->min, d->max};
    for (size_t e = 0; e < 2; e++) {
      warm_up("dual_boiler", 300000);
      h.desired.brew_setpoint_cdeg = 10500;
      h.desired.steam_setpoint_cdeg = 16000;
      (void)controller_config_set(&h.m.ctl, PROTO_CONFIG_BREW_MAX_CDEG, 10000);
      (void)controller_config_set(&h.m.ctl, PROTO_CONFIG_STEAM_MAX_CDEG, 14500);
      uint8_t r = controller_config_set(&h.m.ctl, keys[k], edges[e]);
      double brew_peak = 0, steam_peak = 0;
      for (int i = 0; i < 300; i++) {
        harness_run(&h, 1000);
        if (h.m.plant.brew.water_c > brew_peak) brew_peak = h.m.plant.brew.water_c;
        if (h.m.plant.steam.water_c > steam_peak) steam_peak = h.m.plant.steam.water_c;
      }
      if (brew_peak > 102.0 || steam_peak > 147.0)
        fail_msg("%s = %d (%s): brew %.1f degC / 100, steam %.1f degC / 145", d->name, edges[e],
                 proto_ack_result_name(r), brew_peak, steam_peak);
    }
  }
}

static void the_pump_stops_the_same_tick_the_tank_reads_empty(void **state) {
  (void)state;
  warm_up("single_boiler", 200000);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.stop_time_ms = 30000;
  (void)harness_send(&h, &m);
  harness_run(&h, 5000);
  assert_true(h.m.out.pump_power_pmil > 0);
  plant_set_fault(&h.m.plant, FAULT_WATER_EMPTY, true);
  harness_run(&h, 10);
  assert_int_equal(h.m.out.pump_power_pmil, 0);
  harness_run(&h, 500);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_WATER_EMPTY);
  assert_true(h.m.plant.pump_dry_s == 0.0);
  /* A shot cannot start until the tank is refilled and the alarm cleared. */
  uint16_t s = harness_send(&h, &m);
  harness_run(&h, 20);
  assert_int_equal(harness_ack(&h, PROTO_MSG_SHOT_START, s)->u.ack.result, PROTO_ACK_RESULT_REJECTED_STATE);
}

static void link_loss_turns_heaters_off_and_recovery_resumes(void **state) {
  (void)state;
  warm_up("dual_boiler", 60000);
  h.send_desired = false;
  harness_run(&h, 4500); /* last keepalive went out at 59.8 s */
  assert_true(h.m.ctl.boilers.brew.enabled);
  harness_run(&h, 700);
  assert_true(h.m.ctl.link_lost);
  assert_false(h.m.ctl.boilers.brew.enabled);
  assert_true(h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_LINK_LOSS]);
  h.send_desired = true;
  harness_run(&h, 1000);
  assert_false(h.m.ctl.link_lost);
  assert_true(h.m.ctl.boilers.brew.enabled);
  assert_false(h.m.ctl.safety.alarms.active[PROTO_ALARM_CODE_LINK_LOSS]);
}

static void a_new_hub_hears_every_active_alarm(void **state) {
  (void)state;
  warm_up("dual_boiler", 10000);
  plant_set_fault(&h.m.plant, FAULT_STEAM_SENSOR_OPEN, true);
  harness_run(&h, 300);
  harness_clear(&h);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 20);
  const proto_msg_t *a = harness_last(&h, PROTO_MSG_ALARM);
  assert_non_null(a);
  assert_int_equal(a->u.alarm.code, PROTO_ALARM_CODE_STEAM_SENSOR_OPEN);
  assert_int_equal(a->u.alarm.action, PROTO_ALARM_ACTION_RAISED);
}

static void a_failed_self_test_trips_and_stops_feeding_the_watchdog(void **state) {
  (void)state;
  warm_up("dual_boiler", 3000);
  assert_true(controller_wdt_ok(&h.m.ctl));
  volatile uint32_t *canary = (volatile uint32_t *)h.m.ctl.selftest.h.stack_canary;
  uint32_t saved = *canary;
  *canary = 0;
  harness_run(&h, 1100);
  *canary = saved;
  assert_true(h.m.ctl.safety.latched);
  assert_int_equal(h.m.ctl.safety.trip_code, PROTO_ALARM_CODE_SELF_TEST_STACK);
  assert_false(controller_wdt_ok(&h.m.ctl));
}

static void a_latched_trip_keeps_feeding_the_watchdog(void **state) {
  (void)state;
  warm_up("dual_boiler", 3000);
  plant_set_fault(&h.m.plant, FAULT_BREW_SENSOR_SHORT, true);
  harness_run(&h, 500);
  assert_true(h.m.ctl.safety.latched);
  assert_true(controller_wdt_ok(&h.m.ctl)); /* a reset must not forget the trip */
}

static void ram_march_detects_a_stuck_bit(void **state) {
  (void)state;
  uint32_t good[16] = {1, 2, 3};
  assert_true(selftest_march(good, 16));
  assert_int_equal(good[0], 1); /* contents restored */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_trip_drives_every_output_to_its_safe_default),
      cmocka_unit_test(clearing_is_refused_while_the_cause_persists_and_works_after),
      cmocka_unit_test(clear_fault_spam_never_restarts_a_watch),
      cmocka_unit_test(a_restart_keeps_a_latched_trip_and_nothing_heats),
      cmocka_unit_test(calibration_cannot_move_a_reading_far_from_the_sensor_curve),
      cmocka_unit_test(a_sensor_frozen_at_idle_trips_within_a_minute),
      cmocka_unit_test(every_calibration_key_at_its_limits_keeps_the_water_within_its_limit),
      cmocka_unit_test(the_pump_stops_the_same_tick_the_tank_reads_empty),
      cmocka_unit_test(link_loss_turns_heaters_off_and_recovery_resumes),
      cmocka_unit_test(a_new_hub_hears_every_active_alarm),
      cmocka_unit_test(a_failed_self_test_trips_and_stops_feeding_the_watchdog),
      cmocka_unit_test(a_latched_trip_keeps_feeding_the_watchdog),
      cmocka_unit_test(ram_march_detects_a_stuck_bit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
