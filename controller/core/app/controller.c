/* Controller init and the 10 ms tick. */
#include "controller.h"

#include <string.h>

#include "controller_internal.h"
#include "sensors/ntc_guard.h"

static ntc_params_t ntc_from_config(const config_t *cfg, bool steam) {
  ntc_params_t p;
  memset(&p, 0, sizeof p);
  p.model = NTC_MODEL_BETA;
  p.r25_ohm = (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_NTC_R25_OHM : PROTO_CONFIG_BREW_NTC_R25_OHM);
  p.beta_k = (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_NTC_BETA_K : PROTO_CONFIG_BREW_NTC_BETA_K);
  p.pullup_ohm = (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_NTC_PULLUP_OHM : PROTO_CONFIG_BREW_NTC_PULLUP_OHM);
  p.offset_c =
      (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_TEMP_OFFSET_CDEG : PROTO_CONFIG_BREW_TEMP_OFFSET_CDEG) / 100.0f;
  return p;
}

/* The board's curve for a channel: the port's, or the table's defaults when the port gives none.
 * Resolved once at init into c->hooks, so later checks read it directly. */
static ntc_params_t factory_ntc(const controller_hooks_t *h, bool steam) {
  ntc_params_t p = steam ? h->steam_ntc_factory : h->brew_ntc_factory;
  if (p.r25_ohm > 0.0f) {
    p.model = NTC_MODEL_BETA;
    p.offset_c = 0.0f;
    return p;
  }
  config_t d;
  config_defaults(&d);
  return ntc_from_config(&d, steam);
}

static float channel_max_c(const config_t *cfg, bool steam) {
  bool single = config_get(cfg, PROTO_CONFIG_MACHINE_TYPE) == PROTO_MACHINE_TYPE_SINGLE_BOILER;
  bool steam_rated = steam || single;
  return (float)config_get(cfg, steam_rated ? PROTO_CONFIG_STEAM_MAX_CDEG : PROTO_CONFIG_BREW_MAX_CDEG) / 100.0f;
}

/* Whether a channel's calibration keeps its readings within NTC_CAL_MAX_DEV_C of the board's curve. */
static bool calibration_plausible(const controller_t *c, const config_t *cfg, bool steam) {
  const ntc_params_t *f = steam ? &c->hooks.steam_ntc_factory : &c->hooks.brew_ntc_factory;
  ntc_params_t cal = ntc_from_config(cfg, steam);
  return ntc_calibration_deviation_c(f, &cal, channel_max_c(cfg, steam)) <= NTC_CAL_MAX_DEV_C;
}

/* Put a channel's calibration back on the board's curve (a saved set from before the guard). */
static void reset_calibration(config_t *cfg, const ntc_params_t *f, bool steam) {
  (void)config_set_in_range(cfg, steam ? PROTO_CONFIG_STEAM_NTC_R25_OHM : PROTO_CONFIG_BREW_NTC_R25_OHM,
                            (int32_t)f->r25_ohm);
  (void)config_set_in_range(cfg, steam ? PROTO_CONFIG_STEAM_NTC_BETA_K : PROTO_CONFIG_BREW_NTC_BETA_K,
                            (int32_t)f->beta_k);
  (void)config_set_in_range(cfg, steam ? PROTO_CONFIG_STEAM_NTC_PULLUP_OHM : PROTO_CONFIG_BREW_NTC_PULLUP_OHM,
                            (int32_t)f->pullup_ohm);
  (void)config_set_in_range(cfg, steam ? PROTO_CONFIG_STEAM_TEMP_OFFSET_CDEG : PROTO_CONFIG_BREW_TEMP_OFFSET_CDEG, 0);
}

void controller_apply_config(controller_t *c) {
  const config_t *cfg = &c->cfg;
  uint8_t type = (uint8_t)config_get(cfg, PROTO_CONFIG_MACHINE_TYPE);
  bool has_brew = type != PROTO_MACHINE_TYPE_HEAT_EXCHANGER;
  bool has_steam = type != PROTO_MACHINE_TYPE_SINGLE_BOILER;
  ntc_params_t brew = ntc_from_config(cfg, false);
  ntc_params_t steam = ntc_from_config(cfg, true);
  /* Sensor calibration changes restart the filters; a fitted/unfitted change is a machine change. */
  c->brew_t.ntc = brew;
  c->steam_t.ntc = steam;
  c->group_t.ntc = brew;
  c->brew_t.fitted = has_brew;
  c->steam_t.fitted = has_steam;
  float zero = (float)config_get(cfg, PROTO_CONFIG_PRESSURE_ZERO_PMIL) / 1000.0f;
  float full = (float)config_get(cfg, PROTO_CONFIG_PRESSURE_FULL_PMIL) / 1000.0f;
  float full_mbar = (float)config_get(cfg, PROTO_CONFIG_PRESSURE_FULL_MBAR);
  c->pressure.zero_ratio = c->boiler_pressure.zero_ratio = zero;
  c->pressure.full_ratio = c->boiler_pressure.full_ratio = full;
  c->pressure.full_mbar = c->boiler_pressure.full_mbar = full_mbar;
  c->boiler_pressure.fitted =
      type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER && config_get(cfg, PROTO_CONFIG_HX_CONTROL_PRESSURE);
  boilers_apply_config(&c->boilers, cfg);
  heaters_configure(&c->heaters, c->desired.heating_strategy, config_get(cfg, PROTO_CONFIG_BREW_HEATER_W),
                    config_get(cfg, PROTO_CONFIG_STEAM_HEATER_W), config_circuit_w(cfg));
  safety_apply_config(&c->safety, cfg);
  shot_apply_config(&c->shot, cfg);
  c->autofill.timeout_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_STEAM_FILL_TIMEOUT_S) * 1000u;
  pump_model_set(&c->pump, (float)config_get(cfg, PROTO_CONFIG_PUMP_Q0_UL_S) / 1000.0f,
                 (float)config_get(cfg, PROTO_CONFIG_PUMP_Q9_UL_S) / 1000.0f,
                 (float)config_get(cfg, PROTO_CONFIG_PUMP_MAX_MBAR) / 1000.0f);
  c->autofill.fitted = has_steam && (c->hooks.capabilities & PROTO_CAPABILITIES_STEAM_LEVEL_PROBE);
}

void controller_init(controller_t *c, const controller_hooks_t *hooks, uint32_t now_ms) {
  memset(c, 0, sizeof *c);
  c->hooks = *hooks;
  c->hooks.brew_ntc_factory = factory_ntc(hooks, false);
  c->hooks.steam_ntc_factory = factory_ntc(hooks, true);
  const ntc_params_t *brew_f = &c->hooks.brew_ntc_factory;
  const ntc_params_t *steam_f = &c->hooks.steam_ntc_factory;
  c->persist.read = hooks->persist_read;
  c->persist.write = hooks->persist_write;
  int loaded = persist_load(&c->persist, &c->cfg);
  bool recalibrated = false;
  for (int steam = 0; steam <= 1; steam++) {
    if (calibration_plausible(c, &c->cfg, steam != 0)) continue;
    reset_calibration(&c->cfg, steam != 0 ? steam_f : brew_f, steam != 0);
    recalibrated = true;
  }
  ntc_params_t p = ntc_from_config(&c->cfg, false);
  temp_sensor_init(&c->brew_t, &p, true);
  temp_sensor_init(&c->steam_t, &p, true);
  temp_sensor_init(&c->group_t, &p, (hooks->capabilities & PROTO_CAPABILITIES_GROUP_SENSOR) != 0);
  temp_sensor_set_factory(&c->brew_t, brew_f);
  temp_sensor_set_factory(&c->steam_t, steam_f);
  temp_sensor_set_factory(&c->group_t, brew_f);
  pressure_init(&c->pressure, 0.1f, 0.9f, 16000.0f, (hooks->capabilities & PROTO_CAPABILITIES_PRESSURE_SENSOR) != 0);
  pressure_init(&c->boiler_pressure, 0.1f, 0.9f, 16000.0f, false);
  boilers_init(&c->boilers, &c->cfg);
  heaters_init(&c->heaters, (uint16_t)config_get(&c->cfg, PROTO_CONFIG_SSR_MIN_ON_MS));
  safety_init(&c->safety, &c->cfg);
  selftest_init(&c->selftest, &hooks->selftest);
  machine_state_init(&c->state);
  shot_init(&c->shot, &c->cfg);
  pump_model_default(&c->pump);
  flow_meter_init(&c->flow_meter);
  bbw_init(&c->bbw);
  autofill_init(&c->autofill, false, 30000u);
  link_init(&c->link);
  if (hooks->proto_major != 0) c->link.proto_major = c->link.rx.major = hooks->proto_major;
  fw_slots_t slots = hooks->firmware;
  if (slots.running_version == 0) slots.running_version = CONTROLLER_FW_VERSION;
  updater_init(&c->update, &slots);
  c->desired.mode = PROTO_MACHINE_MODE_STANDBY;
  c->desired.heating_strategy = PROTO_HEATING_STRATEGY_SEQUENTIAL;
  c->desired.brew_setpoint_cdeg = 9300;
  c->desired.steam_setpoint_cdeg = 14000;
  c->now_ms = now_ms;
  c->boot_ms = now_ms;
  c->activity_ms = now_ms;
  c->last_state = PROTO_MACHINE_STATE_INIT;
  controller_apply_config(c);
  if (hooks->reset_reason == PROTO_RESET_REASON_WATCHDOG) {
    (void)alarms_raise(&c->safety.alarms, PROTO_ALARM_CODE_WATCHDOG_RESET, 0, now_ms);
  }
  controller_send_hello(c);
  if ((loaded < 0 && c->persist.seq != 0) || (recalibrated && c->persist.seq != 0)) {
    (void)alarms_raise(&c->safety.alarms, PROTO_ALARM_CODE_CONFIG_INVALID, 0, now_ms);
  }
  if (recalibrated) {
    c->cfg_dirty = true;
    c->cfg_changed_ms = now_ms;
  }
  /* A trip latched before the reset is still latched: nothing heats until it is cleared. */
  uint8_t kept = hooks->trip_recall != NULL ? hooks->trip_recall() : PROTO_ALARM_CODE_NONE;
  if (kept != PROTO_ALARM_CODE_NONE && kept < ALARM_CODE_COUNT &&
      alarms_severity(kept) == PROTO_ALARM_SEVERITY_CRITICAL) {
    safety_trip(&c->safety, kept, 0, now_ms);
    c->await_standby = true;
    controller_log(c, PROTO_LOG_LEVEL_WARN, "trip latched before the reset is still latched: clear it to heat");
  }
  c->was_latched = c->safety.latched;
}

uint8_t controller_config_set(controller_t *c, uint16_t key, int32_t value) {
  config_t next = c->cfg;
  uint8_t r = config_set(&next, key, value);
  if (r == PROTO_ACK_RESULT_OK && (!calibration_plausible(c, &next, false) || !calibration_plausible(c, &next, true))) {
    controller_log(c, PROTO_LOG_LEVEL_WARN,
                   "calibration refused: it moves a reading over 5.5 degC off the sensor's curve");
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  if (r == PROTO_ACK_RESULT_OK) {
    c->cfg = next;
    c->cfg_dirty = true;
    c->cfg_changed_ms = c->now_ms;
    controller_apply_config(c);
  }
  return r;
}

uint8_t controller_effective_mode(const controller_t *c) {
  if (c->link_lost || !c->link.hub_ok || c->await_standby || updater_holds_heat(&c->update)) {
    return PROTO_MACHINE_MODE_STANDBY;
  }
  return c->desired.mode;
}

void controller_rx(controller_t *c, const uint8_t *buf, size_t len) {
  for (size_t i = 0; i < len; i++) {
    proto_msg_t m;
    if (link_rx_byte(&c->link, buf[i], c->now_ms, &m)) controller_handle(c, &m);
  }
}

size_t controller_tx(controller_t *c, uint8_t *buf, size_t cap) {
  return link_drain(&c->link, buf, cap);
}

bool controller_wdt_ok(const controller_t *c) {
  return c->wdt_ok;
}

/* Link freshness: stage 1 disables weight stops, stage 2 stops heating until desired state returns. */
static void check_link(controller_t *c) {
  uint32_t now = c->now_ms;
  uint32_t weight_ms = (uint32_t)config_get(&c->cfg, PROTO_CONFIG_LINK_WEIGHT_TIMEOUT_MS);
  uint32_t heater_ms = (uint32_t)config_get(&c->cfg, PROTO_CONFIG_LINK_HEATER_TIMEOUT_MS);
  c->weight_link_lost = !c->link.have_frame || now - c->link.last_valid_ms >= weight_ms;
  bool lost = !c->link.have_desired || now - c->link.last_desired_ms >= heater_ms;
  if (lost && !c->link_lost && c->link.have_desired) {
    (void)alarms_raise(&c->safety.alarms, PROTO_ALARM_CODE_LINK_LOSS, (int32_t)(now - c->link.last_desired_ms), now);
    if (c->shot.running) {
      c->shot.end_flags |= PROTO_SHOT_END_FLAGS_LINK_LOST;
      shot_stop(&c->shot, PROTO_STOP_REASON_LINK_LOST, now);
    }
    controller_log(c, PROTO_LOG_LEVEL_WARN, "link lost: heaters off, standby until the hub returns");
  }
  if (!lost && c->link_lost) {
    (void)alarms_clear(&c->safety.alarms, PROTO_ALARM_CODE_LINK_LOSS, now);
    controller_log(c, PROTO_LOG_LEVEL_INFO, "link back: following desired state");
  }
  c->link_lost = lost;
  if (c->shot.running && c->weight_link_lost) c->shot.end_flags |= PROTO_SHOT_END_FLAGS_LINK_LOST;
}

static void debounce_lever(controller_t *c, bool raw) {
  if (raw != c->lever_raw) {
    c->lever_raw = raw;
    c->lever_changed_ms = c->now_ms;
    return;
  }
  if (raw == c->lever_stable || c->now_ms - c->lever_changed_ms < CONTROLLER_LEVER_DEBOUNCE_MS) return;
  c->lever_stable = raw;
  c->activity_ms = c->now_ms;
  if (raw) {
    uint16_t detail = 0;
    if (c->shot.running || controller_may_brew(c, &detail) != PROTO_ACK_RESULT_OK) return;
    shot_request_t req;
    memset(&req, 0, sizeof req);
    req.token = c->now_ms | 0x80000000u; /* controller-chosen tokens have the top bit set */
    req.source = PROTO_SHOT_SOURCE_LEVER;
    controller_start_shot(c, &req);
  } else if (c->shot.running && c->shot.req.source == PROTO_SHOT_SOURCE_LEVER) {
    shot_stop(&c->shot, PROTO_STOP_REASON_LEVER, c->now_ms);
  }
}

static uint8_t alarm_stop_reason(const safety_t *s) {
  if (s->latched) return PROTO_STOP_REASON_SAFETY_TRIP;
  if (!s->tank_raw_ok || s->alarms.active[PROTO_ALARM_CODE_WATER_EMPTY]) return PROTO_STOP_REASON_WATER_EMPTY;
  if (s->alarms.active[PROTO_ALARM_CODE_PUMP_MAX_RUN]) return PROTO_STOP_REASON_PUMP_MAX_TIME;
  return PROTO_STOP_REASON_SAFETY_TRIP;
}

/* Brew-by-weight: stop on the predicted final weight; fall back to time/volume if weight stops. */
static void check_weight_stop(controller_t *c) {
  shot_t *s = &c->shot;
  if (!s->running || s->req.target_weight_dg == 0 || c->weight_stop_off) return;
  uint32_t now = c->now_ms;
  bool started_late = now - s->start_ms < 2000u; /* the hub starts streaming with the shot */
  if (c->weight_link_lost || (!bbw_fresh(&c->bbw, now) && !started_late)) {
    /* At once: the weight still to come becomes its volume, so the cup ends near its target. */
    c->weight_stop_off = true;
    s->end_flags |= PROTO_SHOT_END_FLAGS_WEIGHT_LOST;
    float target_g = (float)s->req.target_weight_dg / 10.0f;
    float stop_lag = (float)config_get(&c->cfg, PROTO_CONFIG_BBW_STOP_LAG_MS) / 1000.0f;
    float drip = (float)config_get(&c->cfg, PROTO_CONFIG_BBW_DRIP_MS) / 1000.0f;
    /* What is in the cup now (the last reading carried forward over its age and the scale's lag),
     * and what will still drip in after the pump stops. */
    float cup_g = c->shot_wet ? bbw_predict_final_g(&c->bbw, now, 0.0f, 0.0f, s->req.slot) : 0.0f;
    float after_stop_g = c->shot_wet ? c->bbw.flow_g_s * (stop_lag + drip) : 0.0f;
    float dose_g = s->req.dose_dg > 0 ? (float)s->req.dose_dg / 10.0f : SHOT_DEFAULT_DOSE_G;
    float wet_ml =
        c->wet_volume_ml > 0.0f ? c->wet_volume_ml : SHOT_WET_HEADSPACE_ML + SHOT_PUCK_RETENTION_ML_PER_G * dose_g;
    shot_fall_back_to_volume(s, target_g - cup_g - after_stop_g, wet_ml, c->shot_wet);
    (void)alarms_raise(&c->safety.alarms, PROTO_ALARM_CODE_SCALE_LOST, (int32_t)(cup_g * 10.0f), now);
    controller_log(c, PROTO_LOG_LEVEL_WARN, "scale silent: the weight still to come is now a volume stop");
    return;
  }
  if (!bbw_fresh(&c->bbw, now)) return;
  if (!c->shot_wet && bbw_weight_g(&c->bbw) >= 1.0f) {
    /* The first drops: learn how much must be pumped before water reaches the cup at all. */
    c->shot_wet = true;
    c->wet_volume_ml = s->volume_ml - bbw_predict_final_g(&c->bbw, now, 0.0f, 0.0f, s->req.slot) * SHOT_ML_PER_CUP_G;
  }
  float target = (float)s->req.target_weight_dg / 10.0f;
  float stop_lag = (float)config_get(&c->cfg, PROTO_CONFIG_BBW_STOP_LAG_MS) / 1000.0f;
  float drip = (float)config_get(&c->cfg, PROTO_CONFIG_BBW_DRIP_MS) / 1000.0f;
  bool reached = bbw_weight_g(&c->bbw) >= target;
  if (!reached && bbw_predict_final_g(&c->bbw, now, stop_lag, drip, s->req.slot) < target) return;
  c->bbw.stop_flow_g_s = c->bbw.flow_g_s;
  c->weight_shot_token = s->req.token;
  c->weight_shot_slot = s->req.slot;
  c->weight_shot_target_dg = s->req.target_weight_dg;
  bool at_start = reached && now - s->start_ms < 1000u;
  shot_stop(s, at_start ? PROTO_STOP_REASON_WEIGHT_ALREADY_REACHED : PROTO_STOP_REASON_WEIGHT, now);
}

/* 10 Hz work: boiler loops, readiness, eco, the state machine. */
static void control_10hz(controller_t *c) {
  uint32_t now = c->now_ms;
  uint8_t mode = controller_effective_mode(c);
  if (mode != c->last_mode) c->activity_ms = now;
  c->last_mode = mode;
  uint32_t eco_ms = (uint32_t)config_get(&c->cfg, PROTO_CONFIG_ECO_TIMEOUT_S) * 1000u;
  bool eco_idle = eco_ms > 0 && !c->shot.running && now - c->activity_ms >= eco_ms;
  bool eco = (c->desired.flags & PROTO_DESIRED_FLAGS_ECO) || eco_idle;
  boilers_in_t bi;
  bi.mode = mode;
  bi.eco = eco;
  bi.brew_sp_c = (float)c->desired.brew_setpoint_cdeg / 100.0f;
  if (c->shot.running && c->shot.profile != NULL) {
    /* A profile's temperature, or its running phase's, replaces the brew setpoint for the shot. */
    const profile_t *p = c->shot.profile;
    int16_t t = p->phases[c->shot.run.phase].temp_cdeg ? p->phases[c->shot.run.phase].temp_cdeg : p->temp_cdeg;
    if (t > 0) bi.brew_sp_c = (float)t / 100.0f;
  }
  bi.steam_sp_c = (float)c->desired.steam_setpoint_cdeg / 100.0f;
  bi.brew_c = c->brew_t.value_c;
  bi.steam_c = c->steam_t.value_c;
  bi.boiler_mbar = c->boiler_pressure.value_mbar;
  bi.shot_flow_ml_s = c->shot.running ? c->ff_flow_ml_s : 0.0f;
  bi.brew_boost = c->shot.running && c->shot.filling;
  bi.heaters_allowed = safety_heaters_allowed(&c->safety);
  bi.steam_allowed = safety_steam_allowed(&c->safety) && !c->steam_block;
  bi.now_ms = now;
  boilers_update(&c->boilers, &bi);
  if (c->autotune.running) {
    boiler_loop_t *l = c->autotune.boiler == 0 ? &c->boilers.brew : &c->boilers.steam;
    float meas = c->autotune.boiler == 0 ? c->brew_t.value_c : c->steam_t.value_c;
    l->duty_pmil = safety_heaters_allowed(&c->safety) ? autotune_update(&c->autotune, meas, now) : 0.0f;
    if (c->shot.running || !safety_heaters_allowed(&c->safety)) autotune_abort(&c->autotune);
  }
  float band = (float)config_get(&c->cfg, PROTO_CONFIG_READY_BAND_CDEG) / 100.0f;
  if (c->boilers.brew.enabled && c->brew_t.value_c >= c->boilers.brew.target_c - band) c->brew_stable = true;
  if (c->boilers.steam.enabled && c->steam_t.value_c >= c->boilers.steam.target_c - band) c->steam_stable = true;
  if (mode == PROTO_MACHINE_MODE_STANDBY) c->brew_stable = c->steam_stable = false;
  state_in_t si;
  si.tripped = c->safety.latched;
  si.fault = alarms_any(&c->safety.alarms, PROTO_ALARM_SEVERITY_FAULT) && !c->safety.latched;
  si.sensors_ready = now - c->boot_ms >= CONTROLLER_SENSOR_PRIME_MS;
  si.shot_running = c->shot.running;
  si.mode = mode;
  si.eco = eco;
  si.temp_c = boilers_ready_temp_c(&c->boilers);
  si.setpoint_c = boilers_ready_setpoint_c(&c->boilers);
  si.ready_band_c = band;
  (void)machine_state_step(&c->state, &si, now);
}

/* A new latch is stored so that a reset cannot forget it, and a clear forgets it. A trip also holds
 * the machine in standby until the hub sends standby again: clearing never resumes heating by itself. */
static void controller_track_trip(controller_t *c) {
  if (c->safety.latched == c->was_latched) return;
  c->was_latched = c->safety.latched;
  if (c->safety.latched) c->await_standby = true;
  if (c->hooks.trip_store != NULL) c->hooks.trip_store(c->safety.latched ? c->safety.trip_code : PROTO_ALARM_CODE_NONE);
}

void controller_tick(controller_t *c, const ctl_inputs_t *in, ctl_outputs_t *out) {
  c->now_ms = in->now_ms;
  uint32_t now = c->now_ms;
  c->ticks++;
  temp_sensor_sample(&c->brew_t, in->brew_ntc_adc, now, c->brew_applied);
  temp_sensor_sample(&c->steam_t, in->steam_ntc_adc, now, c->steam_applied);
  temp_sensor_sample(&c->group_t, in->group_ntc_adc, now, 0);
  pressure_sample(&c->pressure, in->pressure_adc);
  pressure_sample(&c->boiler_pressure, in->boiler_pressure_adc);
  check_link(c);
  debounce_lever(c, in->lever_down);

  if (c->ticks % 10u == 0u) control_10hz(c);

  check_weight_stop(c);

  /* Hydraulics: shot first, then the steam fill in the time the shot leaves. */
  if (c->hooks.capabilities & PROTO_CAPABILITIES_FLOW_METER) {
    float ul = (float)config_get(&c->cfg, PROTO_CONFIG_FLOW_METER_UL_PER_PULSE);
    c->flow_ml_s = flow_meter_update(&c->flow_meter, in->flow_pulses, now, ul);
    c->inflow_total_ml += (float)(in->flow_pulses - c->last_pulses) * ul / 1000.0f; /* wraps correctly */
  } else {
    float bar = c->pressure.fitted ? c->pressure.value_mbar / 1000.0f : 9.0f;
    c->flow_ml_s = pump_model_flow_ml_s(&c->pump, bar, (float)c->pump_pmil);
    c->inflow_total_ml += c->flow_ml_s * ((float)CONTROLLER_TICK_MS / 1000.0f);
  }
  c->last_pulses = in->flow_pulses;
  shot_in_t sin;
  sin.now_ms = now;
  sin.pressure_mbar = c->pressure.value_mbar;
  sin.brew_temp_c = c->brew_t.value_c;
  sin.flow_ml_s = c->flow_ml_s;
  sin.inflow_total_ml = c->inflow_total_ml;
  sin.weight_g = bbw_fresh(&c->bbw, now) ? bbw_weight_g(&c->bbw) : -1.0f;
  sin.pump = &c->pump;
  sin.compliance_ml_bar = (float)config_get(&c->cfg, PROTO_CONFIG_LINE_COMPLIANCE_UL_BAR) / 1000.0f;
  sin.pump_allowed = safety_pump_allowed(&c->safety);
  sin.pressure_fitted = c->pressure.fitted && !c->pressure.fault;
  bool budget = config_get(&c->cfg, PROTO_CONFIG_FILL_HEAT_BUDGET) != 0 &&
                c->boilers.machine_type != PROTO_MACHINE_TYPE_HEAT_EXCHANGER;
  sin.fill_heater_w = budget ? (float)config_get(&c->cfg, PROTO_CONFIG_BREW_HEATER_W) : 0.0f;
  sin.fill_setpoint_c = (float)c->desired.brew_setpoint_cdeg / 100.0f;
  uint16_t shot_pump = 0;
  bool valve = false;
  shot_tick(&c->shot, &sin, &shot_pump, &valve);
  if (c->shot.running && !safety_pump_allowed(&c->safety)) shot_stop(&c->shot, alarm_stop_reason(&c->safety), now);
  uint16_t fill_pump = 0;
  bool fill = false;
  if (autofill_tick(&c->autofill, now, in->steam_level_ok, c->shot.running, safety_pump_allowed(&c->safety),
                    &c->steam_block, &fill, &fill_pump)) {
    (void)alarms_raise(&c->safety.alarms, PROTO_ALARM_CODE_STEAM_FILL_TIMEOUT, (int32_t)c->autofill.timeout_ms, now);
  }
  c->pump_pmil = shot_pump > fill_pump ? shot_pump : fill_pump;
  c->valve_open = valve;
  c->fill_open = fill;

  /* Heaters: loop duties (10 Hz) turned into SSR states each tick. */
  c->brew_duty = (uint16_t)c->boilers.brew.duty_pmil;
  c->steam_duty = c->steam_block ? 0u : (uint16_t)c->boilers.steam.duty_pmil;
  bool brew_on = false, steam_on = false;
  uint8_t type = c->boilers.machine_type;
  bool ready = c->brew_stable || type != PROTO_MACHINE_TYPE_DUAL_BOILER;
  if (type == PROTO_MACHINE_TYPE_DUAL_BOILER) {
    heaters_tick(&c->heaters, c->brew_duty, c->steam_duty, ready, &brew_on, &steam_on);
  } else {
    /* One heater: the single boiler's is wired as brew, the HX boiler's as steam. */
    bool on = ssr_want(type == PROTO_MACHINE_TYPE_SINGLE_BOILER ? &c->heaters.brew : &c->heaters.steam,
                       type == PROTO_MACHINE_TYPE_SINGLE_BOILER ? c->brew_duty : c->steam_duty);
    brew_on = type == PROTO_MACHINE_TYPE_SINGLE_BOILER && on;
    steam_on = type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER && on;
  }

  if (c->hooks.heater_override != NULL) c->hooks.heater_override(c->hooks.override_ctx, in, &brew_on, &steam_on);
  if (updater_holds_heat(&c->update)) brew_on = steam_on = false; /* from the offer on, not from the next loop step */

  /* What the heaters really delivered: health checks judge the heater by this, not by the demand. */
  c->brew_on_ticks = (uint8_t)(c->brew_on_ticks + (brew_on ? 1u : 0u));
  c->steam_on_ticks = (uint8_t)(c->steam_on_ticks + (steam_on ? 1u : 0u));
  if (c->ticks % 10u == 0u) {
    c->brew_applied = (uint16_t)(c->brew_on_ticks * 100u);
    c->steam_applied = (uint16_t)(c->steam_on_ticks * 100u);
    c->brew_on_ticks = c->steam_on_ticks = 0;
  }

  /* Safety last, so it sees this tick's demands and overrides them. */
  safety_in_t si;
  c->tank_ok = in->tank_ok;
  controller_safety_in(c, &si);
  safety_check(&c->safety, &si);
  uint8_t st = selftest_tick(&c->selftest, now);
  if (st != PROTO_ALARM_CODE_NONE) {
    safety_trip(&c->safety, st, 0, now);
    c->selftest_failed = true;
  }
  controller_track_trip(c);
  bool may_buy = c->selftest.flash_passes > 0 && c->selftest.ram_passes > 0 && c->link.hub_ok;
  updater_tick(&c->update, now, may_buy, c->selftest_failed);
  if (c->safety.latched && c->shot.running) shot_stop(&c->shot, PROTO_STOP_REASON_SAFETY_TRIP, now);
  if (c->safety.latched) autotune_abort(&c->autotune);

  out->brew_heater_on = brew_on;
  out->steam_heater_on = steam_on;
  out->heater_mains_enable = true;
  out->pump_power_pmil = c->pump_pmil;
  out->brew_valve_open = c->valve_open;
  out->fill_valve_open = c->fill_open;
  out->brew_duty_pmil = c->brew_duty;
  out->steam_duty_pmil = c->steam_duty;
  safety_apply(&c->safety, out);
  if (!out->heater_mains_enable) {
    ssr_clear(&c->heaters.brew);
    ssr_clear(&c->heaters.steam);
  }
  c->pump_pmil = out->pump_power_pmil;
  /* Cold water enters the boiler only while the pump runs; a pulsed fill must average that. */
  float inflow = c->pump_pmil > 0 ? c->flow_ml_s : 0.0f;
  c->ff_flow_ml_s += (inflow - c->ff_flow_ml_s) * ((float)CONTROLLER_TICK_MS / 500.0f);
  /* Every check ran this tick. A latched trip keeps feeding (a reset must not forget the trip);
   * a failed self-test stops feeding, so the reboot re-runs the tests from scratch. */
  c->wdt_ok = !c->selftest_failed;

  if (c->cfg_dirty && !c->shot.running && now - c->cfg_changed_ms >= CONTROLLER_SAVE_DELAY_MS) {
    if (persist_save(&c->persist, &c->cfg))
      c->cfg_dirty = false;
    else
      controller_log(c, PROTO_LOG_LEVEL_ERROR, "config save failed; will retry");
    c->cfg_changed_ms = now;
  }
  controller_report(c);
}
