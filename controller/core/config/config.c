/* Configuration values, ranges and cross-checks. */
#include "config.h"

#include <stddef.h>

static int index_of(uint16_t key) {
  for (size_t i = 0; i < PROTO_CONFIG_KEY_COUNT; i++) {
    if (proto_config_keys[i].id == key) return (int)i;
  }
  return -1;
}

void config_defaults(config_t *c) {
  for (size_t i = 0; i < PROTO_CONFIG_KEY_COUNT; i++) c->v[i] = proto_config_keys[i].def;
}

int32_t config_get(const config_t *c, uint16_t key) {
  int i = index_of(key);
  return i < 0 ? 0 : c->v[i];
}

int32_t config_circuit_w(const config_t *c) {
  return (int32_t)(((int64_t)config_get(c, PROTO_CONFIG_MAINS_VOLTAGE_V) *
                    config_get(c, PROTO_CONFIG_MAINS_CURRENT_LIMIT_MA)) /
                   1000);
}

bool config_consistent(const config_t *c) {
  int32_t circuit = config_circuit_w(c);
  return config_get(c, PROTO_CONFIG_BREW_HEATER_W) <= circuit && config_get(c, PROTO_CONFIG_STEAM_HEATER_W) <= circuit;
}

uint8_t config_set_in_range(config_t *c, uint16_t key, int32_t value) {
  int i = index_of(key);
  if (i < 0) return PROTO_ACK_RESULT_INVALID_FIELD;
  const proto_config_key_desc_t *d = &proto_config_keys[i];
  if (value < d->min || value > d->max) return PROTO_ACK_RESULT_INVALID_FIELD;
  c->v[i] = value;
  return PROTO_ACK_RESULT_OK;
}

uint8_t config_set(config_t *c, uint16_t key, int32_t value) {
  int32_t old = config_get(c, key);
  uint8_t r = config_set_in_range(c, key, value);
  if (r != PROTO_ACK_RESULT_OK) return r;
  if (!config_consistent(c)) {
    (void)config_set_in_range(c, key, old);
    return PROTO_ACK_RESULT_REJECTED_STATE;
  }
  return PROTO_ACK_RESULT_OK;
}
