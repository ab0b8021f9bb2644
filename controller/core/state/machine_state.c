/* State transition table. */
#include "machine_state.h"

#include <stddef.h>

#include "link/proto_gen.h"

#define S(x) (uint16_t)(1u << PROTO_MACHINE_STATE_##x)
#define ANY (uint16_t)0x1FFu

static bool tripped(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->tripped;
}
static bool faulted(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->fault;
}
static bool untripped(const state_in_t *in, uint8_t st) {
  (void)st;
  return !in->tripped;
}
static bool no_fault(const state_in_t *in, uint8_t st) {
  (void)st;
  return !in->fault;
}
static bool primed(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->sensors_ready;
}
static bool brewing(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->shot_running;
}
static bool shot_done(const state_in_t *in, uint8_t st) {
  (void)st;
  return !in->shot_running;
}
static bool standby(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->mode == PROTO_MACHINE_MODE_STANDBY;
}
static bool eco(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->eco;
}
static bool not_eco(const state_in_t *in, uint8_t st) {
  (void)st;
  return !in->eco;
}
static bool heating_wanted(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->mode != PROTO_MACHINE_MODE_STANDBY;
}
static bool in_band(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->temp_c >= in->setpoint_c - in->ready_band_c && in->temp_c <= in->setpoint_c + in->ready_band_c;
}
static bool cooled_out(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->temp_c < in->setpoint_c - STATE_READY_EXIT_BANDS * in->ready_band_c;
}
static bool ready_for_steam(const state_in_t *in, uint8_t st) {
  return in->mode == PROTO_MACHINE_MODE_STEAM && in_band(in, st);
}
static bool ready_for_brew(const state_in_t *in, uint8_t st) {
  return in->mode != PROTO_MACHINE_MODE_STEAM && in_band(in, st);
}
static bool mode_steam(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->mode == PROTO_MACHINE_MODE_STEAM;
}
static bool mode_brew(const state_in_t *in, uint8_t st) {
  (void)st;
  return in->mode == PROTO_MACHINE_MODE_BREW;
}

static const state_rule_t RULES[] = {
    {ANY & (uint16_t)~S(SAFE), tripped, PROTO_MACHINE_STATE_SAFE, "latched safety trip"},
    {S(SAFE), untripped, PROTO_MACHINE_STATE_IDLE, "trip cleared"},
    {S(INIT), primed, PROTO_MACHINE_STATE_IDLE, "sensors primed"},
    {S(IDLE) | S(HEATING) | S(READY) | S(STEAMING) | S(ECO) | S(BREWING), faulted, PROTO_MACHINE_STATE_FAULT,
     "fault alarm"},
    {S(FAULT), no_fault, PROTO_MACHINE_STATE_IDLE, "fault cleared"},
    {S(IDLE) | S(HEATING) | S(READY) | S(STEAMING) | S(ECO), brewing, PROTO_MACHINE_STATE_BREWING, "shot started"},
    {S(BREWING), shot_done, PROTO_MACHINE_STATE_IDLE, "shot ended"},
    {S(HEATING) | S(READY) | S(STEAMING) | S(ECO), standby, PROTO_MACHINE_STATE_IDLE, "standby requested"},
    {S(IDLE) | S(HEATING) | S(READY) | S(STEAMING), eco, PROTO_MACHINE_STATE_ECO, "eco"},
    {S(ECO), not_eco, PROTO_MACHINE_STATE_HEATING, "eco ended"},
    {S(IDLE), heating_wanted, PROTO_MACHINE_STATE_HEATING, "heating requested"},
    {S(HEATING), ready_for_brew, PROTO_MACHINE_STATE_READY, "brew temperature reached"},
    {S(HEATING), ready_for_steam, PROTO_MACHINE_STATE_STEAMING, "steam temperature reached"},
    {S(READY), mode_steam, PROTO_MACHINE_STATE_HEATING, "switched to steam"},
    {S(STEAMING), mode_brew, PROTO_MACHINE_STATE_HEATING, "switched to brew"},
    {S(READY) | S(STEAMING), cooled_out, PROTO_MACHINE_STATE_HEATING, "temperature fell out of band"},
};

const state_rule_t *machine_state_rules(uint8_t *count) {
  *count = (uint8_t)(sizeof RULES / sizeof RULES[0]);
  return RULES;
}

void machine_state_init(machine_state_t *m) {
  m->state = PROTO_MACHINE_STATE_INIT;
  m->entered_ms = 0;
}

int machine_state_step(machine_state_t *m, const state_in_t *in, uint32_t now_ms) {
  for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++) {
    const state_rule_t *r = &RULES[i];
    if ((r->from & (1u << m->state)) && r->when(in, m->state)) {
      m->state = r->to;
      m->entered_ms = now_ms;
      return (int)i;
    }
  }
  return -1;
}
