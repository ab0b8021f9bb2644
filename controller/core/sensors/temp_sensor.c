/* Temperature channel with health checks. */
#include "temp_sensor.h"

#include "io/io.h"

void temp_sensor_init(temp_sensor_t *s, const ntc_params_t *p, bool fitted) {
  s->ntc = *p;
  s->factory = *p;
  s->factory.offset_c = 0.0f;
  filter_reset(&s->filter);
  filter_reset(&s->factory_filter);
  s->factory_fast_c = 0.0f;
  s->frozen_adc = 0;
  s->frozen_since_ms = 0;
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

void temp_sensor_set_factory(temp_sensor_t *s, const ntc_params_t *factory) {
  s->factory = *factory;
  s->factory.offset_c = 0.0f;
  filter_reset(&s->factory_filter);
}

float temp_sensor_limit_c(const temp_sensor_t *s) {
  return s->factory_fast_c > s->fast_c ? s->factory_fast_c : s->fast_c;
}

static float clamp_c(float t) {
  /* Report what the wire says, clamped to the telemetry range; the fault flag carries the meaning. */
  if (t < -40.0f) return -40.0f;
  if (t > 250.0f) return 250.0f;
  return t;
}

/* A reading that does not move by a single count for the whole window is frozen, heater on or off. */
static void check_frozen(temp_sensor_t *s, uint16_t adc, uint32_t now_ms) {
  if (adc != s->frozen_adc || s->frozen_since_ms == 0) {
    s->frozen_adc = adc;
    s->frozen_since_ms = now_ms == 0 ? 1u : now_ms;
    return;
  }
  if (now_ms - s->frozen_since_ms >= TEMP_SENSOR_FROZEN_WINDOW_MS && s->fault == TEMP_SENSOR_OK) {
    s->fault = TEMP_SENSOR_STUCK;
  }
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
  s->value_c = filter_push(&s->filter, clamp_c(ntc_temp_c(&s->ntc, adc, IO_ADC_FULL_SCALE)));
  s->fast_c = filter_fast(&s->filter);
  (void)filter_push(&s->factory_filter, clamp_c(ntc_temp_c(&s->factory, adc, IO_ADC_FULL_SCALE)));
  s->factory_fast_c = filter_fast(&s->factory_filter);
  check_stuck(s, adc, now_ms, heater_duty_pmil);
  if (!open && !shorted) check_frozen(s, adc, now_ms);
}
