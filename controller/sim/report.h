/* What a headless run measured, and its JSON form (keys documented in controller/sim/README.md). */
#ifndef BREWOS_SIM_REPORT_H
#define BREWOS_SIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link/proto_gen.h"
#include "machine.h"
#include "true_peaks.h"

#define REPORT_MAX_SHOTS 64
#define REPORT_MAX_TRIPS 16
#define REPORT_MAX_SHOT_SAMPLES 30000

typedef struct {
  double start_s;
  double duration_s;
  uint8_t stop_reason, flags;
  double volume_ml, cup_g, max_pressure_bar;
  double del_sum, del_min, del_max;
  uint32_t del_n;
  float *del;  /* delivered temperature samples while water flows */
  float *flow; /* puck flow for each sample, ml/s */
  bool ended;
  uint32_t end_ms;
  double first_drop_s; /* shot time when the cup first weighs 0.5 g */
  int bbw_algorithm;   /* -1: no weight target */
  double target_g, final_g, end_flow_gs, learned_s;
  double hold_err_bar,
      ramp_err_bar; /* worst |pressure - target| holding (after 2 s) and following a curve; NaN: none */
  uint32_t token;
} shot_rec_t;

typedef struct {
  uint8_t code;
  uint32_t cause_ms; /* injection, crossing or link-loss start */
  uint32_t trip_ms;
  uint32_t last_heater_ms;
  bool heater_after;
} trip_rec_t;

typedef struct {
  double setpoint_c;
  double ideal_heatup_s;
  double full_power_heatup_s;
  double power_on_s;
  double heatup_s; /* NaN until reached */
  double overshoot_c;
  bool overshoot_open; /* still measuring overshoot */
  double steady_from_s, steady_to_s;
  double w_min, w_max, w_sumsq; /* true controlled water in the steady window */
  double s_min, s_max;          /* controller's filtered reading in the window */
  uint32_t w_n;
  shot_rec_t shots[REPORT_MAX_SHOTS];
  size_t shot_count;
  trip_rec_t trips[REPORT_MAX_TRIPS];
  size_t trip_count;
  uint32_t fault_ms; /* last fault injection */
  bool fault_pending;
  uint32_t link_loss_ms;
  bool link_loss_pending;
  bool link_lost_seen;
  uint32_t brew_cross_ms, steam_cross_ms; /* sensor crossed its over-temperature limit */
  bool brew_crossed, steam_crossed;
  bool autotune_done;
  uint8_t autotune_status;
  int32_t kp_milli, ki_milli, kd_milli;
  uint32_t autotune_period_ms;
  uint32_t rejected_commands;
  uint32_t shots_not_recorded; /* beyond REPORT_MAX_SHOTS: reported, never silently dropped */
  double wall_s, sim_s;
  double pump_dry_s;  /* the pump ran with an empty tank (must stay 0) */
  true_peaks_t peaks; /* the true water of each boiler at its hottest over the whole run */
  uint8_t final_state;
  bool final_latched;
} report_t;

void report_init(report_t *r, const sim_machine_t *m, double setpoint_c, double steady_from_s, double steady_to_s);
/* Sample the machine after each tick. */
void report_sample(report_t *r, const sim_machine_t *m);
/* Record a message the controller sent. */
void report_message(report_t *r, const sim_machine_t *m, const proto_msg_t *msg);
void report_fault_injected(report_t *r, uint32_t now_ms);
void report_link_loss(report_t *r, uint32_t now_ms);
void report_shot_requested(report_t *r, double t_s);
/* Brew-by-weight outcome of the last shot, once the cup settled. */
void report_bbw(report_t *r, int algorithm, double target_g, double final_g, double end_flow_gs, double learned_s);
/* Shot temperature figures: flow-weighted mean of the delivered water, largest departure of a
 * one-second flow-weighted mean from it, and the instantaneous extreme. NaN without flow. */
void report_shot_temperature(const shot_rec_t *s, double *mean, double *dev, double *peak);
/* Print the JSON report. */
void report_print(const report_t *r, const char *name, const char *machine, bool baseline);
void report_free(report_t *r);

#endif
