/* Lumped thermal model of one boiler: heater element -> water <-> boiler metal -> ambient, plus a
 * sensor in a thermowell that follows the water with a first-order lag. Double precision: the
 * simulator is host-only. */
#ifndef BREWOS_SIM_THERMAL_H
#define BREWOS_SIM_THERMAL_H

#include <stdbool.h>

typedef struct {
  double heater_w;        /* element power at nominal mains */
  double element_j_per_k; /* element sheath heat capacity */
  double element_w_per_k; /* element -> water conductance */
  double water_kg;
  double metal_j_per_k; /* boiler shell */
  double water_metal_w_per_k;
  double loss_w_per_k; /* shell -> ambient */
  double sensor_tau_s; /* thermowell lag */
} boiler_params_t;

typedef struct {
  boiler_params_t p;
  double element_c, water_c, metal_c, sensor_c;
  double sensor_coupling; /* share of the water's rise above ambient the sensor sees (1: seated in its well) */
  double energy_in_j;     /* heater energy delivered since start */
} boiler_t;

#define WATER_J_PER_KG_K 4186.0

void boiler_init(boiler_t *b, const boiler_params_t *p, double ambient_c);
/* Advance dt_s with the heater conducting a fraction `on` (0..1) of the step; draw_g_s of water
 * leaves at water temperature and is replaced by inlet water at inlet_c; extra_w is any other heat
 * flow into the water (e.g. from a heat exchanger, negative when it takes heat). */
void boiler_step(boiler_t *b, double on, double draw_g_s, double inlet_c, double extra_w, double ambient_c,
                 double dt_s);
/* Heat capacity of water and shell, J/K (for the ideal heat-up time). */
double boiler_capacity_j_per_k(const boiler_params_t *p);

#endif
