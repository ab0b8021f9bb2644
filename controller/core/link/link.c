/* Hub link bookkeeping. */
#include "link.h"

#include <string.h>

void link_init(link_t *l) {
  memset(l, 0, sizeof *l);
  proto_stream_init(&l->rx);
  l->proto_major = PROTO_VERSION_MAJOR;
}

bool link_rx_byte(link_t *l, uint8_t byte, uint32_t now_ms, proto_msg_t *msg) {
  uint8_t err = 0;
  if (!proto_stream_push(&l->rx, byte, msg, &err) || err != PROTO_DECODE_ERROR_NONE) return false;
  const proto_msg_desc_t *d = proto_msg_desc(msg->type);
  if (d == NULL || !d->from_hub) return false;
  l->last_valid_ms = now_ms;
  l->have_frame = true;
  if (msg->type == PROTO_MSG_DESIRED_STATE) {
    l->last_desired_ms = now_ms;
    l->have_desired = true;
  }
  return true;
}

bool link_replay(const link_t *l, const proto_msg_t *cmd, proto_msg_t *ack) {
  for (uint8_t i = 0; i < LINK_RECENT_COMMANDS; i++) {
    const link_recent_t *r = &l->recent[i];
    if (r->used && r->type == cmd->type && r->seq == cmd->seq) {
      memset(ack, 0, sizeof *ack);
      ack->type = PROTO_MSG_ACK;
      ack->u.ack.acked_type = r->type;
      ack->u.ack.acked_seq = r->seq;
      ack->u.ack.result = r->result;
      ack->u.ack.detail = r->detail;
      return true;
    }
  }
  return false;
}

void link_remember(link_t *l, const proto_msg_t *cmd, uint8_t result, uint16_t detail) {
  link_recent_t *r = &l->recent[l->recent_next];
  r->type = cmd->type;
  r->seq = cmd->seq;
  r->result = result;
  r->detail = detail;
  r->used = true;
  l->recent_next = (uint8_t)((l->recent_next + 1u) % LINK_RECENT_COMMANDS);
}

static bool evict_telemetry(link_t *l) {
  for (uint8_t i = 0; i < l->len; i++) {
    uint8_t at = (uint8_t)((l->head + i) % LINK_TX_QUEUE);
    if (l->txq[at].type != PROTO_MSG_TELEMETRY) continue;
    for (uint8_t k = i; k + 1u < l->len; k++) {
      l->txq[(l->head + k) % LINK_TX_QUEUE] = l->txq[(l->head + k + 1u) % LINK_TX_QUEUE];
    }
    l->len--;
    return true;
  }
  return false;
}

bool link_send(link_t *l, proto_msg_t *m) {
  if (l->len == LINK_TX_QUEUE && (m->type == PROTO_MSG_TELEMETRY || !evict_telemetry(l))) {
    l->tx_dropped++;
    return false;
  }
  m->seq = l->tx_seq++;
  l->txq[(l->head + l->len) % LINK_TX_QUEUE] = *m;
  l->len++;
  return true;
}

size_t link_drain(link_t *l, uint8_t *buf, size_t cap) {
  size_t used = 0;
  while (l->len > 0) {
    uint8_t frame[PROTO_MAX_WIRE_BYTES];
    size_t n = 0;
    const proto_msg_t *m = &l->txq[l->head];
    if (proto_encode_frame_version(m, l->proto_major, frame, sizeof frame, &n, NULL) != PROTO_DECODE_ERROR_NONE) {
      l->tx_dropped++; /* a value out of range is a firmware bug; never send it */
    } else if (used + n > cap) {
      break;
    } else {
      memcpy(buf + used, frame, n);
      used += n;
    }
    l->head = (uint8_t)((l->head + 1u) % LINK_TX_QUEUE);
    l->len--;
  }
  return used;
}
