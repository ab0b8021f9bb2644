/* BrewOS baseline controller (see baseline.h for the facts it follows). */
#include "baseline.h"

#include <string.h>

#include "link/proto_gen.h"
#include "sensors/ntc.h"

void baseline_init(baseline_t *b) {
  memset(b, 0, sizeof *b);
  filter_reset(&b->brew.filter);
  filter_reset(&b->steam.filter);
}

static void pid(baseline_loop_t *l, float sp, bool on) {
  const float kp = 2.0f, ki = 0.1f, kd = 1.0f, dt = 0.1f, tau = 0.5f;
  if (!on) {
    l->duty_pct = 0.0f;
    l->integral = 0.0f;
    l->primed = false;
    l->sp_active = l->temp_c;
    return;
  }
  if (!l->primed) {
    l->prev = l->temp_c;
    l->dfilt = 0.0f;
    l->sp_active = l->temp_c;
    l->primed = true;
  }
  if (l->sp_active < sp) l->sp_active = l->sp_active + 0.1f > sp ? sp : l->sp_active + 0.1f;
  if (l->sp_active > sp) l->sp_active = l->sp_active - 0.1f < sp ? sp : l->sp_active - 0.1f;
  float err = l->sp_active - l->temp_c;
  l->integral += err * dt;
  float lim = 100.0f / ki;
  if (l->integral > lim) l->integral = lim;
  if (l->integral < -lim) l->integral = -lim;
  float d = (l->temp_c - l->prev) / dt;
  l->prev = l->temp_c;
  float alpha = dt / (tau + dt);
  l->dfilt += alpha * (d - l->dfilt);
  float out = kp * err + ki * l->integral - kd * l->dfilt;
  if (out < 0.0f) out = 0.0f;
  if (out > 95.0f) out = 95.0f;
  if (out < 5.0f) out = 0.0f;
  l->duty_pct = out;
}

static float temp_of(const controller_t *ctl, uint16_t adc, bool steam) {
  return ntc_temp_c(steam ? &ctl->steam_t.ntc : &ctl->brew_t.ntc, adc, IO_ADC_FULL_SCALE);
}

void baseline_tick(baseline_t *b, const controller_t *ctl, const ctl_inputs_t *in, bool *brew_on, bool *steam_on) {
  if (b->ticks % 5u == 0u) { /* 20 Hz sensor task */
    b->brew.temp_c = filter_push(&b->brew.filter, temp_of(ctl, in->brew_ntc_adc, false));
    b->steam.temp_c = filter_push(&b->steam.filter, temp_of(ctl, in->steam_ntc_adc, true));
  }
  uint8_t type = ctl->boilers.machine_type;
  bool on = controller_effective_mode(ctl) != PROTO_MACHINE_MODE_STANDBY && !ctl->safety.latched;
  if (b->ticks % 10u == 0u) { /* 10 Hz control task */
    float brew_sp = (float)ctl->desired.brew_setpoint_cdeg / 100.0f;
    float steam_sp = (float)ctl->desired.steam_setpoint_cdeg / 100.0f;
    if (type == PROTO_MACHINE_TYPE_SINGLE_BOILER) {
      pid(&b->brew, controller_effective_mode(ctl) == PROTO_MACHINE_MODE_STEAM ? steam_sp : brew_sp, on);
      pid(&b->steam, 0.0f, false);
    } else if (type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER) {
      pid(&b->steam, steam_sp, on);
      pid(&b->brew, 0.0f, false);
    } else {
      pid(&b->brew, brew_sp, on);
      pid(&b->steam, steam_sp, on && b->brew.temp_c >= 0.8f * brew_sp);
    }
  }
  /* 25 Hz PWM: a 40 ms window of four half-cycles; a zero-cross SSR conducts each half-cycle whose
   * start falls inside the gate's on-time. */
  unsigned slot = b->ticks % 4u;
  *brew_on = (float)slot * 25.0f < b->brew.duty_pct;
  *steam_on = (float)slot * 25.0f < b->steam.duty_pct;
  b->ticks++;
}

float baseline_controlled_c(const baseline_t *b, const controller_t *ctl) {
  return ctl->boilers.machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER ? b->steam.temp_c : b->brew.temp_c;
}
