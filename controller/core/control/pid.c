/* PID with filtered derivative on measurement and conditional integration. */
#include "pid.h"

void pid_init(pid_loop_t *p, const pid_gains_t *g) {
  p->g = *g;
  pid_reset(p);
}

void pid_set_gains(pid_loop_t *p, const pid_gains_t *g) {
  p->g = *g;
}

void pid_reset(pid_loop_t *p) {
  p->integral = 0.0f;
  p->prev_meas = 0.0f;
  p->d_filt = 0.0f;
  p->primed = false;
  p->last_p = p->last_i = p->last_d = p->last_ff = 0.0f;
}

static float clampf(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

float pid_update(pid_loop_t *p, float setpoint_c, float meas_c, float dt_s, float ff_pmil) {
  if (!p->primed) {
    p->prev_meas = meas_c;
    p->d_filt = 0.0f;
    p->primed = true;
  }
  float err = setpoint_c - meas_c;
  float rate = (meas_c - p->prev_meas) / dt_s;
  p->prev_meas = meas_c;
  float alpha = dt_s / (p->g.d_tau_s + dt_s);
  p->d_filt += alpha * (rate - p->d_filt);

  float pterm = p->g.kp * err;
  float dterm = -p->g.kd * p->d_filt;
  float unsat = pterm + p->integral + dterm + ff_pmil;
  /* Integrate only near the setpoint, and never in the direction that deepens saturation. */
  bool near = err < p->g.i_band_c && err > -p->g.i_band_c;
  bool pushing_high = unsat >= p->g.out_max && err > 0.0f;
  bool pushing_low = unsat <= 0.0f && err < 0.0f;
  if (near && !pushing_high && !pushing_low) {
    p->integral = clampf(p->integral + p->g.ki * err * dt_s, 0.0f, p->g.out_max);
  }
  p->last_p = pterm;
  p->last_i = p->integral;
  p->last_d = dterm;
  p->last_ff = ff_pmil;
  return clampf(pterm + p->integral + dterm + ff_pmil, 0.0f, p->g.out_max);
}
