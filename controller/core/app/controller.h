/* The whole controller: owns every module and runs one 10 ms tick at a time.
 *
 * Timing budget per 10 ms tick (RP2350 @150 MHz, core 0), measured on the host and scaled:
 *   sensors (3 NTC + 2 pressure, filters)  ~15 us
 *   heaters, shot, autofill, safety        ~10 us
 *   boilers + state machine (every 10th)   ~20 us
 *   telemetry encode (every 5th/25th)      ~20 us
 * well under 1 % of the tick; the rest is idle. Flash writes (config save) stall XIP for ~45 ms and
 * are only done when no shot runs and the heaters' SSR state is held by the GPIOs. */
#ifndef BREWOS_CONTROLLER_H
#define BREWOS_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "config/persist.h"
#include "control/boilers.h"
#include "control/heaters.h"
#include "io/io.h"
#include "link/link.h"
#include "safety/safety.h"
#include "safety/selftest.h"
#include "sensors/pressure.h"
#include "sensors/temp_sensor.h"
#include "profile/profile.h"
#include "shot/bbw.h"
#include "shot/flow_meter.h"
#include "shot/pump_model.h"
#include "shot/shot.h"
#include "state/machine_state.h"
#include "water/autofill.h"
#include "control/autotune.h"
#include "update/updater.h"

#define CONTROLLER_FW_MAJOR 0u
#define CONTROLLER_FW_MINOR 1u
#define CONTROLLER_FW_PATCH 0u
/* The version the A/B boot ROM compares: every release must carry a higher one. */
#define CONTROLLER_FW_VERSION (CONTROLLER_FW_MAJOR << 16 | CONTROLLER_FW_MINOR << 8 | CONTROLLER_FW_PATCH)
#define CONTROLLER_TICK_MS 10u
#define PROFILE_SLOTS 8u
#define CONTROLLER_LEVER_DEBOUNCE_MS 50u
#define CONTROLLER_SAVE_DELAY_MS 1000u
#define CONTROLLER_SENSOR_PRIME_MS 200u
#define CONTROLLER_HEAT_CHECK_GRACE_MS 60000u

typedef struct {
  persist_read_fn persist_read;
  persist_write_fn persist_write;
  selftest_hooks_t selftest;
  uint8_t reset_reason;  /* proto_reset_reason_t */
  uint32_t capabilities; /* proto capabilities bits of this board */
  /* The board's own NTC curves (part and pull-up fitted at build time); r25_ohm 0 = the table's
   * defaults. Calibration may only move a reading a few degC away from these, and limits are also
   * judged on them. */
  ntc_params_t brew_ntc_factory, steam_ntc_factory;
  /* A latched critical trip kept across a reset (RP2350: watchdog scratch registers; NULL: none). */
  void (*trip_store)(uint8_t alarm_code);
  uint8_t (*trip_recall)(void);
  /* Benchmark seam (NULL on every real board): replaces this tick's heater decisions before they
   * are accounted and checked, so the safety layer judges the heaters that were really driven. */
  void (*heater_override)(void *ctx, const ctl_inputs_t *in, bool *brew_on, bool *steam_on);
  void *override_ctx;
  /* A/B image slots for updates (slot_bytes 0: none; running_version 0: CONTROLLER_FW_VERSION). */
  fw_slots_t firmware;
  /* 0: PROTO_VERSION_MAJOR. The simulator sets another to run an image built for that protocol. */
  uint8_t proto_major;
} controller_hooks_t;

typedef struct {
  config_t cfg;
  persist_t persist;
  bool cfg_dirty;
  uint32_t cfg_changed_ms;
  temp_sensor_t brew_t, steam_t, group_t;
  pressure_sensor_t pressure, boiler_pressure;
  boilers_t boilers;
  heaters_t heaters;
  safety_t safety;
  selftest_t selftest;
  machine_state_t state;
  shot_t shot;
  pump_model_t pump;
  flow_meter_t flow_meter;
  bbw_t bbw;
  profile_t profiles[PROFILE_SLOTS]; /* slot n is profiles[n - 1] */
  bool profile_loaded[PROFILE_SLOTS];
  uint8_t upload_buf[PROFILE_MAX_BYTES]; /* a profile arriving in chunks; a slot changes only when it is complete */
  uint16_t upload_len;
  uint8_t upload_slot, upload_next;
  bool weight_stop_off;       /* weight stops disabled for this shot (samples stopped) */
  bool shot_wet;              /* this shot's cup has started to fill (a weighed reading >= 1 g) */
  float wet_volume_ml;        /* pumped volume at the first drop, measured on the last weighed shot; 0: not yet */
  uint32_t weight_shot_token; /* last shot stopped by weight, for shot_settled */
  uint8_t weight_shot_slot;
  uint16_t weight_shot_target_dg;
  autofill_t autofill;
  autotune_t autotune;
  updater_t update;
  link_t link;
  controller_hooks_t hooks;
  proto_desired_state_t desired;
  /* weight stream for brew-by-weight */
  int32_t weight_dg;
  uint32_t weight_at_ms;
  bool weight_connected;
  /* lever debounce */
  bool lever_raw, lever_stable;
  uint32_t lever_changed_ms;
  /* bookkeeping */
  uint32_t now_ms;
  uint32_t boot_ms;
  uint32_t ticks;
  uint32_t activity_ms;  /* last user activity, for the eco timeout */
  bool link_lost;        /* stage 2: heaters off until desired state returns */
  bool weight_link_lost; /* stage 1: weight stops disabled */
  bool brew_stable, steam_stable;
  bool wdt_ok;
  bool selftest_failed;
  float flow_ml_s;
  float inflow_total_ml; /* water pumped since boot: flow-meter pulses, or the pump model while pumping */
  uint32_t last_pulses;
  float ff_flow_ml_s; /* inflow averaged over ~0.5 s (zero while the pump is off), for feed-forward */
  uint16_t pump_pmil;
  bool valve_open, fill_open;
  uint16_t brew_duty, steam_duty;       /* loop demands, permille */
  uint16_t brew_applied, steam_applied; /* duty the SSRs really conducted over the last 100 ms */
  uint8_t brew_on_ticks, steam_on_ticks;
  uint8_t last_state;
  uint8_t last_mode;
  bool steam_block;
  bool tank_ok;           /* raw, last tick */
  bool await_standby;     /* after a trip: no heating until the hub sends standby, then a heating mode */
  uint32_t last_clear_ms; /* fault_clear rate limit */
  bool cleared_once;
  bool was_latched; /* latched at the end of the last tick (trip persistence) */
  /* config_get {key 0}: reports streamed a few per tick, then the ack */
  uint8_t dump_next; /* index + 1 of the next key to report, 0 when idle */
  proto_msg_t dump_cmd;
} controller_t;

void controller_init(controller_t *c, const controller_hooks_t *hooks, uint32_t now_ms);
/* Feed bytes received from the hub. */
void controller_rx(controller_t *c, const uint8_t *buf, size_t len);
/* One 10 ms tick: inputs in, outputs out. */
void controller_tick(controller_t *c, const ctl_inputs_t *in, ctl_outputs_t *out);
/* Bytes to send to the hub (encoded frames). */
size_t controller_tx(controller_t *c, uint8_t *buf, size_t cap);
/* Whether the last tick passed every check (the port feeds the watchdog only then). */
bool controller_wdt_ok(const controller_t *c);
/* Apply a configuration value as if the hub had sent config_set (simulator presets, tests). */
uint8_t controller_config_set(controller_t *c, uint16_t key, int32_t value);
/* Effective mode after link and version rules. */
uint8_t controller_effective_mode(const controller_t *c);

#endif
