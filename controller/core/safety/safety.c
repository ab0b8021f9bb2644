/* Safety interlocks and the latched trip. */
#include "safety.h"

#include <math.h>
#include <string.h>

#include "sensors/ntc_guard.h"

#define PUMP_REST_MS 2000u
#define OVER_PRESSURE_MBAR 13500.0f
#define OVER_PRESSURE_MS 500u
#define BLOCKED_MBAR 11500.0f
#define BLOCKED_MS 2000u
#define NO_FLOW_MBAR 7000.0f
#define NO_FLOW_ML_S 0.3f
#define NO_FLOW_MS 3000u
#define TANK_DEBOUNCE_MS 200u
#define WATCH_MIN_DUTY_PMIL 500u
#define RUNAWAY_WINDOW_MS 20000u
#define RUNAWAY_MIN_DUTY_PMIL 900u
#define RUNAWAY_RISE_C 1.0f
#define STUCK_ON_SETTLE_MS 5000u
#define STUCK_ON_RISE_C 2.0f
#define OVER_TEMP_CLEAR_MARGIN_C 5.0f
#define ENERGY_WINDOW_MS 60000u
#define ENERGY_MIN_DUTY_PMIL 500u
#define ENERGY_MIN_EXPECTED_C 4.0f /* below this the window says too little to judge */
#define ENERGY_LOW_FRACTION 0.35f  /* element, water and thermowell lag; losses: never below this */
#define ENERGY_HIGH_FRACTION 2.5f
#define ENERGY_HIGH_MARGIN_C 1.5f
#define TICK_S 0.01f

void safety_apply_config(safety_t *s, const config_t *cfg) {
  /* A single boiler is one steam-rated vessel measured by its "brew" NTC: its limit is the steam
   * limit (a mode-dependent limit would trip when leaving steam while the boiler is still hot). */
  bool single = config_get(cfg, PROTO_CONFIG_MACHINE_TYPE) == PROTO_MACHINE_TYPE_SINGLE_BOILER;
  s->brew_max_c = (float)config_get(cfg, single ? PROTO_CONFIG_STEAM_MAX_CDEG : PROTO_CONFIG_BREW_MAX_CDEG) / 100.0f;
  s->steam_max_c = (float)config_get(cfg, PROTO_CONFIG_STEAM_MAX_CDEG) / 100.0f;
  s->watch_rise_c = (float)config_get(cfg, PROTO_CONFIG_HEATING_WATCH_RISE_CDEG) / 100.0f;
  s->watch_window_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_HEATING_WATCH_WINDOW_S) * 1000u;
  s->pump_max_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_PUMP_MAX_RUN_S) * 1000u;
  s->brew_heater_w = (float)config_get(cfg, PROTO_CONFIG_BREW_HEATER_W);
  s->steam_heater_w = (float)config_get(cfg, PROTO_CONFIG_STEAM_HEATER_W);
  s->brew_j_per_k = (float)config_get(cfg, PROTO_CONFIG_BREW_BOILER_J_PER_K);
  s->steam_j_per_k = (float)config_get(cfg, PROTO_CONFIG_STEAM_BOILER_J_PER_K);
}

void safety_init(safety_t *s, const config_t *cfg) {
  memset(s, 0, sizeof *s);
  alarms_init(&s->alarms);
  safety_apply_config(s, cfg);
}

void safety_trip(safety_t *s, uint8_t code, int32_t value, uint32_t now_ms) {
  if (alarms_raise(&s->alarms, code, value, now_ms) && !s->latched) {
    s->trip_code = code;
    s->trip_ms = now_ms;
  }
  s->latched = true;
}

static void note_watch_trip(safety_t *s, uint8_t code, uint32_t now);

static void raise(safety_t *s, uint8_t code, int32_t value, uint32_t now_ms) {
  if (!s->alarms.active[code]) note_watch_trip(s, code, now_ms);
  if (alarms_severity(code) == PROTO_ALARM_SEVERITY_CRITICAL)
    safety_trip(s, code, value, now_ms);
  else
    (void)alarms_raise(&s->alarms, code, value, now_ms);
}

static int32_t cdeg(float c) {
  return (int32_t)(c * 100.0f);
}

typedef struct {
  uint8_t over, open, shorted, implausible;
} sensor_codes_t;

static void check_sensor(safety_t *s, const temp_sensor_t *t, float max_c, const sensor_codes_t *k, uint32_t now) {
  if (!t->fitted) return;
  float limit_c = temp_sensor_limit_c(t);
  if (t->fault == TEMP_SENSOR_OPEN)
    raise(s, k->open, cdeg(t->fast_c), now);
  else if (t->fault == TEMP_SENSOR_SHORT)
    raise(s, k->shorted, cdeg(t->fast_c), now);
  else if (t->fault == TEMP_SENSOR_STUCK)
    raise(s, PROTO_ALARM_CODE_SENSOR_STUCK, cdeg(t->fast_c), now);
  else if (limit_c >= max_c)
    raise(s, k->over, cdeg(limit_c), now);
  else if (fabsf(t->fast_c - t->factory_fast_c) > NTC_RUNTIME_MAX_DEV_C)
    raise(s, k->implausible, cdeg(t->fast_c - t->factory_fast_c), now);
}

/* Heating must raise the temperature: over `window_ms` at >= min_duty the reading must rise `rise_c`. */
static void check_window(safety_t *s, heat_window_t *w, const temp_sensor_t *t, uint16_t duty, uint32_t window_ms,
                         uint32_t min_duty, float rise_c, bool armed, uint8_t code, uint32_t now) {
  if (!armed || !t->fitted || t->fault != TEMP_SENSOR_OK) {
    w->samples = 0;
    return;
  }
  if (w->samples == 0) {
    w->start_ms = now;
    w->start_c = t->value_c;
    w->duty_sum = 0;
  }
  w->duty_sum += duty;
  w->samples++;
  if (now - w->start_ms < window_ms) return;
  uint32_t mean = w->duty_sum / w->samples;
  float rise = t->value_c - w->start_c;
  if (mean >= min_duty && rise < rise_c) raise(s, code, cdeg(rise), now);
  w->samples = 0;
}

/* While a boiler heats up, its reading must follow the heat put in: a sensor loose in its well (or
 * a reading bent by a bad calibration) rises far slower, or faster, than the boiler can. */
static void check_energy(safety_t *s, energy_window_t *w, const temp_sensor_t *t, uint16_t duty, float heater_w,
                         float j_per_k, bool armed, uint8_t code, uint32_t now) {
  if (!armed || !t->fitted || t->fault != TEMP_SENSOR_OK || heater_w <= 0.0f || j_per_k <= 0.0f) {
    w->samples = 0;
    return;
  }
  if (w->samples == 0) {
    w->start_ms = now;
    w->start_c = t->value_c;
    w->energy_j = 0.0f;
    w->duty_sum = 0;
  }
  w->energy_j += heater_w * (float)duty / 1000.0f * TICK_S;
  w->duty_sum += duty;
  w->samples++;
  if (now - w->start_ms < ENERGY_WINDOW_MS) return;
  float expected_c = w->energy_j / j_per_k;
  float rise_c = t->value_c - w->start_c;
  uint32_t mean = w->duty_sum / w->samples;
  w->samples = 0;
  if (mean < ENERGY_MIN_DUTY_PMIL || expected_c < ENERGY_MIN_EXPECTED_C) return;
  if (rise_c < ENERGY_LOW_FRACTION * expected_c || rise_c > ENERGY_HIGH_FRACTION * expected_c + ENERGY_HIGH_MARGIN_C) {
    raise(s, code, cdeg(rise_c), now);
  }
}

/* A heater commanded off must not keep heating its boiler (welded SSR). */
static void check_stuck_on(safety_t *s, stuck_on_t *k, const temp_sensor_t *t, uint16_t duty, uint32_t now) {
  if (!t->fitted || t->fault != TEMP_SENSOR_OK || duty > 0) {
    k->off = false;
    k->ref_set = false;
    return;
  }
  if (!k->off) {
    k->off = true;
    k->off_since_ms = now;
  }
  if (!k->ref_set) {
    if (now - k->off_since_ms >= STUCK_ON_SETTLE_MS) {
      k->ref_c = t->value_c;
      k->ref_set = true;
    }
    return;
  }
  if (t->value_c < k->ref_c) k->ref_c = t->value_c; /* follow the cooling curve down */
  if (t->value_c - k->ref_c >= STUCK_ON_RISE_C) raise(s, PROTO_ALARM_CODE_HEATER_STUCK_ON, cdeg(t->value_c), now);
}

static void check_hydraulics(safety_t *s, const safety_in_t *in) {
  uint32_t now = in->now_ms;
  /* Run time counts across pulses: only a real rest (>= 2 s off) restarts it. */
  if (in->pump_on) {
    if (!s->pump_was_on && now - s->pump_off_since_ms >= PUMP_REST_MS) s->pump_on_since_ms = now;
  } else if (s->pump_was_on) {
    s->pump_off_since_ms = now;
  }
  s->pump_was_on = in->pump_on;
  if (in->pump_on && now - s->pump_on_since_ms >= s->pump_max_ms) {
    raise(s, PROTO_ALARM_CODE_PUMP_MAX_RUN, (int32_t)(now - s->pump_on_since_ms), now);
  }
  s->tank_raw_ok = in->tank_ok;
  if (!in->tank_ok) {
    if (!s->tank_was_empty) s->tank_empty_since_ms = now;
    s->tank_was_empty = true;
    if (now - s->tank_empty_since_ms >= TANK_DEBOUNCE_MS) raise(s, PROTO_ALARM_CODE_WATER_EMPTY, 0, now);
  } else {
    s->tank_was_empty = false;
  }
  const pressure_sensor_t *p = in->pressure;
  if (!p->fitted) return;
  if (p->fault) {
    raise(s, PROTO_ALARM_CODE_PRESSURE_SENSOR_FAULT, 0, now);
    return;
  }
  if (p->fast_mbar < OVER_PRESSURE_MBAR) s->over_pressure_since_ms = now;
  if (now - s->over_pressure_since_ms >= OVER_PRESSURE_MS) {
    raise(s, PROTO_ALARM_CODE_OVER_PRESSURE, (int32_t)p->fast_mbar, now);
  }
  if (!in->pump_on || p->value_mbar < BLOCKED_MBAR) s->blocked_since_ms = now;
  if (now - s->blocked_since_ms >= BLOCKED_MS) raise(s, PROTO_ALARM_CODE_PUMP_BLOCKED, (int32_t)p->value_mbar, now);
  bool no_flow = in->flow_measured && in->pump_on && !in->blind_basket && p->value_mbar >= NO_FLOW_MBAR &&
                 in->flow_ml_s < NO_FLOW_ML_S;
  if (!no_flow) s->no_flow_since_ms = now;
  if (now - s->no_flow_since_ms >= NO_FLOW_MS) raise(s, PROTO_ALARM_CODE_PUMP_BLOCKED, (int32_t)p->value_mbar, now);
}

void safety_check(safety_t *s, const safety_in_t *in) {
  uint32_t now = in->now_ms;
  static const sensor_codes_t brew = {PROTO_ALARM_CODE_BREW_OVER_TEMP, PROTO_ALARM_CODE_BREW_SENSOR_OPEN,
                                      PROTO_ALARM_CODE_BREW_SENSOR_SHORT, PROTO_ALARM_CODE_BREW_SENSOR_IMPLAUSIBLE};
  static const sensor_codes_t steam = {PROTO_ALARM_CODE_STEAM_OVER_TEMP, PROTO_ALARM_CODE_STEAM_SENSOR_OPEN,
                                       PROTO_ALARM_CODE_STEAM_SENSOR_SHORT, PROTO_ALARM_CODE_STEAM_SENSOR_IMPLAUSIBLE};
  check_sensor(s, in->brew, s->brew_max_c, &brew, now);
  check_sensor(s, in->steam, s->steam_max_c, &steam, now);
  if (in->group->fitted && in->group->fault != TEMP_SENSOR_OK) {
    raise(s, PROTO_ALARM_CODE_GROUP_SENSOR_FAULT, 0, now);
  }
  bool watch = !in->shot_active;
  check_window(s, &s->brew_watch, in->brew, in->brew_duty_pmil, s->watch_window_ms, WATCH_MIN_DUTY_PMIL,
               s->watch_rise_c, watch, PROTO_ALARM_CODE_BREW_HEATING_WATCH, now);
  check_window(s, &s->steam_watch, in->steam, in->steam_duty_pmil, s->watch_window_ms, WATCH_MIN_DUTY_PMIL,
               s->watch_rise_c, watch, PROTO_ALARM_CODE_STEAM_HEATING_WATCH, now);
  check_window(s, &s->brew_runaway, in->brew, in->brew_duty_pmil, RUNAWAY_WINDOW_MS, RUNAWAY_MIN_DUTY_PMIL,
               RUNAWAY_RISE_C, watch && in->brew_stable, PROTO_ALARM_CODE_THERMAL_RUNAWAY, now);
  check_window(s, &s->steam_runaway, in->steam, in->steam_duty_pmil, RUNAWAY_WINDOW_MS, RUNAWAY_MIN_DUTY_PMIL,
               RUNAWAY_RISE_C, watch && in->steam_stable, PROTO_ALARM_CODE_THERMAL_RUNAWAY, now);
  check_energy(s, &s->brew_energy, in->brew, in->brew_duty_pmil, s->brew_heater_w, s->brew_j_per_k,
               watch && in->brew_heating && !in->brew_stable, PROTO_ALARM_CODE_BREW_SENSOR_IMPLAUSIBLE, now);
  check_energy(s, &s->steam_energy, in->steam, in->steam_duty_pmil, s->steam_heater_w, s->steam_j_per_k,
               watch && in->steam_heating && !in->steam_stable, PROTO_ALARM_CODE_STEAM_SENSOR_IMPLAUSIBLE, now);
  check_stuck_on(s, &s->brew_stuck_on, in->brew, in->brew_duty_pmil, now);
  check_stuck_on(s, &s->steam_stuck_on, in->steam, in->steam_duty_pmil, now);
  check_hydraulics(s, in);
  /* Warnings that clear themselves when the sensor recovers. */
  if (in->group->fitted && in->group->fault == TEMP_SENSOR_OK) {
    (void)alarms_clear(&s->alarms, PROTO_ALARM_CODE_GROUP_SENSOR_FAULT, now);
  }
  if (in->pressure->fitted && !in->pressure->fault) {
    (void)alarms_clear(&s->alarms, PROTO_ALARM_CODE_PRESSURE_SENSOR_FAULT, now);
  }
}

static bool sensor_ok(const temp_sensor_t *t) {
  return !t->fitted || t->fault == TEMP_SENSOR_OK;
}

/* Gone only once the reading has moved: a stuck sensor whose raw value has not changed by a single
 * count for the last few seconds is still stuck (a live NTC moves within a second). */
#define STUCK_CLEAR_QUIET_MS 5000u
static bool still_frozen(const temp_sensor_t *t, uint32_t now_ms) {
  return t->fitted && t->fault == TEMP_SENSOR_STUCK && now_ms - t->frozen_since_ms >= STUCK_CLEAR_QUIET_MS;
}

/* The heating checks whose cause cannot be seen without heating again: index in the repeat table. */
static int watch_index(uint8_t code) {
  switch (code) {
    case PROTO_ALARM_CODE_BREW_HEATING_WATCH: return 0;
    case PROTO_ALARM_CODE_STEAM_HEATING_WATCH: return 1;
    case PROTO_ALARM_CODE_THERMAL_RUNAWAY: return 2;
    default: return -1;
  }
}

/* A repeat of a heating trip soon after its clear holds it (see safety_t). */
static void note_watch_trip(safety_t *s, uint8_t code, uint32_t now) {
  int i = watch_index(code);
  if (i < 0 || !s->watch_cleared[i] || now - s->watch_cleared_ms[i] >= SAFETY_REPEAT_WINDOW_MS) return;
  s->watch_held[i] = true;
  s->watch_held_ms[i] = now;
}

static bool watch_held(const safety_t *s, uint8_t code, uint32_t now) {
  int i = watch_index(code);
  return i >= 0 && s->watch_held[i] && now - s->watch_held_ms[i] < SAFETY_REPEAT_WINDOW_MS;
}

/* Whether the condition behind `code` is still there. */
static bool cause_present(const safety_t *s, uint8_t code, const safety_in_t *in) {
  if (watch_held(s, code, in->now_ms)) return true;
  switch (code) {
    case PROTO_ALARM_CODE_BREW_OVER_TEMP:
      return temp_sensor_limit_c(in->brew) >= s->brew_max_c - OVER_TEMP_CLEAR_MARGIN_C;
    case PROTO_ALARM_CODE_STEAM_OVER_TEMP:
      return temp_sensor_limit_c(in->steam) >= s->steam_max_c - OVER_TEMP_CLEAR_MARGIN_C;
    case PROTO_ALARM_CODE_BREW_SENSOR_IMPLAUSIBLE:
      return fabsf(in->brew->fast_c - in->brew->factory_fast_c) > NTC_RUNTIME_MAX_DEV_C;
    case PROTO_ALARM_CODE_STEAM_SENSOR_IMPLAUSIBLE:
      return fabsf(in->steam->fast_c - in->steam->factory_fast_c) > NTC_RUNTIME_MAX_DEV_C;
    case PROTO_ALARM_CODE_SENSOR_STUCK:
      return still_frozen(in->brew, in->now_ms) || still_frozen(in->steam, in->now_ms);
    case PROTO_ALARM_CODE_BREW_SENSOR_OPEN:
    case PROTO_ALARM_CODE_BREW_SENSOR_SHORT: return !sensor_ok(in->brew);
    case PROTO_ALARM_CODE_STEAM_SENSOR_OPEN:
    case PROTO_ALARM_CODE_STEAM_SENSOR_SHORT: return !sensor_ok(in->steam);
    case PROTO_ALARM_CODE_WATER_EMPTY: return !in->tank_ok;
    case PROTO_ALARM_CODE_OVER_PRESSURE:
    case PROTO_ALARM_CODE_PUMP_BLOCKED: return in->pressure->fitted && in->pressure->fast_mbar >= 2000.0f;
    case PROTO_ALARM_CODE_LINK_LOSS: return true; /* cleared by the link when desired state returns */
    default: return false;                        /* re-armed checks trip again if the fault is still there */
  }
}

/* The critical alarm that keeps the trip latched (the first raised), NONE when there is none. */
static uint8_t latching_code(const safety_t *s) {
  if (s->alarms.active[s->trip_code] && alarms_severity(s->trip_code) == PROTO_ALARM_SEVERITY_CRITICAL)
    return s->trip_code;
  for (uint8_t c = 1; c < ALARM_CODE_COUNT; c++) {
    if (s->alarms.active[c] && alarms_severity(c) == PROTO_ALARM_SEVERITY_CRITICAL) return c;
  }
  return PROTO_ALARM_CODE_NONE;
}

static void clear_one(safety_t *s, uint8_t code, uint32_t now) {
  (void)alarms_clear(&s->alarms, code, now);
  int i = watch_index(code);
  if (i < 0) return;
  s->watch_cleared[i] = true;
  s->watch_cleared_ms[i] = now;
}

uint8_t safety_clear(safety_t *s, uint8_t code, const safety_in_t *in, uint16_t *detail) {
  uint32_t now = in->now_ms;
  *detail = 0;
  if (code >= ALARM_CODE_COUNT) return PROTO_ACK_RESULT_INVALID_FIELD;
  if (code != PROTO_ALARM_CODE_NONE) {
    if (s->alarms.active[code] && cause_present(s, code, in)) {
      *detail = code;
      return PROTO_ACK_RESULT_REJECTED_STATE;
    }
    if (s->alarms.active[code]) {
      clear_one(s, code, now);
      *detail = code;
    }
  } else {
    for (uint8_t c = 1; c < ALARM_CODE_COUNT; c++) {
      if (s->alarms.active[c] && !cause_present(s, c, in)) {
        clear_one(s, c, now);
        (*detail)++;
      }
    }
  }
  /* Watch windows keep running: a clear re-arms nothing, so a clear in a loop cannot hide a fault. */
  uint8_t still = latching_code(s);
  s->latched = still != PROTO_ALARM_CODE_NONE;
  if (s->latched) {
    s->trip_code = still;
    *detail = still;
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  return PROTO_ACK_RESULT_OK;
}

bool safety_heaters_allowed(const safety_t *s) {
  return !s->latched;
}

bool safety_pump_allowed(const safety_t *s) {
  const bool *a = s->alarms.active;
  return !s->latched && s->tank_raw_ok && !a[PROTO_ALARM_CODE_WATER_EMPTY] && !a[PROTO_ALARM_CODE_PUMP_MAX_RUN] &&
         !a[PROTO_ALARM_CODE_OVER_PRESSURE] && !a[PROTO_ALARM_CODE_PUMP_BLOCKED];
}

bool safety_steam_allowed(const safety_t *s) {
  return !s->latched && !s->alarms.active[PROTO_ALARM_CODE_STEAM_FILL_TIMEOUT];
}

void safety_apply(const safety_t *s, ctl_outputs_t *out) {
  if (s->latched) {
    out->brew_heater_on = false;
    out->steam_heater_on = false;
    out->heater_mains_enable = false;
    out->pump_power_pmil = 0;
    out->brew_valve_open = false;
    out->fill_valve_open = false;
    out->brew_duty_pmil = 0;
    out->steam_duty_pmil = 0;
    return;
  }
  if (!safety_pump_allowed(s)) {
    out->pump_power_pmil = 0;
    out->fill_valve_open = false;
  }
  if (!safety_steam_allowed(s)) {
    out->steam_heater_on = false;
    out->steam_duty_pmil = 0;
  }
}
