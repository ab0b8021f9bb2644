/* Calibration deviation from the factory curve. */
#include "ntc_guard.h"

#include <math.h>

#define NTC_GUARD_FROM_C 20.0f
#define NTC_GUARD_STEP_C 5.0f

float ntc_calibration_deviation_c(const ntc_params_t *factory, const ntc_params_t *cal, float max_c) {
  float worst = 0.0f;
  float to_c = max_c + NTC_CAL_CHECK_ABOVE_LIMIT_C;
  for (float t = NTC_GUARD_FROM_C; t <= to_c + 0.01f; t += NTC_GUARD_STEP_C) {
    /* The divider ratio the real part makes at t, read back through the calibrated divider. */
    float r = ntc_ohm_at(factory->r25_ohm, factory->beta_k, t);
    float ratio = r / (r + factory->pullup_ohm);
    float seen_ohm = cal->pullup_ohm * ratio / (1.0f - ratio);
    float dev = fabsf(ntc_temp_c_from_ohm(cal, seen_ohm) - t);
    if (dev > worst) worst = dev;
  }
  return worst;
}
