/* Relay autotune. */
#include "autotune.h"

#include "link/proto_gen.h"

#define PI_F 3.14159265f

void autotune_start(autotune_t *a, uint8_t boiler, float setpoint_c, float amplitude_pmil, uint32_t now_ms) {
  a->running = true;
  a->done = false;
  a->boiler = boiler;
  a->setpoint_c = setpoint_c;
  a->amplitude_pmil = amplitude_pmil;
  a->relay_on = true;
  a->start_ms = now_ms;
  a->last_rise_ms = 0;
  a->cycle_max = -1000.0f;
  a->cycle_min = 1000.0f;
  a->cycles = 0;
  a->sum_period_ms = 0.0f;
  a->sum_amp_c = 0.0f;
  a->kp = a->ki = a->kd = 0.0f;
  a->period_ms = a->amp_c = 0.0f;
}

static void finish(autotune_t *a, uint8_t status) {
  a->running = false;
  a->done = true;
  a->status = status;
}

void autotune_abort(autotune_t *a) {
  if (a->running) finish(a, PROTO_AUTOTUNE_STATUS_ABORTED);
}

float autotune_update(autotune_t *a, float meas_c, uint32_t now_ms) {
  if (!a->running) return 0.0f;
  if (now_ms - a->start_ms > AUTOTUNE_TIMEOUT_MS) {
    finish(a, a->cycles == 0 ? PROTO_AUTOTUNE_STATUS_NO_OSCILLATION : PROTO_AUTOTUNE_STATUS_TIMEOUT);
    return 0.0f;
  }
  if (meas_c > a->cycle_max) a->cycle_max = meas_c;
  if (meas_c < a->cycle_min) a->cycle_min = meas_c;
  if (a->relay_on && meas_c > a->setpoint_c + AUTOTUNE_HYSTERESIS_C) {
    a->relay_on = false;
  } else if (!a->relay_on && meas_c < a->setpoint_c - AUTOTUNE_HYSTERESIS_C) {
    a->relay_on = true;
    if (a->last_rise_ms != 0) {
      /* One full cycle since the previous off->on switch; the first is the heat-up, skipped. */
      a->cycles++;
      if (a->cycles > 1) {
        a->sum_period_ms += (float)(now_ms - a->last_rise_ms);
        a->sum_amp_c += (a->cycle_max - a->cycle_min) / 2.0f;
      }
    }
    a->last_rise_ms = now_ms;
    a->cycle_max = meas_c;
    a->cycle_min = meas_c;
    if (a->cycles > AUTOTUNE_CYCLES) {
      float n = (float)(a->cycles - 1u);
      a->period_ms = a->sum_period_ms / n;
      a->amp_c = a->sum_amp_c / n;
      float d = a->amplitude_pmil / 2.0f;
      float ku = 4.0f * d / (PI_F * a->amp_c);
      float tu_s = a->period_ms / 1000.0f;
      a->kp = ku / 1.8f;
      a->ki = a->kp / (2.0f * tu_s);
      a->kd = a->kp * tu_s / 16.0f;
      finish(a, PROTO_AUTOTUNE_STATUS_OK);
      return 0.0f;
    }
  }
  return a->relay_on ? a->amplitude_pmil : 0.0f;
}
