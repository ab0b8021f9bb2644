/* Relay autotune (Astrom-Hagglund): drives the heater between amplitude and 0 around the setpoint
 * with a small hysteresis, measures the limit cycle's period Tu and amplitude a, and derives the
 * ultimate gain Ku = 4d / (pi a). Proposed gains: Kp = Ku/1.8, Ti = 2 Tu, Td = Tu/16. Boiler loops
 * are lag-dominated (element, shell and thermowell in series) and want far less derivative than
 * the classic rules (Ziegler-Nichols Td = Tu/8, Tyreus-Luyben Tu/6.3); this rule was chosen on the
 * simulator and checked on all three machine presets (controller/sim/README.md, "Autotune"). */
#ifndef BREWOS_AUTOTUNE_H
#define BREWOS_AUTOTUNE_H

#include <stdbool.h>
#include <stdint.h>

#define AUTOTUNE_HYSTERESIS_C 0.2f
#define AUTOTUNE_CYCLES 5u           /* measured cycles after the first (which is discarded) */
#define AUTOTUNE_TIMEOUT_MS 2400000u /* 40 min */

typedef struct {
  bool running;
  uint8_t boiler; /* 0 brew, 1 steam */
  float setpoint_c;
  float amplitude_pmil;
  bool relay_on;
  uint32_t start_ms;
  uint32_t last_rise_ms; /* time of the last off->on switch */
  float cycle_max, cycle_min;
  uint8_t cycles;
  float sum_period_ms, sum_amp_c;
  /* result */
  bool done;
  uint8_t status;   /* proto_autotune_status_t */
  float kp, ki, kd; /* permille units, as the PID uses */
  float period_ms, amp_c;
} autotune_t;

void autotune_start(autotune_t *a, uint8_t boiler, float setpoint_c, float amplitude_pmil, uint32_t now_ms);
void autotune_abort(autotune_t *a);
/* Feed the measurement; returns the duty to apply. Sets done/status when finished. */
float autotune_update(autotune_t *a, float meas_c, uint32_t now_ms);

#endif
