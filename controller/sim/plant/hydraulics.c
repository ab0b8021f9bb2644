/* Brew path hydraulics. */
#include "hydraulics.h"

#include <math.h>

#define WATER_G_PER_ML_HOT 0.965
#define FILL_PRESSURE_BAR 0.3 /* pressure while the chamber and headspace fill */

void hydraulics_init(hydraulics_t *h, const hydraulics_params_t *p) {
  h->p = *p;
  h->has_puck = false;
  h->blocked = false;
  h->pressure_bar = 0.0;
  h->fill_ml = h->absorbed_ml = h->out_ml = h->pumped_ml = 0.0;
  h->pump_flow_ml_s = h->puck_flow_ml_s = 0.0;
  h->cup_g = 0.0;
  h->drip_pending_g = 0.0;
  h->last_flow_ml_s = 0.0;
  h->was_open = false;
}

void hydraulics_load_puck(hydraulics_t *h, const puck_params_t *puck) {
  h->puck = *puck;
  h->has_puck = true;
  h->fill_ml = h->absorbed_ml = h->out_ml = h->pumped_ml = 0.0;
  h->cup_g = 0.0;
  h->drip_pending_g = 0.0;
  h->pressure_bar = 0.0;
}

double hydraulics_pump_flow(const hydraulics_params_t *p, double bar, double power) {
  if (power <= 0.0) return 0.0;
  if (p->pump == PUMP_GEAR) {
    /* Positive displacement: 12 ml/s at full speed, slipping slightly as pressure rises. */
    double q = 12.0 * power * (1.0 - bar / 20.0);
    return q > 0.0 ? q : 0.0;
  }
  if (p->pump == PUMP_ROTARY) {
    double q = (p->rotary_bypass_bar - bar) / p->rotary_r_bar_per_mls;
    if (q > p->rotary_open_ml_s) q = p->rotary_open_ml_s;
    return q > 0.0 ? q * power : 0.0;
  }
  double q;
  if (bar <= 9.0)
    q = p->vibe_q0_ml_s + (p->vibe_q9_ml_s - p->vibe_q0_ml_s) * (bar < 0.0 ? 0.0 : bar) / 9.0;
  else
    q = p->vibe_q9_ml_s * (p->vibe_pmax_bar - bar) / (p->vibe_pmax_bar - 9.0);
  return q > 0.0 ? q * power : 0.0;
}

static double puck_resistance(const hydraulics_t *h) {
  double expected_ml = 2.0 * h->puck.dose_g;
  double progress = h->out_ml / expected_ml;
  if (progress > 1.0) progress = 1.0;
  return h->puck.r_peak * (1.0 - (1.0 - h->puck.r_end_fraction) * progress);
}

/* Flow through pump and gicleur in series into the group at pressure p: solves
 * q = pump(p + r q^2) by bisection (the pump curve falls with pressure, so the root is unique). */
static double inlet_flow(const hydraulics_params_t *hp, double p, double power) {
  double hi = hydraulics_pump_flow(hp, p, power);
  if (hp->gicleur_r <= 0.0 || hi <= 0.0) return hi;
  double lo = 0.0;
  for (int i = 0; i < 30; i++) {
    double q = 0.5 * (lo + hi);
    if (hydraulics_pump_flow(hp, p + hp->gicleur_r * q * q, power) > q)
      lo = q;
    else
      hi = q;
  }
  return 0.5 * (lo + hi);
}

static void substep(hydraulics_t *h, double power, bool open, double dt) {
  double p = h->pressure_bar;
  double q_pump = open ? inlet_flow(&h->p, p, power) : 0.0;
  double q_opv = p > 0.9 * h->p.opv_bar ? h->p.opv_ml_s_per_bar * (p - 0.9 * h->p.opv_bar) : 0.0;
  double q_puck = 0.0;
  double q_vent = 0.0;
  double headspace = h->has_puck ? h->puck.headspace_ml : 0.0;
  double to_fill = h->p.chamber_ml + headspace - h->fill_ml;
  if (!open) {
    q_vent = p / h->p.vent_bar_per_mls;
  } else if (h->blocked) {
    q_puck = 0.0;
  } else if (to_fill > 0.0) {
    /* Chamber and headspace take whatever the pump gives at low pressure. */
    h->fill_ml += q_pump * dt;
    h->pumped_ml += q_pump * dt;
    h->pump_flow_ml_s = q_pump;
    h->puck_flow_ml_s = 0.0;
    h->pressure_bar += (FILL_PRESSURE_BAR - p) * dt / 0.2;
    return;
  } else if (h->has_puck) {
    q_puck = sqrt(p > 0.0 ? p / puck_resistance(h) : 0.0);
  } else {
    q_puck = sqrt(p > 0.0 ? p / 0.05 : 0.0); /* no puck: open group, nearly free flow */
  }
  h->pressure_bar += (q_pump - q_puck - q_opv - q_vent) / h->p.compliance_ml_per_bar * dt;
  if (h->pressure_bar < 0.0) h->pressure_bar = 0.0;
  h->pumped_ml += q_pump * dt;
  h->pump_flow_ml_s = q_pump;
  h->puck_flow_ml_s = q_puck;
  double absorb_cap = h->has_puck ? h->puck.absorb_g_per_g * h->puck.dose_g : 0.0;
  double into = q_puck * dt;
  if (h->absorbed_ml < absorb_cap) {
    double take = absorb_cap - h->absorbed_ml;
    if (take > into) take = into;
    h->absorbed_ml += take;
    into -= take;
  }
  h->out_ml += into;
  h->cup_g += into * WATER_G_PER_ML_HOT;
}

void hydraulics_step(hydraulics_t *h, double pump_power, bool valve_open, double dt_s) {
  if (h->was_open && !valve_open && h->has_puck && h->out_ml > 0.0) {
    /* Drips after the stop grow with the flow at the stop: 0.5 g per g/s, 0.5..3 g. */
    double d = 0.5 * h->puck_flow_ml_s * WATER_G_PER_ML_HOT;
    h->drip_pending_g = d < 0.5 ? 0.5 : (d > 3.0 ? 3.0 : d);
  }
  h->was_open = valve_open;
  int n = (int)(dt_s / 0.001 + 0.5);
  for (int i = 0; i < n; i++) substep(h, pump_power, valve_open, 0.001);
  if (h->drip_pending_g > 0.0) {
    /* Drips fall with a ~1.5 s time constant. */
    double d = h->drip_pending_g * dt_s / 1.5;
    h->drip_pending_g -= d;
    h->cup_g += d;
    if (h->drip_pending_g < 0.01) h->drip_pending_g = 0.0;
  }
}
