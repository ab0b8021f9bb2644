/* Runs a profile during a shot, every 10 ms: picks the phase, shapes its target along the curve,
 * closes the pressure or flow loop on the pump (the other quantity's limit wins when it binds),
 * and moves on when an exit condition holds. Power phases drive the pump directly. */
#ifndef BREWOS_PROFILE_EXECUTOR_H
#define BREWOS_PROFILE_EXECUTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "profile.h"

/* Pressure loop: permille of pump power per bar of error, and per bar-second. */
#define EXEC_PRESSURE_KP 0.4f /* permille per mbar */
#define EXEC_PRESSURE_KI 0.1f /* permille per mbar*s */
/* Feed-forward on the target's rate of change: a rising pressure needs the water that compresses
 * the line (~1.4 ml/bar) on top of what the puck takes; permille per mbar/s. */
#define EXEC_PRESSURE_KR 0.06f
/* Flow loop: permille per ml/s of error, and per ml. */
#define EXEC_FLOW_KP 60.0f
#define EXEC_FLOW_KI 150.0f

typedef struct {
  const profile_t *p;
  uint8_t phase;
  uint32_t phase_start_ms;
  float at_start;           /* measured value of the phase's quantity when it began */
  float pressure_i, flow_i; /* loop integrators, permille */
  float power;              /* last output, permille */
  float target;             /* current target in the phase's unit */
  float prev_target;
  float ff; /* rate feed-forward in force, permille */
  bool finished;
} profile_run_t;

typedef struct {
  uint32_t now_ms;
  float pressure_mbar;
  float flow_ml_s;
  float weight_g;  /* < 0 when no scale */
  float volume_ml; /* pumped since the shot began */
} exec_in_t;

void profile_run_start(profile_run_t *r, const profile_t *p, const exec_in_t *in);
/* One tick. Returns pump power (permille). On a phase change *advanced is set with *reason
 * (proto_phase_reason_t); when the last phase ends, r->finished is set. */
uint16_t profile_run_tick(profile_run_t *r, const exec_in_t *in, bool *advanced, uint8_t *reason);

#endif
