/* Shot sequencing. */
#include "shot.h"

#include <string.h>

#include "link/proto_gen.h"

void shot_apply_config(shot_t *s, const config_t *cfg) {
  s->pre_on_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_PREINFUSION_ON_MS);
  s->pre_pause_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_PREINFUSION_PAUSE_MS);
  s->release_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_VALVE_RELEASE_MS);
  s->flush_cycles = (uint8_t)config_get(cfg, PROTO_CONFIG_BACKFLUSH_CYCLES);
}

void shot_init(shot_t *s, const config_t *cfg) {
  memset(s, 0, sizeof *s);
  shot_apply_config(s, cfg);
}

static void enter(shot_t *s, shot_phase_t p, uint8_t reason, uint32_t now_ms) {
  s->phase = p;
  s->phase_start_ms = now_ms;
  s->phase_reason = reason;
  s->phase_index++;
  s->ev.phase_changed = true;
}

void shot_start(shot_t *s, const shot_request_t *req, const profile_t *profile, uint32_t now_ms) {
  s->running = true;
  s->req = *req;
  s->profile = profile;
  s->run_started = false;
  if (profile != NULL) {
    /* The profile's global stops apply where the request sets none. */
    if (s->req.target_weight_dg == 0) s->req.target_weight_dg = profile->target_weight_dg;
    if (s->req.stop_time_ms == 0) s->req.stop_time_ms = (uint32_t)profile->max_time_ds * 100u;
    if (s->req.stop_volume_ul == 0) s->req.stop_volume_ul = (uint32_t)profile->max_volume_ml * 1000u;
  }
  s->cap_ml = shot_volume_cap_ml(&s->req);
  s->start_ms = now_ms;
  s->phase_start_ms = now_ms;
  s->phase_index = 0;
  s->phase_reason = PROTO_PHASE_REASON_START;
  s->flush_cycles_done = 0;
  s->volume_ml = 0.0f;
  s->inflow_at_start_ml = -1.0f; /* taken at the first tick */
  s->fill_flow_ml_s = 0.0f;
  s->filled = false;
  s->filling = false;
  s->max_mbar = 0.0f;
  s->temp_sum_c = 0.0f;
  s->temp_samples = 0;
  s->end_flags = 0;
  s->end_reason = PROTO_STOP_REASON_NONE;
  s->valve_hold = false;
  if (profile != NULL)
    s->phase = SHOT_PHASE_PROFILE;
  else if (req->flags & PROTO_SHOT_FLAGS_BACKFLUSH)
    s->phase = SHOT_PHASE_FLUSH_ON;
  else if (s->pre_on_ms > 0 || s->pre_pause_ms > 0)
    s->phase = SHOT_PHASE_PREINFUSE;
  else
    s->phase = SHOT_PHASE_POUR;
  if (s->phase == SHOT_PHASE_PREINFUSE) s->end_flags |= PROTO_SHOT_END_FLAGS_PREINFUSED;
  s->ev.started = true;
}

static float dose_g_of(const shot_request_t *req) {
  return req->dose_dg > 0 ? (float)req->dose_dg / 10.0f : SHOT_DEFAULT_DOSE_G;
}

float shot_volume_cap_ml(const shot_request_t *req) {
  if (req->flags & PROTO_SHOT_FLAGS_BACKFLUSH) return 0.0f;
  float dose = dose_g_of(req);
  float yield = req->target_weight_dg > 0 ? (float)req->target_weight_dg / 10.0f : SHOT_DEFAULT_RATIO * dose;
  float cap = SHOT_CAP_MARGIN * (yield + SHOT_PUCK_RETENTION_ML_PER_G * dose) + SHOT_CAP_HEADSPACE_ML;
  /* An explicit volume stop is the owner's cap; the derived one never cuts it short. */
  float own = (float)req->stop_volume_ul / 1000.0f;
  return own > cap ? own : cap;
}

void shot_fall_back_to_volume(shot_t *s, float remaining_g, float wet_ml, bool dripping) {
  if (!s->running) return;
  if (remaining_g < 0.0f) remaining_g = 0.0f;
  float from_ml = dripping || s->volume_ml > wet_ml ? s->volume_ml : wet_ml;
  uint32_t stop_ul = (uint32_t)((from_ml + remaining_g * SHOT_ML_PER_CUP_G) * 1000.0f);
  if (s->req.stop_volume_ul == 0 || stop_ul < s->req.stop_volume_ul) s->req.stop_volume_ul = stop_ul;
  s->end_flags |= PROTO_SHOT_END_FLAGS_WEIGHT_FALLBACK;
}

void shot_stop(shot_t *s, uint8_t reason, uint32_t now_ms) {
  if (!s->running) return;
  s->running = false;
  s->filling = false;
  s->end_reason = reason;
  s->duration_ms = now_ms - s->start_ms;
  s->ended_ms = now_ms;
  s->valve_hold = true;
  s->release_at_ms = now_ms + s->release_ms;
  s->ev.ended = true;
}

bool shot_recent(const shot_t *s, uint32_t now_ms, uint32_t ms) {
  return s->running || (s->ended_ms != 0 && now_ms - s->ended_ms < ms);
}

/* Pump demand of the current phase; the seam where profiles take over. */
static uint16_t shot_pump_demand(const shot_t *s) {
  switch (s->phase) {
    case SHOT_PHASE_SOAK:
    case SHOT_PHASE_FLUSH_OFF: return 0;
    default: return 1000;
  }
}

/* Phase progress and stop conditions; the seam where weight stops join. */
static void shot_check_stops(shot_t *s, uint32_t now) {
  uint32_t in_phase = now - s->phase_start_ms;
  switch (s->phase) {
    case SHOT_PHASE_PREINFUSE:
      if (in_phase >= s->pre_on_ms)
        enter(s, s->pre_pause_ms > 0 ? SHOT_PHASE_SOAK : SHOT_PHASE_POUR, PROTO_PHASE_REASON_TIME, now);
      break;
    case SHOT_PHASE_SOAK:
      if (in_phase >= s->pre_pause_ms) enter(s, SHOT_PHASE_POUR, PROTO_PHASE_REASON_TIME, now);
      break;
    case SHOT_PHASE_FLUSH_ON:
      if (in_phase >= SHOT_BACKFLUSH_ON_MS) enter(s, SHOT_PHASE_FLUSH_OFF, PROTO_PHASE_REASON_TIME, now);
      return;
    case SHOT_PHASE_FLUSH_OFF:
      if (in_phase >= SHOT_BACKFLUSH_OFF_MS) {
        s->flush_cycles_done++;
        if (s->flush_cycles_done >= s->flush_cycles)
          shot_stop(s, PROTO_STOP_REASON_PROFILE_END, now);
        else
          enter(s, SHOT_PHASE_FLUSH_ON, PROTO_PHASE_REASON_TIME, now);
      }
      return;
    default: break;
  }
  uint32_t elapsed = now - s->start_ms;
  if (s->req.stop_time_ms > 0 && elapsed >= s->req.stop_time_ms)
    shot_stop(s, PROTO_STOP_REASON_TIME, now);
  else if (s->req.stop_volume_ul > 0 && s->volume_ml * 1000.0f >= (float)s->req.stop_volume_ul) {
    shot_stop(s, PROTO_STOP_REASON_VOLUME, now);
  } else if (s->cap_ml > 0.0f && s->volume_ml >= s->cap_ml) {
    shot_stop(s, PROTO_STOP_REASON_VOLUME, now);
  }
}

/* Fraction of each pulse period the pump may run while the group fills, from the heater's power
 * and the cold water the pump pushes into the boiler (4.186 J/(g K) from 20 degC inlet water). */
static uint16_t fill_budget(shot_t *s, const shot_in_t *in, uint16_t demand) {
  if (demand == 0 || s->filled || in->fill_heater_w <= 0.0f || s->phase == SHOT_PHASE_FLUSH_ON ||
      s->phase == SHOT_PHASE_PROFILE) {
    return demand; /* profiles shape the fill themselves */
  }
  bool filling = in->pressure_fitted ? in->pressure_mbar < SHOT_FILL_END_MBAR : s->volume_ml < SHOT_FILL_END_ML;
  if (!filling) {
    s->filled = true;
    s->filling = false;
    return demand;
  }
  if (in->flow_ml_s > s->fill_flow_ml_s) s->fill_flow_ml_s = in->flow_ml_s;
  if (s->fill_flow_ml_s <= 0.0f) return demand; /* first pulse: measure the open flow */
  float cold_w = s->fill_flow_ml_s * 4.186f * (in->fill_setpoint_c - 20.0f);
  float f = cold_w > 0.0f ? SHOT_FILL_HEAT_SHARE * in->fill_heater_w / cold_w : 1.0f;
  s->filling = true;
  if (f >= 1.0f) return demand;
  if (f < SHOT_FILL_MIN_FRACTION) f = SHOT_FILL_MIN_FRACTION;
  uint32_t in_period = (in->now_ms - s->start_ms) % SHOT_FILL_PULSE_MS;
  return (float)in_period < f * (float)SHOT_FILL_PULSE_MS ? demand : 0;
}

void shot_tick(shot_t *s, const shot_in_t *in, uint16_t *pump_pmil, bool *valve_open) {
  *pump_pmil = 0;
  *valve_open = false;
  if (!s->running) {
    if (s->valve_hold && (int32_t)(in->now_ms - s->release_at_ms) < 0)
      *valve_open = true;
    else
      s->valve_hold = false;
    return;
  }
  if (s->inflow_at_start_ml < 0.0f) s->inflow_at_start_ml = in->inflow_total_ml;
  s->volume_ml = in->inflow_total_ml - s->inflow_at_start_ml;
  if (in->pressure_mbar > s->max_mbar) s->max_mbar = in->pressure_mbar;
  s->temp_sum_c += in->brew_temp_c;
  s->temp_samples++;
  shot_check_stops(s, in->now_ms);
  if (!s->running) {
    *valve_open = s->release_ms > 0;
    return;
  }
  uint16_t demand = shot_pump_demand(s);
  if (s->phase == SHOT_PHASE_PROFILE) {
    exec_in_t ei = {in->now_ms,   in->pressure_mbar, in->flow_ml_s,        in->weight_g,
                    s->volume_ml, in->pump,          in->compliance_ml_bar};
    if (!s->run_started) {
      profile_run_start(&s->run, s->profile, &ei);
      s->run_started = true;
    }
    bool advanced = false;
    uint8_t reason = 0;
    demand = profile_run_tick(&s->run, &ei, &advanced, &reason);
    if (advanced && !s->run.finished) {
      s->phase_index++;
      s->phase_reason = reason;
      s->phase_start_ms = in->now_ms;
      s->ev.phase_changed = true;
    }
    if (s->run.finished) {
      shot_stop(s, PROTO_STOP_REASON_PROFILE_END, in->now_ms);
      *valve_open = s->release_ms > 0;
      return;
    }
  }
  *pump_pmil = in->pump_allowed ? fill_budget(s, in, demand) : 0;
  *valve_open = s->phase != SHOT_PHASE_FLUSH_OFF;
}
