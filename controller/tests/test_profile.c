/* Profiles: binary codec and validation, curves, relay refusal, chunked upload, and running one. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>

#include "test_helpers.h"
#include "harness.h"
#include "link/crc16.h"
#include "profile/profile.h"
#include "profile_json.h"
#include "sim_hub.h"

static profile_t classic(void) {
  profile_t p;
  char err[200];
  if (!profile_load_bundled("classic-9bar", &p, err, sizeof err)) fail_msg("%s", err);
  return p;
}

static void binary_round_trips_and_bad_input_is_named(void **state) {
  (void)state;
  profile_t p = classic(), q;
  uint8_t buf[PROFILE_MAX_BYTES], bad;
  size_t n = profile_encode(&p, buf);
  assert_int_equal(n, PROFILE_HEADER_BYTES + 2 * PROFILE_PHASE_BYTES);
  assert_int_equal(profile_decode(buf, n, &q, &bad), PROFILE_OK);
  assert_memory_equal(&p, &q, sizeof p);
  assert_int_equal(profile_decode(buf, n - 1, &q, &bad), PROFILE_ERR_LENGTH);
  buf[0] = 3; /* versions 1 and 2 are read; nothing else */
  assert_int_equal(profile_decode(buf, n, &q, &bad), PROFILE_ERR_VERSION);
  buf[0] = PROFILE_VERSION_SHOT_VOLUME;
  assert_int_equal(profile_decode(buf, n, &q, &bad), PROFILE_OK);
  assert_int_equal(q.version, PROFILE_VERSION_SHOT_VOLUME);
  buf[PROFILE_HEADER_BYTES + PROFILE_PHASE_BYTES] = 7; /* phase 1 mode */
  assert_int_equal(profile_decode(buf, n, &q, &bad), PROFILE_ERR_MODE);
  assert_int_equal(bad, 1);
  buf[PROFILE_HEADER_BYTES + PROFILE_PHASE_BYTES] = PROFILE_MODE_PRESSURE;
  buf[PROFILE_HEADER_BYTES + 4] = 0xFF; /* phase 0 end target: 65535 mbar */
  buf[PROFILE_HEADER_BYTES + 5] = 0xFF;
  assert_int_equal(profile_decode(buf, n, &q, &bad), PROFILE_ERR_TARGET);
}

static void every_bundled_profile_loads(void **state) {
  (void)state;
  const char *ids[] = {"classic-9bar", "preinfusion-9bar", "blooming", "lever-decline", "flow-profiled",
                       "turbo",        "backflush",        "descale"};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    profile_t p;
    char err[200];
    if (!profile_load_bundled(ids[i], &p, err, sizeof err)) fail_msg("%s: %s", ids[i], err);
    uint8_t buf[PROFILE_MAX_BYTES], bad;
    profile_t q;
    assert_int_equal(profile_decode(buf, profile_encode(&p, buf), &q, &bad), PROFILE_OK);
  }
}

/* A vector file of protocol/profile/vectors, parsed (the caller frees it). */
static cJSON *read_vectors(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/protocol/profile/vectors/%s", BREWOS_REPO_DIR, name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  cJSON *root = cJSON_Parse(text);
  assert_non_null(root);
  return root;
}

/* protocol/profile/vectors/bundled.json (authored by the TS encoder) must equal what the C reader
 * and encoder make of the same JSON files. */
static void c_and_ts_encode_every_bundled_profile_identically(void **state) {
  (void)state;
  cJSON *root = read_vectors("bundled.json");
  const cJSON *c;
  int checked = 0;
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases")) {
    profile_t p;
    char err[200];
    if (!profile_load_bundled(cJSON_GetObjectItem(c, "id")->valuestring, &p, err, sizeof err)) fail_msg("%s", err);
    uint8_t bin[PROFILE_MAX_BYTES];
    size_t len = profile_encode(&p, bin);
    char hex[2 * PROFILE_MAX_BYTES + 1];
    for (size_t i = 0; i < len; i++) snprintf(hex + 2 * i, 3, "%02x", bin[i]);
    assert_string_equal(hex, cJSON_GetObjectItem(c, "hex")->valuestring);
    checked++;
  }
  cJSON_Delete(root);
  assert_int_equal(checked, 8);
}

/* protocol/profile/vectors/relay-fit.json: the app's profileFit says the same as the controller. */
static void relay_fit_matches_the_shared_vectors(void **state) {
  (void)state;
  cJSON *root = read_vectors("relay-fit.json");
  const cJSON *c;
  int checked = 0;
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases")) {
    profile_t p;
    char err[200];
    if (!profile_load_bundled(cJSON_GetObjectItem(c, "id")->valuestring, &p, err, sizeof err)) fail_msg("%s", err);
    uint8_t bad = 0xFF;
    bool ok = profile_check_relay(&p, &bad) == PROFILE_OK;
    assert_int_equal(ok, cJSON_IsTrue(cJSON_GetObjectItem(c, "on_off_pump")));
    if (!ok) assert_int_equal(bad, cJSON_GetObjectItem(c, "first_phase_it_cannot_follow")->valueint);
    checked++;
  }
  cJSON_Delete(root);
  assert_int_equal(checked, 8);
}

static void curves_shape_the_target(void **state) {
  (void)state;
  profile_phase_t ph;
  memset(&ph, 0, sizeof ph);
  ph.start = 3000;
  ph.end = 9000;
  ph.duration_ds = 40;
  ph.curve = PROFILE_CURVE_LINEAR;
  assert_near(profile_target(&ph, 2.0f, 0.0f), 6000.0, 0.5);
  ph.curve = PROFILE_CURVE_EASE_IN;
  float in = profile_target(&ph, 2.0f, 0.0f);
  ph.curve = PROFILE_CURVE_EASE_OUT;
  float out = profile_target(&ph, 2.0f, 0.0f);
  assert_true(in < 6000.0f && out > 6000.0f);
  assert_near(profile_target(&ph, 9.0f, 0.0f), 9000.0, 0.5);
  ph.start = PROFILE_FROM_CURRENT;
  ph.curve = PROFILE_CURVE_LINEAR;
  assert_near(profile_target(&ph, 0.0f, 4200.0f), 4200.0, 0.5);
}

static void a_relay_pump_refuses_what_it_cannot_follow(void **state) {
  (void)state;
  uint8_t bad = 0xFF;
  profile_t p = classic();
  assert_int_equal(profile_check_relay(&p, &bad), PROFILE_ERR_NEEDS_MODULATION);
  assert_int_equal(bad, 0);
  profile_t flush;
  char err[200];
  assert_true(profile_load_bundled("backflush", &flush, err, sizeof err));
  assert_int_equal(profile_check_relay(&flush, &bad), PROFILE_OK);
}

static harness_t h;

static uint16_t upload(const profile_t *p, uint8_t slot, bool corrupt_crc, bool swap_order, uint16_t *last_seq) {
  uint8_t bin[PROFILE_MAX_BYTES];
  size_t len = profile_encode(p, bin);
  uint16_t crc = crc16_ccitt_false(bin, len, CRC16_INIT) ^ (corrupt_crc ? 1u : 0u);
  const size_t chunk = 40; /* small chunks so every profile takes several */
  uint8_t count = sim_hub_chunk_count(len, chunk);
  uint16_t first = 0;
  for (uint8_t k = 0; k < count; k++) {
    uint8_t i = swap_order && k == 1 ? 2 : (swap_order && k == 2 ? 1 : k);
    proto_msg_t m;
    sim_hub_profile_chunk(&m, slot, bin, len, crc, chunk, i);
    *last_seq = harness_send(&h, &m);
    if (k == 0) first = *last_seq;
  }
  harness_run(&h, 20);
  return first;
}

static uint8_t ack_of(uint16_t seq) {
  return harness_ack(&h, PROTO_MSG_PROFILE_CHUNK, seq)->u.ack.result;
}

static void uploads_check_order_and_crc_and_the_pump(void **state) {
  (void)state;
  harness_init(&h, "dual_boiler"); /* rotary pump on a relay */
  harness_hello(&h, PROTO_VERSION_MAJOR);
  harness_run(&h, 50);
  profile_t p = classic();
  uint16_t last;
  (void)upload(&p, 1, false, false, &last);
  assert_int_equal(ack_of(last), PROTO_ACK_RESULT_UNSUPPORTED);
  assert_int_equal(harness_ack(&h, PROTO_MSG_PROFILE_CHUNK, last)->u.ack.detail, 0); /* phase 0 */
  profile_t flush;
  char err[200];
  assert_true(profile_load_bundled("backflush", &flush, err, sizeof err));
  (void)upload(&flush, 2, true, false, &last);
  assert_int_equal(ack_of(last), PROTO_ACK_RESULT_FAILED);
  assert_false(h.m.ctl.profile_loaded[1]);
  (void)upload(&flush, 2, false, true, &last);
  bool out_of_order = false;
  for (size_t i = 0; i < h.n; i++) {
    out_of_order |= h.got[i].type == PROTO_MSG_ACK && h.got[i].u.ack.result == PROTO_ACK_RESULT_OUT_OF_ORDER;
  }
  assert_true(out_of_order);
  assert_false(h.m.ctl.profile_loaded[1]);
  (void)upload(&flush, 2, false, false, &last);
  assert_int_equal(ack_of(last), PROTO_ACK_RESULT_OK);
  assert_true(h.m.ctl.profile_loaded[1]);
}

static void a_dimmable_pump_holds_9_bar_and_the_profile_ends_the_shot(void **state) {
  (void)state;
  plant_preset_t pre = *preset_find("single_boiler");
  pre.capabilities |= PROTO_CAPABILITIES_DIMMABLE_PUMP;
  harness_init_with(&h, &pre);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 400000);
  puck_params_t puck = {18.0, 2.25, 0.6, 8.0, 1.1};
  hydraulics_load_puck(&h.m.plant.hyd, &puck);
  profile_t p = classic();
  p.target_weight_dg = 0; /* no scale: end on the profile's own phases */
  p.max_time_ds = 0;
  p.phases[1].exit_time_ds = 200;
  uint16_t last;
  (void)upload(&p, 1, false, false, &last);
  assert_int_equal(ack_of(last), PROTO_ACK_RESULT_OK);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.profile_slot = 1;
  (void)harness_send(&h, &m);
  double worst = 0.0;
  for (int t = 0; t < 2600; t++) {
    harness_run(&h, 10);
    double shot_s = (h.m.now_ms - h.m.ctl.shot.start_ms) / 1000.0;
    if (h.m.ctl.shot.running && h.m.ctl.shot.run.phase == 1 && shot_s > 8.0) {
      worst = fmax(worst, fabs(h.m.plant.hyd.pressure_bar - 9.0));
    }
  }
  assert_true(worst <= 0.3);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_PROFILE_END);
  assert_int_equal(harness_count(&h, PROTO_MSG_PHASE_CHANGED), 1);
  assert_int_equal(harness_last(&h, PROTO_MSG_PHASE_CHANGED)->u.phase_changed.reason, PROTO_PHASE_REASON_PRESSURE);
}

/* npm start's demo machine (gear pump), heated up, a puck in the basket. */
static void warm_gear_machine(void) {
  plant_preset_t pre = *preset_find("dual_boiler_gear");
  harness_init_with(&h, &pre);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 400000);
  puck_params_t puck = {18.0, 2.25, 0.6, 8.0, 1.1};
  hydraulics_load_puck(&h.m.plant.hyd, &puck);
}

/* Three 3 ml/s phases, the first two ending on 25 ml; returns the shot volume at each phase change. */
static void volume_phase_changes(uint8_t version, double at_change[2]) {
  warm_gear_machine();
  profile_t p;
  memset(&p, 0, sizeof p);
  p.version = version;
  p.phase_count = 3;
  for (int i = 0; i < 3; i++) {
    p.phases[i].mode = PROFILE_MODE_FLOW;
    p.phases[i].start = p.phases[i].end = 3000; /* 3 ml/s */
    p.phases[i].exit_volume_ml = i < 2 ? 25 : 0;
    p.phases[i].exit_time_ds = i < 2 ? 0 : 30;
  }
  uint16_t last;
  (void)upload(&p, 1, false, false, &last);
  assert_int_equal(ack_of(last), PROTO_ACK_RESULT_OK);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.profile_slot = 1;
  m.u.shot_start.stop_time_ms = 60000;
  (void)harness_send(&h, &m);
  at_change[0] = at_change[1] = -1;
  uint8_t phase = 0;
  for (int t = 0; t < 6000 && h.m.ctl.shot.running; t++) {
    harness_run(&h, 10);
    uint8_t now = h.m.ctl.shot.run.phase;
    if (now != phase && now <= 2 && h.m.ctl.shot.run_started) {
      at_change[now - 1] = h.m.ctl.shot.volume_ml;
      phase = now;
    }
  }
}

/* A phase's volume exit counts the water pumped in that phase, as both peers' profiles mean it:
 * two phases of 25 ml each change over at ~25 ml and end at ~50 ml in all. */
static void a_phase_volume_exit_counts_from_the_phase_start(void **state) {
  (void)state;
  double at_change[2];
  volume_phase_changes(PROFILE_VERSION, at_change);
  assert_true(at_change[0] > 24.0 && at_change[0] < 28.0);
  assert_true(at_change[1] > 49.0 && at_change[1] < 55.0);
}

/* A profile written before version 2 keeps its meaning: its volume exits count from the shot start,
 * so the second 25 ml exit holds as soon as the first phase has pumped 25 ml. */
static void a_version_1_profile_counts_volume_from_the_shot_start(void **state) {
  (void)state;
  double at_change[2];
  volume_phase_changes(PROFILE_VERSION_SHOT_VOLUME, at_change);
  assert_true(at_change[0] > 24.0 && at_change[0] < 28.0);
  assert_true(at_change[1] > 24.0 && at_change[1] < 29.0);
}

/* npm start's demo machine: the machine's own shot (no profile) on a gear pump holds 9 bar instead
 * of running the pump flat out into the over-pressure valve, and stops on its time. */
static void a_gear_pumps_default_shot_holds_9_bar(void **state) {
  (void)state;
  warm_gear_machine();
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.profile_slot = 0;
  m.u.shot_start.dose_dg = 180;
  m.u.shot_start.stop_time_ms = 25000;
  (void)harness_send(&h, &m);
  double worst = 0.0, peak = 0.0;
  for (int t = 0; t < 2700; t++) {
    harness_run(&h, 10);
    double shot_s = (h.m.now_ms - h.m.ctl.shot.start_ms) / 1000.0;
    if (h.m.ctl.shot.running && shot_s > 10.0) worst = fmax(worst, fabs(h.m.plant.hyd.pressure_bar - 9.0));
    if (h.m.ctl.shot.running) peak = fmax(peak, h.m.plant.hyd.pressure_bar);
  }
  assert_true(worst <= 0.5);
  assert_true(peak < 10.0); /* never pushed into the 12 bar valve */
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_TIME);
}

static void a_profile_sets_the_brew_temperature_for_its_shot_only(void **state) {
  (void)state;
  plant_preset_t pre = *preset_find("dual_boiler");
  harness_init_with(&h, &pre);
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 300000);
  profile_t flush;
  char err[200];
  assert_true(profile_load_bundled("backflush", &flush, err, sizeof err)); /* relay-compatible */
  flush.temp_cdeg = 9600;
  flush.phases[1].temp_cdeg = 9000; /* the first rest phase asks for 90 degC */
  uint16_t last;
  (void)upload(&flush, 3, false, false, &last);
  assert_int_equal(ack_of(last), PROTO_ACK_RESULT_OK);
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.profile_slot = 3;
  (void)harness_send(&h, &m);
  /* no basket fitted: water runs free to the drip tray */
  harness_run(&h, 5000);
  assert_near(h.m.ctl.boilers.brew.target_c, 96.0, 0.01);
  harness_run(&h, 10000); /* into phase 1 */
  assert_near(h.m.ctl.boilers.brew.target_c, 90.0, 0.01);
  proto_msg_t stop;
  memset(&stop, 0, sizeof stop);
  stop.type = PROTO_MSG_SHOT_STOP;
  (void)harness_send(&h, &stop);
  harness_run(&h, 500);
  assert_near(h.m.ctl.boilers.brew.target_c, 93.0, 0.01); /* the hub's setpoint again */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(binary_round_trips_and_bad_input_is_named),
      cmocka_unit_test(every_bundled_profile_loads),
      cmocka_unit_test(c_and_ts_encode_every_bundled_profile_identically),
      cmocka_unit_test(curves_shape_the_target),
      cmocka_unit_test(relay_fit_matches_the_shared_vectors),
      cmocka_unit_test(a_relay_pump_refuses_what_it_cannot_follow),
      cmocka_unit_test(uploads_check_order_and_crc_and_the_pump),
      cmocka_unit_test(a_dimmable_pump_holds_9_bar_and_the_profile_ends_the_shot),
      cmocka_unit_test(a_profile_sets_the_brew_temperature_for_its_shot_only),
      cmocka_unit_test(a_gear_pumps_default_shot_holds_9_bar),
      cmocka_unit_test(a_phase_volume_exit_counts_from_the_phase_start),
      cmocka_unit_test(a_version_1_profile_counts_volume_from_the_shot_start),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
