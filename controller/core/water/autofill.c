/* Steam boiler fill sequencing. */
#include "autofill.h"

void autofill_init(autofill_t *a, bool fitted, uint32_t timeout_ms) {
  a->phase = AUTOFILL_IDLE;
  a->since_ms = 0;
  a->dry_since_ms = 0;
  a->was_dry = false;
  a->timeout_ms = timeout_ms;
  a->fitted = fitted;
}

void autofill_rearm(autofill_t *a) {
  if (a->phase == AUTOFILL_TIMED_OUT) a->phase = AUTOFILL_IDLE;
}

static void go(autofill_t *a, autofill_phase_t p, uint32_t now) {
  a->phase = p;
  a->since_ms = now;
}

bool autofill_tick(autofill_t *a, uint32_t now_ms, bool level_ok, bool shot_running, bool pump_allowed,
                   bool *steam_heater_block, bool *fill_valve, uint16_t *pump_pmil) {
  *steam_heater_block = false;
  *fill_valve = false;
  *pump_pmil = 0;
  if (!a->fitted) return false;
  if (!level_ok && !a->was_dry) a->dry_since_ms = now_ms;
  a->was_dry = !level_ok;
  bool dry = !level_ok && now_ms - a->dry_since_ms >= AUTOFILL_DRY_DEBOUNCE_MS;
  bool timed_out = false;
  switch (a->phase) {
    case AUTOFILL_IDLE:
      if (dry && !shot_running) go(a, AUTOFILL_HEATER_OFF, now_ms);
      break;
    case AUTOFILL_HEATER_OFF:
      if (shot_running)
        go(a, AUTOFILL_IDLE, now_ms);
      else if (now_ms - a->since_ms >= AUTOFILL_HEATER_OFF_MS)
        go(a, AUTOFILL_FILLING, now_ms);
      break;
    case AUTOFILL_FILLING:
      if (shot_running)
        go(a, AUTOFILL_IDLE, now_ms);
      else if (level_ok)
        go(a, AUTOFILL_TOPUP, now_ms);
      else if (now_ms - a->since_ms >= a->timeout_ms) {
        go(a, AUTOFILL_TIMED_OUT, now_ms);
        timed_out = true;
      }
      break;
    case AUTOFILL_TOPUP:
      if (shot_running || now_ms - a->since_ms >= AUTOFILL_TOPUP_MS) go(a, AUTOFILL_IDLE, now_ms);
      break;
    case AUTOFILL_TIMED_OUT: break;
  }
  if (a->phase != AUTOFILL_IDLE) *steam_heater_block = true;
  if ((a->phase == AUTOFILL_FILLING || a->phase == AUTOFILL_TOPUP) && pump_allowed) {
    *fill_valve = true;
    *pump_pmil = 1000;
  }
  return timed_out;
}
