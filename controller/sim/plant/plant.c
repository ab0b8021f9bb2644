/* Machine composition. */
#include "plant.h"

#include <math.h>
#include <string.h>

#include "link/proto_gen.h"

#define ADC_FULL 4095.0

void plant_init(plant_t *p, const plant_preset_t *pre, double ambient_c, uint64_t seed, double noise_c) {
  memset(p, 0, sizeof *p);
  p->pre = *pre;
  boiler_init(&p->brew, &pre->brew, ambient_c);
  boiler_init(&p->steam, &pre->steam, ambient_c);
  p->group_c = p->hx_c = p->delivered_c = ambient_c;
  hydraulics_init(&p->hyd, &pre->hyd);
  p->tank_ml = pre->tank_ml;
  p->ambient_c = ambient_c;
  p->inlet_c = ambient_c;
  p->noise_c = noise_c;
  p->rng = seed ? seed : 0x9E3779B97F4A7C15ull;
}

void plant_set_fault(plant_t *p, plant_fault_t f, bool on) {
  if (f == FAULT_SENSOR_STUCK && on && !p->fault[f]) p->stuck_adc = 0; /* captured at the next sample */
  if (f == FAULT_WATER_EMPTY && on) p->tank_ml = 0.0;
  if (f == FAULT_WATER_EMPTY && !on) p->tank_ml = p->pre.tank_ml;
  if (f == FAULT_PUMP_BLOCKED) p->hyd.blocked = on;
  if (f == FAULT_SENSOR_LOOSE) {
    boiler_t *b = p->pre.machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER ? &p->steam : &p->brew;
    b->sensor_coupling = on ? 0.25 : 1.0;
  }
  p->fault[f] = on;
}

static double gauss(plant_t *p) {
  /* xorshift64* -> Box-Muller; deterministic per seed. */
  double u[2];
  for (int i = 0; i < 2; i++) {
    p->rng ^= p->rng >> 12;
    p->rng ^= p->rng << 25;
    p->rng ^= p->rng >> 27;
    u[i] = ((double)((p->rng * 2685821657736338717ull) >> 11) + 0.5) / 9007199254740992.0;
  }
  return sqrt(-2.0 * log(u[0])) * cos(6.283185307179586 * u[1]);
}

double plant_psat_bar_g(double temp_c) {
  double mmhg = pow(10.0, 8.14019 - 1810.94 / (244.485 + temp_c));
  return mmhg / 750.062 - 1.01325;
}

static bool is_hx(const plant_t *p) {
  return p->pre.machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER;
}
static bool is_dual(const plant_t *p) {
  return p->pre.machine_type == PROTO_MACHINE_TYPE_DUAL_BOILER;
}

void plant_step(plant_t *p, const ctl_outputs_t *out, double dt_s) {
  bool mains = out->heater_mains_enable;
  bool stuck = p->fault[FAULT_HEATER_STUCK_ON];
  bool dead = p->fault[FAULT_HEATER_DEAD];
  /* The faulted heater is the one that keeps the brew side (HX: its only boiler) hot. */
  bool brew_ssr = out->brew_heater_on || (stuck && !is_hx(p));
  bool steam_ssr = out->steam_heater_on || (stuck && is_hx(p));
  p->brew_energized = mains && brew_ssr && !(dead && !is_hx(p)) && !is_hx(p);
  p->steam_energized =
      mains && steam_ssr && !(dead && is_hx(p)) && p->pre.machine_type != PROTO_MACHINE_TYPE_SINGLE_BOILER;

  double pump = out->pump_power_pmil / 1000.0;
  bool modulating = (p->pre.capabilities & (PROTO_CAPABILITIES_DIMMABLE_PUMP | PROTO_CAPABILITIES_GEAR_PUMP)) != 0;
  if (!modulating && pump > 0.0) pump = 1.0; /* a relay pump is on or off */
  bool dry = p->tank_ml <= 0.0;
  if (pump > 0.0 && dry) p->pump_dry_s += dt_s;
  double before = p->hyd.pumped_ml;
  hydraulics_step(&p->hyd, dry ? 0.0 : pump, out->brew_valve_open && !out->fill_valve_open, dt_s);
  double pumped = p->hyd.pumped_ml - before;
  double fill_ml = (out->fill_valve_open && !dry) ? hydraulics_pump_flow(&p->pre.hyd, 1.0, pump) * dt_s : 0.0;
  p->tank_ml -= pumped + fill_ml;
  if (p->tank_ml < 0.0) p->tank_ml = 0.0;
  p->flow_pulse_acc += (pumped + fill_ml) * 2.0; /* 0.5 ml per pulse flow meter */
  while (p->flow_pulse_acc >= 1.0) {
    p->flow_pulses++;
    p->flow_pulse_acc -= 1.0;
  }
  double draw_g_s = pumped / dt_s; /* ml/s ~ g/s of cold water entering the brew path */

  const plant_preset_t *pre = &p->pre;
  if (is_hx(p)) {
    /* Heat exchanger: cold water enters the HX tube inside the boiler; the boiler heats the tube. */
    double q_hx = pre->hx_ua_w_per_k * (p->steam.water_c - p->hx_c);
    double c_hx = pre->hx_water_kg * WATER_J_PER_KG_K;
    double q_group = pre->group_coupling_w_per_k * (p->hx_c - p->group_c);
    p->hx_c += (q_hx - q_group - draw_g_s / 1000.0 * WATER_J_PER_KG_K * (p->hx_c - p->inlet_c)) / c_hx * dt_s;
    boiler_step(&p->steam, p->steam_energized ? 1.0 : 0.0, fill_ml / dt_s, p->inlet_c, -q_hx, p->ambient_c, dt_s);
    p->group_c += (q_group - pre->group_loss_w_per_k * (p->group_c - p->ambient_c)) / pre->group_j_per_k * dt_s;
  } else {
    double q_group = pre->group_coupling_w_per_k * (p->brew.water_c - p->group_c);
    boiler_step(&p->brew, p->brew_energized ? 1.0 : 0.0, draw_g_s, p->inlet_c, -q_group, p->ambient_c, dt_s);
    if (is_dual(p)) {
      boiler_step(&p->steam, p->steam_energized ? 1.0 : 0.0, fill_ml / dt_s, p->inlet_c, 0.0, p->ambient_c, dt_s);
    }
    p->group_c += (q_group - pre->group_loss_w_per_k * (p->group_c - p->ambient_c)) / pre->group_j_per_k * dt_s;
  }
  /* Water leaving through the group exchanges heat with it on the way out. */
  double src = is_hx(p) ? p->hx_c : p->brew.water_c;
  double flow = p->hyd.puck_flow_ml_s;
  /* On an E61 the thermosiphon keeps the water path near the source; elsewhere it is the group. */
  double wall = pre->path_fraction > 0.0 ? src - pre->path_fraction * (src - p->group_c) : p->group_c;
  if (flow > 0.05) {
    double mc = flow / 1000.0 * WATER_J_PER_KG_K;
    p->delivered_c = wall + (src - wall) * exp(-pre->group_water_ua_w_per_k / mc);
    p->group_c += mc * (src - p->delivered_c) / pre->group_j_per_k * dt_s;
  } else {
    p->delivered_c = src;
  }
}

static uint16_t ntc_adc(plant_t *p, const sim_ntc_t *n, double temp_c) {
  double t = temp_c + p->noise_c * gauss(p);
  double r = n->r25_ohm * exp(n->beta_k * (1.0 / (t + 273.15) - 1.0 / 298.15));
  double counts = r / (r + n->pullup_ohm) * ADC_FULL + 0.5;
  if (counts < 0.0) counts = 0.0;
  if (counts > ADC_FULL) counts = ADC_FULL;
  return (uint16_t)counts;
}

static uint16_t pressure_adc(plant_t *p, double bar) {
  double b = bar + 0.01 * gauss(p);
  double ratio = 0.1 + 0.8 * b / 16.0;
  double counts = ratio * ADC_FULL + 0.5;
  if (counts < 0.0) counts = 0.0;
  if (counts > ADC_FULL) counts = ADC_FULL;
  return (uint16_t)counts;
}

void plant_inputs(plant_t *p, uint32_t now_ms, ctl_inputs_t *in) {
  memset(in, 0, sizeof *in);
  in->now_ms = now_ms;
  in->brew_ntc_adc = ntc_adc(p, &p->pre.brew_ntc, p->brew.sensor_c);
  in->steam_ntc_adc = ntc_adc(p, &p->pre.steam_ntc, p->steam.sensor_c);
  in->group_ntc_adc = ntc_adc(p, &p->pre.brew_ntc, p->group_c);
  in->pressure_adc = pressure_adc(p, p->hyd.pressure_bar);
  double psat = plant_psat_bar_g(p->steam.water_c);
  in->boiler_pressure_adc = pressure_adc(p, psat > 0.0 ? psat : 0.0);
  in->flow_pulses = p->flow_pulses;
  in->lever_down = p->lever_down;
  in->tank_ok = p->tank_ml > 50.0;
  in->steam_level_ok = true;
  /* The faulted brew-side sensor is the one the controller regulates on (HX: the boiler's). */
  uint16_t *controlled = is_hx(p) ? &in->steam_ntc_adc : &in->brew_ntc_adc;
  if (p->fault[FAULT_SENSOR_STUCK]) {
    if (p->stuck_adc == 0) p->stuck_adc = *controlled;
    *controlled = p->stuck_adc;
  }
  if (p->fault[FAULT_BREW_SENSOR_OPEN]) in->brew_ntc_adc = (uint16_t)ADC_FULL;
  if (p->fault[FAULT_BREW_SENSOR_SHORT]) in->brew_ntc_adc = 0;
  if (p->fault[FAULT_STEAM_SENSOR_OPEN]) in->steam_ntc_adc = (uint16_t)ADC_FULL;
}

double plant_controlled_water_c(const plant_t *p) {
  return is_hx(p) ? p->steam.water_c : p->brew.water_c;
}
double plant_controlled_sensor_c(const plant_t *p) {
  return is_hx(p) ? p->steam.sensor_c : p->brew.sensor_c;
}

double plant_ideal_heatup_s(const plant_t *p, double setpoint_c) {
  const boiler_params_t *b = is_hx(p) ? &p->pre.steam : &p->pre.brew;
  return boiler_capacity_j_per_k(b) * (setpoint_c - p->ambient_c) / b->heater_w;
}

double plant_full_power_heatup_s(const plant_t *p, double setpoint_c, double band_c) {
  static plant_t copy;
  copy = *p;
  ctl_outputs_t out;
  memset(&out, 0, sizeof out);
  out.heater_mains_enable = true;
  out.brew_heater_on = !is_hx(&copy);
  out.steam_heater_on = is_hx(&copy);
  for (int i = 0; i < 3 * 3600 * 100; i++) {
    if (plant_controlled_sensor_c(&copy) >= setpoint_c - band_c) return i / 100.0;
    plant_step(&copy, &out, 0.01);
  }
  return NAN;
}
