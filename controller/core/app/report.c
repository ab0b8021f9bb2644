/* Controller -> hub reporting: telemetry on its schedule, events as they happen, logs. */
#include <string.h>

#include "controller_internal.h"

static int16_t cdeg(float c) {
  float v = c * 100.0f;
  if (v < -4000.0f) v = -4000.0f;
  if (v > 25000.0f) v = 25000.0f;
  return (int16_t)v;
}

void controller_safety_in(const controller_t *c, safety_in_t *in) {
  in->now_ms = c->now_ms;
  in->brew = &c->brew_t;
  in->steam = &c->steam_t;
  in->group = &c->group_t;
  in->pressure = &c->pressure;
  in->brew_duty_pmil = c->brew_applied;
  in->steam_duty_pmil = c->steam_applied;
  in->brew_stable = c->brew_stable;
  in->steam_stable = c->steam_stable;
  in->brew_heating = c->boilers.brew.enabled;
  in->steam_heating = c->boilers.steam.enabled;
  in->shot_active = shot_recent(&c->shot, c->now_ms, CONTROLLER_HEAT_CHECK_GRACE_MS) || c->fill_open || c->steam_block;
  in->pump_on = c->pump_pmil > 0;
  in->tank_ok = c->tank_ok;
  in->flow_measured = (c->hooks.capabilities & PROTO_CAPABILITIES_FLOW_METER) != 0;
  in->flow_ml_s = c->flow_ml_s;
  in->blind_basket = c->shot.running && (c->shot.req.flags & PROTO_SHOT_FLAGS_BACKFLUSH);
}

void controller_log(controller_t *c, uint8_t level, const char *text) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_LOG;
  m.u.log.level = level;
  m.u.log.uptime_ms = c->now_ms;
  size_t n = strlen(text);
  if (n > sizeof m.u.log.text - 1u) n = sizeof m.u.log.text - 1u;
  memcpy(m.u.log.text, text, n);
  (void)link_send(&c->link, &m);
}

void controller_send_hello(controller_t *c) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_CONTROLLER_HELLO;
  proto_controller_hello_t *h = &m.u.controller_hello;
  h->proto_major = c->link.proto_major;
  h->proto_minor = PROTO_VERSION_MINOR;
  h->fw_major = (uint8_t)(c->update.s.running_version >> 16);
  h->fw_minor = (uint8_t)(c->update.s.running_version >> 8);
  h->fw_patch = (uint8_t)c->update.s.running_version;
  h->machine_type = (uint8_t)config_get(&c->cfg, PROTO_CONFIG_MACHINE_TYPE);
  h->capabilities = c->hooks.capabilities;
  h->reset_reason = c->hooks.reset_reason;
  h->uptime_ms = c->now_ms;
  c->link.last_hello_ms = c->now_ms;
  (void)link_send(&c->link, &m);
}

void controller_report_config(controller_t *c, uint16_t key) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_CONFIG_REPORT;
  m.u.config_report.key = key;
  m.u.config_report.value = config_get(&c->cfg, key);
  (void)link_send(&c->link, &m);
}

static uint16_t telemetry_flags(const controller_t *c) {
  uint16_t f = 0;
  if (c->shot.running) f |= PROTO_TELEMETRY_FLAGS_BREWING;
  if (c->brew_applied > 0) f |= PROTO_TELEMETRY_FLAGS_BREW_HEATER_ON;
  if (c->steam_applied > 0) f |= PROTO_TELEMETRY_FLAGS_STEAM_HEATER_ON;
  if (c->pump_pmil > 0) f |= PROTO_TELEMETRY_FLAGS_PUMP_ON;
  if (c->valve_open) f |= PROTO_TELEMETRY_FLAGS_BREW_VALVE_OPEN;
  if (!c->tank_ok) f |= PROTO_TELEMETRY_FLAGS_WATER_LOW;
  if (alarms_top(&c->safety.alarms) != PROTO_ALARM_CODE_NONE) f |= PROTO_TELEMETRY_FLAGS_ALARM_ACTIVE;
  if (c->safety.latched) f |= PROTO_TELEMETRY_FLAGS_TRIP_LATCHED;
  if (!c->link_lost && c->link.have_desired) f |= PROTO_TELEMETRY_FLAGS_LINK_OK;
  if (c->weight_connected && c->now_ms - c->weight_at_ms < LINK_WEIGHT_FRESH_MS)
    f |= PROTO_TELEMETRY_FLAGS_WEIGHT_FRESH;
  if (c->lever_stable) f |= PROTO_TELEMETRY_FLAGS_LEVER_DOWN;
  if (c->fill_open) f |= PROTO_TELEMETRY_FLAGS_STEAM_FILLING;
  if (c->state.state == PROTO_MACHINE_STATE_ECO) f |= PROTO_TELEMETRY_FLAGS_ECO_ACTIVE;
  if (!c->link.hub_ok) f |= PROTO_TELEMETRY_FLAGS_CONTROL_BLOCKED;
  if (c->shot.running && (c->shot.req.flags & PROTO_SHOT_FLAGS_BACKFLUSH)) f |= PROTO_TELEMETRY_FLAGS_CLEANING;
  if (c->autotune.running) f |= PROTO_TELEMETRY_FLAGS_AUTOTUNE_RUNNING;
  return f;
}

static void send_telemetry(controller_t *c) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_TELEMETRY;
  proto_telemetry_t *t = &m.u.telemetry;
  t->uptime_ms = c->now_ms;
  t->state = c->state.state;
  t->phase_index = c->shot.running ? c->shot.phase_index : 255u;
  t->brew_temp_cdeg = cdeg(c->brew_t.value_c);
  t->steam_temp_cdeg = cdeg(c->steam_t.value_c);
  t->group_temp_cdeg = cdeg(c->group_t.value_c);
  t->brew_setpoint_cdeg = (int16_t)(c->boilers.brew.enabled ? cdeg(c->boilers.brew.active_c) : 0);
  t->steam_setpoint_cdeg = (int16_t)(c->boilers.steam.enabled ? cdeg(c->boilers.steam.active_c) : 0);
  if (t->brew_setpoint_cdeg < 0) t->brew_setpoint_cdeg = 0;
  if (t->steam_setpoint_cdeg < 0) t->steam_setpoint_cdeg = 0;
  float mbar = c->pressure.value_mbar;
  t->pressure_mbar = (uint16_t)(mbar > 30000.0f ? 30000.0f : mbar);
  float ul_s = c->flow_ml_s * 1000.0f;
  t->pump_flow_ul_s = (uint16_t)(ul_s > 65535.0f ? 65535.0f : ul_s);
  t->pumped_volume_ul = (uint32_t)(c->shot.volume_ml * 1000.0f);
  t->brew_duty_pmil = c->brew_applied > 1000u ? 1000u : c->brew_applied;
  t->steam_duty_pmil = c->steam_applied > 1000u ? 1000u : c->steam_applied;
  t->pump_power_pmil = c->pump_pmil > 1000u ? 1000u : c->pump_pmil;
  t->shot_time_ms = c->shot.running ? c->now_ms - c->shot.start_ms : c->shot.duration_ms;
  t->flags = telemetry_flags(c);
  uint8_t sf = 0;
  if (c->brew_t.fitted && c->brew_t.fault != TEMP_SENSOR_OK) sf |= PROTO_SENSOR_FLAGS_BREW_FAULT;
  if (c->steam_t.fitted && c->steam_t.fault != TEMP_SENSOR_OK) sf |= PROTO_SENSOR_FLAGS_STEAM_FAULT;
  if (c->group_t.fitted && c->group_t.fault != TEMP_SENSOR_OK) sf |= PROTO_SENSOR_FLAGS_GROUP_FAULT;
  if (c->pressure.fitted && c->pressure.fault) sf |= PROTO_SENSOR_FLAGS_PRESSURE_FAULT;
  t->sensor_flags = sf;
  t->active_alarm = alarms_top(&c->safety.alarms);
  c->link.last_telemetry_ms = c->now_ms;
  (void)link_send(&c->link, &m);
}

static void send_shot_events(controller_t *c) {
  shot_t *s = &c->shot;
  proto_msg_t m;
  if (s->ev.started) {
    memset(&m, 0, sizeof m);
    m.type = PROTO_MSG_SHOT_STARTED;
    m.u.shot_started.shot_token = s->req.token;
    m.u.shot_started.source = s->req.source;
    m.u.shot_started.profile_slot = s->req.slot;
    m.u.shot_started.uptime_ms = s->start_ms;
    (void)link_send(&c->link, &m);
  }
  if (s->ev.phase_changed && (s->running || s->ev.ended)) {
    memset(&m, 0, sizeof m);
    m.type = PROTO_MSG_PHASE_CHANGED;
    m.u.phase_changed.shot_token = s->req.token;
    m.u.phase_changed.phase_index = s->phase_index;
    m.u.phase_changed.reason = s->phase_reason;
    m.u.phase_changed.shot_time_ms = s->phase_start_ms - s->start_ms;
    (void)link_send(&c->link, &m);
  }
  if (s->ev.ended) {
    memset(&m, 0, sizeof m);
    m.type = PROTO_MSG_SHOT_ENDED;
    proto_shot_ended_t *e = &m.u.shot_ended;
    e->shot_token = s->req.token;
    e->stop_reason = s->end_reason;
    e->flags = s->end_flags;
    e->duration_ms = s->duration_ms;
    e->pumped_volume_ul = (uint32_t)(s->volume_ml * 1000.0f);
    e->last_weight_dg = c->weight_dg;
    e->max_pressure_mbar = (uint16_t)(s->max_mbar > 30000.0f ? 30000.0f : s->max_mbar);
    e->mean_brew_temp_cdeg = s->temp_samples ? cdeg(s->temp_sum_c / (float)s->temp_samples) : 0;
    (void)link_send(&c->link, &m);
    bool backflush = (s->req.flags & PROTO_SHOT_FLAGS_BACKFLUSH) != 0;
    if (backflush && s->end_reason == PROTO_STOP_REASON_PROFILE_END) {
      (void)controller_config_set(c, PROTO_CONFIG_BREW_COUNT_SHOTS, 0);
      controller_report_config(c, PROTO_CONFIG_BREW_COUNT_SHOTS);
    } else if (!backflush && s->duration_ms >= SHOT_COUNTED_MIN_MS) {
      int32_t n = config_get(&c->cfg, PROTO_CONFIG_BREW_COUNT_SHOTS);
      if (n < 65535) (void)controller_config_set(c, PROTO_CONFIG_BREW_COUNT_SHOTS, n + 1);
      controller_report_config(c, PROTO_CONFIG_BREW_COUNT_SHOTS);
    }
  }
  memset(&s->ev, 0, sizeof s->ev);
}

void controller_announce_alarms(controller_t *c) {
  const alarms_t *a = &c->safety.alarms;
  for (uint8_t code = 1; code < ALARM_CODE_COUNT; code++) {
    if (!a->active[code]) continue;
    proto_msg_t m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_MSG_ALARM;
    m.u.alarm.code = code;
    m.u.alarm.severity = alarms_severity(code);
    m.u.alarm.action = PROTO_ALARM_ACTION_RAISED;
    m.u.alarm.value = a->value[code];
    m.u.alarm.uptime_ms = a->raised_at_ms[code];
    (void)link_send(&c->link, &m);
  }
}

static void send_alarm_events(controller_t *c) {
  alarm_event_t e;
  while (alarms_pop_event(&c->safety.alarms, &e)) {
    proto_msg_t m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_MSG_ALARM;
    m.u.alarm.code = e.code;
    m.u.alarm.severity = e.severity;
    m.u.alarm.action = e.action;
    m.u.alarm.value = e.value;
    m.u.alarm.uptime_ms = e.at_ms;
    (void)link_send(&c->link, &m);
  }
}

static void send_autotune_result(controller_t *c) {
  autotune_t *a = &c->autotune;
  if (!a->done) return;
  a->done = false;
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_AUTOTUNE_RESULT;
  proto_autotune_result_t *r = &m.u.autotune_result;
  r->boiler = a->boiler;
  r->status = a->status;
  r->kp_milli = (int32_t)(a->kp * 1000.0f);
  r->ki_milli = (int32_t)(a->ki * 1000.0f);
  r->kd_milli = (int32_t)(a->kd * 1000.0f);
  r->period_ms = (uint32_t)a->period_ms;
  r->amplitude_cdeg = (uint16_t)(a->amp_c * 100.0f);
  (void)link_send(&c->link, &m);
}

/* Firmware update progress and boot facts, whenever they changed or a hub asked (hello, offer). */
static void send_update_status(controller_t *c) {
  if (!c->update.status_due || c->link.len + 1u >= LINK_TX_QUEUE) return;
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_UPDATE_STATUS;
  updater_status(&c->update, &m.u.update_status);
  if (link_send(&c->link, &m)) c->update.status_due = false;
}

void controller_report(controller_t *c) {
  uint32_t now = c->now_ms;
  controller_continue_dump(c);
  send_update_status(c);
  send_alarm_events(c);
  send_shot_events(c);
  send_autotune_result(c);
  if (c->state.state != c->last_state) {
    c->last_state = c->state.state;
    c->link.last_telemetry_ms = now - LINK_TELEMETRY_SLOW_MS; /* report a state change at once */
  }
  bool fast = c->shot.running || c->autotune.running || c->state.state == PROTO_MACHINE_STATE_STEAMING || c->fill_open;
  uint32_t period = fast ? LINK_TELEMETRY_FAST_MS : LINK_TELEMETRY_SLOW_MS;
  if (now - c->link.last_telemetry_ms >= period) send_telemetry(c);
  if (!c->link.hub_ok && now - c->link.last_hello_ms >= LINK_HELLO_REPEAT_MS) { controller_send_hello(c); }
}
