/* Every safety interlock of the controller, and the single latched trip path. Runs each 10 ms tick
 * before the outputs are written; safety_apply() then forces outputs to their safe defaults.
 * Detection deadlines (tick = 10 ms):
 *   over-temperature     <= 30 ms after the sensor crosses the limit (median of 3 raw samples)
 *   sensor open/short    <= 110 ms (10 consecutive rail samples)
 *   sensor stuck         a 30 s window at >= 50 % applied duty with the reading within 1 LSB, or
 *                        45 s at any duty with the raw reading exactly constant (frozen at idle)
 *   over-temperature is judged on the hotter of the calibrated and the factory-curve readings;
 *   sensor implausible   the two readings more than 6.5 degC apart (a calibration the guard refused),
 *                        or, heating up, a 60 s window at >= 50 % duty whose rise is under 35 % or
 *                        over 250 % (+1.5 degC) of the heat delivered / the boiler's heat capacity
 *   heating watch        heating_watch_window_s at >= 50 % duty without heating_watch_rise_cdeg
 *   thermal runaway      20 s at >= 90 % duty without +1 degC, once the boiler had been ready
 *   heater stuck on      heater commanded off, reading +2 degC above its value 5 s after switch-off
 *   water empty          200 ms of an empty tank switch; the pump can never run without water
 *   pump max run         pump_max_run_s of pumping, pulses included (a 2 s rest restarts it)
 *   over-pressure        500 ms above 13.5 bar
 *   pump blocked         2 s above 11.5 bar with the pump on; with a flow meter also 3 s above
 *                        7 bar with under 0.3 ml/s (not while backflushing into a blind basket)
 * The pump is also cut in the same tick the tank switch reads empty; only the alarm is debounced. */
#ifndef BREWOS_SAFETY_H
#define BREWOS_SAFETY_H

#include <stdbool.h>
#include <stdint.h>

#include "alarms.h"
#include "config/config.h"
#include "io/io.h"
#include "sensors/pressure.h"
#include "sensors/temp_sensor.h"

typedef struct {
  uint32_t start_ms;
  float start_c;
  uint32_t duty_sum;
  uint32_t samples;
} heat_window_t;

/* Energy balance during heat-up: the heat delivered over a window, and what the reading did. */
typedef struct {
  uint32_t start_ms;
  float start_c;
  float energy_j;
  uint32_t duty_sum;
  uint32_t samples;
} energy_window_t;

typedef struct {
  bool off;
  uint32_t off_since_ms;
  float ref_c;
  bool ref_set;
} stuck_on_t;

typedef struct {
  uint32_t now_ms;
  const temp_sensor_t *brew, *steam, *group;
  const pressure_sensor_t *pressure;
  uint16_t brew_duty_pmil, steam_duty_pmil; /* commanded by the loops this tick */
  bool brew_stable, steam_stable;           /* the boiler has been ready since power-on */
  bool brew_heating, steam_heating;         /* the boiler's loop is on (a mode that heats it) */
  bool shot_active;                         /* shot running or ended less than 60 s ago */
  bool pump_on;
  bool tank_ok;       /* raw switch; debounced here for the alarm */
  bool flow_measured; /* a flow meter is fitted */
  float flow_ml_s;
  bool blind_basket; /* backflush running: no flow is expected */
} safety_in_t;

typedef struct {
  alarms_t alarms;
  bool latched;
  uint8_t trip_code;
  uint32_t trip_ms;
  float brew_max_c, steam_max_c;
  float watch_rise_c;
  uint32_t watch_window_ms;
  uint32_t pump_max_ms;
  heat_window_t brew_watch, steam_watch, brew_runaway, steam_runaway;
  energy_window_t brew_energy, steam_energy;
  float brew_heater_w, steam_heater_w, brew_j_per_k, steam_j_per_k;
  stuck_on_t brew_stuck_on, steam_stuck_on;
  uint32_t pump_on_since_ms;
  uint32_t pump_off_since_ms;
  bool pump_was_on;
  uint32_t over_pressure_since_ms, blocked_since_ms, no_flow_since_ms;
  bool tank_raw_ok;
  uint32_t tank_empty_since_ms;
  bool tank_was_empty;
  /* A heating watch or runaway that trips again within SAFETY_REPEAT_WINDOW_MS of being cleared is
   * not clearable until that much time has passed: one more window of heating, never a loop of them. */
  uint32_t watch_cleared_ms[3], watch_held_ms[3];
  bool watch_cleared[3], watch_held[3];
} safety_t;

#define SAFETY_REPEAT_WINDOW_MS 1800000u

void safety_init(safety_t *s, const config_t *cfg);
void safety_apply_config(safety_t *s, const config_t *cfg);
/* Latch a critical trip: every output to its safe default until an explicit clear. */
void safety_trip(safety_t *s, uint8_t code, int32_t value, uint32_t now_ms);
/* Run every check for this tick. */
void safety_check(safety_t *s, const safety_in_t *in);
/* Clear `code` (NONE = every alarm whose cause is verifiably gone). Never restarts a running watch.
 * Returns a proto_ack_result_t with `detail`: ok -> the code cleared (NONE: how many were cleared);
 * rejected_state -> the alarm whose cause persists or that keeps the trip latched. */
uint8_t safety_clear(safety_t *s, uint8_t code, const safety_in_t *in, uint16_t *detail);
/* Force outputs to what the active alarms allow. */
void safety_apply(const safety_t *s, ctl_outputs_t *out);
/* Whether heaters, the pump, and the steam heater may be driven at all. */
bool safety_heaters_allowed(const safety_t *s);
bool safety_pump_allowed(const safety_t *s);
bool safety_steam_allowed(const safety_t *s);

#endif
