/* Scenario runner. */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "link/crc16.h"
#include "sim_hub.h"

typedef struct {
  sim_machine_t m;
  sim_hub_t hub;
  /* brew-by-weight: the scale under the cup and the hub's part (peers stop here; ours in the controller) */
  sim_scale_t scale;
  bool scale_on;
  bbw_peer_t peers[BBW_ALGORITHM_COUNT];
  bbw_algorithm_t algo;
  double target_g;
  bool peer_stopped, was_running, awaiting_settle;
  uint32_t stop_ms, settle_window_ms;
  double end_flow_gs, settle_min, settle_max, last_reading;
  double running_flow_gs;                                 /* cup flow on the last tick the shot ran */
  uint32_t clear_at_ms;                                   /* pending fault_clear after a clear_fault event */
  uint32_t press_next_ms, press_until_ms, press_every_ms; /* pending presses of "clear fault" */
  bool hub_saw_trip; /* the hub dropped to standby on a trip; the owner turns on again after the clear */
  uint8_t mode_before_trip;
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

/* Send a profile to a slot in chunks, as the hub does. */
static void upload_profile(run_t *x, const profile_t *p, uint8_t slot) {
  uint8_t bin[PROFILE_MAX_BYTES];
  size_t len = profile_encode(p, bin);
  const size_t chunk = 232;
  uint16_t crc = crc16_ccitt_false(bin, len, CRC16_INIT);
  for (uint8_t i = 0; i < sim_hub_chunk_count(len, chunk); i++) {
    proto_msg_t m;
    sim_hub_profile_chunk(&m, slot, bin, len, crc, chunk, i);
    sim_hub_send(&x->hub, &x->m, &m);
  }
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
  x->scale_on = e->has_scale;
  x->target_g = e->target_g;
  x->algo = e->bbw;
  x->peer_stopped = false;
  x->awaiting_settle = false;
  if (e->has_scale) {
    scale_init(&x->scale, &e->scale, x->m.now_ms + x->token);
    bbw_peer_shot_start(&x->peers[x->algo]);
    proto_msg_t info;
    memset(&info, 0, sizeof info);
    info.type = PROTO_MSG_SCALE_INFO;
    info.u.scale_info.scale_model = e->scale.model;
    info.u.scale_info.table_lag_ms = (uint16_t)(scale_table_lag_s(e->scale.model) * 1000.0);
    sim_hub_send(&x->hub, &x->m, &info);
  }
  if (e->lever) {
    x->m.plant.lever_down = true;
    x->lever_up_ms = x->m.now_ms + (uint32_t)((e->stop_time_s > 0 ? e->stop_time_s : 30.0) * 1000.0);
    return;
  }
  if (e->has_profile) {
    /* A peer's rule on the hub is the shot's only weight stop: the profile's own stays unarmed,
     * or the comparison would cut peers short at the profile's weight instead of the target. */
    profile_t p = e->profile;
    if (e->target_g > 0 && e->bbw != BBW_PREDICTIVE && e->has_scale) p.target_weight_dg = 0;
    upload_profile(x, &p, 1);
  }
  proto_msg_t msg;
  memset(&msg, 0, sizeof msg);
  msg.type = PROTO_MSG_SHOT_START;
  proto_shot_start_t *s = &msg.u.shot_start;
  s->profile_slot = e->has_profile ? 1 : 0;
  s->shot_token = ++x->token;
  s->flags = e->backflush ? PROTO_SHOT_FLAGS_BACKFLUSH : 0;
  s->dose_dg = (uint16_t)(e->dose_g * 10.0);
  s->stop_time_ms = (uint32_t)(e->stop_time_s * 1000.0);
  s->stop_volume_ul = (uint32_t)(e->stop_volume_ml * 1000.0);
  if (e->target_g > 0 && (e->bbw == BBW_PREDICTIVE || !e->has_scale))
    s->target_weight_dg = (uint16_t)(e->target_g * 10.0);
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
    case EV_PRESS_CLEAR:
      x->press_next_ms = x->m.now_ms == 0 ? 1u : x->m.now_ms;
      x->press_every_ms = (uint32_t)(e->every_s * 1000.0);
      x->press_until_ms = x->m.now_ms + (uint32_t)(e->for_s * 1000.0);
      break;
    case EV_RESTART:
      sim_machine_reboot(&x->m, PROTO_RESET_REASON_WATCHDOG);
      x->hub.hello_sent = false;
      x->hub.next_desired_ms = x->m.now_ms;
      report_fault_injected(r, x->m.now_ms);
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

/* As the hub does: a trip (telemetry state "safe") drops the desired mode to standby; once the trip
 * is cleared the owner turns the machine on again, a fresh command the controller waits for. */
static void hub_follow_trip(run_t *x) {
  proto_desired_state_t *d = &x->hub.desired;
  bool tripped = x->m.ctl.state.state == PROTO_MACHINE_STATE_SAFE;
  if (tripped && !x->hub_saw_trip) {
    x->hub_saw_trip = true;
    x->mode_before_trip = d->mode;
    d->mode = PROTO_MACHINE_MODE_STANDBY;
    x->hub.next_desired_ms = x->m.now_ms;
  } else if (!tripped && x->hub_saw_trip && !x->m.ctl.safety.latched) {
    x->hub_saw_trip = false;
    d->mode = x->mode_before_trip;
    x->hub.next_desired_ms = x->m.now_ms + 1000u;
  }
}

/* The hub's brew-by-weight duties for one tick: stream the scale, run a peer's stop rule, and
 * once the cup has settled (no reading moved > 0.1 g for 1 s, >= 2 s after the stop) report it. */
static void scale_tick(run_t *x, report_t *r) {
  bool running = x->m.ctl.shot.running;
  if (x->was_running && !running && x->scale_on) {
    x->awaiting_settle = true;
    x->stop_ms = x->m.now_ms;
    x->end_flow_gs = x->running_flow_gs;
    x->settle_window_ms = x->m.now_ms;
    x->settle_min = x->settle_max = x->last_reading;
  }
  x->was_running = running;
  if (running) x->running_flow_gs = x->m.plant.hyd.puck_flow_ml_s * 0.965;
  if (!x->scale_on) return;
  scale_record(&x->scale, x->m.plant.hyd.cup_g);
  double g;
  double t = x->m.now_ms / 1000.0;
  if (scale_poll(&x->scale, t, &g) && !x->m.plant.fault[FAULT_SCALE_LOST]) {
    x->last_reading = g;
    proto_msg_t w;
    memset(&w, 0, sizeof w);
    w.type = PROTO_MSG_WEIGHT_SAMPLE;
    w.u.weight_sample.weight_dg = (int32_t)lround(g * 10.0);
    w.u.weight_sample.age_ms = 5; /* BLE callback to frame on the hub */
    w.u.weight_sample.scale_lag_ms = (uint16_t)(scale_table_lag_s(x->scale.p.model) * 1000.0);
    w.u.weight_sample.flags = PROTO_WEIGHT_FLAGS_CONNECTED;
    sim_hub_send(&x->hub, &x->m, &w);
    if (x->algo != BBW_PREDICTIVE && running && !x->peer_stopped &&
        bbw_peer_sample(&x->peers[x->algo], t, g, x->target_g, scale_table_lag_s(x->scale.p.model),
                        1000.0 / x->scale.p.period_ms)) {
      proto_msg_t stop;
      memset(&stop, 0, sizeof stop);
      stop.type = PROTO_MSG_SHOT_STOP;
      sim_hub_send(&x->hub, &x->m, &stop);
      x->peer_stopped = true;
    }
    if (x->awaiting_settle) {
      if (g < x->settle_min) x->settle_min = g;
      if (g > x->settle_max) x->settle_max = g;
      if (x->settle_max - x->settle_min > 0.1) {
        x->settle_window_ms = x->m.now_ms;
        x->settle_min = x->settle_max = g;
      }
    }
  }
  if (x->awaiting_settle && x->m.now_ms - x->stop_ms >= 2000u && x->m.now_ms - x->settle_window_ms >= 1000u) {
    double final_g = x->last_reading;
    x->awaiting_settle = false;
    x->scale_on = false;
    double learned = NAN;
    if (x->algo == BBW_PREDICTIVE) {
      proto_msg_t st;
      memset(&st, 0, sizeof st);
      st.type = PROTO_MSG_SHOT_SETTLED;
      st.u.shot_settled.shot_token = x->token;
      st.u.shot_settled.settled_weight_dg = (int32_t)lround(final_g * 10.0);
      st.u.shot_settled.scale_model = x->scale.p.model;
      sim_hub_send(&x->hub, &x->m, &st);
    } else {
      bbw_peer_settled(&x->peers[x->algo], final_g - x->target_g);
      if (x->algo == BBW_REGRESSION_AUTO) learned = x->peers[x->algo].gm_delay_s;
    }
    report_bbw(r, (int)x->algo, x->target_g, final_g, x->end_flow_gs, learned);
  }
}

const char *sim_trace_path;

static void trace(FILE *f, const sim_machine_t *m) {
  const shot_t *sh = &m->ctl.shot;
  if (f == NULL || !sh->running || m->now_ms % 100u != 0u) return;
  double target = sh->profile && sh->run_started ? sh->run.target : NAN;
  fprintf(f, "%.1f,%u,%.3f,%.3f,%.3f,%u,%.1f,%.2f,%.1f,%.3f,%.3f,%.1f\n", (m->now_ms - sh->start_ms) / 1000.0,
          sh->phase_index, target / 1000.0, m->plant.hyd.pressure_bar, m->plant.hyd.pump_flow_ml_s,
          m->out.pump_power_pmil, m->plant.hyd.cup_g, m->plant.delivered_c, sh->volume_ml,
          m->ctl.pressure.value_mbar / 1000.0, m->ctl.flow_ml_s, bbw_weight_g(&m->ctl.bbw));
}

bool sim_run(const scenario_t *s, bool baseline, report_t *r) {
  static run_t x;
  memset(&x, 0, sizeof x);
  sim_machine_init(&x.m, &s->machine, s->ambient_c, s->seed, s->sensor_noise_c, baseline);
  sim_hub_init(&x.hub, s->brew_c, s->steam_c);
  for (int a = 0; a < BBW_ALGORITHM_COUNT; a++) bbw_peer_init(&x.peers[a], (bbw_algorithm_t)a);
  double sp = s->machine.machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER ? s->steam_c : s->brew_c;
  report_init(r, &x.m, sp, s->steady_from_s, s->steady_to_s);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint32_t end_ms = (uint32_t)(s->duration_s * 1000.0);
  FILE *tf = sim_trace_path ? fopen(sim_trace_path, "w") : NULL;
  if (tf)
    fprintf(tf,
            "shot_s,phase,target,pressure_bar,pump_flow_ml_s,pump_pmil,cup_g,delivered_c,volume_ml,read_pressure_bar,"
            "read_flow_ml_s,read_weight_g\n");
  size_t next = 0;
  while (x.m.now_ms < end_ms) {
    sim_hub_tick(&x.hub, &x.m); /* hello first: the controller refuses commands before it */
    while (next < s->event_count && s->events[next].t_s * 1000.0 <= x.m.now_ms)
      apply_event(&x, s, &s->events[next++], r);
    hub_follow_trip(&x);
    if (x.press_next_ms && x.m.now_ms >= x.press_next_ms) {
      proto_msg_t msg;
      memset(&msg, 0, sizeof msg);
      msg.type = PROTO_MSG_FAULT_CLEAR;
      sim_hub_send(&x.hub, &x.m, &msg);
      bool again = x.press_every_ms > 0 && x.m.now_ms + x.press_every_ms <= x.press_until_ms;
      x.press_next_ms = again ? x.m.now_ms + x.press_every_ms : 0;
    }
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
    scale_tick(&x, r);
    report_sample(r, &x.m);
    trace(tf, &x.m);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (tf) fclose(tf);
  r->sim_s = x.m.now_ms / 1000.0;
  r->wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  r->pump_dry_s = x.m.plant.pump_dry_s;
  r->final_state = x.m.ctl.state.state;
  r->final_latched = x.m.ctl.safety.latched;
  return true;
}
