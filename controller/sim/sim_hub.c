/* Run-mode hub side of the link. */
#include "sim_hub.h"

#include <string.h>

void sim_hub_init(sim_hub_t *h, double brew_c, double steam_c) {
  memset(h, 0, sizeof *h);
  h->desired.mode = PROTO_MACHINE_MODE_STANDBY;
  h->desired.heating_strategy = PROTO_HEATING_STRATEGY_SEQUENTIAL;
  h->desired.brew_setpoint_cdeg = (int16_t)(brew_c * 100.0 + 0.5);
  h->desired.steam_setpoint_cdeg = (int16_t)(steam_c * 100.0 + 0.5);
  proto_stream_init(&h->rx);
}

void sim_hub_send(sim_hub_t *h, sim_machine_t *m, proto_msg_t *msg) {
  msg->seq = h->seq++;
  if (m->now_ms < h->link_down_until_ms) return;
  uint8_t wire[PROTO_MAX_WIRE_BYTES];
  size_t n = 0;
  if (proto_encode_frame(msg, wire, sizeof wire, &n, NULL) == PROTO_DECODE_ERROR_NONE) sim_machine_rx(m, wire, n);
}

void sim_hub_tick(sim_hub_t *h, sim_machine_t *m) {
  if (m->now_ms < h->link_down_until_ms) return;
  if (!h->hello_sent) {
    proto_msg_t hello;
    memset(&hello, 0, sizeof hello);
    hello.type = PROTO_MSG_HUB_HELLO;
    hello.u.hub_hello.proto_major = PROTO_VERSION_MAJOR;
    hello.u.hub_hello.proto_minor = PROTO_VERSION_MINOR;
    hello.u.hub_hello.uptime_ms = m->now_ms;
    sim_hub_send(h, m, &hello);
    h->hello_sent = true;
  }
  if (m->now_ms >= h->next_desired_ms) {
    proto_msg_t d;
    memset(&d, 0, sizeof d);
    d.type = PROTO_MSG_DESIRED_STATE;
    d.u.desired_state = h->desired;
    sim_hub_send(h, m, &d);
    h->next_desired_ms = m->now_ms + SIM_HUB_DESIRED_PERIOD_MS;
  }
}

void sim_hub_receive(sim_hub_t *h, sim_machine_t *m, report_t *r) {
  uint8_t buf[4096];
  size_t n;
  while ((n = sim_machine_tx(m, buf, sizeof buf)) > 0) {
    if (m->now_ms < h->link_down_until_ms) continue; /* lost on the wire */
    for (size_t i = 0; i < n; i++) {
      proto_msg_t msg;
      uint8_t err;
      if (proto_stream_push(&h->rx, buf[i], &msg, &err) && err == PROTO_DECODE_ERROR_NONE) {
        h->frames_rx++;
        if (r) report_message(r, m, &msg);
      }
    }
  }
}
