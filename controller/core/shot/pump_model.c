/* Piecewise-linear pump curve. */
#include "pump_model.h"

void pump_model_default(pump_model_t *m) {
  m->bar[0] = 0.0f;
  m->ml_s[0] = 10.8f;
  m->bar[1] = 9.0f;
  m->ml_s[1] = 4.25f;
  m->bar[2] = 15.0f;
  m->ml_s[2] = 0.0f;
}

void pump_model_set(pump_model_t *m, float q0_ml_s, float q9_ml_s, float max_bar) {
  m->bar[0] = 0.0f;
  m->ml_s[0] = q0_ml_s;
  m->bar[1] = 9.0f;
  m->ml_s[1] = q9_ml_s;
  m->bar[2] = max_bar;
  m->ml_s[2] = 0.0f;
}

float pump_model_flow_ml_s(const pump_model_t *m, float pressure_bar, float power_pmil) {
  if (power_pmil <= 0.0f) return 0.0f;
  float q = 0.0f;
  if (pressure_bar <= m->bar[0]) {
    q = m->ml_s[0];
  } else if (pressure_bar >= m->bar[PUMP_CURVE_POINTS - 1]) {
    q = m->ml_s[PUMP_CURVE_POINTS - 1];
  } else {
    for (int i = 1; i < PUMP_CURVE_POINTS; i++) {
      if (pressure_bar <= m->bar[i]) {
        float f = (pressure_bar - m->bar[i - 1]) / (m->bar[i] - m->bar[i - 1]);
        q = m->ml_s[i - 1] + f * (m->ml_s[i] - m->ml_s[i - 1]);
        break;
      }
    }
  }
  return q * power_pmil / 1000.0f;
}
