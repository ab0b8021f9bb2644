/* Scenario tests: the shipped scenario files run on the simulator, checked against the documented
 * targets and fault deadlines (controller/sim/README.md). */
#include <math.h>
#include <stdio.h>

#include "test_helpers.h"
#include "runner.h"

static report_t r;
static scenario_t s;

static void load_and_run(const char *file) {
  char path[512], err[256];
  snprintf(path, sizeof path, "%s/controller/sim/scenarios/%s", BREWOS_REPO_DIR, file);
  if (!scenario_load(path, &s, err, sizeof err)) fail_msg("%s", err);
  assert_true(sim_run(&s, false, &r));
  assert_true(r.sim_s / r.wall_s >= 200.0); /* headless runs at least 200x real time */
  assert_true(r.pump_dry_s == 0.0);
}

static const trip_rec_t *trip(uint8_t code) {
  for (size_t i = 0; i < r.trip_count; i++) {
    if (r.trips[i].code == code) return &r.trips[i];
  }
  return NULL;
}

static bool heated_while_tripped(const trip_rec_t *t) {
  return t->heater_after;
}

static void heat_up_and_hold(const char *file) {
  load_and_run(file);
  assert_false(isnan(r.heatup_s));
  assert_true(r.heatup_s <= 1.05 * r.full_power_heatup_s); /* within 5 % of the physical bound */
  assert_true(r.overshoot_c <= 0.5);
  assert_true(r.w_n > 0);
  assert_true(r.w_max - r.w_min <= 0.3);
  assert_true(r.s_max - r.s_min <= 0.2);
  assert_int_equal(r.trip_count, 0);
  report_free(&r);
}

static void dual_boiler_heats_up_holds_and_pulls_a_stable_shot(void **state) {
  (void)state;
  load_and_run("heatup_dual.json");
  assert_true(r.heatup_s <= 1.15 * r.ideal_heatup_s);
  double mean, dev, peak;
  assert_int_equal(r.shot_count, 1);
  report_shot_temperature(&r.shots[0], &mean, &dev, &peak);
  assert_true(dev <= 1.0);
  assert_true(fabs(mean - 93.0) <= 1.0);
  report_free(&r);
  heat_up_and_hold("heatup_dual.json");
}
static void single_boiler_heats_up_and_holds_within_targets(void **state) {
  (void)state;
  heat_up_and_hold("heatup_single.json");
}
static void heat_exchanger_heats_up_and_holds_within_targets(void **state) {
  (void)state;
  heat_up_and_hold("heatup_hx.json");
}

static void expect_trip(const char *file, uint8_t code, uint32_t deadline_ms) {
  load_and_run(file);
  const trip_rec_t *t = trip(code);
  if (t == NULL) fail_msg("%s: no %s trip", file, proto_alarm_code_name(code));
  uint32_t after = t->trip_ms - t->cause_ms;
  if (after > deadline_ms) fail_msg("%s: detected after %u ms, deadline %u ms", file, after, deadline_ms);
  if (alarms_severity(code) == PROTO_ALARM_SEVERITY_CRITICAL) assert_false(heated_while_tripped(t));
}

/* Safety scenarios (controller/sim/scenarios/safety): the true water never exceeds the limit in
 * force + 2 degC, nothing heats after a critical trip, and each names what it caught. */
static void expect_limits_held(const char *file) {
  load_and_run(file);
  const true_peaks_t *p = &r.peaks;
  if (!isnan(p->brew_c) && p->brew_c > p->brew_limit_c + 2.0)
    fail_msg("%s: brew water %.1f degC against a %.1f degC limit", file, p->brew_c, p->brew_limit_c);
  if (!isnan(p->steam_c) && p->steam_c > p->steam_limit_c + 2.0)
    fail_msg("%s: steam water %.1f degC against a %.1f degC limit", file, p->steam_c, p->steam_limit_c);
  for (size_t i = 0; i < r.trip_count; i++) {
    if (alarms_severity(r.trips[i].code) == PROTO_ALARM_SEVERITY_CRITICAL && heated_while_tripped(&r.trips[i]))
      fail_msg("%s: a heater ran after the %s trip", file, proto_alarm_code_name(r.trips[i].code));
  }
}

static void a_calibration_that_reads_low_cannot_boil_the_brew_water(void **state) {
  (void)state;
  expect_limits_held("safety/miscal_hot_reads_low.json");
  assert_true(r.rejected_commands >= 1); /* Beta 4600 moves the reading too far: refused */
  assert_non_null(trip(PROTO_ALARM_CODE_BREW_OVER_TEMP));
  report_free(&r);
  expect_limits_held("safety/miscal_cold_reads_low.json");
  assert_true(r.rejected_commands >= 3);
  assert_non_null(trip(PROTO_ALARM_CODE_BREW_OVER_TEMP));
  report_free(&r);
}

static void clear_fault_pressed_every_second_disarms_nothing(void **state) {
  (void)state;
  expect_limits_held("safety/clear_spam_heatup.json");
  const trip_rec_t *t = trip(PROTO_ALARM_CODE_BREW_HEATING_WATCH);
  assert_non_null(t);
  assert_true(t->trip_ms - t->cause_ms <= 62000u); /* its 60 s window ran to the end */
  assert_true(r.final_latched);                    /* the repeat is held: no loop of heating windows */
  report_free(&r);
  expect_limits_held("safety/clear_spam_latched.json");
  assert_non_null(trip(PROTO_ALARM_CODE_STEAM_OVER_TEMP));
  report_free(&r);
}

static void a_restart_with_a_latched_trip_keeps_the_heaters_off(void **state) {
  (void)state;
  expect_limits_held("safety/restart_latched.json");
  assert_true(r.trip_count >= 2); /* the trip, and the same trip restored after the reset */
  assert_int_equal(r.trips[1].code, PROTO_ALARM_CODE_BREW_SENSOR_OPEN);
  assert_int_equal(r.final_state, PROTO_MACHINE_STATE_READY); /* cleared by the owner, then on again */
  report_free(&r);
}

static void a_sensor_frozen_at_idle_is_caught_within_60_s(void **state) {
  (void)state;
  expect_trip("safety/idle_freeze.json", PROTO_ALARM_CODE_SENSOR_STUCK, 60000);
  report_free(&r);
}

static void a_sensor_loose_in_its_well_is_caught_by_the_energy_balance(void **state) {
  (void)state;
  /* The reading still rises (a quarter of the truth), so the heating watch alone would let the
   * boiler run on: the heat delivered says the boiler must be far hotter than it reads. */
  expect_trip("safety/sensor_loose.json", PROTO_ALARM_CODE_BREW_SENSOR_IMPLAUSIBLE, 70000);
  assert_true(r.peaks.brew_c < 60.0);
  report_free(&r);
}

static void a_scale_lost_mid_shot_still_ends_within_15_percent(void **state) {
  (void)state;
  expect_limits_held("safety/scale_lost_mid_shot.json");
  assert_int_equal(r.shot_count, 3);
  for (size_t i = 0; i < r.shot_count; i++) {
    const shot_rec_t *sh = &r.shots[i];
    if (fabs(sh->cup_g - 36.0) > 0.15 * 36.0) fail_msg("shot %zu: %.1f g in the cup for 36 g", i, sh->cup_g);
    assert_int_equal(sh->stop_reason, PROTO_STOP_REASON_VOLUME);
    assert_true(sh->flags & PROTO_SHOT_END_FLAGS_WEIGHT_FALLBACK);
  }
  report_free(&r);
}

static void without_a_scale_every_shot_still_has_a_stop(void **state) {
  (void)state;
  expect_limits_held("safety/no_scale_profiles.json");
  assert_int_equal(r.shot_count, 8);
  for (size_t i = 0; i < r.shot_count; i++) {
    const shot_rec_t *sh = &r.shots[i];
    /* Shots 0-6 aim at 36 g; shot 7 has no target, only the volume cap (121 ml pumped: a lungo at
     * most, well short of the 120 s / 294 ml runaway this guards against). */
    double most_g = i < 7 ? 1.15 * 36.0 : 70.0;
    if (sh->stop_reason == PROTO_STOP_REASON_PUMP_MAX_TIME || sh->cup_g > most_g || sh->duration_s > 60.0)
      fail_msg("shot %zu: %s after %.1f s with %.1f g", i, proto_stop_reason_name(sh->stop_reason), sh->duration_s,
               sh->cup_g);
  }
  assert_null(trip(PROTO_ALARM_CODE_PUMP_MAX_RUN));
  report_free(&r);
}

static void brew_sensor_open_trips_within_500_ms(void **state) {
  (void)state;
  expect_trip("faults/brew_sensor_open.json", PROTO_ALARM_CODE_BREW_SENSOR_OPEN, 500);
  report_free(&r);
}
static void brew_sensor_short_trips_within_500_ms(void **state) {
  (void)state;
  expect_trip("faults/brew_sensor_short.json", PROTO_ALARM_CODE_BREW_SENSOR_SHORT, 500);
  report_free(&r);
}
static void steam_sensor_open_trips_within_500_ms(void **state) {
  (void)state;
  expect_trip("faults/steam_sensor_open.json", PROTO_ALARM_CODE_STEAM_SENSOR_OPEN, 500);
  report_free(&r);
}
static void over_temperature_trips_within_200_ms_of_the_crossing(void **state) {
  (void)state;
  expect_trip("faults/over_temp.json", PROTO_ALARM_CODE_STEAM_OVER_TEMP, 200);
  report_free(&r);
}
static void stuck_sensor_trips_within_its_window(void **state) {
  (void)state;
  expect_trip("faults/sensor_stuck.json", PROTO_ALARM_CODE_SENSOR_STUCK, 60000);
  report_free(&r);
}
static void welded_ssr_is_caught_and_the_mains_relay_opens(void **state) {
  (void)state;
  expect_trip("faults/heater_stuck_on.json", PROTO_ALARM_CODE_HEATER_STUCK_ON, 30000);
  report_free(&r);
}
static void dead_heater_is_caught_by_the_heating_watch(void **state) {
  (void)state;
  expect_trip("faults/heater_dead.json", PROTO_ALARM_CODE_BREW_HEATING_WATCH, 130000);
  report_free(&r);
}
static void empty_tank_stops_the_shot_and_the_pump_never_runs_dry(void **state) {
  (void)state;
  expect_trip("faults/water_empty.json", PROTO_ALARM_CODE_WATER_EMPTY, 500);
  assert_int_equal(r.shots[0].stop_reason, PROTO_STOP_REASON_WATER_EMPTY);
  assert_int_equal(r.shots[1].stop_reason, PROTO_STOP_REASON_TIME); /* after refill and clear */
  report_free(&r);
}
static void blocked_group_stops_the_pump(void **state) {
  (void)state;
  expect_trip("faults/pump_blocked.json", PROTO_ALARM_CODE_PUMP_BLOCKED, 10000);
  report_free(&r);
}
static void link_loss_turns_heaters_off_after_its_timeout(void **state) {
  (void)state;
  expect_trip("faults/link_loss.json", PROTO_ALARM_CODE_LINK_LOSS, 5100);
  assert_false(heated_while_tripped(trip(PROTO_ALARM_CODE_LINK_LOSS)));
  report_free(&r);
}
static void short_link_loss_mid_shot_lets_the_shot_finish_and_says_so(void **state) {
  (void)state;
  load_and_run("faults/link_loss_mid_shot.json");
  assert_int_equal(r.shot_count, 1);
  assert_int_equal(r.shots[0].stop_reason, PROTO_STOP_REASON_TIME);
  assert_true(r.shots[0].flags & PROTO_SHOT_END_FLAGS_LINK_LOST);
  report_free(&r);
}

static void every_fault_clears_and_the_machine_heats_again(void **state) {
  (void)state;
  const char *files[] = {"faults/brew_sensor_open.json", "faults/sensor_stuck.json", "faults/heater_stuck_on.json",
                         "faults/heater_dead.json"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    load_and_run(files[i]);
    assert_true(r.trip_count >= 1);
    assert_false(r.final_latched);
    if (r.final_state != PROTO_MACHINE_STATE_HEATING && r.final_state != PROTO_MACHINE_STATE_READY) {
      fail_msg("%s: ends in %s", files[i], proto_machine_state_name(r.final_state));
    }
    report_free(&r);
  }
}

/* Run a heat-up scenario with the given brew (or HX steam) gains written at t = 0. */
static void run_with_gains(const char *file, bool steam, int32_t kp, int32_t ki, int32_t kd) {
  char path[512], err[256];
  snprintf(path, sizeof path, "%s/controller/sim/scenarios/%s", BREWOS_REPO_DIR, file);
  if (!scenario_load(path, &s, err, sizeof err)) fail_msg("%s", err);
  memmove(&s.events[1], &s.events[0], s.event_count * sizeof s.events[0]);
  s.event_count++;
  scenario_event_t *e = &s.events[0];
  memset(e, 0, sizeof *e);
  e->t_s = 0;
  e->kind = EV_SET;
  e->brew_c = e->steam_c = NAN;
  e->mode = e->strategy = e->eco = -1;
  e->config[0] = (plant_config_t){steam ? PROTO_CONFIG_STEAM_KP_MILLI : PROTO_CONFIG_BREW_KP_MILLI, kp};
  e->config[1] = (plant_config_t){steam ? PROTO_CONFIG_STEAM_KI_MILLI : PROTO_CONFIG_BREW_KI_MILLI, ki};
  e->config[2] = (plant_config_t){steam ? PROTO_CONFIG_STEAM_KD_MILLI : PROTO_CONFIG_BREW_KD_MILLI, kd};
  e->config_count = 3;
  assert_true(sim_run(&s, false, &r));
}

static void autotune_gains_are_at_least_as_good_as_the_defaults(void **state) {
  (void)state;
  const struct {
    const char *tune, *heat;
    bool steam;
  } cases[] = {{"autotune_dual.json", "heatup_dual.json", false},
               {"autotune_single.json", "heatup_single.json", false},
               {"autotune_hx.json", "heatup_hx.json", true}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    load_and_run(cases[i].tune);
    assert_true(r.autotune_done);
    assert_int_equal(r.autotune_status, PROTO_AUTOTUNE_STATUS_OK);
    int32_t kp = r.kp_milli, ki = r.ki_milli, kd = r.kd_milli;
    report_free(&r);
    const proto_config_key_desc_t *dkp =
        proto_config_key(cases[i].steam ? PROTO_CONFIG_STEAM_KP_MILLI : PROTO_CONFIG_BREW_KP_MILLI);
    const proto_config_key_desc_t *dki =
        proto_config_key(cases[i].steam ? PROTO_CONFIG_STEAM_KI_MILLI : PROTO_CONFIG_BREW_KI_MILLI);
    const proto_config_key_desc_t *dkd =
        proto_config_key(cases[i].steam ? PROTO_CONFIG_STEAM_KD_MILLI : PROTO_CONFIG_BREW_KD_MILLI);
    run_with_gains(cases[i].heat, cases[i].steam, dkp->def, dki->def, dkd->def);
    double d_over = r.overshoot_c, d_pp = r.w_max - r.w_min, d_heat = r.heatup_s;
    report_free(&r);
    run_with_gains(cases[i].heat, cases[i].steam, kp, ki, kd);
    double a_over = r.overshoot_c, a_pp = r.w_max - r.w_min, a_spp = r.s_max - r.s_min, a_heat = r.heatup_s;
    report_free(&r);
    printf(
        "[ AUTOTUNE ] %s: kp %d ki %d kd %d | overshoot %.3f vs %.3f, steady pp %.3f vs %.3f, heat-up %.1f vs %.1f s\n",
        cases[i].heat, kp, ki, kd, a_over, d_over, a_pp, d_pp, a_heat, d_heat);
    assert_true(a_over <= 0.5 && a_pp <= 0.3 && a_spp <= 0.2); /* every target the defaults must meet */
    assert_true(a_over <= d_over + 0.05);
    assert_true(a_pp <= d_pp + 0.02);
    assert_true(a_heat <= d_heat * 1.03);
  }
}

/* Every bundled pressure profile on a dimmable vibratory pump and on a gear pump: a held pressure
 * stays within 0.3 bar from 2 s into its phase; a pressurised transition stays within 0.5 bar. */
static void pressure_profiles_track_their_targets(void **state) {
  (void)state;
  const char *profiles[] = {"classic-9bar", "preinfusion-9bar", "blooming", "lever-decline", "flow-profiled"};
  const char *machines[] = {"{\"preset\":\"single_boiler\",\"pump\":\"vibratory_dimmable\"}",
                            "{\"preset\":\"dual_boiler\",\"pump\":\"gear\"}"};
  int holds = 0, ramps = 0;
  for (size_t m = 0; m < 2; m++) {
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
      char json[1024], err[256];
      snprintf(json, sizeof json,
               "{\"machine\":%s,\"seed\":3,\"duration_s\":700,\"events\":[{\"t_s\":1,\"do\":\"power_on\"},"
               "{\"t_s\":600,\"do\":\"shot\",\"dose_g\":18,\"profile\":\"%s\",\"scale\":{\"model\":\"decent\"}}]}",
               machines[m], profiles[i]);
      if (!scenario_parse(json, &s, err, sizeof err)) fail_msg("%s", err);
      assert_true(sim_run(&s, false, &r));
      assert_int_equal(r.shot_count, 1);
      const shot_rec_t *sh = &r.shots[0];
      printf("[ PRESSURE ] %-16s %s hold %.3f bar, transition %.3f bar\n", profiles[i], m ? "gear" : "vibratory",
             sh->hold_err_bar, sh->ramp_err_bar);
      if (!isnan(sh->hold_err_bar)) {
        assert_true(sh->hold_err_bar <= 0.3);
        holds++;
      }
      if (!isnan(sh->ramp_err_bar)) {
        assert_true(sh->ramp_err_bar <= 0.5);
        ramps++;
      }
      assert_int_equal(sh->stop_reason, PROTO_STOP_REASON_WEIGHT);
      report_free(&r);
    }
  }
  assert_true(holds >= 6 && ramps >= 4);
}

static void unknown_scenario_keys_are_rejected_with_their_place(void **state) {
  (void)state;
  char err[256];
  assert_false(scenario_parse("{\"machine\":\"dual_boiler\",\"duration_s\":10,\"colour\":1}", &s, err, sizeof err));
  assert_non_null(strstr(err, "\"colour\""));
  assert_false(scenario_parse(
      "{\"machine\":\"dual_boiler\",\"duration_s\":10,\"events\":[{\"t_s\":1,\"do\":\"shot\",\"dosee_g\":18}]}", &s,
      err, sizeof err));
  assert_non_null(strstr(err, "events[0]"));
  assert_false(scenario_parse("{\"machine\":\"espresso_robot\",\"duration_s\":10}", &s, err, sizeof err));
  assert_false(scenario_parse(
      "{\"machine\":\"dual_boiler\",\"duration_s\":10,\"events\":[{\"t_s\":1,\"do\":\"fault\",\"kind\":\"gremlins\"}]}",
      &s, err, sizeof err));
  assert_false(scenario_parse("not json", &s, err, sizeof err));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dual_boiler_heats_up_holds_and_pulls_a_stable_shot),
      cmocka_unit_test(single_boiler_heats_up_and_holds_within_targets),
      cmocka_unit_test(heat_exchanger_heats_up_and_holds_within_targets),
      cmocka_unit_test(brew_sensor_open_trips_within_500_ms),
      cmocka_unit_test(brew_sensor_short_trips_within_500_ms),
      cmocka_unit_test(steam_sensor_open_trips_within_500_ms),
      cmocka_unit_test(over_temperature_trips_within_200_ms_of_the_crossing),
      cmocka_unit_test(stuck_sensor_trips_within_its_window),
      cmocka_unit_test(welded_ssr_is_caught_and_the_mains_relay_opens),
      cmocka_unit_test(dead_heater_is_caught_by_the_heating_watch),
      cmocka_unit_test(empty_tank_stops_the_shot_and_the_pump_never_runs_dry),
      cmocka_unit_test(blocked_group_stops_the_pump),
      cmocka_unit_test(link_loss_turns_heaters_off_after_its_timeout),
      cmocka_unit_test(short_link_loss_mid_shot_lets_the_shot_finish_and_says_so),
      cmocka_unit_test(every_fault_clears_and_the_machine_heats_again),
      cmocka_unit_test(autotune_gains_are_at_least_as_good_as_the_defaults),
      cmocka_unit_test(pressure_profiles_track_their_targets),
      cmocka_unit_test(unknown_scenario_keys_are_rejected_with_their_place),
      cmocka_unit_test(a_calibration_that_reads_low_cannot_boil_the_brew_water),
      cmocka_unit_test(clear_fault_pressed_every_second_disarms_nothing),
      cmocka_unit_test(a_restart_with_a_latched_trip_keeps_the_heaters_off),
      cmocka_unit_test(a_sensor_frozen_at_idle_is_caught_within_60_s),
      cmocka_unit_test(a_sensor_loose_in_its_well_is_caught_by_the_energy_balance),
      cmocka_unit_test(a_scale_lost_mid_shot_still_ends_within_15_percent),
      cmocka_unit_test(without_a_scale_every_shot_still_has_a_stop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
