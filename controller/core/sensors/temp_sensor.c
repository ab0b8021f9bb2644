/* Temperature channel with health checks. */
#include "temp_sensor.h"

#include "io/io.h"

void temp_sensor_init(temp_sensor_t *s, const ntc_params_t *p, bool fitted) {
  s->ntc = *p;
  filter_reset(&s->filter);
  s->value_c = 0.0f;
  s->fast_c = 0.0f;
  s->fault = TEMP_SENSOR_OK;
  s->rail_count = 0;
  s->stuck_min = 0xFFFF;
  s->stuck_max = 0;
  s->stuck_since_ms = 0;
  s->stuck_duty_sum = 0;
  s->stuck_samples = 0;
  s->fitted = fitted;
}

static void check_stuck(temp_sensor_t *s, uint16_t adc, uint32_t now_ms, uint16_t duty) {
  if (s->stuck_samples == 0) s->stuck_since_ms = now_ms;
  if (adc < s->stuck_min) s->stuck_min = adc;
  if (adc > s->stuck_max) s->stuck_max = adc;
  s->stuck_duty_sum += duty;
  s->stuck_samples++;
  if ((uint16_t)(s->stuck_max - s->stuck_min) > TEMP_SENSOR_STUCK_SPAN_COUNTS) {
    /* The reading moves: restart the window from this sample. */
    s->stuck_min = adc;
    s->stuck_max = adc;
    s->stuck_duty_sum = duty;
    s->stuck_samples = 1;
    s->stuck_since_ms = now_ms;
    return;
  }
  if (now_ms - s->stuck_since_ms < TEMP_SENSOR_STUCK_WINDOW_MS) return;
  uint32_t mean_duty = s->stuck_duty_sum / s->stuck_samples;
  if (mean_duty >= TEMP_SENSOR_STUCK_MIN_DUTY_PMIL && s->fault == TEMP_SENSOR_OK) s->fault = TEMP_SENSOR_STUCK;
  s->stuck_min = adc;
  s->stuck_max = adc;
  s->stuck_duty_sum = 0;
  s->stuck_samples = 0;
}

void temp_sensor_sample(temp_sensor_t *s, uint16_t adc, uint32_t now_ms, uint16_t heater_duty_pmil) {
  if (!s->fitted) return;
  bool open = adc >= IO_ADC_FULL_SCALE - TEMP_SENSOR_RAIL_COUNTS;
  bool shorted = adc <= TEMP_SENSOR_RAIL_COUNTS;
  if (open || shorted) {
    if (s->rail_count < TEMP_SENSOR_RAIL_SAMPLES) s->rail_count++;
    if (s->rail_count >= TEMP_SENSOR_RAIL_SAMPLES) s->fault = open ? TEMP_SENSOR_OPEN : TEMP_SENSOR_SHORT;
  } else {
    s->rail_count = 0;
    if (s->fault == TEMP_SENSOR_OPEN || s->fault == TEMP_SENSOR_SHORT) s->fault = TEMP_SENSOR_OK;
  }
  float t = ntc_temp_c(&s->ntc, adc, IO_ADC_FULL_SCALE);
  /* Report what the wire says, clamped to the telemetry range; the fault flag carries the meaning. */
  if (t < -40.0f) t = -40.0f;
  if (t > 250.0f) t = 250.0f;
  s->value_c = filter_push(&s->filter, t);
  s->fast_c = filter_fast(&s->filter);
  check_stuck(s, adc, now_ms, heater_duty_pmil);
}
