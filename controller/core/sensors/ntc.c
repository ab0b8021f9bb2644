/* NTC conversions in single precision (the RP2350 FPU is single precision). */
#include "ntc.h"

#include <math.h>

#define KELVIN_0C 273.15f
#define T25_K 298.15f

float ntc_resistance_ohm(uint16_t adc, uint16_t full_scale, float pullup_ohm) {
  if (adc >= full_scale) return 1.0e9f;
  float r = (float)adc / (float)full_scale;
  return pullup_ohm * r / (1.0f - r);
}

float ntc_temp_c_from_ohm(const ntc_params_t *p, float r_ohm) {
  if (r_ohm < 1.0f) r_ohm = 1.0f;
  float ln_r = logf(r_ohm);
  float inv_t;
  if (p->model == NTC_MODEL_STEINHART_HART) {
    inv_t = p->sh_a + p->sh_b * ln_r + p->sh_c * ln_r * ln_r * ln_r;
  } else {
    inv_t = 1.0f / T25_K + (ln_r - logf(p->r25_ohm)) / p->beta_k;
  }
  return 1.0f / inv_t - KELVIN_0C + p->offset_c;
}

float ntc_temp_c(const ntc_params_t *p, uint16_t adc, uint16_t full_scale) {
  return ntc_temp_c_from_ohm(p, ntc_resistance_ohm(adc, full_scale, p->pullup_ohm));
}

float ntc_ohm_at(float r25_ohm, float beta_k, float temp_c) {
  return r25_ohm * expf(beta_k * (1.0f / (temp_c + KELVIN_0C) - 1.0f / T25_K));
}
