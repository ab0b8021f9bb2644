/* Boiler loops per machine type. */
#include "boilers.h"

#include <math.h>

#include "link/proto_gen.h"

/* Water assumed to enter the boiler at this temperature when deriving the flow feed-forward. */
#define INLET_WATER_C 20.0f
#define WATER_J_PER_G_K 4.186f

static pid_gains_t gains(const config_t *cfg, bool steam) {
  pid_gains_t g;
  g.kp = (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_KP_MILLI : PROTO_CONFIG_BREW_KP_MILLI) / 1000.0f;
  g.ki = (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_KI_MILLI : PROTO_CONFIG_BREW_KI_MILLI) / 1000.0f;
  g.kd = (float)config_get(cfg, steam ? PROTO_CONFIG_STEAM_KD_MILLI : PROTO_CONFIG_BREW_KD_MILLI) / 1000.0f;
  g.d_tau_s = 1.0f;
  g.i_band_c = 3.0f;
  g.out_max = (float)config_get(cfg, PROTO_CONFIG_DUTY_CAP_PMIL);
  return g;
}

void boilers_apply_config(boilers_t *b, const config_t *cfg) {
  b->machine_type = (uint8_t)config_get(cfg, PROTO_CONFIG_MACHINE_TYPE);
  pid_gains_t gb = gains(cfg, false);
  pid_gains_t gs = gains(cfg, true);
  pid_set_gains(&b->brew.pid, &gb);
  pid_set_gains(&b->steam.pid, &gs);
  b->ramp_c_per_s = (float)config_get(cfg, PROTO_CONFIG_SETPOINT_RAMP_CDEG_S) / 100.0f;
  b->ff_pmil_per_mls = (float)config_get(cfg, PROTO_CONFIG_BREW_FEEDFORWARD_PMIL_PER_MLS);
  b->brew_heater_w = (float)config_get(cfg, PROTO_CONFIG_BREW_HEATER_W);
  b->eco_sp_c = (float)config_get(cfg, PROTO_CONFIG_ECO_SETPOINT_CDEG) / 100.0f;
  b->steam_auto_return_ms = (uint32_t)config_get(cfg, PROTO_CONFIG_STEAM_AUTO_RETURN_S) * 1000u;
  b->hx_pressure = config_get(cfg, PROTO_CONFIG_HX_CONTROL_PRESSURE) != 0;
  b->hx_pressure_sp_mbar = (float)config_get(cfg, PROTO_CONFIG_HX_PRESSURE_SETPOINT_MBAR);
}

void boilers_init(boilers_t *b, const config_t *cfg) {
  pid_gains_t g = gains(cfg, false);
  pid_init(&b->brew.pid, &g);
  pid_init(&b->steam.pid, &g);
  b->brew.enabled = b->steam.enabled = false;
  b->brew.duty_pmil = b->steam.duty_pmil = 0.0f;
  b->brew.active_c = b->steam.active_c = 0.0f;
  b->brew.target_c = b->steam.target_c = 0.0f;
  b->brew.meas_c = b->steam.meas_c = 0.0f;
  b->steam_since_ms = 0;
  b->steam_returned = false;
  b->last_mode = PROTO_MACHINE_MODE_STANDBY;
  boilers_apply_config(b, cfg);
}

float boilers_tsat_c(float gauge_mbar) {
  float p_mmhg = (gauge_mbar / 1000.0f + 1.01325f) * 750.062f;
  return 1810.94f / (8.14019f - log10f(p_mmhg)) - 244.485f;
}

static void run_loop(boiler_loop_t *l, bool enabled, float target_c, float meas_c, float ramp, float ff) {
  l->meas_c = meas_c;
  if (!enabled) {
    l->enabled = false;
    l->duty_pmil = 0.0f;
    pid_reset(&l->pid);
    return;
  }
  if (!l->enabled) {
    /* Start the ramp from where the boiler is, so enabling never steps the setpoint. */
    l->active_c = meas_c < target_c ? meas_c : target_c;
    l->enabled = true;
  }
  l->target_c = target_c;
  float step = ramp * BOILERS_PERIOD_S;
  if (l->active_c < target_c)
    l->active_c = fminf(l->active_c + step, target_c);
  else if (l->active_c > target_c)
    l->active_c = fmaxf(l->active_c - step, target_c);
  l->duty_pmil = pid_update(&l->pid, l->active_c, meas_c, BOILERS_PERIOD_S, ff);
}

static float flow_ff(const boilers_t *b, float sp_c, float flow_ml_s) {
  if (flow_ml_s <= 0.0f || b->brew_heater_w <= 0.0f) return 0.0f;
  float k = b->ff_pmil_per_mls > 0.0f ? b->ff_pmil_per_mls
                                      : WATER_J_PER_G_K * (sp_c - INLET_WATER_C) / b->brew_heater_w * 1000.0f;
  return k * flow_ml_s;
}

void boilers_update(boilers_t *b, const boilers_in_t *in) {
  bool on = in->heaters_allowed && in->mode != PROTO_MACHINE_MODE_STANDBY;
  float brew_sp = in->eco ? fminf(in->brew_sp_c, b->eco_sp_c) : in->brew_sp_c;

  /* Single boiler steam timer: auto-return to brew after steam_auto_return_s in one request. */
  if (in->mode == PROTO_MACHINE_MODE_STEAM && b->last_mode != PROTO_MACHINE_MODE_STEAM) {
    b->steam_since_ms = in->now_ms;
    b->steam_returned = false;
  }
  if (in->mode != PROTO_MACHINE_MODE_STEAM) b->steam_returned = false;
  if (in->mode == PROTO_MACHINE_MODE_STEAM && b->steam_auto_return_ms > 0 &&
      in->now_ms - b->steam_since_ms >= b->steam_auto_return_ms) {
    b->steam_returned = true;
  }
  b->last_mode = in->mode;

  switch (b->machine_type) {
    case PROTO_MACHINE_TYPE_SINGLE_BOILER: {
      bool steam = in->mode == PROTO_MACHINE_MODE_STEAM && !b->steam_returned && !in->eco;
      float sp = steam ? in->steam_sp_c : brew_sp;
      run_loop(&b->brew, on, sp, in->brew_c, b->ramp_c_per_s, flow_ff(b, sp, in->shot_flow_ml_s));
      if (on && in->brew_boost) b->brew.duty_pmil = b->brew.pid.g.out_max;
      run_loop(&b->steam, false, 0.0f, in->brew_c, 0.0f, 0.0f);
      break;
    }
    case PROTO_MACHINE_TYPE_HEAT_EXCHANGER: {
      float meas = b->hx_pressure ? boilers_tsat_c(in->boiler_mbar) : in->steam_c;
      float sp = b->hx_pressure ? boilers_tsat_c(b->hx_pressure_sp_mbar) : in->steam_sp_c;
      if (in->eco) sp = fminf(sp, b->eco_sp_c);
      run_loop(&b->steam, on && in->steam_allowed, sp, meas, b->ramp_c_per_s, 0.0f);
      run_loop(&b->brew, false, 0.0f, in->brew_c, 0.0f, 0.0f);
      break;
    }
    default: {
      run_loop(&b->brew, on, brew_sp, in->brew_c, b->ramp_c_per_s, flow_ff(b, brew_sp, in->shot_flow_ml_s));
      if (on && in->brew_boost) b->brew.duty_pmil = b->brew.pid.g.out_max;
      run_loop(&b->steam, on && in->steam_allowed && !in->eco, in->steam_sp_c, in->steam_c, b->ramp_c_per_s, 0.0f);
      break;
    }
  }
}

float boilers_ready_temp_c(const boilers_t *b) {
  if (b->machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER) return b->steam.meas_c;
  if (b->machine_type == PROTO_MACHINE_TYPE_DUAL_BOILER && b->last_mode == PROTO_MACHINE_MODE_STEAM) {
    return b->steam.meas_c;
  }
  return b->brew.meas_c;
}

float boilers_ready_setpoint_c(const boilers_t *b) {
  if (b->machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER) return b->steam.target_c;
  if (b->machine_type == PROTO_MACHINE_TYPE_DUAL_BOILER && b->last_mode == PROTO_MACHINE_MODE_STEAM) {
    return b->steam.target_c;
  }
  return b->brew.target_c;
}
