/* Runs a profile during a shot, every 10 ms: picks the phase, shapes its target along the curve,
 * closes the pressure or flow loop on the pump (the other quantity's limit wins when it binds),
 * and moves on when an exit condition holds. Power phases drive the pump directly. */
#ifndef BREWOS_PROFILE_EXECUTOR_H
#define BREWOS_PROFILE_EXECUTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "profile.h"
#include "shot/pump_model.h"

/* Pressure loop, model-based: power = (K sqrt(target) + C dtarget/dt) / q(target) + Kp e, where q is
 * the pump's flow at full power and K, the puck's conductance, is what the integrator learns, so
 * the holding power follows the target along a ramp instead of lagging it.
 * Kp in permille per mbar; EXEC_K_GAIN in (ml/s per sqrt(bar)) per bar-second of error. */
#define EXEC_PUCK_MIN_MBAR 1500.0f
#define EXEC_K_GAIN 2.0f
/* Classic PI terms (the flow loop's pressure ceiling uses them): permille per mbar and per mbar*s. */
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
  float phase_start_volume_ml; /* pumped when this phase began: a phase's volume exit counts from here */
  float at_start;              /* measured value of the phase's quantity when it began */
  float pressure_i, flow_i;    /* loop integrators, permille */
  float power;                 /* last output, permille */
  float target;                /* current target in the phase's unit */
  float prev_target;
  float ff;     /* rate feed-forward in force, permille */
  float k_puck; /* estimated puck conductance, ml/s per sqrt(bar): the pressure loop integrator */
  bool finished;
} profile_run_t;

typedef struct {
  uint32_t now_ms;
  float pressure_mbar;
  float flow_ml_s;
  float weight_g;           /* < 0 when no scale */
  float volume_ml;          /* pumped since the shot began */
  const pump_model_t *pump; /* the machine's pump curve (full power) */
  float compliance_ml_bar;  /* water the line takes per bar of rise */
} exec_in_t;

void profile_run_start(profile_run_t *r, const profile_t *p, const exec_in_t *in);
/* One tick. Returns pump power (permille). On a phase change *advanced is set with *reason
 * (proto_phase_reason_t); when the last phase ends, r->finished is set. */
uint16_t profile_run_tick(profile_run_t *r, const exec_in_t *in, bool *advanced, uint8_t *reason);

#endif
