/* Steam boiler auto-fill: when the level probe reads dry, cut the steam heater, wait 500 ms, then
 * open the fill valve and run the pump until the probe is wet plus 1 s of top-up. A fill that
 * takes longer than steam_fill_timeout_s stops and raises steam_fill_timeout. Never during a shot:
 * a running fill is abandoned when a shot starts and resumed after. */
#ifndef BREWOS_AUTOFILL_H
#define BREWOS_AUTOFILL_H

#include <stdbool.h>
#include <stdint.h>

#define AUTOFILL_HEATER_OFF_MS 500u
#define AUTOFILL_TOPUP_MS 1000u
#define AUTOFILL_DRY_DEBOUNCE_MS 300u

typedef enum {
  AUTOFILL_IDLE,
  AUTOFILL_HEATER_OFF,
  AUTOFILL_FILLING,
  AUTOFILL_TOPUP,
  AUTOFILL_TIMED_OUT
} autofill_phase_t;

typedef struct {
  autofill_phase_t phase;
  uint32_t since_ms;
  uint32_t dry_since_ms;
  bool was_dry;
  uint32_t timeout_ms;
  bool fitted;
} autofill_t;

void autofill_init(autofill_t *a, bool fitted, uint32_t timeout_ms);
/* One tick. Returns true the tick a fill times out. Outputs: whether the steam heater must stay
 * off, the fill valve, and the pump demand for filling. */
bool autofill_tick(autofill_t *a, uint32_t now_ms, bool level_ok, bool shot_running, bool pump_allowed,
                   bool *steam_heater_block, bool *fill_valve, uint16_t *pump_pmil);
/* Allow a new attempt after a timeout was cleared. */
void autofill_rearm(autofill_t *a);

#endif
