/* Temperature PID. Output in permille heater duty. Derivative acts on the measurement (no setpoint
 * kick) through a first-order filter; the integrator only runs near the setpoint and never pushes
 * a saturated output further (anti-windup); a feed-forward term is added outside the integrator. */
#ifndef BREWOS_PID_H
#define BREWOS_PID_H

#include <stdbool.h>

typedef struct {
  float kp;       /* permille per degC */
  float ki;       /* permille per degC*s */
  float kd;       /* permille*s per degC */
  float d_tau_s;  /* derivative filter time constant */
  float i_band_c; /* integrate only while |error| < i_band_c */
  float out_max;  /* duty cap, permille */
} pid_gains_t;

typedef struct {
  pid_gains_t g;
  float integral; /* permille */
  float prev_meas;
  float d_filt; /* filtered d(meas)/dt, degC/s */
  bool primed;
  float last_p, last_i, last_d, last_ff; /* terms of the last update, for logs and tests */
} pid_loop_t;

void pid_init(pid_loop_t *p, const pid_gains_t *g);
/* Change gains without a bump: the integral is kept. */
void pid_set_gains(pid_loop_t *p, const pid_gains_t *g);
void pid_reset(pid_loop_t *p);
/* One update after dt_s; ff_pmil is feed-forward duty. Returns duty in 0..out_max permille. */
float pid_update(pid_loop_t *p, float setpoint_c, float meas_c, float dt_s, float ff_pmil);

#endif
