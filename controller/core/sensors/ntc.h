/* NTC thermistor in a divider (pull-up to the ADC reference, NTC to ground), read ratiometrically. */
#ifndef BREWOS_NTC_H
#define BREWOS_NTC_H

#include <stdint.h>

typedef enum { NTC_MODEL_BETA, NTC_MODEL_STEINHART_HART } ntc_model_t;

typedef struct {
  ntc_model_t model;
  float r25_ohm;          /* Beta model: resistance at 25 degC */
  float beta_k;           /* Beta model: B constant */
  float pullup_ohm;       /* divider pull-up */
  float sh_a, sh_b, sh_c; /* Steinhart-Hart: 1/T = a + b ln R + c (ln R)^3, T in kelvin */
  float offset_c;         /* calibration offset added to the result */
} ntc_params_t;

/* NTC resistance for a divider reading (counts of `full_scale`); +inf-like large value when open. */
float ntc_resistance_ohm(uint16_t adc, uint16_t full_scale, float pullup_ohm);

/* Temperature in degC for a resistance. */
float ntc_temp_c_from_ohm(const ntc_params_t *p, float r_ohm);

/* Temperature in degC for a divider reading. */
float ntc_temp_c(const ntc_params_t *p, uint16_t adc, uint16_t full_scale);

/* Resistance an NTC has at `temp_c` (Beta model); used by the simulator and tests. */
float ntc_ohm_at(float r25_ohm, float beta_k, float temp_c);

#endif
