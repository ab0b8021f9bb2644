/* The controller state machine (proto_machine_state_t). Transitions are one ordered table: the
 * first row whose `from` set contains the current state and whose condition holds decides the
 * next state. Evaluated every 100 ms. */
#ifndef BREWOS_MACHINE_STATE_H
#define BREWOS_MACHINE_STATE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  bool tripped;       /* latched critical alarm */
  bool fault;         /* a fault-severity alarm is active */
  bool sensors_ready; /* filters primed after power-up */
  bool shot_running;
  uint8_t mode; /* effective proto_machine_mode_t */
  bool eco;     /* eco requested or idle timeout reached */
  float temp_c; /* temperature that defines readiness */
  float setpoint_c;
  float ready_band_c;
} state_in_t;

typedef struct {
  uint8_t state;       /* proto_machine_state_t */
  uint32_t entered_ms; /* when the current state began */
} machine_state_t;

typedef struct {
  uint16_t from; /* bit set of states this row applies to */
  bool (*when)(const state_in_t *in, uint8_t state);
  uint8_t to;
  const char *why; /* for logs */
} state_rule_t;

void machine_state_init(machine_state_t *m);
/* Apply the table once. Returns the rule index that fired, -1 when the state stays. */
int machine_state_step(machine_state_t *m, const state_in_t *in, uint32_t now_ms);
/* The table, for tests and documentation. */
const state_rule_t *machine_state_rules(uint8_t *count);

/* Leaving READY needs the temperature this many bands below setpoint (hysteresis). */
#define STATE_READY_EXIT_BANDS 3.0f

#endif
