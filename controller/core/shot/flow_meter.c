/* Pulse-period flow measurement. */
#include "flow_meter.h"

void flow_meter_init(flow_meter_t *f) {
  f->last_pulses = 0;
  f->last_edge_ms = 0;
  f->period_ms = 0;
  f->flow_ml_s = 0.0f;
  f->primed = false;
}

float flow_meter_update(flow_meter_t *f, uint32_t pulses, uint32_t now_ms, float ul_per_pulse) {
  if (!f->primed) {
    f->primed = true;
    f->last_pulses = pulses;
    f->last_edge_ms = now_ms;
    return 0.0f;
  }
  uint32_t n = pulses - f->last_pulses; /* wraps correctly */
  uint32_t since = now_ms - f->last_edge_ms;
  if (n > 0) {
    f->period_ms = since > 0 ? since / n : 1u;
    if (f->period_ms == 0) f->period_ms = 1;
    f->last_pulses = pulses;
    f->last_edge_ms = now_ms;
    f->flow_ml_s = ul_per_pulse / (float)f->period_ms; /* uL/ms = mL/s */
  } else if (since >= FLOW_METER_STALL_MS) {
    f->flow_ml_s = 0.0f;
  } else if (f->period_ms > 0 && since > f->period_ms) {
    f->flow_ml_s = ul_per_pulse / (float)since;
  }
  return f->flow_ml_s;
}
