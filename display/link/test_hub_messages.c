/* The display's reading of the hub's messages: real shapes applied, bad ones ignored with nothing
 * lost, and the commands it sends are the JSON the hub takes (docs/api/websocket.md, commands.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "hub_messages.h"

static display_state_t fresh(void) {
  display_state_t s;
  display_state_init(&s);
  return s;
}

static void a_snapshot_and_deltas_fill_the_state(void **state) {
  (void)state;
  display_state_t s = fresh();
  assert_true(hub_message_apply(
      &s,
      "{\"type\":\"snapshot\",\"link\":\"up\",\"state\":{\"state\":\"heating\",\"mode\":\"brew\","
      "\"brew_c\":30,\"brew_setpoint_c\":93,\"brew_target_c\":93,\"ready\":false,"
      "\"eta_ready_s\":120,\"weight_g\":null,\"alarm\":null,\"machine\":{\"type\":\"dual_boiler\"}}}"));
  assert_true(s.controller_up);
  assert_string_equal(s.state, "heating");
  assert_true(s.has_steam);
  assert_false(s.has_weight);
  assert_int_equal(s.eta_ready_s, 120);
  assert_true(s.heat_from_c > 29.9f && s.heat_from_c < 30.1f);
  assert_true(
      hub_message_apply(&s, "{\"type\":\"delta\",\"seq\":2,\"changes\":{\"brew_c\":60.5,\"eta_ready_s\":null}}"));
  assert_true(s.brew_c > 60.4f && s.brew_c < 60.6f);
  assert_int_equal(s.eta_ready_s, -1);
  assert_true(s.heat_from_c > 29.9f && s.heat_from_c < 30.1f); /* the heat-up's start is kept */
}

static void a_shot_fills_its_curve_and_its_record_the_last_shot(void **state) {
  (void)state;
  display_state_t s = fresh();
  hub_message_apply(&s, "{\"type\":\"delta\",\"changes\":{\"brewing\":true,\"weight_g\":0}}");
  for (int i = 1; i <= DISPLAY_CURVE_POINTS + 5; i++) {
    char m[128];
    snprintf(m, sizeof m, "{\"type\":\"delta\",\"changes\":{\"pressure_bar\":%d,\"weight_g\":%d}}", i % 10, i);
    hub_message_apply(&s, m);
  }
  /* The shot's first delta (weight 0) is its first reading; then 125 more. */
  assert_int_equal(s.shot_samples, DISPLAY_CURVE_POINTS + 6);
  /* The ring keeps the newest: reading number 125 (0-based) sits at 125 % 120. */
  assert_true(s.curve_weight_g[(DISPLAY_CURVE_POINTS + 5) % DISPLAY_CURVE_POINTS] > 124.9f);
  assert_true(s.curve_weight_g[0] > 119.9f); /* reading 120 overwrote the shot's first */
  hub_message_apply(&s, "{\"type\":\"delta\",\"changes\":{\"brewing\":false}}");
  hub_message_apply(&s,
                    "{\"type\":\"shot_recorded\",\"shot\":{\"status\":\"complete\",\"duration_ms\":28400,"
                    "\"final_weight_g\":35.6,\"settled_weight_g\":36.2,\"yield_g\":null,\"max_pressure_bar\":9.1,"
                    "\"stop_reason\":\"weight\"}}");
  assert_true(s.has_last_shot);
  assert_true(s.last_weight_g > 36.1f && s.last_weight_g < 36.3f); /* the settled cup */
  assert_true(s.last_duration_s > 28.3f && s.last_duration_s < 28.5f);
  assert_string_equal(s.last_stop_reason, "weight");
  hub_message_apply(&s, "{\"type\":\"delta\",\"changes\":{\"brewing\":true}}");
  assert_int_equal(s.shot_samples, 0); /* a new shot, a new curve */
}

static void bad_messages_change_nothing(void **state) {
  (void)state;
  display_state_t s = fresh();
  hub_message_apply(
      &s, "{\"type\":\"snapshot\",\"link\":\"up\",\"state\":{\"state\":\"ready\",\"mode\":\"brew\",\"brew_c\":93}}");
  display_state_t before = s;
  assert_false(hub_message_apply(&s, "not json"));
  assert_false(hub_message_apply(&s, ""));
  assert_false(hub_message_apply(&s, "{\"type\":\"delta\",\"changes\":{"));
  assert_true(hub_message_apply(&s, "[1,2,3]"));
  assert_true(hub_message_apply(&s, "{\"type\":\"delta\",\"changes\":{\"brew_c\":\"hot\",\"state\":7,\"mode\":null}}"));
  assert_true(hub_message_apply(&s, "{\"type\":\"delta\",\"changes\":[]}"));
  assert_true(hub_message_apply(&s, "{\"type\":\"snapshot\"}"));
  assert_true(
      hub_message_apply(&s, "{\"type\":\"http_result\",\"id\":\"pairing_open\",\"status\":200,\"body\":\"{oops\"}"));
  assert_true(hub_message_apply(&s, "{\"type\":\"shot_recorded\",\"shot\":\"no\"}"));
  assert_memory_equal(&s, &before, sizeof s);
  /* Strings longer than their fields are cut, never overrun. */
  char long_state[600] = "{\"type\":\"delta\",\"changes\":{\"state\":\"";
  memset(long_state + strlen(long_state), 'x', 400);
  strcat(long_state, "\"}}");
  assert_true(hub_message_apply(&s, long_state));
  assert_int_equal(strlen(s.state), sizeof s.state - 1);
}

static void pairing_and_maintenance_come_from_the_answers_to_its_requests(void **state) {
  (void)state;
  display_state_t s = fresh();
  hub_message_apply(&s,
                    "{\"type\":\"http_result\",\"id\":\"pairing_open\",\"status\":200,"
                    "\"body\":\"{\\\"typed_code\\\":\\\"7KQ2-M9XD\\\",\\\"link\\\":\\\"http://x/pair#s=1\\\"}\"}");
  assert_true(s.pairing_open);
  assert_string_equal(s.pairing_code, "7KQ2-M9XD");
  assert_string_equal(s.pairing_link, "http://x/pair#s=1");
  hub_message_apply(&s, "{\"type\":\"http_result\",\"id\":\"pairing_close\",\"status\":204}");
  assert_false(s.pairing_open);
  hub_message_apply(&s,
                    "{\"type\":\"http_result\",\"id\":\"statistics\",\"status\":200,\"body\":\"{\\\"maintenance\\\":["
                    "{\\\"kind\\\":\\\"backflush\\\",\\\"due\\\":true},{\\\"kind\\\":\\\"descale\\\",\\\"due\\\":true},"
                    "{\\\"kind\\\":\\\"group_clean\\\",\\\"due\\\":false}]}\"}");
  assert_string_equal(s.maintenance_due, "Backflush due, Descale due");
}

static void its_commands_are_the_hubs_json(void **state) {
  (void)state;
  display_state_t s = fresh();
  s.dose_g = 18.0f;
  s.target_g = 36.5f;
  char m[256];
  hub_command_start_shot(m, sizeof m, 4, &s);
  cJSON *j = cJSON_Parse(m);
  assert_non_null(j);
  const cJSON *c = cJSON_GetObjectItem(j, "command");
  assert_string_equal(cJSON_GetObjectItem(j, "type")->valuestring, "command");
  assert_int_equal(cJSON_GetObjectItem(j, "id")->valueint, 4);
  assert_string_equal(cJSON_GetObjectItem(c, "type")->valuestring, "start_shot");
  assert_true(cJSON_GetObjectItem(c, "target_g")->valuedouble > 36.4);
  assert_true(cJSON_IsFalse(cJSON_GetObjectItem(c, "require_scale")));
  cJSON_Delete(j);
  hub_command_power(m, sizeof m, 5, false);
  assert_non_null(strstr(m, "\"mode\":\"standby\""));
  hub_request_pairing(m, sizeof m, true);
  j = cJSON_Parse(m);
  assert_string_equal(cJSON_GetObjectItem(j, "path")->valuestring, "/api/pairing/code");
  cJSON_Delete(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_snapshot_and_deltas_fill_the_state),
      cmocka_unit_test(a_shot_fills_its_curve_and_its_record_the_last_shot),
      cmocka_unit_test(bad_messages_change_nothing),
      cmocka_unit_test(pairing_and_maintenance_come_from_the_answers_to_its_requests),
      cmocka_unit_test(its_commands_are_the_hubs_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
