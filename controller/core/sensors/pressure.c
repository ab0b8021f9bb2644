/* Pressure transducer conversion and wiring-fault detection. */
#include "pressure.h"

#include "io/io.h"

/* A transducer never outputs below half its zero offset unless the signal wire is open, nor
 * above 98 % of the supply unless shorted: 10 consecutive samples (100 ms) of either is a fault. */
#define PRESSURE_FAULT_SAMPLES 10u

void pressure_init(pressure_sensor_t *p, float zero_ratio, float full_ratio, float full_mbar, bool fitted) {
  p->zero_ratio = zero_ratio;
  p->full_ratio = full_ratio;
  p->full_mbar = full_mbar;
  filter_reset(&p->filter);
  p->value_mbar = 0.0f;
  p->fast_mbar = 0.0f;
  p->fault = false;
  p->fault_count = 0;
  p->fitted = fitted;
}

void pressure_sample(pressure_sensor_t *p, uint16_t adc) {
  if (!p->fitted) return;
  float r = (float)adc / (float)IO_ADC_FULL_SCALE;
  bool bad = r < p->zero_ratio * 0.5f || r > 0.98f;
  if (bad) {
    if (p->fault_count < PRESSURE_FAULT_SAMPLES) p->fault_count++;
  } else {
    p->fault_count = 0;
  }
  p->fault = p->fault_count >= PRESSURE_FAULT_SAMPLES;
  float mbar = (r - p->zero_ratio) / (p->full_ratio - p->zero_ratio) * p->full_mbar;
  if (mbar < 0.0f) mbar = 0.0f;
  p->value_mbar = filter_push(&p->filter, mbar);
  p->fast_mbar = filter_fast(&p->filter);
}

uint16_t pressure_adc_at(const pressure_sensor_t *p, float mbar) {
  float r = p->zero_ratio + (p->full_ratio - p->zero_ratio) * mbar / p->full_mbar;
  float counts = r * (float)IO_ADC_FULL_SCALE + 0.5f;
  if (counts < 0.0f) counts = 0.0f;
  if (counts > (float)IO_ADC_FULL_SCALE) counts = (float)IO_ADC_FULL_SCALE;
  return (uint16_t)counts;
}
