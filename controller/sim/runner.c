/* Scenario runner. */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "sim_hub.h"

typedef struct {
  sim_machine_t m;
  sim_hub_t hub;
  uint32_t clear_at_ms; /* pending fault_clear after a clear_fault event */
  uint32_t lever_up_ms; /* pending lever release */
  uint32_t token;
} run_t;

static void send_config(run_t *x, uint16_t key, int32_t value) {
  proto_msg_t msg;
  memset(&msg, 0, sizeof msg);
  msg.type = PROTO_MSG_CONFIG_SET;
  msg.u.config_set.key = key;
  msg.u.config_set.value = value;
  sim_hub_send(&x->hub, &x->m, &msg);
}

static void do_shot(run_t *x, const scenario_event_t *e, report_t *r) {
  if (!isnan(e->pre_on_s)) {
    send_config(x, PROTO_CONFIG_PREINFUSION_ON_MS, (int32_t)(e->pre_on_s * 1000.0));
    send_config(x, PROTO_CONFIG_PREINFUSION_PAUSE_MS, (int32_t)(e->pre_pause_s * 1000.0));
  }
  if (e->backflush) {
    x->m.plant.hyd.blocked = true; /* blind basket */
    hydraulics_load_puck(&x->m.plant.hyd, &e->puck);
    x->m.plant.hyd.has_puck = false;
  } else {
    hydraulics_load_puck(&x->m.plant.hyd, &e->puck);
  }
  report_shot_requested(r, x->m.now_ms / 1000.0);
  if (e->lever) {
    x->m.plant.lever_down = true;
    x->lever_up_ms = x->m.now_ms + (uint32_t)((e->stop_time_s > 0 ? e->stop_time_s : 30.0) * 1000.0);
    return;
  }
  proto_msg_t msg;
  memset(&msg, 0, sizeof msg);
  msg.type = PROTO_MSG_SHOT_START;
  proto_shot_start_t *s = &msg.u.shot_start;
  s->shot_token = ++x->token;
  s->flags = e->backflush ? PROTO_SHOT_FLAGS_BACKFLUSH : 0;
  s->dose_dg = (uint16_t)(e->dose_g * 10.0);
  s->stop_time_ms = (uint32_t)(e->stop_time_s * 1000.0);
  s->stop_volume_ul = (uint32_t)(e->stop_volume_ml * 1000.0);
  sim_hub_send(&x->hub, &x->m, &msg);
}

static void apply_event(run_t *x, const scenario_t *s, const scenario_event_t *e, report_t *r) {
  proto_desired_state_t *d = &x->hub.desired;
  switch (e->kind) {
    case EV_POWER_ON:
      d->mode = PROTO_MACHINE_MODE_BREW;
      if (isnan(r->power_on_s)) r->power_on_s = x->m.now_ms / 1000.0;
      x->hub.next_desired_ms = x->m.now_ms;
      break;
    case EV_POWER_OFF: d->mode = PROTO_MACHINE_MODE_STANDBY; break;
    case EV_SET:
      if (!isnan(e->brew_c)) d->brew_setpoint_cdeg = (int16_t)(e->brew_c * 100.0 + 0.5);
      if (!isnan(e->steam_c)) d->steam_setpoint_cdeg = (int16_t)(e->steam_c * 100.0 + 0.5);
      if (e->mode >= 0) d->mode = (uint8_t)e->mode;
      if (e->strategy >= 0) d->heating_strategy = (uint8_t)e->strategy;
      if (e->eco >= 0) d->flags = e->eco ? PROTO_DESIRED_FLAGS_ECO : 0;
      for (uint8_t i = 0; i < e->config_count; i++) send_config(x, e->config[i].key, e->config[i].value);
      x->hub.next_desired_ms = x->m.now_ms;
      r->overshoot_open = false;
      break;
    case EV_SHOT: do_shot(x, e, r); break;
    case EV_FAULT:
      plant_set_fault(&x->m.plant, e->fault, true);
      report_fault_injected(r, x->m.now_ms);
      break;
    case EV_CLEAR_FAULT:
      plant_set_fault(&x->m.plant, e->fault, false);
      x->clear_at_ms = x->m.now_ms + 1000u; /* the user presses "clear" a second after fixing it */
      break;
    case EV_LINK_LOSS:
      x->hub.link_down_until_ms = x->m.now_ms + (uint32_t)(e->for_s * 1000.0);
      report_link_loss(r, x->m.now_ms);
      break;
    case EV_AUTOTUNE: {
      proto_msg_t msg;
      memset(&msg, 0, sizeof msg);
      msg.type = PROTO_MSG_AUTOTUNE_START;
      msg.u.autotune_start.boiler = (uint8_t)e->boiler;
      msg.u.autotune_start.setpoint_cdeg = (int16_t)(e->setpoint_c * 100.0);
      msg.u.autotune_start.amplitude_pmil = (uint16_t)e->amplitude_pmil;
      sim_hub_send(&x->hub, &x->m, &msg);
      break;
    }
  }
  (void)s;
}

bool sim_run(const scenario_t *s, bool baseline, report_t *r) {
  static run_t x;
  memset(&x, 0, sizeof x);
  sim_machine_init(&x.m, &s->machine, s->ambient_c, s->seed, s->sensor_noise_c, baseline);
  sim_hub_init(&x.hub, s->brew_c, s->steam_c);
  double sp = s->machine.machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER ? s->steam_c : s->brew_c;
  report_init(r, &x.m, sp, s->steady_from_s, s->steady_to_s);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint32_t end_ms = (uint32_t)(s->duration_s * 1000.0);
  size_t next = 0;
  while (x.m.now_ms < end_ms) {
    sim_hub_tick(&x.hub, &x.m); /* hello first: the controller refuses commands before it */
    while (next < s->event_count && s->events[next].t_s * 1000.0 <= x.m.now_ms)
      apply_event(&x, s, &s->events[next++], r);
    if (x.clear_at_ms && x.m.now_ms >= x.clear_at_ms) {
      proto_msg_t msg;
      memset(&msg, 0, sizeof msg);
      msg.type = PROTO_MSG_FAULT_CLEAR;
      sim_hub_send(&x.hub, &x.m, &msg);
      x.clear_at_ms = 0;
    }
    if (x.lever_up_ms && x.m.now_ms >= x.lever_up_ms) {
      x.m.plant.lever_down = false;
      x.lever_up_ms = 0;
    }
    if (x.m.plant.hyd.blocked && !x.m.plant.fault[FAULT_PUMP_BLOCKED] && !x.m.ctl.shot.running &&
        x.m.ctl.shot.ended_ms != 0 && x.m.now_ms - x.m.ctl.shot.ended_ms > 3000u) {
      x.m.plant.hyd.blocked = false; /* blind basket out after the backflush */
    }
    sim_hub_tick(&x.hub, &x.m);
    sim_machine_tick(&x.m);
    sim_hub_receive(&x.hub, &x.m, r);
    report_sample(r, &x.m);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  r->sim_s = x.m.now_ms / 1000.0;
  r->wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  r->pump_dry_s = x.m.plant.pump_dry_s;
  r->final_state = x.m.ctl.state.state;
  r->final_latched = x.m.ctl.safety.latched;
  return true;
}
