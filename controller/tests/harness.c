/* Test harness implementation (linked into each controller-level test). */
#include "harness.h"

#include <string.h>

void harness_init(harness_t *h, const char *preset) {
  harness_init_with(h, preset_find(preset));
}

void harness_init_with(harness_t *h, const plant_preset_t *preset) {
  memset(h, 0, sizeof *h);
  sim_machine_init(&h->m, preset, 22.0, 5, 0.05, false);
  proto_stream_init(&h->rx);
  h->desired.mode = PROTO_MACHINE_MODE_BREW;
  h->desired.brew_setpoint_cdeg = 9300;
  h->desired.steam_setpoint_cdeg = 12500;
  h->desired.heating_strategy = PROTO_HEATING_STRATEGY_SEQUENTIAL;
}

static void drain(harness_t *h) {
  uint8_t buf[4096];
  size_t n;
  while ((n = sim_machine_tx(&h->m, buf, sizeof buf)) > 0) {
    for (size_t i = 0; i < n; i++) {
      proto_msg_t msg;
      uint8_t err;
      if (!proto_stream_push(&h->rx, buf[i], &msg, &err)) continue;
      if (err != PROTO_DECODE_ERROR_NONE)
        h->decode_errors++;
      else if (h->n < HARNESS_MAX_MSGS)
        h->got[h->n++] = msg;
    }
  }
}

uint16_t harness_send(harness_t *h, proto_msg_t *msg) {
  msg->seq = h->seq++;
  uint8_t wire[PROTO_MAX_WIRE_BYTES];
  size_t n = 0;
  if (proto_encode_frame(msg, wire, sizeof wire, &n, NULL) == PROTO_DECODE_ERROR_NONE) sim_machine_rx(&h->m, wire, n);
  return msg->seq;
}

uint16_t harness_config_set(harness_t *h, uint16_t key, int32_t value) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_CONFIG_SET;
  m.u.config_set.key = key;
  m.u.config_set.value = value;
  return harness_send(h, &m);
}

void harness_hello(harness_t *h, uint8_t major) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_HUB_HELLO;
  m.u.hub_hello.proto_major = major;
  (void)harness_send(h, &m);
}

void harness_run(harness_t *h, uint32_t ms) {
  for (uint32_t t = 0; t < ms; t += 10) {
    if (h->send_desired && h->m.now_ms % 200u == 0u) {
      proto_msg_t d;
      memset(&d, 0, sizeof d);
      d.type = PROTO_MSG_DESIRED_STATE;
      d.u.desired_state = h->desired;
      (void)harness_send(h, &d);
    }
    sim_machine_tick(&h->m);
    drain(h);
  }
}

size_t harness_count(const harness_t *h, uint8_t type) {
  size_t c = 0;
  for (size_t i = 0; i < h->n; i++) c += h->got[i].type == type;
  return c;
}

const proto_msg_t *harness_last(const harness_t *h, uint8_t type) {
  for (size_t i = h->n; i-- > 0;) {
    if (h->got[i].type == type) return &h->got[i];
  }
  return NULL;
}

const proto_msg_t *harness_ack(const harness_t *h, uint8_t type, uint16_t seq) {
  for (size_t i = 0; i < h->n; i++) {
    const proto_msg_t *m = &h->got[i];
    if (m->type == PROTO_MSG_ACK && m->u.ack.acked_type == type && m->u.ack.acked_seq == seq) return m;
  }
  return NULL;
}

void harness_clear(harness_t *h) {
  h->n = 0;
}
