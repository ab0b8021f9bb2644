/* Solid-state relay drive for a heater: sigma-delta pulse-density modulation on 10 ms ticks (one
 * mains half-cycle at 50 Hz), fired in bursts of at least the minimum on-time. With the default
 * 20 ms burst every pulse is one full mains cycle, so the heater draws no DC component. */
#ifndef BREWOS_SSR_H
#define BREWOS_SSR_H

#include <stdbool.h>
#include <stdint.h>

#define SSR_TICK_MS 10u

typedef struct {
  int32_t acc;         /* accumulated demand, permille-ticks */
  uint8_t burst_ticks; /* ticks per pulse (min on-time) */
  uint8_t remaining;   /* ticks left in the current pulse */
} ssr_t;

void ssr_init(ssr_t *s, uint16_t min_on_ms);
/* Demand for this tick (0..1000). Returns whether the SSR wants to conduct this tick. */
bool ssr_want(ssr_t *s, uint16_t duty_pmil);
/* The scheduler denied this tick (another heater had priority): keep the demand for later. */
void ssr_deny(ssr_t *s);
/* Forget any pending demand (heater disabled or tripped). */
void ssr_clear(ssr_t *s);

#endif
