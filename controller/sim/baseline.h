/* The BrewOS reference controller re-implemented from its published facts, for comparison only:
 * sensors at 20 Hz (median 5 -> average 8), PID every 100 ms with Kp 2.0 %/degC, Ki 0.1 %/(degC s),
 * Kd 1.0 %s/degC, derivative on measurement filtered with tau 0.5 s, integral clamped to 100/Ki,
 * setpoint ramp 1 degC/s, no feed-forward; 25 Hz PWM on zero-cross SSRs (whole half-cycles in a
 * 40 ms window), duties under 5 % dropped, 95 % cap; sequential strategy enabling steam at 80 % of
 * the brew setpoint. Source: shared reference brewos-facts.md sections 3.1-3.3. */
#ifndef BREWOS_SIM_BASELINE_H
#define BREWOS_SIM_BASELINE_H

#include <stdbool.h>

#include "app/controller.h"
#include "sensors/filter.h"

typedef struct {
  filter_t filter;
  float temp_c;
  float integral, prev, dfilt, sp_active;
  bool primed;
  float duty_pct;
} baseline_loop_t;

typedef struct {
  baseline_loop_t brew, steam;
  unsigned ticks;
} baseline_t;

void baseline_init(baseline_t *b);
/* Heater states for this 10 ms tick; the real controller supplies setpoints, mode and sensors' config. */
void baseline_tick(baseline_t *b, const controller_t *ctl, const ctl_inputs_t *in, bool *brew_on, bool *steam_on);
/* Last filtered readings (for the report). */
float baseline_controlled_c(const baseline_t *b, const controller_t *ctl);

#endif
