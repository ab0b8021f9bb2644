/* Profile execution and pump loops. */
#include "executor.h"

#include <math.h>

#include "link/proto_gen.h"

#define TICK_S 0.01f

static float clampf(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

static float measured(const profile_phase_t *ph, const exec_in_t *in, float power) {
  switch (ph->mode) {
    case PROFILE_MODE_PRESSURE: return in->pressure_mbar;
    case PROFILE_MODE_FLOW: return in->flow_ml_s * 1000.0f;
    default: return power;
  }
}

static void enter(profile_run_t *r, uint8_t phase, const exec_in_t *in) {
  /* Carry what the last phase learned about the puck: the conductance that explains the power now
   * running at the pressure now measured. */
  float bar = in->pressure_mbar / 1000.0f;
  bool tracking = r->power > 0.0f && r->power < 990.0f && r->target > 0.0f &&
                  (r->target - in->pressure_mbar) < 300.0f && (in->pressure_mbar - r->target) < 300.0f;
  if (in->pressure_mbar >= EXEC_PUCK_MIN_MBAR && tracking) {
    float k = r->power / 1000.0f * pump_model_flow_ml_s(in->pump, bar, 1000.0f) / sqrtf(bar);
    if (k > 0.0f && k < 20.0f) r->k_puck = k;
  }
  r->phase = phase;
  r->phase_start_ms = in->now_ms;
  r->phase_start_volume_ml = in->volume_ml;
  r->at_start = measured(&r->p->phases[phase], in, r->power);
}

void profile_run_start(profile_run_t *r, const profile_t *p, const exec_in_t *in) {
  r->p = p;
  r->pressure_i = r->flow_i = 0.0f;
  r->power = 0.0f;
  r->ff = 0.0f;
  r->k_puck = 0.0f;
  r->finished = false;
  enter(r, 0, in);
}

/* PI towards a target plus a feed-forward; the integrator (unless `hold`) never moves in the
 * direction that deepens saturation of the total output. */
static float pi_ff(float *integ, float err, float kp, float ki, float ff, bool hold) {
  float total = kp * err + *integ + ff;
  bool pinned = (total >= 1000.0f && err > 0.0f) || (total <= 0.0f && err < 0.0f);
  if (!pinned && !hold) *integ = clampf(*integ + ki * err * TICK_S, 0.0f, 1000.0f);
  return clampf(kp * err + *integ + ff, 0.0f, 1000.0f);
}

static float pi(float *integ, float err, float kp, float ki) {
  return pi_ff(integ, err, kp, ki, 0.0f, false);
}

static uint8_t exit_reason(const profile_phase_t *ph, const exec_in_t *in, float t_s, float phase_ml) {
  if (ph->exit_time_ds && t_s * 10.0f >= (float)ph->exit_time_ds) return PROTO_PHASE_REASON_TIME;
  if (ph->exit_weight_dg && in->weight_g >= 0.0f && in->weight_g * 10.0f >= (float)ph->exit_weight_dg)
    return PROTO_PHASE_REASON_WEIGHT;
  /* Water pumped in this phase (as Gaggiuino's waterPumpedInPhase and GaggiMate's pumped target). */
  if (ph->exit_volume_ml && phase_ml >= (float)ph->exit_volume_ml) return PROTO_PHASE_REASON_VOLUME;
  if (ph->exit_pressure_above_mbar && in->pressure_mbar >= (float)ph->exit_pressure_above_mbar)
    return PROTO_PHASE_REASON_PRESSURE;
  if (ph->exit_pressure_below_mbar && t_s > 1.0f && in->pressure_mbar <= (float)ph->exit_pressure_below_mbar)
    return PROTO_PHASE_REASON_PRESSURE;
  float ul = in->flow_ml_s * 1000.0f;
  if (ph->exit_flow_above_ul_s && ul >= (float)ph->exit_flow_above_ul_s) return PROTO_PHASE_REASON_FLOW;
  if (ph->exit_flow_below_ul_s && t_s > 1.0f && ul <= (float)ph->exit_flow_below_ul_s) return PROTO_PHASE_REASON_FLOW;
  return 0xFF;
}

uint16_t profile_run_tick(profile_run_t *r, const exec_in_t *in, bool *advanced, uint8_t *reason) {
  *advanced = false;
  if (r->finished) return 0;
  const profile_phase_t *ph = &r->p->phases[r->phase];
  float t_s = (float)(in->now_ms - r->phase_start_ms) / 1000.0f;
  /* A version-1 profile's volume exits count from the shot's start, as they did when it was written. */
  float phase_ml =
      r->p->version == PROFILE_VERSION_SHOT_VOLUME ? in->volume_ml : in->volume_ml - r->phase_start_volume_ml;
  uint8_t why = exit_reason(ph, in, t_s, phase_ml);
  if (why != 0xFF) {
    *advanced = true;
    *reason = why;
    if (r->phase + 1u >= r->p->phase_count) {
      r->finished = true;
      r->power = 0.0f;
      return 0;
    }
    enter(r, (uint8_t)(r->phase + 1u), in);
    ph = &r->p->phases[r->phase];
    t_s = 0.0f;
  }
  float prev = t_s > 0.0f ? r->target : profile_target(ph, 0.0f, r->at_start);
  r->target = profile_target(ph, t_s, r->at_start);
  float rate = (r->target - prev) / TICK_S;
  float out;
  switch (ph->mode) {
    case PROFILE_MODE_PRESSURE: {
      float r_bar = r->target / 1000.0f;
      float e_bar = (r->target - in->pressure_mbar) / 1000.0f;
      float q = pump_model_flow_ml_s(in->pump, r_bar, 1000.0f);
      if (q < 0.3f) q = 0.3f;
      float sqrt_r = sqrtf(r_bar > 0.0f ? r_bar : 0.0f);
      float ff = (r->k_puck * sqrt_r + in->compliance_ml_bar * (rate > 0.0f ? rate / 1000.0f : 0.0f)) / q * 1000.0f;
      out = ff + EXEC_PRESSURE_KP * e_bar * 1000.0f;
      bool pinned = (out >= 1000.0f && e_bar > 0.0f) || (out <= 0.0f && e_bar < 0.0f);
      /* Below ~1.5 bar the basket is still filling: no back-pressure, no conductance to learn. */
      bool pressurised = in->pressure_mbar >= EXEC_PUCK_MIN_MBAR;
      if (!pinned && pressurised) r->k_puck = clampf(r->k_puck + EXEC_K_GAIN * e_bar * TICK_S, 0.0f, 20.0f);
      out = clampf(out, 0.0f, 1000.0f);
      r->ff = ff;
      if (ph->limit) { /* flow ceiling */
        float f = pi(&r->flow_i, ((float)ph->limit - in->flow_ml_s * 1000.0f) / 1000.0f, EXEC_FLOW_KP, EXEC_FLOW_KI);
        if (f < out) out = f;
      } else {
        r->flow_i = out; /* track, so a limit can take over without a bump */
      }
      break;
    }
    case PROFILE_MODE_FLOW: {
      out = pi(&r->flow_i, (r->target - in->flow_ml_s * 1000.0f) / 1000.0f, EXEC_FLOW_KP, EXEC_FLOW_KI);
      if (ph->limit) { /* pressure ceiling */
        float p = pi(&r->pressure_i, (float)ph->limit - in->pressure_mbar, EXEC_PRESSURE_KP, EXEC_PRESSURE_KI);
        if (p < out) out = p;
      } else {
        r->pressure_i = out;
      }
      break;
    }
    default: out = r->target; break;
  }
  r->power = out;
  return (uint16_t)(out + 0.5f);
}
