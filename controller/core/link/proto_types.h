/* Descriptor types that proto_gen.c fills in and proto_codec.c walks. */
#ifndef BREWOS_PROTO_TYPES_H
#define BREWOS_PROTO_TYPES_H

#include <stdint.h>

typedef enum {
  PROTO_WIRE_U8,
  PROTO_WIRE_I8,
  PROTO_WIRE_U16,
  PROTO_WIRE_I16,
  PROTO_WIRE_U32,
  PROTO_WIRE_I32,
  PROTO_WIRE_BYTES, /* u8 length + data; struct holds <name>_len and <name>[max_len] */
  PROTO_WIRE_STR,   /* u8 length + UTF-8 without NUL; struct holds char <name>[max_len + 1] */
} proto_wire_t;

typedef struct {
  const char *name;
  uint16_t offset;     /* offsetof the field in its message struct */
  uint16_t len_offset; /* bytes only: offsetof <name>_len */
  uint8_t wire;        /* proto_wire_t */
  uint8_t max_len;     /* bytes/str only */
  int64_t min;         /* inclusive range of a scalar */
  int64_t max;
  const uint8_t *enum_values; /* NULL unless the field is an enum */
  uint8_t enum_count;
} proto_field_desc_t;

typedef struct {
  const char *name;
  uint8_t id;
  uint8_t from_hub; /* 1: hub -> controller, 0: controller -> hub */
  uint8_t field_count;
  uint16_t min_payload; /* bytes a payload needs at least */
  uint8_t version_free; /* 1: layout frozen, decoded whatever the header version */
  const proto_field_desc_t *fields;
} proto_msg_desc_t;

typedef struct {
  const char *name;
  uint16_t id;
  int32_t min;
  int32_t max;
  int32_t def;
} proto_config_key_desc_t;

#endif /* BREWOS_PROTO_TYPES_H */
