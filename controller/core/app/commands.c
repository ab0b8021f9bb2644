/* Hub -> controller messages: validated by the codec, checked against the machine's state here,
 * answered with exactly one ack (replayed, not re-run, for retries). */
#include <string.h>

#include "controller_internal.h"
#include "link/crc16.h"

static void send_ack(controller_t *c, const proto_msg_t *cmd, uint8_t result, uint16_t detail) {
  proto_msg_t a;
  memset(&a, 0, sizeof a);
  a.type = PROTO_MSG_ACK;
  a.u.ack.acked_type = cmd->type;
  a.u.ack.acked_seq = cmd->seq;
  a.u.ack.result = result;
  a.u.ack.detail = detail;
  link_remember(&c->link, cmd, result, detail);
  (void)link_send(&c->link, &a);
}

uint8_t controller_may_brew(const controller_t *c, uint16_t *detail) {
  *detail = 0;
  if (c->state.state == PROTO_MACHINE_STATE_INIT) return PROTO_ACK_RESULT_NOT_READY;
  if (c->safety.latched) {
    *detail = c->safety.trip_code;
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  if (!safety_pump_allowed(&c->safety)) {
    *detail = alarms_top(&c->safety.alarms);
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  if (c->autotune.running) return PROTO_ACK_RESULT_BUSY;
  return PROTO_ACK_RESULT_OK;
}

/* The machine's own shot on a pump that follows a target: the configured pre-infusion, then a
 * steady 9 bar — what the over-pressure valve gives an on/off pump — rather than the pump flat out
 * into that valve (the water it sheds would count against the shot's volume cap). */
static const profile_t *default_modulated_shot(const controller_t *c) {
  static profile_t p; /* static: 330 bytes off the stack of the command path */
  memset(&p, 0, sizeof p);
  if (c->shot.pre_on_ms > 0) {
    p.phases[p.phase_count].mode = PROFILE_MODE_POWER;
    p.phases[p.phase_count].start = p.phases[p.phase_count].end = 1000;
    p.phases[p.phase_count++].exit_time_ds = (uint16_t)((c->shot.pre_on_ms + 50u) / 100u);
  }
  if (c->shot.pre_pause_ms > 0) {
    p.phases[p.phase_count].mode = PROFILE_MODE_POWER;
    p.phases[p.phase_count++].exit_time_ds = (uint16_t)((c->shot.pre_pause_ms + 50u) / 100u);
  }
  profile_phase_t *pour = &p.phases[p.phase_count++];
  pour->mode = PROFILE_MODE_PRESSURE;
  pour->curve = PROFILE_CURVE_INSTANT;
  pour->start = pour->end = 9000;
  return &p;
}

void controller_start_shot(controller_t *c, const shot_request_t *req) {
  c->weight_stop_off = false;
  c->shot_wet = false;
  (void)alarms_clear(&c->safety.alarms, PROTO_ALARM_CODE_SCALE_LOST, c->now_ms); /* a new shot, a new chance */
  bbw_clear(&c->bbw); /* flow before the shot means nothing for this one */
  autofill_tick(&c->autofill, c->now_ms, true, true, false, &c->steam_block, &c->fill_open, &c->pump_pmil);
  const profile_t *p = req->slot >= 1 && req->slot <= PROFILE_SLOTS && c->profile_loaded[req->slot - 1u]
                           ? &c->profiles[req->slot - 1u]
                           : NULL;
  bool modulating = (c->hooks.capabilities & (PROTO_CAPABILITIES_DIMMABLE_PUMP | PROTO_CAPABILITIES_GEAR_PUMP)) != 0;
  if (p == NULL && modulating && !(req->flags & PROTO_SHOT_FLAGS_BACKFLUSH)) p = default_modulated_shot(c);
  shot_start(&c->shot, req, p, c->now_ms);
  c->activity_ms = c->now_ms;
}

static uint8_t on_shot_start(controller_t *c, const proto_shot_start_t *s, uint16_t *detail) {
  if (!c->link.hub_ok) return PROTO_ACK_RESULT_VERSION_MISMATCH;
  if (c->shot.running || updater_holds_heat(&c->update)) return PROTO_ACK_RESULT_BUSY;
  if (s->profile_slot != 0 && !c->profile_loaded[s->profile_slot - 1u]) {
    *detail = 1; /* field index of profile_slot: nothing uploaded there */
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  uint8_t r = controller_may_brew(c, detail);
  if (r != PROTO_ACK_RESULT_OK) return r;
  bool weight_fresh = c->weight_connected && c->now_ms - c->weight_at_ms < LINK_WEIGHT_FRESH_MS;
  if ((s->flags & PROTO_SHOT_FLAGS_REQUIRE_SCALE) && !weight_fresh) {
    *detail = 2; /* flags: a scale is required and none is streaming */
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  shot_request_t req;
  req.token = s->shot_token;
  req.source = PROTO_SHOT_SOURCE_COMMAND;
  req.slot = s->profile_slot;
  req.flags = s->flags;
  req.dose_dg = s->dose_dg;
  req.target_weight_dg = s->target_weight_dg;
  req.stop_time_ms = s->stop_time_ms;
  req.stop_volume_ul = s->stop_volume_ul;
  controller_start_shot(c, &req);
  return PROTO_ACK_RESULT_OK;
}

/* At most one fault_clear per CONTROLLER_CLEAR_INTERVAL_MS: a clear sent in a loop cannot keep any
 * check from completing (no watch window is ever restarted by a clear anyway). */
#define CONTROLLER_CLEAR_INTERVAL_MS 2000u

static uint8_t on_fault_clear(controller_t *c, uint8_t code, uint16_t *detail) {
  if (c->cleared_once && c->now_ms - c->last_clear_ms < CONTROLLER_CLEAR_INTERVAL_MS) {
    *detail = (uint16_t)(CONTROLLER_CLEAR_INTERVAL_MS - (c->now_ms - c->last_clear_ms)); /* ms to wait */
    controller_log(c, PROTO_LOG_LEVEL_WARN, "fault clear: refused, too soon after the last one");
    return PROTO_ACK_RESULT_RATE_LIMITED;
  }
  c->cleared_once = true;
  c->last_clear_ms = c->now_ms;
  safety_in_t si;
  controller_safety_in(c, &si);
  uint8_t r = safety_clear(&c->safety, code, &si, detail);
  if (!c->safety.alarms.active[PROTO_ALARM_CODE_SENSOR_STUCK]) {
    if (c->brew_t.fault == TEMP_SENSOR_STUCK) c->brew_t.fault = TEMP_SENSOR_OK;
    if (c->steam_t.fault == TEMP_SENSOR_STUCK) c->steam_t.fault = TEMP_SENSOR_OK;
  }
  if (!c->safety.alarms.active[PROTO_ALARM_CODE_STEAM_FILL_TIMEOUT]) autofill_rearm(&c->autofill);
  controller_log(
      c, r == PROTO_ACK_RESULT_OK ? PROTO_LOG_LEVEL_INFO : PROTO_LOG_LEVEL_WARN,
      r == PROTO_ACK_RESULT_OK ? "fault clear: done" : "fault clear: refused, the alarm in detail is still there");
  return r;
}

/* Stream a full config dump without flooding the transmit queue; ack when the last report is queued. */
void controller_continue_dump(controller_t *c) {
  for (int n = 0; n < 8 && c->dump_next != 0 && c->link.len + 2u < LINK_TX_QUEUE; n++) {
    controller_report_config(c, proto_config_keys[c->dump_next - 1u].id);
    if (c->dump_next == PROTO_CONFIG_KEY_COUNT) {
      c->dump_next = 0;
      send_ack(c, &c->dump_cmd, PROTO_ACK_RESULT_OK, 0);
    } else {
      c->dump_next++;
    }
  }
}

static uint8_t on_config_get(controller_t *c, uint16_t key, uint16_t *detail) {
  *detail = key;
  if (proto_config_key(key) == NULL) return PROTO_ACK_RESULT_INVALID_FIELD;
  controller_report_config(c, key);
  return PROTO_ACK_RESULT_OK;
}

static uint8_t on_config_set(controller_t *c, uint16_t key, int32_t value, uint16_t *detail) {
  *detail = key;
  if (!c->link.hub_ok) return PROTO_ACK_RESULT_VERSION_MISMATCH;
  if (key == PROTO_CONFIG_MACHINE_TYPE && c->shot.running) return PROTO_ACK_RESULT_BUSY;
  uint8_t r = controller_config_set(c, key, value);
  if (r == PROTO_ACK_RESULT_OK) controller_report_config(c, key);
  return r;
}

/* Profiles arrive in order; the slot is replaced only by a complete profile whose length and
 * CRC match and which this machine's pump can run. */
static uint8_t on_profile_chunk(controller_t *c, const proto_profile_chunk_t *k, uint16_t *detail) {
  *detail = 0;
  if (!c->link.hub_ok) return PROTO_ACK_RESULT_VERSION_MISMATCH;
  if (k->total_len > PROFILE_MAX_BYTES || k->chunk_index >= k->chunk_count) {
    *detail = 3; /* total_len / chunk_index */
    return PROTO_ACK_RESULT_INVALID_FIELD;
  }
  if (k->chunk_index == 0) {
    c->upload_slot = k->slot;
    c->upload_len = 0;
    c->upload_next = 0;
  }
  if (k->slot != c->upload_slot || k->chunk_index != c->upload_next) {
    *detail = c->upload_next;
    return PROTO_ACK_RESULT_OUT_OF_ORDER;
  }
  if ((size_t)c->upload_len + k->data_len > k->total_len) return PROTO_ACK_RESULT_INVALID_FIELD;
  memcpy(c->upload_buf + c->upload_len, k->data, k->data_len);
  c->upload_len = (uint16_t)(c->upload_len + k->data_len);
  c->upload_next++;
  if (k->chunk_index + 1u < k->chunk_count) return PROTO_ACK_RESULT_OK;
  c->upload_next = 0;
  if (c->upload_len != k->total_len || crc16_ccitt_false(c->upload_buf, c->upload_len, CRC16_INIT) != k->total_crc16) {
    return PROTO_ACK_RESULT_FAILED;
  }
  if (c->shot.running && c->shot.req.slot == k->slot) return PROTO_ACK_RESULT_BUSY;
  static profile_t p; /* static: 330 bytes off the stack of the command path */
  uint8_t bad = 0;
  uint8_t e = profile_decode(c->upload_buf, c->upload_len, &p, &bad);
  if (e != PROFILE_OK) {
    *detail = (uint16_t)(e << 8 | bad);
    return PROTO_ACK_RESULT_INVALID_FIELD;
  }
  bool modulating = (c->hooks.capabilities & (PROTO_CAPABILITIES_DIMMABLE_PUMP | PROTO_CAPABILITIES_GEAR_PUMP)) != 0;
  if (!modulating && profile_check_relay(&p, &bad) != PROFILE_OK) {
    *detail = bad; /* this phase needs pressure, flow or partial power: an on/off pump cannot follow it */
    return PROTO_ACK_RESULT_UNSUPPORTED;
  }
  c->profiles[k->slot - 1u] = p;
  c->profile_loaded[k->slot - 1u] = true;
  controller_log(c, PROTO_LOG_LEVEL_INFO, "profile stored");
  return PROTO_ACK_RESULT_OK;
}

/* The hub weighed the cup once stable: learn the stop correction and say what was learned. */
static uint8_t on_shot_settled(controller_t *c, const proto_shot_settled_t *s, uint16_t *detail) {
  *detail = 0;
  if (s->shot_token != c->weight_shot_token || c->weight_shot_target_dg == 0) return PROTO_ACK_RESULT_REJECTED_STATE;
  float error_g = (float)(s->settled_weight_dg - (int32_t)c->weight_shot_target_dg) / 10.0f;
  int16_t corr = bbw_learn(&c->bbw, s->scale_model, c->weight_shot_slot, error_g, c->bbw.stop_flow_g_s);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_BBW_LEARNED;
  m.u.bbw_learned.shot_token = s->shot_token;
  m.u.bbw_learned.scale_model = s->scale_model;
  m.u.bbw_learned.profile_slot = c->weight_shot_slot;
  m.u.bbw_learned.error_dg = s->settled_weight_dg - (int32_t)c->weight_shot_target_dg;
  m.u.bbw_learned.correction_ms = corr;
  m.u.bbw_learned.end_flow_cg_s = (uint16_t)(c->bbw.stop_flow_g_s * 100.0f);
  (void)link_send(&c->link, &m);
  c->weight_shot_target_dg = 0; /* one lesson per shot: a retried settle is answered, not relearned */
  return PROTO_ACK_RESULT_OK;
}

static uint8_t on_autotune(controller_t *c, const proto_autotune_start_t *a) {
  if (!c->link.hub_ok) return PROTO_ACK_RESULT_VERSION_MISMATCH;
  if (c->shot.running || c->autotune.running || updater_holds_heat(&c->update)) return PROTO_ACK_RESULT_BUSY;
  if (c->safety.latched) return PROTO_ACK_RESULT_REJECTED_STATE;
  uint8_t type = c->boilers.machine_type;
  bool has = a->boiler == 0 ? type != PROTO_MACHINE_TYPE_HEAT_EXCHANGER : type != PROTO_MACHINE_TYPE_SINGLE_BOILER;
  if (!has) return PROTO_ACK_RESULT_INVALID_FIELD;
  autotune_start(&c->autotune, a->boiler, (float)a->setpoint_cdeg / 100.0f, (float)a->amplitude_pmil, c->now_ms);
  controller_log(c, PROTO_LOG_LEVEL_INFO, "autotune started");
  return PROTO_ACK_RESULT_OK;
}

void controller_handle(controller_t *c, const proto_msg_t *m) {
  switch (m->type) {
    case PROTO_MSG_HUB_HELLO:
      c->link.hub_ok = m->u.hub_hello.proto_major == c->link.proto_major;
      if (!c->link.hub_ok)
        controller_log(c, PROTO_LOG_LEVEL_ERROR, "hub speaks another protocol major: control blocked");
      controller_send_hello(c);
      controller_announce_alarms(c);
      c->update.status_due = true;
      return;
    case PROTO_MSG_DESIRED_STATE:
      if (m->u.desired_state.mode != c->desired.mode ||
          m->u.desired_state.brew_setpoint_cdeg != c->desired.brew_setpoint_cdeg) {
        c->activity_ms = c->now_ms;
      }
      if (m->u.desired_state.mode == PROTO_MACHINE_MODE_STANDBY) c->await_standby = false;
      if (m->u.desired_state.heating_strategy != c->desired.heating_strategy) {
        c->desired = m->u.desired_state;
        controller_apply_config(c);
      }
      c->desired = m->u.desired_state;
      return;
    case PROTO_MSG_SCALE_INFO: c->bbw.scale_model = m->u.scale_info.scale_model; return;
    case PROTO_MSG_WEIGHT_SAMPLE:
      bbw_add(&c->bbw, (float)m->u.weight_sample.weight_dg / 10.0f, c->now_ms, m->u.weight_sample.age_ms,
              m->u.weight_sample.scale_lag_ms);
      c->weight_dg = m->u.weight_sample.weight_dg;
      c->weight_at_ms = c->now_ms - m->u.weight_sample.age_ms;
      c->weight_connected = (m->u.weight_sample.flags & PROTO_WEIGHT_FLAGS_CONNECTED) != 0;
      return;
    default: break;
  }
  /* Discrete commands: exactly one ack; a retry with the same seq gets the same answer. */
  proto_msg_t replay;
  if (link_replay(&c->link, m, &replay)) {
    (void)link_send(&c->link, &replay);
    return;
  }
  uint16_t detail = 0;
  uint8_t r = PROTO_ACK_RESULT_UNSUPPORTED;
  switch (m->type) {
    case PROTO_MSG_SHOT_START: r = on_shot_start(c, &m->u.shot_start, &detail); break;
    case PROTO_MSG_SHOT_STOP:
      if (c->shot.running && (m->u.shot_stop.shot_token == 0 || m->u.shot_stop.shot_token == c->shot.req.token)) {
        shot_stop(&c->shot, PROTO_STOP_REASON_COMMAND, c->now_ms);
      }
      r = PROTO_ACK_RESULT_OK;
      break;
    case PROTO_MSG_CONFIG_SET: r = on_config_set(c, m->u.config_set.key, m->u.config_set.value, &detail); break;
    case PROTO_MSG_CONFIG_GET:
      if (m->u.config_get.key == 0) {
        if (c->dump_next != 0 && c->dump_cmd.seq == m->seq) return; /* a retry: the ack follows the dump */
        if (c->dump_next != 0) {
          r = PROTO_ACK_RESULT_BUSY;
          break;
        }
        c->dump_cmd = *m;
        c->dump_next = 1;
        controller_continue_dump(c);
        return; /* acked when the dump completes */
      }
      r = on_config_get(c, m->u.config_get.key, &detail);
      break;
    case PROTO_MSG_FAULT_CLEAR: r = on_fault_clear(c, m->u.fault_clear.code, &detail); break;
    case PROTO_MSG_AUTOTUNE_START: r = on_autotune(c, &m->u.autotune_start); break;
    case PROTO_MSG_PROFILE_CHUNK: r = on_profile_chunk(c, &m->u.profile_chunk, &detail); break;
    case PROTO_MSG_SHOT_SETTLED: r = on_shot_settled(c, &m->u.shot_settled, &detail); break;
    /* Updates work whatever the hub's major version: that is how a mismatch gets fixed. */
    case PROTO_MSG_UPDATE_OFFER:
      r = updater_offer(&c->update, &m->u.update_offer, c->shot.running || c->autotune.running, c->now_ms);
      break;
    case PROTO_MSG_UPDATE_CHUNK: r = updater_chunk(&c->update, &m->u.update_chunk, c->now_ms); break;
    case PROTO_MSG_UPDATE_FINISH: r = updater_finish(&c->update, m->u.update_finish.version, c->now_ms); break;
    case PROTO_MSG_UPDATE_ABORT: r = updater_abort(&c->update, m->u.update_abort.version); break;
    default: return;
  }
  send_ack(c, m, r, detail);
}
