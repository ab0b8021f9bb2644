/* Run metrics and JSON output. */
#include "report.h"

#include "bbw_peers.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_init(report_t *r, const sim_machine_t *m, double setpoint_c, double steady_from_s, double steady_to_s) {
  memset(r, 0, sizeof *r);
  r->setpoint_c = setpoint_c;
  r->ideal_heatup_s = plant_ideal_heatup_s(&m->plant, setpoint_c);
  r->full_power_heatup_s = plant_full_power_heatup_s(&m->plant, setpoint_c, 1.0);
  r->power_on_s = NAN;
  r->heatup_s = NAN;
  r->steady_from_s = steady_from_s;
  r->steady_to_s = steady_to_s;
  r->w_min = r->s_min = 1e9;
  r->w_max = r->s_max = -1e9;
  true_peaks_init(&r->peaks);
}

void report_free(report_t *r) {
  for (size_t i = 0; i < r->shot_count; i++) {
    free(r->shots[i].del);
    free(r->shots[i].flow);
  }
}

void report_fault_injected(report_t *r, uint32_t now_ms) {
  r->fault_ms = now_ms;
  r->fault_pending = true;
}

void report_link_loss(report_t *r, uint32_t now_ms) {
  r->link_loss_ms = now_ms;
  r->link_loss_pending = true;
}

void report_bbw(report_t *r, int algorithm, double target_g, double final_g, double end_flow_gs, double learned_s) {
  if (r->shot_count == 0) return;
  shot_rec_t *s = &r->shots[r->shot_count - 1];
  s->bbw_algorithm = algorithm;
  s->target_g = target_g;
  s->final_g = final_g;
  s->end_flow_gs = end_flow_gs;
  if (!isnan(learned_s)) s->learned_s = learned_s;
}

void report_shot_requested(report_t *r, double t_s) {
  (void)t_s;
  r->overshoot_open = false; /* overshoot is measured from heat-up until the first shot */
}

static double controller_reading(const sim_machine_t *m) {
  if (m->use_baseline) return baseline_controlled_c(&m->base, &m->ctl);
  return m->ctl.boilers.machine_type == PROTO_MACHINE_TYPE_HEAT_EXCHANGER ? m->ctl.steam_t.value_c
                                                                          : m->ctl.brew_t.value_c;
}

void report_sample(report_t *r, const sim_machine_t *m) {
  double t = m->now_ms / 1000.0;
  true_peaks_sample(&r->peaks, m);
  double water = plant_controlled_water_c(&m->plant);
  double sensor = plant_controlled_sensor_c(&m->plant);
  if (!isnan(r->power_on_s) && isnan(r->heatup_s) && sensor >= r->setpoint_c - 1.0) {
    r->heatup_s = t - r->power_on_s;
    r->overshoot_open = r->shot_count == 0;
  }
  if (r->overshoot_open && water - r->setpoint_c > r->overshoot_c) r->overshoot_c = water - r->setpoint_c;
  double from = r->steady_from_s, to = r->steady_to_s;
  if (isnan(from) && !isnan(r->heatup_s)) from = r->power_on_s + r->heatup_s + 600.0;
  bool in_window = !isnan(from) && t >= from && (isnan(to) || t < to) && r->shot_count == 0;
  if (!isnan(r->steady_from_s) || !isnan(r->steady_to_s)) {
    in_window = !isnan(from) && t >= from && (isnan(to) || t < to);
  }
  if (in_window) {
    double reading = controller_reading(m);
    if (water < r->w_min) r->w_min = water;
    if (water > r->w_max) r->w_max = water;
    if (reading < r->s_min) r->s_min = reading;
    if (reading > r->s_max) r->s_max = reading;
    r->w_sumsq += (water - r->setpoint_c) * (water - r->setpoint_c);
    r->w_n++;
  }
  if (r->shot_count > 0) {
    shot_rec_t *s = &r->shots[r->shot_count - 1];
    if (!s->ended && m->plant.hyd.puck_flow_ml_s > 0.5 && s->del_n < REPORT_MAX_SHOT_SAMPLES && s->del) {
      double d = m->plant.delivered_c;
      s->flow[s->del_n] = (float)m->plant.hyd.puck_flow_ml_s;
      s->del[s->del_n++] = (float)d;
      s->del_sum += d;
    }
    if (!s->ended || m->now_ms - s->end_ms < 5000u) s->cup_g = m->plant.hyd.cup_g; /* drips land after the stop */
    if (isnan(s->first_drop_s) && m->plant.hyd.cup_g >= 0.5) s->first_drop_s = m->now_ms / 1000.0 - s->start_s;
    const shot_t *sh = &m->ctl.shot;
    if (!s->ended && sh->running && sh->profile != NULL && sh->run_started) {
      const profile_phase_t *ph = &sh->profile->phases[sh->run.phase];
      double in_phase = (m->now_ms - sh->run.phase_start_ms) / 1000.0;
      double err = fabs(m->plant.hyd.pressure_bar - sh->run.target / 1000.0);
      bool limited = ph->limit != 0 && m->plant.hyd.pump_flow_ml_s * 1000.0 >= ph->limit * 0.95;
      /* A phase that ends when pressure arrives is waiting for it, not holding it. */
      bool waiting = ph->exit_pressure_above_mbar != 0;
      if (ph->mode == PROFILE_MODE_PRESSURE && !limited) {
        bool ramp = ph->curve != PROFILE_CURVE_INSTANT && in_phase < ph->duration_ds / 10.0;
        bool pressurised = sh->run.at_start >= 2000.0f || ph->start != PROFILE_FROM_CURRENT;
        if (ramp && pressurised && m->plant.hyd.pressure_bar >= 2.0 && in_phase > 0.5)
          s->ramp_err_bar = isnan(s->ramp_err_bar) ? err : fmax(s->ramp_err_bar, err);
        if (!ramp && !waiting && in_phase >= 2.0 && in_phase - ph->duration_ds / 10.0 >= 2.0) {
          s->hold_err_bar = isnan(s->hold_err_bar) ? err : fmax(s->hold_err_bar, err);
        }
      }
    }
  }
  /* Over-temperature crossings as the sensor sees them (noise-free), for detection latency. */
  double brew_max = m->ctl.safety.brew_max_c;
  double steam_max = m->ctl.safety.steam_max_c;
  if (!r->brew_crossed && m->plant.pre.machine_type != PROTO_MACHINE_TYPE_HEAT_EXCHANGER &&
      m->plant.brew.sensor_c >= brew_max) {
    r->brew_crossed = true;
    r->brew_cross_ms = m->now_ms;
  }
  if (!r->steam_crossed && m->plant.pre.machine_type != PROTO_MACHINE_TYPE_SINGLE_BOILER &&
      m->plant.steam.sensor_c >= steam_max) {
    r->steam_crossed = true;
    r->steam_cross_ms = m->now_ms;
  }
  /* The link-loss alarm is raised while the link is down, so it is observed here, not on the wire. */
  if (m->ctl.link_lost && !r->link_lost_seen && r->trip_count < REPORT_MAX_TRIPS) {
    trip_rec_t *lt = &r->trips[r->trip_count++];
    memset(lt, 0, sizeof *lt);
    lt->code = PROTO_ALARM_CODE_LINK_LOSS;
    lt->trip_ms = m->now_ms;
    lt->cause_ms = r->link_loss_pending ? r->link_loss_ms : m->now_ms;
  }
  r->link_lost_seen = m->ctl.link_lost;
  /* Heat after a trip counts only while that trip is still active (clearing it resumes heating). */
  bool heating = m->plant.brew_energized || m->plant.steam_energized;
  for (size_t i = 0; i < r->trip_count; i++) {
    bool active = r->trips[i].code == PROTO_ALARM_CODE_LINK_LOSS ? m->ctl.link_lost
                                                                 : m->ctl.safety.alarms.active[r->trips[i].code];
    if (heating && active && m->now_ms > r->trips[i].trip_ms) {
      r->trips[i].last_heater_ms = m->now_ms;
      r->trips[i].heater_after = true;
    }
  }
}

static void on_alarm(report_t *r, const proto_alarm_t *a) {
  if (a->action != PROTO_ALARM_ACTION_RAISED) return;
  bool trip = a->severity >= PROTO_ALARM_SEVERITY_FAULT;
  if (!trip || r->trip_count == REPORT_MAX_TRIPS) return;
  for (size_t i = 0; i < r->trip_count; i++) {
    if (r->trips[i].code == a->code && r->trips[i].trip_ms == a->uptime_ms) return; /* re-announced after a hello */
  }
  trip_rec_t *t = &r->trips[r->trip_count++];
  t->code = a->code;
  t->trip_ms = a->uptime_ms;
  if (a->code == PROTO_ALARM_CODE_BREW_OVER_TEMP && r->brew_crossed)
    t->cause_ms = r->brew_cross_ms;
  else if (a->code == PROTO_ALARM_CODE_STEAM_OVER_TEMP && r->steam_crossed)
    t->cause_ms = r->steam_cross_ms;
  else if (a->code == PROTO_ALARM_CODE_LINK_LOSS && r->link_loss_pending)
    t->cause_ms = r->link_loss_ms;
  else if (r->fault_pending)
    t->cause_ms = r->fault_ms;
  else
    t->cause_ms = a->uptime_ms;
}

void report_message(report_t *r, const sim_machine_t *m, const proto_msg_t *msg) {
  switch (msg->type) {
    case PROTO_MSG_SHOT_STARTED:
      if (r->shot_count == REPORT_MAX_SHOTS) r->shots_not_recorded++;
      if (r->shot_count < REPORT_MAX_SHOTS) {
        shot_rec_t *s = &r->shots[r->shot_count++];
        memset(s, 0, sizeof *s);
        s->start_s = msg->u.shot_started.uptime_ms / 1000.0;
        s->token = msg->u.shot_started.shot_token;
        s->first_drop_s = NAN;
        s->bbw_algorithm = -1;
        s->hold_err_bar = s->ramp_err_bar = NAN;
        s->learned_s = NAN;
        s->del = malloc(sizeof(float) * REPORT_MAX_SHOT_SAMPLES);
        s->flow = malloc(sizeof(float) * REPORT_MAX_SHOT_SAMPLES);
        r->overshoot_open = false;
      }
      break;
    case PROTO_MSG_SHOT_ENDED:
      if (r->shot_count > 0) {
        shot_rec_t *s = &r->shots[r->shot_count - 1];
        s->ended = true;
        s->end_ms = m->now_ms;
        s->duration_s = msg->u.shot_ended.duration_ms / 1000.0;
        s->stop_reason = msg->u.shot_ended.stop_reason;
        s->flags = msg->u.shot_ended.flags;
        s->volume_ml = msg->u.shot_ended.pumped_volume_ul / 1000.0;
        s->max_pressure_bar = msg->u.shot_ended.max_pressure_mbar / 1000.0;
        s->cup_g = m->plant.hyd.cup_g;
      }
      break;
    case PROTO_MSG_ALARM: on_alarm(r, &msg->u.alarm); break;
    case PROTO_MSG_ACK:
      if (msg->u.ack.result != PROTO_ACK_RESULT_OK) r->rejected_commands++;
      break;
    case PROTO_MSG_BBW_LEARNED:
      if (r->shot_count > 0) r->shots[r->shot_count - 1].learned_s = msg->u.bbw_learned.correction_ms / 1000.0;
      break;
    case PROTO_MSG_AUTOTUNE_RESULT:
      r->autotune_done = true;
      r->autotune_status = msg->u.autotune_result.status;
      r->kp_milli = msg->u.autotune_result.kp_milli;
      r->ki_milli = msg->u.autotune_result.ki_milli;
      r->kd_milli = msg->u.autotune_result.kd_milli;
      r->autotune_period_ms = msg->u.autotune_result.period_ms;
      break;
    default: break;
  }
}

static double round3(double x) {
  return round(x * 1000.0) / 1000.0;
}

static void add_num(cJSON *o, const char *k, double v) {
  if (isnan(v))
    cJSON_AddNullToObject(o, k);
  else
    cJSON_AddNumberToObject(o, k, round3(v));
}

void report_shot_temperature(const shot_rec_t *s, double *mean, double *dev, double *peak) {
  /* The water that extracts: flow-weighted over the shot and over each second of it. */
  double vol = 0.0, heat = 0.0;
  for (uint32_t k = 0; k < s->del_n; k++) {
    vol += s->flow[k];
    heat += s->flow[k] * s->del[k];
  }
  *mean = vol > 0.0 ? heat / vol : NAN;
  *dev = 0.0;
  *peak = 0.0;
  for (uint32_t k = 0; k < s->del_n; k += 100) {
    double v = 0.0, q = 0.0;
    for (uint32_t x = k; x < k + 100 && x < s->del_n; x++) {
      v += s->flow[x];
      q += s->flow[x] * s->del[x];
    }
    if (v > 0.0) *dev = fmax(*dev, fabs(q / v - *mean));
  }
  for (uint32_t k = 0; k < s->del_n; k++) *peak = fmax(*peak, fabs(s->del[k] - *mean));
  if (s->del_n == 0) *dev = *peak = NAN;
}

void report_print(const report_t *r, const char *name, const char *machine, bool baseline) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "name", name);
  cJSON_AddStringToObject(o, "machine", machine);
  cJSON_AddStringToObject(o, "controller", baseline ? "brewos_baseline" : "brewos");
  add_num(o, "setpoint_c", r->setpoint_c);
  add_num(o, "heatup_s", r->heatup_s);
  add_num(o, "ideal_heatup_s", r->ideal_heatup_s);
  add_num(o, "heatup_ratio", r->heatup_s / r->ideal_heatup_s);
  add_num(o, "full_power_heatup_s", r->full_power_heatup_s);
  add_num(o, "full_power_ratio", r->full_power_heatup_s / r->ideal_heatup_s);
  add_num(o, "overshoot_c", isnan(r->heatup_s) ? NAN : r->overshoot_c);
  bool w = r->w_n > 0;
  add_num(o, "steady_pp_c", w ? r->w_max - r->w_min : NAN);
  add_num(o, "steady_rms_c", w ? sqrt(r->w_sumsq / r->w_n) : NAN);
  add_num(o, "sensor_steady_pp_c", w ? r->s_max - r->s_min : NAN);
  add_num(o, "steady_samples", (double)r->w_n);
  cJSON *shots = cJSON_AddArrayToObject(o, "shots");
  for (size_t i = 0; i < r->shot_count; i++) {
    const shot_rec_t *s = &r->shots[i];
    cJSON *j = cJSON_CreateObject();
    add_num(j, "start_s", s->start_s);
    add_num(j, "duration_s", s->duration_s);
    cJSON_AddStringToObject(j, "stop_reason", s->ended ? proto_stop_reason_name(s->stop_reason) : "running");
    add_num(j, "volume_ml", s->volume_ml);
    add_num(j, "cup_g", s->cup_g);
    add_num(j, "first_drop_s", s->first_drop_s);
    add_num(j, "max_pressure_bar", s->max_pressure_bar);
    double mean, dev, peak;
    report_shot_temperature(s, &mean, &dev, &peak);
    add_num(j, "delivered_mean_c", mean);
    add_num(j, "brew_temp_dev_c", dev);
    add_num(j, "brew_temp_peak_dev_c", peak);
    if (s->bbw_algorithm >= 0) {
      cJSON_AddStringToObject(j, "bbw_algorithm", BBW_ALGORITHM_NAMES[s->bbw_algorithm]);
      add_num(j, "target_g", s->target_g);
      add_num(j, "final_g", s->final_g);
      add_num(j, "error_g", s->final_g - s->target_g);
      add_num(j, "end_flow_gs", s->end_flow_gs);
      add_num(j, "learned_lag_s", s->learned_s);
    }
    add_num(j, "pressure_hold_err_bar", s->hold_err_bar);
    add_num(j, "pressure_ramp_err_bar", s->ramp_err_bar);
    cJSON_AddBoolToObject(j, "weight_lost", (s->flags & PROTO_SHOT_END_FLAGS_WEIGHT_LOST) != 0);
    cJSON_AddBoolToObject(j, "link_lost", (s->flags & PROTO_SHOT_END_FLAGS_LINK_LOST) != 0);
    cJSON_AddItemToArray(shots, j);
  }
  cJSON *trips = cJSON_AddArrayToObject(o, "trips");
  for (size_t i = 0; i < r->trip_count; i++) {
    const trip_rec_t *t = &r->trips[i];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "kind", proto_alarm_code_name(t->code));
    uint8_t sev = alarms_severity(t->code);
    bool cuts_heaters = sev == PROTO_ALARM_SEVERITY_CRITICAL || t->code == PROTO_ALARM_CODE_LINK_LOSS;
    cJSON_AddStringToObject(j, "severity", proto_alarm_severity_name(sev));
    cJSON_AddStringToObject(j, "cuts",
                            cuts_heaters ? (sev == PROTO_ALARM_SEVERITY_CRITICAL ? "all_outputs" : "heaters") : "pump");
    add_num(j, "at_s", t->trip_ms / 1000.0);
    add_num(j, "detected_after_ms", (double)(t->trip_ms - t->cause_ms));
    /* Heat delivered while a heater-cutting trip was active; null for faults that keep heating. */
    add_num(j, "heater_on_after_trip_ms",
            !cuts_heaters ? NAN : (t->heater_after ? (double)(t->last_heater_ms - t->trip_ms + 10u) : 0.0));
    cJSON_AddItemToArray(trips, j);
  }
  if (r->autotune_done) {
    cJSON *a = cJSON_AddObjectToObject(o, "autotune");
    cJSON_AddStringToObject(a, "status", proto_autotune_status_name(r->autotune_status));
    add_num(a, "kp_milli", r->kp_milli);
    add_num(a, "ki_milli", r->ki_milli);
    add_num(a, "kd_milli", r->kd_milli);
    add_num(a, "period_s", r->autotune_period_ms / 1000.0);
  }
  add_num(o, "rejected_commands", (double)r->rejected_commands);
  add_num(o, "shots_not_recorded", (double)r->shots_not_recorded);
  add_num(o, "pump_dry_s", r->pump_dry_s);
  add_num(o, "brew_true_peak_c", r->peaks.brew_c);
  add_num(o, "steam_true_peak_c", r->peaks.steam_c);
  add_num(o, "brew_limit_c", r->peaks.brew_limit_c);
  add_num(o, "steam_limit_c", r->peaks.steam_limit_c);
  cJSON_AddStringToObject(o, "final_state", proto_machine_state_name(r->final_state));
  add_num(o, "sim_s", r->sim_s);
  add_num(o, "wall_s", r->wall_s);
  add_num(o, "speed_x", r->wall_s > 0 ? r->sim_s / r->wall_s : NAN);
  char *text = cJSON_PrintUnformatted(o);
  puts(text);
  free(text);
  cJSON_Delete(o);
}
