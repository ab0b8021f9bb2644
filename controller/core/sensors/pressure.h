/* Ratiometric pressure transducer (e.g. 0.5-4.5 V over 0-16 bar on a 5 V supply, divided to the ADC). */
#ifndef BREWOS_PRESSURE_H
#define BREWOS_PRESSURE_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"

typedef struct {
  float zero_ratio; /* ADC fraction at 0 bar */
  float full_ratio; /* ADC fraction at full_mbar */
  float full_mbar;
  filter_t filter;
  float value_mbar; /* filtered */
  float fast_mbar;  /* median of last 3, for trip checks */
  bool fault;       /* wire open (reads below zero) or shorted to supply */
  uint8_t fault_count;
  bool fitted;
} pressure_sensor_t;

void pressure_init(pressure_sensor_t *p, float zero_ratio, float full_ratio, float full_mbar, bool fitted);
void pressure_sample(pressure_sensor_t *p, uint16_t adc);
/* Counts a healthy transducer outputs at `mbar` (simulator and tests). */
uint16_t pressure_adc_at(const pressure_sensor_t *p, float mbar);

#endif
