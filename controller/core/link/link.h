/* Controller side of the hub link: byte-stream decoding, the outgoing queue with sequence numbers,
 * freshness of the hub (last valid frame, last desired state) and replay of acks for retried
 * commands, so a command retried with the same seq is never executed twice. */
#ifndef BREWOS_LINK_H
#define BREWOS_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_stream.h"

#define LINK_TX_QUEUE 32u
#define LINK_RECENT_COMMANDS 8u
#define LINK_HELLO_REPEAT_MS 5000u
#define LINK_TELEMETRY_FAST_MS 50u
#define LINK_TELEMETRY_SLOW_MS 250u
#define LINK_WEIGHT_FRESH_MS 500u

typedef struct {
  uint8_t type;
  uint16_t seq;
  uint8_t result;
  uint16_t detail;
  bool used;
} link_recent_t;

typedef struct {
  proto_stream_t rx;
  uint16_t tx_seq;
  proto_msg_t txq[LINK_TX_QUEUE];
  uint8_t head, len;
  uint32_t tx_dropped;
  link_recent_t recent[LINK_RECENT_COMMANDS];
  uint8_t recent_next;
  uint32_t last_valid_ms;
  uint32_t last_desired_ms;
  bool have_frame, have_desired;
  bool hub_ok; /* a hub_hello of our major version arrived */
  uint32_t last_hello_ms;
  uint32_t last_telemetry_ms;
  uint8_t proto_major; /* the major this end speaks: PROTO_VERSION_MAJOR */
} link_t;

void link_init(link_t *l);
/* Feed one received byte. Returns true with *msg set when a valid hub -> controller message completed. */
bool link_rx_byte(link_t *l, uint8_t byte, uint32_t now_ms, proto_msg_t *msg);
/* If (type, seq) of this discrete command was already executed, fill *ack with the same answer. */
bool link_replay(const link_t *l, const proto_msg_t *cmd, proto_msg_t *ack);
/* Remember the answer to a discrete command for replay. */
void link_remember(link_t *l, const proto_msg_t *cmd, uint8_t result, uint16_t detail);
/* Queue a message (type and payload set by the caller; seq is assigned). Telemetry is dropped
 * first when the queue is full. Returns false when the message could not be queued. */
bool link_send(link_t *l, proto_msg_t *m);
/* Encode queued messages into buf while they fit. Returns bytes written. */
size_t link_drain(link_t *l, uint8_t *buf, size_t cap);

#endif
