/* The controller as the hub sees it: version gating, acks, idempotent retries, config over the link. */
#include "test_helpers.h"
#include "harness.h"

static harness_t h;

static proto_msg_t make_shot_start(uint32_t token, uint8_t slot, uint32_t stop_ms) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.shot_token = token;
  m.u.shot_start.profile_slot = slot;
  m.u.shot_start.stop_time_ms = stop_ms;
  return m;
}

static void controller_says_hello_and_answers_a_hub_hello(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_run(&h, 100);
  assert_int_equal(harness_count(&h, PROTO_MSG_CONTROLLER_HELLO), 1); /* at boot */
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 50);
  assert_int_equal(harness_count(&h, PROTO_MSG_CONTROLLER_HELLO), 2);
  const proto_msg_t *hello = harness_last(&h, PROTO_MSG_CONTROLLER_HELLO);
  assert_int_equal(hello->u.controller_hello.machine_type, PROTO_MACHINE_TYPE_DUAL_BOILER);
  assert_int_equal(hello->u.controller_hello.reset_reason, PROTO_RESET_REASON_POWER_ON);
  assert_int_equal(h.decode_errors, 0);
}

static void commands_before_a_hello_are_refused_with_version_mismatch(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_run(&h, 300);
  proto_msg_t m = make_shot_start(1, 0, 25000);
  uint16_t seq = harness_send(&h, &m);
  harness_run(&h, 20);
  const proto_msg_t *ack = harness_ack(&h, PROTO_MSG_SHOT_START, seq);
  assert_non_null(ack);
  assert_int_equal(ack->u.ack.result, PROTO_ACK_RESULT_VERSION_MISMATCH);
  assert_int_equal(harness_count(&h, PROTO_MSG_SHOT_STARTED), 0);
}

static void another_major_version_blocks_control_but_not_telemetry(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, 2);
  h.send_desired = true;
  harness_run(&h, 10000);
  const proto_msg_t *t = harness_last(&h, PROTO_MSG_TELEMETRY);
  assert_non_null(t);
  assert_true(t->u.telemetry.flags & PROTO_TELEMETRY_FLAGS_CONTROL_BLOCKED);
  assert_int_equal(t->u.telemetry.brew_duty_pmil, 0); /* desired brew mode is not followed */
  assert_true(harness_count(&h, PROTO_MSG_TELEMETRY) >= 35);
}

static void a_retried_command_is_answered_again_but_runs_once(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 1000);
  proto_msg_t m = make_shot_start(7, 0, 5000);
  uint16_t seq = harness_send(&h, &m);
  harness_run(&h, 100);
  /* The hub did not see the ack and retries with the same seq. */
  m.seq = seq;
  uint8_t wire[PROTO_MAX_WIRE_BYTES];
  size_t n;
  assert_int_equal(proto_encode_frame(&m, wire, sizeof wire, &n, NULL), PROTO_DECODE_ERROR_NONE);
  sim_machine_rx(&h.m, wire, n);
  harness_run(&h, 100);
  size_t acks = 0;
  for (size_t i = 0; i < h.n; i++) {
    if (h.got[i].type == PROTO_MSG_ACK && h.got[i].u.ack.acked_seq == seq) {
      acks++;
      assert_int_equal(h.got[i].u.ack.result, PROTO_ACK_RESULT_OK);
    }
  }
  assert_int_equal(acks, 2);
  assert_int_equal(harness_count(&h, PROTO_MSG_SHOT_STARTED), 1);
  /* A new seq while brewing is a different command: busy. */
  proto_msg_t again = make_shot_start(8, 0, 5000);
  uint16_t seq2 = harness_send(&h, &again);
  harness_run(&h, 20);
  assert_int_equal(harness_ack(&h, PROTO_MSG_SHOT_START, seq2)->u.ack.result, PROTO_ACK_RESULT_BUSY);
}

static void config_writes_are_validated_echoed_and_readable(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 50);
  uint16_t bad = harness_config_set(&h, PROTO_CONFIG_PREINFUSION_PAUSE_MS, 99999);
  uint16_t good = harness_config_set(&h, PROTO_CONFIG_PREINFUSION_PAUSE_MS, 4000);
  harness_run(&h, 20);
  const proto_msg_t *a = harness_ack(&h, PROTO_MSG_CONFIG_SET, bad);
  assert_int_equal(a->u.ack.result, PROTO_ACK_RESULT_INVALID_FIELD);
  assert_int_equal(a->u.ack.detail, PROTO_CONFIG_PREINFUSION_PAUSE_MS);
  assert_int_equal(harness_ack(&h, PROTO_MSG_CONFIG_SET, good)->u.ack.result, PROTO_ACK_RESULT_OK);
  assert_int_equal(harness_last(&h, PROTO_MSG_CONFIG_REPORT)->u.config_report.value, 4000);
  harness_clear(&h);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_CONFIG_GET;
  m.u.config_get.key = 0;
  uint16_t all = harness_send(&h, &m);
  harness_run(&h, 200); /* streamed a few per tick */
  assert_int_equal(harness_count(&h, PROTO_MSG_CONFIG_REPORT), PROTO_CONFIG_KEY_COUNT);
  assert_int_equal(harness_ack(&h, PROTO_MSG_CONFIG_GET, all)->u.ack.result, PROTO_ACK_RESULT_OK);
}

static void an_empty_profile_slot_is_refused(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 500);
  proto_msg_t m = make_shot_start(9, 3, 25000);
  uint16_t seq = harness_send(&h, &m);
  harness_run(&h, 20);
  assert_int_equal(harness_ack(&h, PROTO_MSG_SHOT_START, seq)->u.ack.result, PROTO_ACK_RESULT_REJECTED_STATE);
}

static void config_survives_a_reboot_but_not_a_torn_write(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 50);
  (void)harness_config_set(&h, PROTO_CONFIG_ECO_TIMEOUT_S, 900);
  harness_run(&h, 1500); /* saved after a quiet second */
  (void)harness_config_set(&h, PROTO_CONFIG_ECO_TIMEOUT_S, 1200);
  sim_flash_tear_after = 100; /* power fails while this one is written */
  harness_run(&h, 1500);
  sim_machine_reboot(&h.m, PROTO_RESET_REASON_POWER_ON);
  assert_int_equal(config_get(&h.m.ctl.cfg, PROTO_CONFIG_ECO_TIMEOUT_S), 900);
  assert_int_equal(config_get(&h.m.ctl.cfg, PROTO_CONFIG_MACHINE_TYPE), PROTO_MACHINE_TYPE_DUAL_BOILER);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(controller_says_hello_and_answers_a_hub_hello),
      cmocka_unit_test(commands_before_a_hello_are_refused_with_version_mismatch),
      cmocka_unit_test(another_major_version_blocks_control_but_not_telemetry),
      cmocka_unit_test(a_retried_command_is_answered_again_but_runs_once),
      cmocka_unit_test(config_writes_are_validated_echoed_and_readable),
      cmocka_unit_test(an_empty_profile_slot_is_refused),
      cmocka_unit_test(config_survives_a_reboot_but_not_a_torn_write),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
