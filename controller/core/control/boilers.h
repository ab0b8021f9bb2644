/* Boiler temperature loops for the configured machine type, at 10 Hz:
 *   dual_boiler     brew loop (brew NTC, brew heater) and steam loop (steam NTC, steam heater)
 *   single_boiler   one loop on the brew NTC and brew heater; its setpoint switches to the steam
 *                   setpoint in steam mode and returns to brew after steam_auto_return_s
 *   heat_exchanger  one loop on the steam heater, measuring the steam NTC, or the saturation
 *                   temperature of the boiler pressure when hx_control_pressure is set */
#ifndef BREWOS_BOILERS_H
#define BREWOS_BOILERS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "pid.h"

#define BOILERS_PERIOD_S 0.1f

typedef struct {
  pid_loop_t pid;
  float target_c; /* where the setpoint is heading */
  float active_c; /* ramped setpoint the PID uses */
  float duty_pmil;
  float meas_c; /* what the loop controls on */
  bool enabled;
} boiler_loop_t;

typedef struct {
  uint8_t mode; /* proto_machine_mode_t */
  bool eco;
  float brew_sp_c, steam_sp_c;
  float brew_c, steam_c; /* filtered sensor values */
  float boiler_mbar;     /* HX boiler pressure, gauge */
  float shot_flow_ml_s;  /* pump flow while a shot runs, 0 otherwise */
  bool heaters_allowed;  /* false: tripped, link lost, or a heater fault */
  bool brew_boost;       /* run the brew heater flat out (a heat-budgeted fill is banking heat) */
  bool steam_allowed;    /* false while the steam boiler fills or its heater is faulted */
  uint32_t now_ms;
} boilers_in_t;

typedef struct {
  uint8_t machine_type;
  boiler_loop_t brew;  /* dual and single boiler */
  boiler_loop_t steam; /* dual boiler and HX */
  float ramp_c_per_s;
  float ff_pmil_per_mls; /* 0 = derive from heater power */
  float brew_heater_w;
  float eco_sp_c;
  uint32_t steam_auto_return_ms;
  bool hx_pressure;
  float hx_pressure_sp_mbar;
  uint32_t steam_since_ms; /* single boiler: when steam mode began, 0 when not in steam */
  bool steam_returned;     /* single boiler: auto-return happened in this steam request */
  uint8_t last_mode;
} boilers_t;

void boilers_init(boilers_t *b, const config_t *cfg);
/* Re-read gains and parameters after a config change, without disturbing the integrators. */
void boilers_apply_config(boilers_t *b, const config_t *cfg);
void boilers_update(boilers_t *b, const boilers_in_t *in);

/* Brew-side temperature that defines "ready" and its setpoint, per machine type and mode. */
float boilers_ready_temp_c(const boilers_t *b);
float boilers_ready_setpoint_c(const boilers_t *b);
/* Saturation temperature of water at a gauge pressure (Antoine, 1 atm ambient). */
float boilers_tsat_c(float gauge_mbar);

#endif
