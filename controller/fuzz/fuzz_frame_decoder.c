/* libFuzzer target for the UART stream decoder: any byte sequence must be consumed without a crash,
 * sanitizer report or stall, and every frame it accepts must re-encode to a frame that decodes to
 * the identical message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/proto_codec.h"
#include "link/proto_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const proto_msg_t *m) {
  uint8_t wire[PROTO_MAX_WIRE_BYTES];
  size_t n = 0;
  if (proto_encode_frame(m, wire, sizeof wire, &n, NULL) != PROTO_DECODE_ERROR_NONE) abort();
  proto_msg_t again;
  if (proto_decode_block(wire, n - 1u, &again, NULL) != PROTO_DECODE_ERROR_NONE) abort();
  if (again.type != m->type || again.seq != m->seq) abort();
  uint8_t wire2[PROTO_MAX_WIRE_BYTES];
  size_t n2 = 0;
  if (proto_encode_frame(&again, wire2, sizeof wire2, &n2, NULL) != PROTO_DECODE_ERROR_NONE) abort();
  if (n2 != n || memcmp(wire, wire2, n) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static proto_stream_t s;
  proto_stream_init(&s);
  for (size_t i = 0; i < size; i++) {
    proto_msg_t m;
    uint8_t err;
    if (proto_stream_push(&s, data[i], &m, &err) && err == PROTO_DECODE_ERROR_NONE) check_round_trip(&m);
  }
  /* A delimiter and a known frame after any input must always decode (no stall). */
  proto_msg_t probe;
  memset(&probe, 0, sizeof probe);
  probe.type = PROTO_MSG_SHOT_STOP;
  probe.seq = 0x1234;
  uint8_t wire[PROTO_MAX_WIRE_BYTES];
  size_t n = 0;
  if (proto_encode_frame(&probe, wire, sizeof wire, &n, NULL) != PROTO_DECODE_ERROR_NONE) abort();
  proto_msg_t m;
  uint8_t err = 0xFF;
  (void)proto_stream_push(&s, 0, &m, &err);
  bool done = false;
  for (size_t i = 0; i < n; i++) done = proto_stream_push(&s, wire[i], &m, &err);
  if (!done || err != PROTO_DECODE_ERROR_NONE || m.type != PROTO_MSG_SHOT_STOP || m.seq != 0x1234) abort();
  return 0;
}
