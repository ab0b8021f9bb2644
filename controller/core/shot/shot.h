/* Basic shot execution: start/stop by command or lever, time-based preinfusion (pump on, then a
 * soak with the pump off and the group still open), full pump, time and volume stops, release of
 * the 3-way valve after the pump stops, and backflush cleaning cycles. Profiles and brew-by-weight
 * plug in at shot_pump_demand() and shot_check_stops(). Runs every 10 ms. */
#ifndef BREWOS_SHOT_H
#define BREWOS_SHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "profile/executor.h"

#define SHOT_COUNTED_MIN_MS 15000u /* shots at least this long count toward cleaning */
#define SHOT_BACKFLUSH_ON_MS 10000u
#define SHOT_BACKFLUSH_OFF_MS 10000u
/* Every shot ends by volume at the latest. Without a volume stop of its own, a shot is capped at
 * SHOT_CAP_MARGIN x (its yield + what the puck holds) + the headspace: the yield is its weight target,
 * or SHOT_DEFAULT_RATIO x the dose (SHOT_DEFAULT_DOSE_G when none is given). 36 g from 18 g: 101 ml;
 * no target: 121 ml. Backflushing (blind basket, nothing reaches a cup) is exempt. */
#define SHOT_DEFAULT_DOSE_G 18.0f
#define SHOT_DEFAULT_RATIO 2.5f
#define SHOT_PUCK_RETENTION_ML_PER_G 1.2f
#define SHOT_CAP_MARGIN 1.6f
#define SHOT_CAP_HEADSPACE_ML 15.0f
/* ml of pumped water per gram in the cup once the puck is saturated (steam and drips lose a little). */
#define SHOT_ML_PER_CUP_G 1.036f
/* ml pumped before the first drop reaches the cup, until a weighed shot has measured it: the group's
 * headspace and line compliance, plus what the puck soaks up per gram of dose. */
#define SHOT_WET_HEADSPACE_ML 35.0f

typedef enum {
  SHOT_PHASE_PREINFUSE,
  SHOT_PHASE_SOAK,
  SHOT_PHASE_POUR,
  SHOT_PHASE_FLUSH_ON,
  SHOT_PHASE_FLUSH_OFF,
  SHOT_PHASE_PROFILE
} shot_phase_t;

typedef struct {
  uint32_t token;
  uint8_t source; /* proto_shot_source_t */
  uint8_t slot;
  uint8_t flags; /* proto shot_flags */
  uint16_t dose_dg, target_weight_dg;
  uint32_t stop_time_ms, stop_volume_ul;
} shot_request_t;

typedef struct {
  bool started, phase_changed, ended;
} shot_events_t;

typedef struct {
  bool running;
  shot_request_t req;
  uint32_t start_ms;
  shot_phase_t phase;
  uint8_t phase_index;
  uint8_t phase_reason;
  uint32_t phase_start_ms;
  uint8_t flush_cycles_done;
  float volume_ml;
  float cap_ml; /* the volume cap in force (0: none, a backflush) */
  float inflow_at_start_ml;
  float fill_flow_ml_s; /* flow seen while the pump ran during the fill */
  bool filled;          /* back-pressure reached: no more pulsing in this shot */
  bool filling;         /* the heat-budgeted fill is running (the heater runs flat out) */
  float max_mbar;
  float temp_sum_c;
  uint32_t temp_samples;
  uint8_t end_reason, end_flags;
  uint32_t duration_ms;
  bool valve_hold; /* after the pump stops, until release */
  uint32_t release_at_ms;
  uint32_t ended_ms;
  shot_events_t ev;
  const profile_t *profile; /* uploaded profile for this shot, NULL for a basic shot */
  profile_run_t run;
  bool run_started;
  /* configuration */
  uint32_t pre_on_ms, pre_pause_ms, release_ms;
  uint8_t flush_cycles;
} shot_t;

typedef struct {
  uint32_t now_ms;
  float pressure_mbar;
  float brew_temp_c;
  float flow_ml_s;       /* measured or modelled pump flow this tick */
  float inflow_total_ml; /* water pumped since boot (flow-meter pulses or the model while pumping) */
  bool pump_allowed;     /* safety allows the pump */
  bool pressure_fitted;
  /* Heat-budgeted fill: while the group fills (no back-pressure yet) the pump is pulsed so cold
   * water enters the boiler no faster than the heater can replace its heat. 0 W disables it. */
  float fill_heater_w;
  float fill_setpoint_c;
  float weight_g;           /* cup weight from the scale, < 0 without one */
  const pump_model_t *pump; /* the machine\'s pump curve, for profile pressure control */
  float compliance_ml_bar;
} shot_in_t;

/* The group counts as filling below this pressure (or, without a sensor, for the first volume). */
#define SHOT_FILL_END_MBAR 1500.0f
#define SHOT_FILL_END_ML 30.0f
#define SHOT_FILL_PULSE_MS 1000u
#define SHOT_FILL_MIN_FRACTION 0.25f
/* Share of the heater's power the fill may spend on cold water; the rest is banked as boiler heat
 * for the moment the puck pressurises and the pump runs unthrottled. */
#define SHOT_FILL_HEAT_SHARE 0.85f

void shot_init(shot_t *s, const config_t *cfg);
void shot_apply_config(shot_t *s, const config_t *cfg);
/* Begin a shot, following `profile` when it is not NULL. Caller has checked the machine may brew. */
void shot_start(shot_t *s, const shot_request_t *req, const profile_t *profile, uint32_t now_ms);
/* End the running shot with `reason` (proto_stop_reason_t). */
void shot_stop(shot_t *s, uint8_t reason, uint32_t now_ms);
/* The volume cap of a shot asked for with `req` (ml), 0 for a backflush. */
float shot_volume_cap_ml(const shot_request_t *req);
/* The weight target can no longer be watched (scale lost or never there): stop on the volume that
 * matches the `remaining_g` still to come. Before the first drop (`dripping` false) the water still
 * needs `wet_ml` of pumped volume to reach the cup at all. */
void shot_fall_back_to_volume(shot_t *s, float remaining_g, float wet_ml, bool dripping);
/* Advance one tick; writes the pump demand and the valve state. */
void shot_tick(shot_t *s, const shot_in_t *in, uint16_t *pump_pmil, bool *valve_open);
/* Whether a shot ended less than `ms` ago (heating checks give the boiler time to recover). */
bool shot_recent(const shot_t *s, uint32_t now_ms, uint32_t ms);

#endif
