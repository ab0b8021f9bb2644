/* Boiler lumps integrated with explicit Euler; every time constant is >= 1 s against a 10 ms step. */
#include "thermal.h"

void boiler_init(boiler_t *b, const boiler_params_t *p, double ambient_c) {
  b->p = *p;
  b->element_c = b->water_c = b->metal_c = b->sensor_c = ambient_c;
  b->energy_in_j = 0.0;
  b->sensor_coupling = 1.0;
}

double boiler_capacity_j_per_k(const boiler_params_t *p) {
  return p->water_kg * WATER_J_PER_KG_K + p->metal_j_per_k;
}

void boiler_step(boiler_t *b, double on, double draw_g_s, double inlet_c, double extra_w, double ambient_c,
                 double dt_s) {
  const boiler_params_t *p = &b->p;
  double q_heater = p->heater_w * on;
  double q_ew = p->element_w_per_k * (b->element_c - b->water_c);
  double q_wm = p->water_metal_w_per_k * (b->water_c - b->metal_c);
  double q_loss = p->loss_w_per_k * (b->metal_c - ambient_c);
  double q_draw = draw_g_s / 1000.0 * WATER_J_PER_KG_K * (b->water_c - inlet_c);
  double c_water = p->water_kg * WATER_J_PER_KG_K;
  b->element_c += (q_heater - q_ew) / p->element_j_per_k * dt_s;
  b->water_c += (q_ew - q_wm - q_draw + extra_w) / c_water * dt_s;
  b->metal_c += (q_wm - q_loss) / p->metal_j_per_k * dt_s;
  double seen_c = ambient_c + b->sensor_coupling * (b->water_c - ambient_c);
  b->sensor_c += (seen_c - b->sensor_c) / p->sensor_tau_s * dt_s;
  b->energy_in_j += q_heater * dt_s;
}
