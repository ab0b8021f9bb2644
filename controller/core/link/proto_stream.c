/* Streaming decoder; the TS twin is protocol/uart/src/stream-decoder.ts. */
#include "proto_stream.h"

#include <string.h>

void proto_stream_init(proto_stream_t *s) {
  memset(s, 0, sizeof *s);
  s->major = PROTO_VERSION_MAJOR;
}

bool proto_stream_push(proto_stream_t *s, uint8_t byte, proto_msg_t *msg, uint8_t *err) {
  if (byte != 0) {
    if (s->len < sizeof s->buf)
      s->buf[s->len++] = byte;
    else
      s->overflow = true;
    return false;
  }
  if (s->len == 0 && !s->overflow) return false; /* idle delimiter */
  *err = s->overflow ? (uint8_t)PROTO_DECODE_ERROR_OVERSIZE
                     : proto_decode_block_version(s->buf, s->len, s->major, msg, NULL);
  s->len = 0;
  s->overflow = false;
  if (*err == PROTO_DECODE_ERROR_NONE) {
    s->stats.frames++;
  } else {
    s->stats.resyncs++;
    if (*err == PROTO_DECODE_ERROR_CRC_MISMATCH)
      s->stats.crc_errors++;
    else
      s->stats.other_errors++;
  }
  return true;
}
