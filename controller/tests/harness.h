/* Test harness: a simulated machine driven over real frames, with every message it sends captured. */
#ifndef BREWOS_TEST_HARNESS_H
#define BREWOS_TEST_HARNESS_H

#include "machine.h"
#include "presets.h"

#define HARNESS_MAX_MSGS 4096

typedef struct {
  sim_machine_t m;
  uint16_t seq;
  proto_stream_t rx;
  proto_msg_t got[HARNESS_MAX_MSGS];
  size_t n;
  proto_desired_state_t desired;
  bool send_desired;
  uint32_t decode_errors;
} harness_t;

void harness_init(harness_t *h, const char *preset);
/* Same with a modified preset (another pump, other capabilities). */
void harness_init_with(harness_t *h, const plant_preset_t *preset);
/* Encode and deliver one message; returns its seq. */
uint16_t harness_send(harness_t *h, proto_msg_t *msg);
/* Send config_set {key, value}; returns its seq. */
uint16_t harness_config_set(harness_t *h, uint16_t key, int32_t value);
void harness_hello(harness_t *h, uint8_t major);
/* Advance `ms`, resending desired state every 200 ms when send_desired is set. */
void harness_run(harness_t *h, uint32_t ms);
/* Count captured messages of a type. */
size_t harness_count(const harness_t *h, uint8_t type);
/* Last captured message of a type, or NULL. */
const proto_msg_t *harness_last(const harness_t *h, uint8_t type);
/* The ack for (type, seq), or NULL. */
const proto_msg_t *harness_ack(const harness_t *h, uint8_t type, uint16_t seq);
void harness_clear(harness_t *h);

#endif
