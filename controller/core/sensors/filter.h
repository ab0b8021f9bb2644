/* Sample filter for analog sensors: median of the last 5 raw samples (rejects single spikes), then
 * a moving average of the last 8 medians (noise). At 100 Hz the group delay is about 55 ms. */
#ifndef BREWOS_FILTER_H
#define BREWOS_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#define FILTER_MEDIAN_N 5u
#define FILTER_AVERAGE_N 8u

typedef struct {
  float raw[FILTER_MEDIAN_N];
  float med[FILTER_AVERAGE_N];
  float sum;
  uint8_t raw_i, med_i;
  uint8_t raw_n, med_n;
} filter_t;

void filter_reset(filter_t *f);
/* Add a sample and return the filtered value. */
float filter_push(filter_t *f, float x);
/* Median of the last 3 raw samples: a fast, spike-proof value for trip checks. */
float filter_fast(const filter_t *f);

#endif
