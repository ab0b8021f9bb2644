/* Alarm table and event queue. */
#include "alarms.h"

#include <string.h>

uint8_t alarms_severity(uint8_t code) {
  switch (code) {
    case PROTO_ALARM_CODE_BREW_OVER_TEMP:
    case PROTO_ALARM_CODE_STEAM_OVER_TEMP:
    case PROTO_ALARM_CODE_BREW_SENSOR_OPEN:
    case PROTO_ALARM_CODE_BREW_SENSOR_SHORT:
    case PROTO_ALARM_CODE_STEAM_SENSOR_OPEN:
    case PROTO_ALARM_CODE_STEAM_SENSOR_SHORT:
    case PROTO_ALARM_CODE_SENSOR_STUCK:
    case PROTO_ALARM_CODE_BREW_HEATING_WATCH:
    case PROTO_ALARM_CODE_STEAM_HEATING_WATCH:
    case PROTO_ALARM_CODE_THERMAL_RUNAWAY:
    case PROTO_ALARM_CODE_HEATER_STUCK_ON:
    case PROTO_ALARM_CODE_SELF_TEST_RAM:
    case PROTO_ALARM_CODE_SELF_TEST_FLASH:
    case PROTO_ALARM_CODE_SELF_TEST_CLOCK:
    case PROTO_ALARM_CODE_SELF_TEST_STACK:
    case PROTO_ALARM_CODE_BREW_SENSOR_IMPLAUSIBLE:
    case PROTO_ALARM_CODE_STEAM_SENSOR_IMPLAUSIBLE: return PROTO_ALARM_SEVERITY_CRITICAL;
    case PROTO_ALARM_CODE_WATER_EMPTY:
    case PROTO_ALARM_CODE_STEAM_FILL_TIMEOUT:
    case PROTO_ALARM_CODE_PUMP_MAX_RUN:
    case PROTO_ALARM_CODE_OVER_PRESSURE:
    case PROTO_ALARM_CODE_PUMP_BLOCKED: return PROTO_ALARM_SEVERITY_FAULT;
    case PROTO_ALARM_CODE_LINK_LOSS:
    case PROTO_ALARM_CODE_CONFIG_INVALID:
    case PROTO_ALARM_CODE_PRESSURE_SENSOR_FAULT:
    case PROTO_ALARM_CODE_GROUP_SENSOR_FAULT:
    case PROTO_ALARM_CODE_SCALE_LOST: return PROTO_ALARM_SEVERITY_WARNING;
    default: return PROTO_ALARM_SEVERITY_INFO;
  }
}

void alarms_init(alarms_t *a) {
  memset(a, 0, sizeof *a);
}

static void push(alarms_t *a, uint8_t code, uint8_t action, int32_t value, uint32_t now_ms) {
  if (a->q_len == ALARM_EVENT_QUEUE) {
    a->dropped_events++;
    return;
  }
  alarm_event_t *e = &a->queue[(a->q_head + a->q_len) % ALARM_EVENT_QUEUE];
  e->code = code;
  e->severity = alarms_severity(code);
  e->action = action;
  e->value = value;
  e->at_ms = now_ms;
  a->q_len++;
}

bool alarms_raise(alarms_t *a, uint8_t code, int32_t value, uint32_t now_ms) {
  if (code == PROTO_ALARM_CODE_NONE || code >= ALARM_CODE_COUNT || a->active[code]) return false;
  a->active[code] = true;
  a->value[code] = value;
  a->raised_at_ms[code] = now_ms;
  push(a, code, PROTO_ALARM_ACTION_RAISED, value, now_ms);
  return true;
}

bool alarms_clear(alarms_t *a, uint8_t code, uint32_t now_ms) {
  if (code >= ALARM_CODE_COUNT || !a->active[code]) return false;
  a->active[code] = false;
  push(a, code, PROTO_ALARM_ACTION_CLEARED, 0, now_ms);
  return true;
}

bool alarms_any(const alarms_t *a, uint8_t min_severity) {
  for (uint8_t c = 1; c < ALARM_CODE_COUNT; c++) {
    if (a->active[c] && alarms_severity(c) >= min_severity) return true;
  }
  return false;
}

uint8_t alarms_top(const alarms_t *a) {
  uint8_t best = PROTO_ALARM_CODE_NONE;
  for (uint8_t c = 1; c < ALARM_CODE_COUNT; c++) {
    if (a->active[c] && (best == PROTO_ALARM_CODE_NONE || alarms_severity(c) > alarms_severity(best))) best = c;
  }
  return best;
}

bool alarms_pop_event(alarms_t *a, alarm_event_t *e) {
  if (a->q_len == 0) return false;
  *e = a->queue[a->q_head];
  a->q_head = (uint8_t)((a->q_head + 1u) % ALARM_EVENT_QUEUE);
  a->q_len--;
  return true;
}
