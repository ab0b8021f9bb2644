/* Runs every golden vector file in protocol/uart/vectors through the C stream decoder and encoder; the TS twin is
 * protocol/uart/vectors/vectors.test.ts. Every case: the whole stream decodes to exactly the
 * expected list of messages and errors; single-message cases also encode to the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "link/proto_codec.h"
#include "link/proto_stream.h"

static const char *const FILES[] = {"messages.json", "framing.json", "errors.json", "update.json"};
static int cases_run;

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1u);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = 0;
  fclose(f);
  return buf;
}

static size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap) {
  size_t n = strlen(hex) / 2u;
  assert_true(n <= cap);
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    assert_int_equal(sscanf(hex + 2u * i, "%2x", &v), 1);
    out[i] = (uint8_t)v;
  }
  return n;
}

static int64_t field_get(const uint8_t *body, const proto_field_desc_t *f) {
  const uint8_t *p = body + f->offset;
  switch (f->wire) {
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

static void field_set(uint8_t *body, const proto_field_desc_t *f, const cJSON *j) {
  uint8_t *p = body + f->offset;
  if (f->wire == PROTO_WIRE_STR) {
    assert_true(cJSON_IsString(j));
    strcpy((char *)p, j->valuestring);
    return;
  }
  if (f->wire == PROTO_WIRE_BYTES) {
    body[f->len_offset] = (uint8_t)hex_to_bytes(j->valuestring, p, f->max_len);
    return;
  }
  int64_t v = (int64_t)j->valuedouble;
  switch (f->wire) {
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

static void assert_message_equals(const proto_msg_t *m, const cJSON *want, const char *name) {
  const proto_msg_desc_t *d = proto_msg_desc(m->type);
  assert_non_null(d);
  const char *want_type = cJSON_GetObjectItem(want, "type")->valuestring;
  if (strcmp(d->name, want_type) != 0) fail_msg("%s: got %s, want %s", name, d->name, want_type);
  assert_int_equal(m->seq, (uint16_t)cJSON_GetObjectItem(want, "seq")->valuedouble);
  const uint8_t *body = (const uint8_t *)&m->u;
  for (uint8_t i = 0; i < d->field_count; i++) {
    const proto_field_desc_t *f = &d->fields[i];
    const cJSON *j = cJSON_GetObjectItem(want, f->name);
    if (j == NULL) fail_msg("%s: vector lacks field %s", name, f->name);
    if (f->wire == PROTO_WIRE_STR) {
      if (strcmp((const char *)body + f->offset, j->valuestring) != 0) fail_msg("%s: field %s differs", name, f->name);
    } else if (f->wire == PROTO_WIRE_BYTES) {
      uint8_t buf[256];
      size_t n = hex_to_bytes(j->valuestring, buf, sizeof buf);
      assert_int_equal(body[f->len_offset], n);
      assert_memory_equal(body + f->offset, buf, n);
    } else if (field_get(body, f) != (int64_t)j->valuedouble) {
      fail_msg("%s: field %s = %lld, want %.0f", name, f->name, (long long)field_get(body, f), j->valuedouble);
    }
  }
}

static void run_case(const cJSON *c) {
  const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
  static uint8_t wire[4096];
  size_t n = hex_to_bytes(cJSON_GetObjectItem(c, "hex")->valuestring, wire, sizeof wire);
  const cJSON *expect = cJSON_GetObjectItem(c, "expect");
  proto_stream_t s;
  proto_stream_init(&s);
  int k = 0;
  for (size_t i = 0; i < n; i++) {
    proto_msg_t m;
    uint8_t err;
    if (!proto_stream_push(&s, wire[i], &m, &err)) continue;
    const cJSON *e = cJSON_GetArrayItem(expect, k++);
    if (e == NULL) fail_msg("%s: more results than expected", name);
    const cJSON *want_err = cJSON_GetObjectItem(e, "error");
    if (want_err != NULL) {
      if (strcmp(proto_decode_error_name(err), want_err->valuestring) != 0) {
        fail_msg("%s: result %d is %s, want %s", name, k, proto_decode_error_name(err), want_err->valuestring);
      }
      continue;
    }
    if (err != PROTO_DECODE_ERROR_NONE)
      fail_msg("%s: result %d is %s, want a message", name, k, proto_decode_error_name(err));
    assert_message_equals(&m, cJSON_GetObjectItem(e, "message"), name);
  }
  if (k != cJSON_GetArraySize(expect)) fail_msg("%s: %d results, want %d", name, k, cJSON_GetArraySize(expect));

  if (cJSON_IsTrue(cJSON_GetObjectItem(c, "encode"))) {
    const cJSON *want = cJSON_GetObjectItem(cJSON_GetArrayItem(expect, 0), "message");
    proto_msg_t m;
    memset(&m, 0, sizeof m);
    const proto_msg_desc_t *d = proto_msg_desc_by_name(cJSON_GetObjectItem(want, "type")->valuestring);
    assert_non_null(d);
    m.type = d->id;
    m.seq = (uint16_t)cJSON_GetObjectItem(want, "seq")->valuedouble;
    for (uint8_t i = 0; i < d->field_count; i++) {
      field_set((uint8_t *)&m.u, &d->fields[i], cJSON_GetObjectItem(want, d->fields[i].name));
    }
    uint8_t out[PROTO_MAX_WIRE_BYTES];
    size_t out_len = 0;
    assert_int_equal(proto_encode_frame(&m, out, sizeof out, &out_len, NULL), PROTO_DECODE_ERROR_NONE);
    assert_int_equal(out_len, n);
    if (memcmp(out, wire, n) != 0) fail_msg("%s: encoded bytes differ", name);
  }
  cases_run++;
}

static void every_golden_vector_decodes_and_encodes_as_specified(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/protocol/uart/vectors/%s", BREWOS_REPO_DIR, FILES[i]);
    char *text = read_file(path);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases")) run_case(c);
    cJSON_Delete(root);
    free(text);
  }
  printf("[ VECTORS  ] %d golden cases passed in C\n", cases_run);
  assert_true(cases_run >= 40);
}

static void encoder_refuses_out_of_range_fields(void **state) {
  (void)state;
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_DESIRED_STATE;
  m.u.desired_state.brew_setpoint_cdeg = 500; /* below 20.00 degC minimum */
  m.u.desired_state.steam_setpoint_cdeg = 14000;
  uint8_t out[PROTO_MAX_WIRE_BYTES];
  size_t n;
  uint8_t bad = 0xFF;
  assert_int_equal(proto_encode_frame(&m, out, sizeof out, &n, &bad), PROTO_DECODE_ERROR_FIELD_RANGE);
  assert_string_equal(proto_msg_desc(m.type)->fields[bad].name, "brew_setpoint_cdeg");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_golden_vector_decodes_and_encodes_as_specified),
      cmocka_unit_test(encoder_refuses_out_of_range_fields),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
