/* Simulator presets: ECM Synchronika class dual boiler, Rancilio Silvia class single boiler, E61 HX. */
#include "presets.h"

#include <string.h>

#include "link/proto_gen.h"

#define CAP(x) PROTO_CAPABILITIES_##x
#define CFG(k, v) \
  { PROTO_CONFIG_##k, (v) }

static const plant_preset_t DUAL = {
    .name = "dual_boiler",
    .machine_type = PROTO_MACHINE_TYPE_DUAL_BOILER,
    .brew = {.heater_w = 1200,
             .element_j_per_k = 80,
             .element_w_per_k = 40,
             .water_kg = 0.75,
             .metal_j_per_k = 750,
             .water_metal_w_per_k = 150,
             .loss_w_per_k = 0.6,
             .sensor_tau_s = 4.0},
    .steam = {.heater_w = 1400,
              .element_j_per_k = 90,
              .element_w_per_k = 45,
              .water_kg = 1.3,
              .metal_j_per_k = 1000,
              .water_metal_w_per_k = 150,
              .loss_w_per_k = 0.5,
              .sensor_tau_s = 4.0},
    .group_j_per_k = 1540,
    .group_coupling_w_per_k = 3.0,
    .group_loss_w_per_k = 0.35,
    .group_water_ua_w_per_k = 2.0,
    .path_fraction = 0.3,
    .brew_ntc = {50000, 3950, 3300},
    .steam_ntc = {50000, 3950, 1200},
    .hyd = {.pump = PUMP_ROTARY,
            .rotary_bypass_bar = 9.5,
            .rotary_r_bar_per_mls = 0.25,
            .rotary_open_ml_s = 27.8,
            .compliance_ml_per_bar = 1.4,
            .chamber_ml = 20,
            .opv_bar = 12.0,
            .opv_ml_s_per_bar = 3.0,
            .vent_bar_per_mls = 0.07,
            .gicleur_r = 0.18},
    .tank_ml = 2500,
    .capabilities = CAP(PRESSURE_SENSOR) | CAP(FLOW_METER) | CAP(LEVER_SWITCH) | CAP(STEAM_LEVEL_PROBE) |
                    CAP(TANK_LEVEL_SWITCH) | CAP(GROUP_SENSOR) | CAP(AUTOTUNE) | CAP(WEIGHT_STOP) |
                    CAP(CONFIG_PERSISTENCE),
    .config = {CFG(MACHINE_TYPE, 1), CFG(BREW_HEATER_W, 1200), CFG(STEAM_HEATER_W, 1400), CFG(MAINS_VOLTAGE_V, 230),
               CFG(MAINS_CURRENT_LIMIT_MA, 16000), CFG(BREW_NTC_R25_OHM, 50000), CFG(BREW_NTC_BETA_K, 3950),
               CFG(BREW_NTC_PULLUP_OHM, 3300), CFG(STEAM_NTC_R25_OHM, 50000), CFG(STEAM_NTC_BETA_K, 3950),
               CFG(STEAM_NTC_PULLUP_OHM, 1200), CFG(BREW_BOILER_J_PER_K, 3970), CFG(STEAM_BOILER_J_PER_K, 6530)},
    .config_count = 13,
};

static const plant_preset_t SINGLE = {
    .name = "single_boiler",
    .machine_type = PROTO_MACHINE_TYPE_SINGLE_BOILER,
    .brew = {.heater_w = 1000,
             .element_j_per_k = 70,
             .element_w_per_k = 35,
             .water_kg = 0.30,
             .metal_j_per_k = 380,
             .water_metal_w_per_k = 120,
             .loss_w_per_k = 0.35,
             .sensor_tau_s = 5.0},
    .steam = {.heater_w = 1,
              .element_j_per_k = 1,
              .element_w_per_k = 1,
              .water_kg = 0.01,
              .metal_j_per_k = 1,
              .water_metal_w_per_k = 1,
              .loss_w_per_k = 0.01,
              .sensor_tau_s = 1.0},
    .group_j_per_k = 950,
    .group_coupling_w_per_k = 1.5,
    .group_loss_w_per_k = 0.3,
    .group_water_ua_w_per_k = 1.5,
    .brew_ntc = {10000, 3950, 3300},
    .steam_ntc = {10000, 3950, 3300},
    .hyd = {.pump = PUMP_VIBRATORY,
            .vibe_q0_ml_s = 10.8,
            .vibe_q9_ml_s = 4.25,
            .vibe_pmax_bar = 15.0,
            .compliance_ml_per_bar = 1.4,
            .chamber_ml = 0,
            .opv_bar = 10.5,
            .opv_ml_s_per_bar = 3.0,
            .vent_bar_per_mls = 0.07},
    .tank_ml = 2000,
    .capabilities = CAP(PRESSURE_SENSOR) | CAP(LEVER_SWITCH) | CAP(TANK_LEVEL_SWITCH) | CAP(AUTOTUNE) |
                    CAP(WEIGHT_STOP) | CAP(CONFIG_PERSISTENCE),
    .config = {CFG(MACHINE_TYPE, 2), CFG(BREW_HEATER_W, 1000), CFG(STEAM_HEATER_W, 0), CFG(MAINS_VOLTAGE_V, 230),
               CFG(MAINS_CURRENT_LIMIT_MA, 10000), CFG(BREW_NTC_R25_OHM, 10000), CFG(BREW_NTC_BETA_K, 3950),
               CFG(BREW_NTC_PULLUP_OHM, 3300), CFG(BREW_KP_MILLI, 400000), CFG(BREW_KI_MILLI, 3000),
               CFG(BREW_KD_MILLI, 1600000), CFG(BREW_BOILER_J_PER_K, 1710)},
    .config_count = 12,
};

static const plant_preset_t HX = {
    .name = "heat_exchanger",
    .machine_type = PROTO_MACHINE_TYPE_HEAT_EXCHANGER,
    .brew = {.heater_w = 1,
             .element_j_per_k = 1,
             .element_w_per_k = 1,
             .water_kg = 0.01,
             .metal_j_per_k = 1,
             .water_metal_w_per_k = 1,
             .loss_w_per_k = 0.01,
             .sensor_tau_s = 1.0},
    .steam = {.heater_w = 1400,
              .element_j_per_k = 90,
              .element_w_per_k = 45,
              .water_kg = 1.2,
              .metal_j_per_k = 962,
              .water_metal_w_per_k = 150,
              .loss_w_per_k = 0.7,
              .sensor_tau_s = 4.0},
    .group_j_per_k = 1540,
    .group_coupling_w_per_k = 3.0,
    .group_loss_w_per_k = 0.35,
    .group_water_ua_w_per_k = 2.0,
    .path_fraction = 0.3,
    .hx_water_kg = 0.12,
    .hx_ua_w_per_k = 10.6,
    .brew_ntc = {10000, 3950, 3300},
    .steam_ntc = {10000, 3950, 1000},
    .hyd = {.pump = PUMP_VIBRATORY,
            .vibe_q0_ml_s = 10.8,
            .vibe_q9_ml_s = 4.25,
            .vibe_pmax_bar = 15.0,
            .compliance_ml_per_bar = 1.4,
            .chamber_ml = 20,
            .opv_bar = 10.0,
            .opv_ml_s_per_bar = 3.0,
            .vent_bar_per_mls = 0.07,
            .gicleur_r = 0.18},
    .tank_ml = 2500,
    .capabilities = CAP(PRESSURE_SENSOR) | CAP(LEVER_SWITCH) | CAP(STEAM_LEVEL_PROBE) | CAP(TANK_LEVEL_SWITCH) |
                    CAP(AUTOTUNE) | CAP(CONFIG_PERSISTENCE),
    .config = {CFG(MACHINE_TYPE, 3), CFG(BREW_HEATER_W, 0), CFG(STEAM_HEATER_W, 1400), CFG(MAINS_VOLTAGE_V, 230),
               CFG(MAINS_CURRENT_LIMIT_MA, 10000), CFG(STEAM_NTC_R25_OHM, 10000), CFG(STEAM_NTC_BETA_K, 3950),
               CFG(STEAM_NTC_PULLUP_OHM, 1000), CFG(STEAM_BOILER_J_PER_K, 6580)},
    .config_count = 9,
};

const char *const PRESET_NAMES[] = {"dual_boiler", "dual_boiler_gear", "single_boiler", "heat_exchanger", NULL};

void preset_set_pump(plant_preset_t *x, preset_pump_t pump) {
  uint32_t mod = PROTO_CAPABILITIES_DIMMABLE_PUMP | PROTO_CAPABILITIES_GEAR_PUMP;
  if (pump == PRESET_PUMP_RELAY) x->capabilities &= ~mod;
  if (pump == PRESET_PUMP_DIMMABLE) {
    if (x->hyd.pump == PUMP_ROTARY) { /* a vibratory pump in place of the rotary one (E5 curve) */
      x->hyd.pump = PUMP_VIBRATORY;
      x->hyd.vibe_q0_ml_s = 10.8;
      x->hyd.vibe_q9_ml_s = 4.25;
      x->hyd.vibe_pmax_bar = 15.0;
    }
    x->capabilities = (x->capabilities & ~mod) | PROTO_CAPABILITIES_DIMMABLE_PUMP;
  }
  if (pump == PRESET_PUMP_GEAR) {
    x->hyd.pump = PUMP_GEAR;
    x->capabilities = (x->capabilities & ~mod) | PROTO_CAPABILITIES_GEAR_PUMP;
    /* The installer calibrates the controller's pump model to the gear pump (12 ml/s, slipping). */
    const plant_config_t curve[] = {
        {PROTO_CONFIG_PUMP_Q0_UL_S, 12000}, {PROTO_CONFIG_PUMP_Q9_UL_S, 6600}, {PROTO_CONFIG_PUMP_MAX_MBAR, 20000}};
    for (size_t i = 0; i < 3 && x->config_count < PLANT_MAX_CONFIG; i++) x->config[x->config_count++] = curve[i];
  }
}

const plant_preset_t *preset_find(const char *name) {
  if (strcmp(name, "dual_boiler_gear") == 0) {
    /* The demo machine of `npm start`: the dual boiler with a gear pump, so every profile runs. */
    static plant_preset_t gear;
    gear = DUAL;
    gear.name = "dual_boiler_gear";
    preset_set_pump(&gear, PRESET_PUMP_GEAR);
    return &gear;
  }
  if (strcmp(name, DUAL.name) == 0) return &DUAL;
  if (strcmp(name, SINGLE.name) == 0) return &SINGLE;
  if (strcmp(name, HX.name) == 0) return &HX;
  return NULL;
}
