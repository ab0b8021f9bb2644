/* Profile binary codec and target curves. */
#include "profile.h"

#include <string.h>

static uint16_t get16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}
static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static uint8_t check_target(uint8_t mode, uint16_t v) {
  if (v == PROFILE_FROM_CURRENT) return PROFILE_OK;
  switch (mode) {
    case PROFILE_MODE_PRESSURE: return v <= 16000u ? PROFILE_OK : PROFILE_ERR_TARGET;
    case PROFILE_MODE_FLOW: return v <= 20000u ? PROFILE_OK : PROFILE_ERR_TARGET;
    default: return v <= 1000u ? PROFILE_OK : PROFILE_ERR_TARGET;
  }
}

uint8_t profile_decode(const uint8_t *buf, size_t len, profile_t *p, uint8_t *bad_phase) {
  *bad_phase = 0;
  memset(p, 0, sizeof *p);
  if (len < PROFILE_HEADER_BYTES) return PROFILE_ERR_LENGTH;
  if (buf[0] != PROFILE_VERSION && buf[0] != PROFILE_VERSION_SHOT_VOLUME) return PROFILE_ERR_VERSION;
  p->version = buf[0];
  p->phase_count = buf[1];
  if (p->phase_count == 0 || p->phase_count > PROFILE_MAX_PHASES) return PROFILE_ERR_PHASE_COUNT;
  if (len != PROFILE_HEADER_BYTES + (size_t)p->phase_count * PROFILE_PHASE_BYTES) return PROFILE_ERR_LENGTH;
  p->temp_cdeg = (int16_t)get16(buf + 2);
  p->target_weight_dg = get16(buf + 4);
  p->max_time_ds = get16(buf + 6);
  p->max_volume_ml = get16(buf + 8);
  for (uint8_t i = 0; i < p->phase_count; i++) {
    const uint8_t *q = buf + PROFILE_HEADER_BYTES + (size_t)i * PROFILE_PHASE_BYTES;
    profile_phase_t *ph = &p->phases[i];
    *bad_phase = i;
    ph->mode = q[0];
    ph->curve = q[1];
    if (ph->mode > PROFILE_MODE_POWER) return PROFILE_ERR_MODE;
    if (ph->curve > PROFILE_CURVE_EASE_IN_OUT) return PROFILE_ERR_CURVE;
    ph->start = get16(q + 2);
    ph->end = get16(q + 4);
    ph->duration_ds = get16(q + 6);
    ph->limit = get16(q + 8);
    ph->temp_cdeg = (int16_t)get16(q + 10);
    ph->exit_time_ds = get16(q + 12);
    ph->exit_weight_dg = get16(q + 14);
    ph->exit_volume_ml = get16(q + 16);
    ph->exit_pressure_above_mbar = get16(q + 18);
    ph->exit_pressure_below_mbar = get16(q + 20);
    ph->exit_flow_above_ul_s = get16(q + 22);
    ph->exit_flow_below_ul_s = get16(q + 24);
    uint8_t e = check_target(ph->mode, ph->start);
    if (e == PROFILE_OK) e = check_target(ph->mode, ph->end);
    if (e != PROFILE_OK || ph->end == PROFILE_FROM_CURRENT) return PROFILE_ERR_TARGET;
  }
  return PROFILE_OK;
}

size_t profile_encode(const profile_t *p, uint8_t *buf) {
  buf[0] = p->version ? p->version : PROFILE_VERSION;
  buf[1] = p->phase_count;
  put16(buf + 2, (uint16_t)p->temp_cdeg);
  put16(buf + 4, p->target_weight_dg);
  put16(buf + 6, p->max_time_ds);
  put16(buf + 8, p->max_volume_ml);
  for (uint8_t i = 0; i < p->phase_count; i++) {
    uint8_t *q = buf + PROFILE_HEADER_BYTES + (size_t)i * PROFILE_PHASE_BYTES;
    const profile_phase_t *ph = &p->phases[i];
    q[0] = ph->mode;
    q[1] = ph->curve;
    put16(q + 2, ph->start);
    put16(q + 4, ph->end);
    put16(q + 6, ph->duration_ds);
    put16(q + 8, ph->limit);
    put16(q + 10, (uint16_t)ph->temp_cdeg);
    put16(q + 12, ph->exit_time_ds);
    put16(q + 14, ph->exit_weight_dg);
    put16(q + 16, ph->exit_volume_ml);
    put16(q + 18, ph->exit_pressure_above_mbar);
    put16(q + 20, ph->exit_pressure_below_mbar);
    put16(q + 22, ph->exit_flow_above_ul_s);
    put16(q + 24, ph->exit_flow_below_ul_s);
  }
  return PROFILE_HEADER_BYTES + (size_t)p->phase_count * PROFILE_PHASE_BYTES;
}

uint8_t profile_check_relay(const profile_t *p, uint8_t *bad_phase) {
  for (uint8_t i = 0; i < p->phase_count; i++) {
    const profile_phase_t *ph = &p->phases[i];
    *bad_phase = i;
    bool onoff = ph->mode == PROFILE_MODE_POWER && (ph->end == 0 || ph->end == 1000) &&
                 (ph->start == ph->end || ph->start == PROFILE_FROM_CURRENT || ph->curve == PROFILE_CURVE_INSTANT);
    if (!onoff) return PROFILE_ERR_NEEDS_MODULATION;
  }
  return PROFILE_OK;
}

float profile_target(const profile_phase_t *ph, float t_s, float measured_at_start) {
  float from = ph->start == PROFILE_FROM_CURRENT ? measured_at_start : (float)ph->start;
  float to = (float)ph->end;
  float dur = (float)ph->duration_ds / 10.0f;
  if (ph->curve == PROFILE_CURVE_INSTANT || dur <= 0.0f || t_s >= dur) return to;
  float x = t_s / dur;
  switch (ph->curve) {
    case PROFILE_CURVE_EASE_IN: x = x * x; break;
    case PROFILE_CURVE_EASE_OUT: x = 1.0f - (1.0f - x) * (1.0f - x); break;
    case PROFILE_CURVE_EASE_IN_OUT: x = x < 0.5f ? 2.0f * x * x : 1.0f - 2.0f * (1.0f - x) * (1.0f - x); break;
    default: break;
  }
  return from + (to - from) * x;
}
