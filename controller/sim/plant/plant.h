/* One simulated espresso machine: boilers, group, heat exchanger, hydraulics, tank, sensors and the
 * faults a scenario can inject. Turns controller outputs into physics and physics into the raw
 * inputs the controller reads (ADC counts with sensor lag, noise and quantisation). */
#ifndef BREWOS_SIM_PLANT_H
#define BREWOS_SIM_PLANT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/io/io.h"
#include "hydraulics.h"
#include "thermal.h"

#define PLANT_MAX_CONFIG 24

typedef struct {
  double r25_ohm, beta_k, pullup_ohm;
} sim_ntc_t;

typedef struct {
  uint16_t key;
  int32_t value;
} plant_config_t;

typedef struct {
  const char *name;
  uint8_t machine_type;  /* proto_machine_type_t */
  boiler_params_t brew;  /* dual: brew boiler; single: the boiler */
  boiler_params_t steam; /* dual: steam boiler; HX: the boiler */
  double group_j_per_k, group_coupling_w_per_k, group_loss_w_per_k, group_water_ua_w_per_k;
  double hx_water_kg, hx_ua_w_per_k;
  double path_fraction; /* E61 thermosiphon: the group's water path sits this fraction of the way
                         * from the source water towards the group body (0: no thermosiphon) */
  sim_ntc_t brew_ntc, steam_ntc;
  hydraulics_params_t hyd;
  double tank_ml;
  uint32_t capabilities;                   /* proto capabilities the board reports */
  plant_config_t config[PLANT_MAX_CONFIG]; /* controller settings an installer would make */
  uint8_t config_count;
} plant_preset_t;

typedef enum {
  FAULT_NONE = 0,
  FAULT_BREW_SENSOR_OPEN,
  FAULT_BREW_SENSOR_SHORT,
  FAULT_STEAM_SENSOR_OPEN,
  FAULT_SENSOR_STUCK,
  FAULT_HEATER_STUCK_ON,
  FAULT_HEATER_DEAD,
  FAULT_WATER_EMPTY,
  FAULT_PUMP_BLOCKED,
  FAULT_SCALE_LOST,   /* the scale under the cup goes silent (battery, range): no more readings */
  FAULT_SENSOR_LOOSE, /* the controlled boiler's NTC slips out of its well: it sees a quarter of the rise */
  FAULT_KIND_COUNT
} plant_fault_t;

typedef struct {
  plant_preset_t pre;
  boiler_t brew, steam;
  double group_c, hx_c, delivered_c;
  hydraulics_t hyd;
  double tank_ml;
  double ambient_c, inlet_c;
  double noise_c;
  uint64_t rng;
  bool fault[FAULT_KIND_COUNT];
  uint16_t stuck_adc;
  bool brew_energized, steam_energized; /* element actually powered this tick */
  bool lever_down;
  double pump_dry_s; /* seconds the pump ran with an empty tank */
  uint32_t flow_pulses;
  double flow_pulse_acc;
} plant_t;

void plant_init(plant_t *p, const plant_preset_t *pre, double ambient_c, uint64_t seed, double noise_c);
/* Advance one 10 ms tick under the controller's outputs. */
void plant_step(plant_t *p, const ctl_outputs_t *out, double dt_s);
/* Sample every sensor into the controller's inputs. */
void plant_inputs(plant_t *p, uint32_t now_ms, ctl_inputs_t *in);
/* Inject or remove a fault. */
void plant_set_fault(plant_t *p, plant_fault_t f, bool on);
/* The water temperature the controller regulates (brew boiler, or the HX boiler). */
double plant_controlled_water_c(const plant_t *p);
double plant_controlled_sensor_c(const plant_t *p);
/* Ideal heat-up: energy to bring the controlled boiler's water and shell to `setpoint_c` / heater power. */
double plant_ideal_heatup_s(const plant_t *p, double setpoint_c);
/* The same bound with every loss and coupled mass included: seconds with the heater pinned on until
 * the controlled sensor reads setpoint - band (run on a copy of the plant). */
double plant_full_power_heatup_s(const plant_t *p, double setpoint_c, double band_c);
/* Saturation pressure (bar gauge) of water at temp_c. */
double plant_psat_bar_g(double temp_c);

#endif
