/* Byte-at-a-time frame decoder: feed it from the UART ISR ring buffer; it resynchronises on every
 * 0x00 and never needs more than one maximum frame of RAM. */
#ifndef BREWOS_PROTO_STREAM_H
#define BREWOS_PROTO_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "proto_codec.h"

typedef struct {
  uint32_t frames;  /* frames decoded cleanly */
  uint32_t resyncs; /* frames dropped for any reason */
  uint32_t crc_errors;
  uint32_t other_errors;
} proto_link_stats_t;

typedef struct {
  uint8_t buf[PROTO_MAX_ENCODED_BYTES];
  uint16_t len;
  bool overflow;
  uint8_t major; /* protocol major this end speaks (PROTO_VERSION_MAJOR) */
  proto_link_stats_t stats;
} proto_stream_t;

void proto_stream_init(proto_stream_t *s);

/* Feed one byte. Returns true when it closed a frame; then *err is a proto_decode_error_t and *msg
 * is valid only when *err == PROTO_DECODE_ERROR_NONE. */
bool proto_stream_push(proto_stream_t *s, uint8_t byte, proto_msg_t *msg, uint8_t *err);

#endif
