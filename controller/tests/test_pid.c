/* PID: derivative on measurement (no kick), anti-windup, integration band, duty cap. */
#include <math.h>

#include "test_helpers.h"
#include "control/pid.h"

static pid_gains_t g(void) {
  pid_gains_t x = {100.0f, 5.0f, 500.0f, 1.0f, 3.0f, 1000.0f};
  return x;
}

static void setpoint_step_gives_no_derivative_kick(void **state) {
  (void)state;
  pid_loop_t p;
  pid_gains_t x = g();
  pid_init(&p, &x);
  (void)pid_update(&p, 90.0f, 90.0f, 0.1f, 0.0f);
  float out = pid_update(&p, 92.0f, 90.0f, 0.1f, 0.0f); /* setpoint jumps 2 degC */
  assert_near(p.last_d, 0.0f, 1e-6);
  assert_near(out, 200.0f + p.last_i, 1e-3);
}

static void falling_temperature_raises_output_through_derivative(void **state) {
  (void)state;
  pid_loop_t p;
  pid_gains_t x = g();
  pid_init(&p, &x);
  (void)pid_update(&p, 93.0f, 93.0f, 0.1f, 0.0f);
  for (int i = 0; i < 20; i++) (void)pid_update(&p, 93.0f, 93.0f - 0.05f * (float)i, 0.1f, 0.0f);
  assert_true(p.last_d > 0.0f);
}

static void integrator_does_not_wind_up_far_from_setpoint_or_when_saturated(void **state) {
  (void)state;
  pid_loop_t p;
  pid_gains_t x = g();
  pid_init(&p, &x);
  for (int i = 0; i < 3000; i++) (void)pid_update(&p, 93.0f, 40.0f, 0.1f, 0.0f); /* cold boiler, 5 min */
  assert_near(p.integral, 0.0f, 1e-6);
  /* Near setpoint but saturated high (feed-forward already at 900): still no growth. */
  pid_loop_t q;
  pid_init(&q, &x);
  for (int i = 0; i < 100; i++) (void)pid_update(&q, 93.0f, 91.0f, 0.1f, 900.0f);
  assert_near(q.integral, 0.0f, 1e-6);
}

static void integrator_removes_a_steady_offset(void **state) {
  (void)state;
  pid_loop_t p;
  pid_gains_t x = g();
  pid_init(&p, &x);
  for (int i = 0; i < 100; i++) (void)pid_update(&p, 93.0f, 92.5f, 0.1f, 0.0f);
  assert_near(p.integral, 5.0f * 0.5f * 10.0f, 0.01f);
}

static void output_respects_the_duty_cap_and_never_goes_negative(void **state) {
  (void)state;
  pid_loop_t p;
  pid_gains_t x = g();
  x.out_max = 600.0f;
  pid_init(&p, &x);
  assert_near(pid_update(&p, 93.0f, 20.0f, 0.1f, 0.0f), 600.0f, 1e-3);
  assert_near(pid_update(&p, 93.0f, 120.0f, 0.1f, 0.0f), 0.0f, 1e-3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(setpoint_step_gives_no_derivative_kick),
      cmocka_unit_test(falling_temperature_raises_output_through_derivative),
      cmocka_unit_test(integrator_does_not_wind_up_far_from_setpoint_or_when_saturated),
      cmocka_unit_test(integrator_removes_a_steady_offset),
      cmocka_unit_test(output_respects_the_duty_cap_and_never_goes_negative),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
