/* Controller configuration: one i32 per key of the generated key table (unit and range there).
 * Values are validated on every write; modules read them when the controller applies a change. */
#ifndef BREWOS_CONFIG_H
#define BREWOS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "link/proto_gen.h"

typedef struct {
  int32_t v[PROTO_CONFIG_KEY_COUNT];
} config_t;

/* Every key at its table default. */
void config_defaults(config_t *c);

/* Value of `key`; keys come from proto_config_key_t, so an unknown key is a programming error and
 * reads as 0. */
int32_t config_get(const config_t *c, uint16_t key);

/* Write one value. Returns a proto_ack_result_t: invalid_field for an unknown key or a value out
 * of range, rejected_state when it breaks a cross-check (a heater larger than the mains circuit). */
uint8_t config_set(config_t *c, uint16_t key, int32_t value);

/* Write one value checking only its range (no cross-checks); for loading a whole saved set. */
uint8_t config_set_in_range(config_t *c, uint16_t key, int32_t value);

/* Whether the whole configuration passes its cross-checks (used after loading from flash). */
bool config_consistent(const config_t *c);

/* Mains circuit budget in watts (voltage x current limit). */
int32_t config_circuit_w(const config_t *c);

#endif
