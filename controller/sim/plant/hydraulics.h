/* Brew path hydraulics: pump (vibratory curve or rotary with bypass), line compliance, an E61
 * preinfusion chamber, the puck (headspace fill, wetting, then P = R Q^2 with R falling as the
 * shot extracts), the over-pressure valve, the 3-way valve venting the group, drips after the stop,
 * and a cup on a scale with lag. Integrated in 1 ms substeps. */
#ifndef BREWOS_SIM_HYDRAULICS_H
#define BREWOS_SIM_HYDRAULICS_H

#include <stdbool.h>

typedef enum { PUMP_VIBRATORY, PUMP_ROTARY, PUMP_GEAR } pump_kind_t;

typedef struct {
  pump_kind_t pump;
  double vibe_q0_ml_s, vibe_q9_ml_s, vibe_pmax_bar; /* vibratory curve: flow at 0 and 9 bar, shut-off */
  double rotary_bypass_bar, rotary_r_bar_per_mls, rotary_open_ml_s;
  double compliance_ml_per_bar;
  double chamber_ml; /* E61 preinfusion chamber, 0 when none */
  double opv_bar;    /* over-pressure valve crack pressure */
  double opv_ml_s_per_bar;
  double vent_bar_per_mls; /* 3-way valve vent resistance */
  double gicleur_r;        /* inlet restrictor, bar s^2/ml^2 (0: none); E61 ~0.18: chamber fills in ~3-4 s */
} hydraulics_params_t;

typedef struct {
  double dose_g;
  double r_peak;         /* bar s^2 / ml^2 */
  double r_end_fraction; /* R at the end of extraction as a fraction of the peak */
  double headspace_ml;
  double absorb_g_per_g; /* water the puck holds before dripping */
} puck_params_t;

typedef struct {
  hydraulics_params_t p;
  puck_params_t puck;
  bool has_puck;
  bool blocked; /* fault: nothing passes the group */
  double pressure_bar;
  double fill_ml; /* water in chamber + headspace so far */
  double absorbed_ml;
  double out_ml;    /* total that left the puck into the cup */
  double pumped_ml; /* total the pump delivered to the group */
  double pump_flow_ml_s, puck_flow_ml_s;
  double cup_g; /* true cup weight */
  double drip_pending_g;
  double last_flow_ml_s; /* puck flow when the valve released, for drips */
  bool was_open;
} hydraulics_t;

void hydraulics_init(hydraulics_t *h, const hydraulics_params_t *p);
/* Put a fresh puck in (start of a shot). */
void hydraulics_load_puck(hydraulics_t *h, const puck_params_t *puck);
/* Advance dt_s: pump at power 0..1, brew valve open (pump -> group) or released (group vents). */
void hydraulics_step(hydraulics_t *h, double pump_power, bool valve_open, double dt_s);
/* Pump flow at pressure (ml/s) for a power fraction. */
double hydraulics_pump_flow(const hydraulics_params_t *p, double bar, double power);

#endif
