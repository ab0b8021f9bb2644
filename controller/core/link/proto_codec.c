/* Table-driven frame codec; the TS twin is protocol/uart/src/{payload,frame}.ts. */
#include "proto_codec.h"

#include <string.h>

#include "cobs.h"
#include "crc16.h"

static uint8_t wire_size(uint8_t wire) {
  switch (wire) {
    case PROTO_WIRE_U8:
    case PROTO_WIRE_I8: return 1;
    case PROTO_WIRE_U16:
    case PROTO_WIRE_I16: return 2;
    case PROTO_WIRE_U32:
    case PROTO_WIRE_I32: return 4;
    default: return 0;
  }
}

static int64_t load_scalar(const uint8_t *p, uint8_t wire) {
  switch (wire) {
    case PROTO_WIRE_U8: return *p;
    case PROTO_WIRE_I8: return (int8_t)*p;
    case PROTO_WIRE_U16: {
      uint16_t v;
      memcpy(&v, p, 2);
      return v;
    }
    case PROTO_WIRE_I16: {
      int16_t v;
      memcpy(&v, p, 2);
      return v;
    }
    case PROTO_WIRE_U32: {
      uint32_t v;
      memcpy(&v, p, 4);
      return v;
    }
    default: {
      int32_t v;
      memcpy(&v, p, 4);
      return v;
    }
  }
}

static void store_scalar(uint8_t *p, uint8_t wire, int64_t v) {
  switch (wire) {
    case PROTO_WIRE_U8: *p = (uint8_t)v; break;
    case PROTO_WIRE_I8: {
      int8_t x = (int8_t)v;
      memcpy(p, &x, 1);
      break;
    }
    case PROTO_WIRE_U16: {
      uint16_t x = (uint16_t)v;
      memcpy(p, &x, 2);
      break;
    }
    case PROTO_WIRE_I16: {
      int16_t x = (int16_t)v;
      memcpy(p, &x, 2);
      break;
    }
    case PROTO_WIRE_U32: {
      uint32_t x = (uint32_t)v;
      memcpy(p, &x, 4);
      break;
    }
    default: {
      int32_t x = (int32_t)v;
      memcpy(p, &x, 4);
      break;
    }
  }
}

/* strnlen is POSIX, not C11. */
static size_t bounded_strlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n] != '\0') n++;
  return n;
}

static int scalar_ok(const proto_field_desc_t *f, int64_t v) {
  if (v < f->min || v > f->max) return 0;
  if (f->enum_values == NULL) return 1;
  for (uint8_t i = 0; i < f->enum_count; i++) {
    if (f->enum_values[i] == v) return 1;
  }
  return 0;
}

/* Little-endian on the wire, whatever the host. */
static void put_le(uint8_t *out, int64_t v, uint8_t size) {
  uint64_t u = (uint64_t)v;
  for (uint8_t i = 0; i < size; i++) out[i] = (uint8_t)(u >> (8u * i));
}

static int64_t get_le(const uint8_t *in, uint8_t wire) {
  uint8_t size = wire_size(wire);
  uint32_t u = 0;
  for (uint8_t i = 0; i < size; i++) u |= (uint32_t)in[i] << (8u * i);
  switch (wire) {
    case PROTO_WIRE_I8: return (int8_t)(uint8_t)u;
    case PROTO_WIRE_I16: return (int16_t)(uint16_t)u;
    case PROTO_WIRE_I32: return (int32_t)u;
    default: return (int64_t)u;
  }
}

/* Payload bytes of `msg` into out; returns length or -1 (field index in *bad). */
static int encode_payload(const proto_msg_desc_t *d, const uint8_t *body, uint8_t *out, size_t cap, uint8_t *bad) {
  size_t at = 0;
  for (uint8_t i = 0; i < d->field_count; i++) {
    const proto_field_desc_t *f = &d->fields[i];
    *bad = i;
    if (f->wire == PROTO_WIRE_BYTES || f->wire == PROTO_WIRE_STR) {
      size_t n = f->wire == PROTO_WIRE_BYTES ? body[f->len_offset]
                                             : bounded_strlen((const char *)body + f->offset, (size_t)f->max_len + 1u);
      if (n > f->max_len || at + 1u + n > cap) return -1;
      out[at++] = (uint8_t)n;
      memcpy(out + at, body + f->offset, n);
      at += n;
      continue;
    }
    int64_t v = load_scalar(body + f->offset, f->wire);
    if (!scalar_ok(f, v) || at + wire_size(f->wire) > cap) return -1;
    put_le(out + at, v, wire_size(f->wire));
    at += wire_size(f->wire);
  }
  return (int)at;
}

uint8_t proto_encode_frame_version(const proto_msg_t *msg, uint8_t version, uint8_t *out, size_t cap, size_t *out_len,
                                   uint8_t *bad_field) {
  uint8_t bad = 0;
  const proto_msg_desc_t *d = proto_msg_desc(msg->type);
  if (d == NULL) return PROTO_DECODE_ERROR_UNKNOWN_TYPE;
  uint8_t raw[PROTO_MAX_RAW_BYTES];
  raw[0] = version;
  raw[1] = msg->type;
  raw[2] = (uint8_t)(msg->seq & 0xFFu);
  raw[3] = (uint8_t)(msg->seq >> 8);
  int n = encode_payload(d, (const uint8_t *)&msg->u, raw + PROTO_HEADER_BYTES, PROTO_MAX_PAYLOAD_BYTES, &bad);
  if (n < 0) {
    if (bad_field != NULL) *bad_field = bad;
    return PROTO_DECODE_ERROR_FIELD_RANGE;
  }
  size_t raw_len = PROTO_HEADER_BYTES + (size_t)n;
  uint16_t crc = crc16_ccitt_false(raw, raw_len, CRC16_INIT);
  raw[raw_len++] = (uint8_t)(crc & 0xFFu);
  raw[raw_len++] = (uint8_t)(crc >> 8);
  if (cap < 1u) return PROTO_DECODE_ERROR_OVERSIZE;
  size_t enc = cobs_encode(raw, raw_len, out, cap - 1u);
  if (enc == 0) return PROTO_DECODE_ERROR_OVERSIZE;
  out[enc] = 0;
  *out_len = enc + 1u;
  return PROTO_DECODE_ERROR_NONE;
}

uint8_t proto_encode_frame(const proto_msg_t *msg, uint8_t *out, size_t cap, size_t *out_len, uint8_t *bad_field) {
  return proto_encode_frame_version(msg, PROTO_VERSION_MAJOR, out, cap, out_len, bad_field);
}

static uint8_t decode_payload(const proto_msg_desc_t *d, const uint8_t *in, size_t len, uint8_t *body, uint8_t *bad) {
  size_t at = 0;
  for (uint8_t i = 0; i < d->field_count; i++) {
    const proto_field_desc_t *f = &d->fields[i];
    *bad = i;
    if (f->wire == PROTO_WIRE_BYTES || f->wire == PROTO_WIRE_STR) {
      if (at + 1u > len) return PROTO_DECODE_ERROR_PAYLOAD_SHORT;
      uint8_t n = in[at++];
      if (at + n > len) return PROTO_DECODE_ERROR_PAYLOAD_SHORT;
      if (n > f->max_len) return PROTO_DECODE_ERROR_FIELD_RANGE;
      if (f->wire == PROTO_WIRE_STR && memchr(in + at, 0, n) != NULL) return PROTO_DECODE_ERROR_FIELD_RANGE;
      memcpy(body + f->offset, in + at, n);
      if (f->wire == PROTO_WIRE_BYTES)
        body[f->len_offset] = n;
      else
        body[f->offset + n] = 0;
      at += n;
      continue;
    }
    uint8_t size = wire_size(f->wire);
    if (at + size > len) return PROTO_DECODE_ERROR_PAYLOAD_SHORT;
    int64_t v = get_le(in + at, f->wire);
    if (!scalar_ok(f, v)) return PROTO_DECODE_ERROR_FIELD_RANGE;
    store_scalar(body + f->offset, f->wire, v);
    at += size;
  }
  return PROTO_DECODE_ERROR_NONE;
}

uint8_t proto_decode_block(const uint8_t *block, size_t len, proto_msg_t *msg, uint8_t *bad_field) {
  return proto_decode_block_version(block, len, PROTO_VERSION_MAJOR, msg, bad_field);
}

uint8_t proto_decode_block_version(const uint8_t *block, size_t len, uint8_t major, proto_msg_t *msg,
                                   uint8_t *bad_field) {
  uint8_t raw[PROTO_MAX_RAW_BYTES + 1u];
  uint8_t bad = 0;
  if (len > PROTO_MAX_ENCODED_BYTES) return PROTO_DECODE_ERROR_OVERSIZE;
  int n = cobs_decode(block, len, raw, sizeof raw);
  if (n < 0) return PROTO_DECODE_ERROR_COBS_INVALID;
  size_t raw_len = (size_t)n;
  if (raw_len < PROTO_HEADER_BYTES + PROTO_CRC_BYTES) return PROTO_DECODE_ERROR_TRUNCATED;
  size_t body_len = raw_len - PROTO_CRC_BYTES;
  uint16_t got = (uint16_t)(raw[body_len] | (raw[body_len + 1u] << 8));
  if (crc16_ccitt_false(raw, body_len, CRC16_INIT) != got) return PROTO_DECODE_ERROR_CRC_MISMATCH;
  const proto_msg_desc_t *d = proto_msg_desc(raw[1]);
  if (d == NULL) return PROTO_DECODE_ERROR_UNKNOWN_TYPE;
  if (raw[0] != major && !d->version_free) return PROTO_DECODE_ERROR_UNSUPPORTED_VERSION;
  memset(msg, 0, sizeof *msg);
  msg->type = raw[1];
  msg->seq = (uint16_t)(raw[2] | (raw[3] << 8));
  uint8_t err = decode_payload(d, raw + PROTO_HEADER_BYTES, body_len - PROTO_HEADER_BYTES, (uint8_t *)&msg->u, &bad);
  if (err != PROTO_DECODE_ERROR_NONE && bad_field != NULL) *bad_field = bad;
  return err;
}
