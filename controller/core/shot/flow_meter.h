/* Flow meter on the pump inlet (pulse counter). At espresso flow a Gicar-type meter gives only
 * ~4 pulses/s, so flow comes from the time between pulses, not from pulses per window; with no
 * pulse for longer than the last period the estimate decays as if one were about to arrive, and
 * reaches zero after FLOW_METER_STALL_MS. */
#ifndef BREWOS_FLOW_METER_H
#define BREWOS_FLOW_METER_H

#include <stdbool.h>
#include <stdint.h>

#define FLOW_METER_STALL_MS 2000u

typedef struct {
  uint32_t last_pulses;
  uint32_t last_edge_ms;
  uint32_t period_ms; /* ms per pulse over the last change */
  float flow_ml_s;
  bool primed;
} flow_meter_t;

void flow_meter_init(flow_meter_t *f);
/* Feed the cumulative pulse count every tick. Returns flow in ml/s. */
float flow_meter_update(flow_meter_t *f, uint32_t pulses, uint32_t now_ms, float ul_per_pulse);

#endif
