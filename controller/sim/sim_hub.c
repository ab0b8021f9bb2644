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

uint8_t sim_hub_chunk_count(size_t len, size_t chunk_bytes) {
  return (uint8_t)((len + chunk_bytes - 1u) / chunk_bytes);
}

void sim_hub_profile_chunk(proto_msg_t *m, uint8_t slot, const uint8_t *bin, size_t len, uint16_t crc,
                           size_t chunk_bytes, uint8_t index) {
  memset(m, 0, sizeof *m);
  m->type = PROTO_MSG_PROFILE_CHUNK;
  proto_profile_chunk_t *c = &m->u.profile_chunk;
  c->slot = slot;
  c->chunk_index = index;
  c->chunk_count = sim_hub_chunk_count(len, chunk_bytes);
  c->total_len = (uint16_t)len;
  c->total_crc16 = crc;
  size_t at = (size_t)index * chunk_bytes;
  c->data_len = (uint8_t)(len - at < chunk_bytes ? len - at : chunk_bytes);
  memcpy(c->data, bin + at, c->data_len);
}
