/* Median + moving-average filter. */
#include "filter.h"

#include <string.h>

void filter_reset(filter_t *f) {
  memset(f, 0, sizeof *f);
}

static float median_of(const float *v, uint8_t n) {
  float s[FILTER_MEDIAN_N];
  memcpy(s, v, (size_t)n * sizeof(float));
  for (uint8_t i = 1; i < n; i++) {
    float x = s[i];
    uint8_t j = i;
    while (j > 0 && s[j - 1] > x) {
      s[j] = s[j - 1];
      j--;
    }
    s[j] = x;
  }
  return s[n / 2u];
}

float filter_push(filter_t *f, float x) {
  f->raw[f->raw_i] = x;
  f->raw_i = (uint8_t)((f->raw_i + 1u) % FILTER_MEDIAN_N);
  if (f->raw_n < FILTER_MEDIAN_N) f->raw_n++;
  float m = median_of(f->raw, f->raw_n);
  if (f->med_n == FILTER_AVERAGE_N)
    f->sum -= f->med[f->med_i];
  else
    f->med_n++;
  f->med[f->med_i] = m;
  f->sum += m;
  f->med_i = (uint8_t)((f->med_i + 1u) % FILTER_AVERAGE_N);
  if (f->med_i == 0) { /* re-add from scratch each lap so float rounding cannot drift over hours */
    f->sum = 0.0f;
    for (uint8_t k = 0; k < f->med_n; k++) f->sum += f->med[k];
  }
  return f->sum / (float)f->med_n;
}

float filter_fast(const filter_t *f) {
  if (f->raw_n < 3u) return f->raw_n == 0 ? 0.0f : f->raw[(f->raw_i + FILTER_MEDIAN_N - 1u) % FILTER_MEDIAN_N];
  float last3[3];
  for (uint8_t k = 0; k < 3u; k++) last3[k] = f->raw[(f->raw_i + FILTER_MEDIAN_N - 1u - k) % FILTER_MEDIAN_N];
  return median_of(last3, 3);
}
