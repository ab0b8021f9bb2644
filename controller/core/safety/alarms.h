/* Alarm bookkeeping: which alarms are active, with what severity, and the queue of raise/clear
 * events for the hub. Severity decides what an alarm does to the outputs (see safety_apply). */
#ifndef BREWOS_ALARMS_H
#define BREWOS_ALARMS_H

#include <stdbool.h>
#include <stdint.h>

#include "link/proto_gen.h"

#define ALARM_CODE_COUNT 32u
#define ALARM_EVENT_QUEUE 16u

typedef struct {
  uint8_t code, severity, action;
  int32_t value;
  uint32_t at_ms;
} alarm_event_t;

typedef struct {
  bool active[ALARM_CODE_COUNT];
  int32_t value[ALARM_CODE_COUNT];
  uint32_t raised_at_ms[ALARM_CODE_COUNT];
  alarm_event_t queue[ALARM_EVENT_QUEUE];
  uint8_t q_head, q_len;
  uint32_t dropped_events;
} alarms_t;

void alarms_init(alarms_t *a);
/* Severity of a code (proto_alarm_severity_t). */
uint8_t alarms_severity(uint8_t code);
/* Raise (no-op when already active). Returns true when it was newly raised. */
bool alarms_raise(alarms_t *a, uint8_t code, int32_t value, uint32_t now_ms);
/* Clear (no-op when not active). Returns true when it was active. */
bool alarms_clear(alarms_t *a, uint8_t code, uint32_t now_ms);
bool alarms_any(const alarms_t *a, uint8_t min_severity);
/* Most severe active alarm (lowest code among equals), PROTO_ALARM_CODE_NONE when none. */
uint8_t alarms_top(const alarms_t *a);
/* Pop the oldest pending event; false when none. */
bool alarms_pop_event(alarms_t *a, alarm_event_t *e);

#endif
