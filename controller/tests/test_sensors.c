/* NTC conversion, filtering and sensor health: faults are flagged, values are never frozen. */
#include <math.h>

#include "test_helpers.h"
#include "sensors/ntc_guard.h"
#include "io/io.h"
#include "sensors/ntc.h"
#include "sensors/pressure.h"
#include "sensors/temp_sensor.h"

static ntc_params_t beta50k(void) {
  ntc_params_t p = {NTC_MODEL_BETA, 50000.0f, 3950.0f, 3300.0f, 0, 0, 0, 0};
  return p;
}

static uint16_t adc_at(float temp_c, const ntc_params_t *p) {
  float r = ntc_ohm_at(p->r25_ohm, p->beta_k, temp_c);
  return (uint16_t)(r / (r + p->pullup_ohm) * (float)IO_ADC_FULL_SCALE + 0.5f);
}

static void beta_model_matches_the_reference_table(void **state) {
  (void)state;
  /* 50 kOhm B3950 at 93 degC is 4270 Ohm (machine-physics reference, section 6). */
  assert_near(ntc_ohm_at(50000.0f, 3950.0f, 93.0f), 4270.0f, 10.0f);
  ntc_params_t p = beta50k();
  assert_near(ntc_temp_c_from_ohm(&p, 4270.0f), 93.0f, 0.05f);
}

static void steinhart_hart_agrees_with_beta_near_its_fit(void **state) {
  (void)state;
  /* Coefficients fitted to the same 50 kOhm/B3950 curve at 25, 93 and 140 degC. */
  ntc_params_t sh = {NTC_MODEL_STEINHART_HART, 0, 0, 3300.0f, 0, 0, 0, 0};
  float t[3] = {25.0f, 93.0f, 140.0f};
  double L[3], Y[3];
  for (int i = 0; i < 3; i++) {
    L[i] = log((double)ntc_ohm_at(50000.0f, 3950.0f, t[i]));
    Y[i] = 1.0 / ((double)t[i] + 273.15);
  }
  double g2 = (Y[1] - Y[0]) / (L[1] - L[0]), g3 = (Y[2] - Y[0]) / (L[2] - L[0]);
  double c = (g3 - g2) / (L[2] - L[1]) / (L[0] + L[1] + L[2]);
  double b = g2 - c * (L[0] * L[0] + L[0] * L[1] + L[1] * L[1]);
  double a = Y[0] - (b + L[0] * L[0] * c) * L[0];
  sh.sh_a = (float)a;
  sh.sh_b = (float)b;
  sh.sh_c = (float)c;
  assert_near(ntc_temp_c_from_ohm(&sh, ntc_ohm_at(50000.0f, 3950.0f, 93.0f)), 93.0f, 0.05f);
  assert_near(ntc_temp_c_from_ohm(&sh, ntc_ohm_at(50000.0f, 3950.0f, 120.0f)), 120.0f, 0.2f);
}

static void filter_rejects_a_single_spike(void **state) {
  (void)state;
  filter_t f;
  filter_reset(&f);
  for (int i = 0; i < 20; i++) (void)filter_push(&f, 93.0f);
  float v = filter_push(&f, 200.0f); /* one bad sample */
  assert_near(v, 93.0f, 0.001f);
  assert_near(filter_fast(&f), 93.0f, 0.001f);
}

static void open_sensor_is_flagged_within_100_ms_and_keeps_reporting(void **state) {
  (void)state;
  ntc_params_t p = beta50k();
  temp_sensor_t s;
  temp_sensor_init(&s, &p, true);
  uint32_t t = 0;
  for (int i = 0; i < 50; i++, t += 10) temp_sensor_sample(&s, adc_at(93.0f, &p), t, 100);
  assert_int_equal(s.fault, TEMP_SENSOR_OK);
  int ticks = 0;
  while (s.fault == TEMP_SENSOR_OK && ticks < 100) {
    temp_sensor_sample(&s, IO_ADC_FULL_SCALE, t, 100);
    t += 10;
    ticks++;
  }
  assert_int_equal(s.fault, TEMP_SENSOR_OPEN);
  assert_true(ticks <= 10);
  /* Never frozen: the reading moves with what the wire says (an open NTC reads very cold). */
  for (int i = 0; i < 20; i++, t += 10) temp_sensor_sample(&s, IO_ADC_FULL_SCALE, t, 100);
  assert_true(s.value_c < 0.0f);
}

static void shorted_sensor_is_flagged_and_recovers_when_fixed(void **state) {
  (void)state;
  ntc_params_t p = beta50k();
  temp_sensor_t s;
  temp_sensor_init(&s, &p, true);
  uint32_t t = 0;
  for (int i = 0; i < 10; i++, t += 10) temp_sensor_sample(&s, 0, t, 0);
  assert_int_equal(s.fault, TEMP_SENSOR_SHORT);
  temp_sensor_sample(&s, adc_at(93.0f, &p), t, 0);
  assert_int_equal(s.fault, TEMP_SENSOR_OK);
}

static void sensor_that_does_not_move_while_heated_is_stuck(void **state) {
  (void)state;
  ntc_params_t p = beta50k();
  temp_sensor_t s;
  temp_sensor_init(&s, &p, true);
  uint16_t frozen = adc_at(60.0f, &p);
  uint32_t t = 0;
  for (; t < 29000; t += 10) temp_sensor_sample(&s, frozen, t, 1000);
  assert_int_equal(s.fault, TEMP_SENSOR_OK);
  for (; t < 31000; t += 10) temp_sensor_sample(&s, frozen, t, 1000);
  assert_int_equal(s.fault, TEMP_SENSOR_STUCK);
}

static void still_sensor_with_its_heater_off_is_not_stuck(void **state) {
  (void)state;
  ntc_params_t p = beta50k();
  temp_sensor_t s;
  temp_sensor_init(&s, &p, true);
  uint16_t still = adc_at(22.0f, &p);
  /* A live sensor at rest: the temperature does not move, the converter's last bit does. */
  for (uint32_t t = 0; t < 120000; t += 10) temp_sensor_sample(&s, (uint16_t)(still + (t / 10u % 7u == 0u)), t, 0);
  assert_int_equal(s.fault, TEMP_SENSOR_OK);
}

static void a_reading_frozen_to_the_count_is_stuck_even_with_the_heater_off(void **state) {
  (void)state;
  ntc_params_t p = beta50k();
  temp_sensor_t s;
  temp_sensor_init(&s, &p, true);
  uint16_t frozen = adc_at(93.0f, &p);
  uint32_t t = 10;
  for (; t < TEMP_SENSOR_FROZEN_WINDOW_MS && s.fault == TEMP_SENSOR_OK; t += 10) temp_sensor_sample(&s, frozen, t, 0);
  assert_int_equal(s.fault, TEMP_SENSOR_OK);
  for (; t < TEMP_SENSOR_FROZEN_WINDOW_MS + 100u; t += 10) temp_sensor_sample(&s, frozen, t, 0);
  assert_int_equal(s.fault, TEMP_SENSOR_STUCK);
}

static void limits_read_the_factory_curve_whatever_the_calibration(void **state) {
  (void)state;
  ntc_params_t p = beta50k();
  temp_sensor_t s;
  temp_sensor_init(&s, &p, true);
  ntc_params_t cal = p;
  cal.offset_c = -5.0f; /* reads 5 degC low */
  s.ntc = cal;
  for (uint32_t t = 0; t < 200; t += 10) temp_sensor_sample(&s, adc_at(130.0f, &p), t, 0);
  assert_true(s.fast_c < 126.0f);
  assert_true(fabsf(temp_sensor_limit_c(&s) - 130.0f) < 0.5f);
  assert_true(ntc_calibration_deviation_c(&p, &cal, 130.0f) > 4.9f);
}

static void pressure_transducer_converts_and_flags_a_broken_wire(void **state) {
  (void)state;
  pressure_sensor_t ps;
  pressure_init(&ps, 0.1f, 0.9f, 16000.0f, true);
  uint16_t nine_bar = pressure_adc_at(&ps, 9000.0f);
  for (int i = 0; i < 20; i++) pressure_sample(&ps, nine_bar);
  assert_near(ps.value_mbar, 9000.0f, 10.0f);
  for (int i = 0; i < 10; i++) pressure_sample(&ps, 0);
  assert_true(ps.fault);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(beta_model_matches_the_reference_table),
      cmocka_unit_test(steinhart_hart_agrees_with_beta_near_its_fit),
      cmocka_unit_test(filter_rejects_a_single_spike),
      cmocka_unit_test(open_sensor_is_flagged_within_100_ms_and_keeps_reporting),
      cmocka_unit_test(shorted_sensor_is_flagged_and_recovers_when_fixed),
      cmocka_unit_test(sensor_that_does_not_move_while_heated_is_stuck),
      cmocka_unit_test(still_sensor_with_its_heater_off_is_not_stuck),
      cmocka_unit_test(a_reading_frozen_to_the_count_is_stuck_even_with_the_heater_off),
      cmocka_unit_test(limits_read_the_factory_curve_whatever_the_calibration),
      cmocka_unit_test(pressure_transducer_converts_and_flags_a_broken_wire),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
