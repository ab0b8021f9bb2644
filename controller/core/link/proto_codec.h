/* Frame codec for the controller UART link: COBS( version | type | seq | payload | crc16 ) 0x00.
 * Table-driven from proto_gen.c; no allocation, no state. Spec: protocol/uart/SPEC.md. */
#ifndef BREWOS_PROTO_CODEC_H
#define BREWOS_PROTO_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "proto_gen.h"

/* Raw frame bytes at most, and encoded bytes between delimiters at most (raw <= 254: one code byte). */
#define PROTO_MAX_RAW_BYTES (PROTO_HEADER_BYTES + PROTO_MAX_PAYLOAD_BYTES + PROTO_CRC_BYTES)
#define PROTO_MAX_ENCODED_BYTES (PROTO_MAX_RAW_BYTES + 1u)
/* Buffer size that always holds one encoded frame plus its delimiter. */
#define PROTO_MAX_WIRE_BYTES (PROTO_MAX_ENCODED_BYTES + 1u)

/* Encode `msg` (type, seq, payload) as wire bytes including the trailing 0x00.
 * Returns PROTO_DECODE_ERROR_NONE and sets *out_len, or FIELD_RANGE / UNKNOWN_TYPE / OVERSIZE;
 * *bad_field (may be NULL) gets the index of an out-of-range field. */
uint8_t proto_encode_frame(const proto_msg_t *msg, uint8_t *out, size_t cap, size_t *out_len, uint8_t *bad_field);

/* Same, with an explicit header version (tests of version handling). */
uint8_t proto_encode_frame_version(const proto_msg_t *msg, uint8_t version, uint8_t *out, size_t cap, size_t *out_len,
                                   uint8_t *bad_field);

/* Decode the bytes between two delimiters into *msg. Returns a proto_decode_error_t;
 * *bad_field (may be NULL) gets the failing field index for PAYLOAD_SHORT / FIELD_RANGE. */
uint8_t proto_decode_block(const uint8_t *block, size_t len, proto_msg_t *msg, uint8_t *bad_field);
/* Same, for a peer of protocol major `major` (the simulator running an image built for another). */
uint8_t proto_decode_block_version(const uint8_t *block, size_t len, uint8_t major, proto_msg_t *msg,
                                   uint8_t *bad_field);

#endif
