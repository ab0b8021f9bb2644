/* Brew-by-weight: robust flow, prediction, bounded learning, and every fallback path end to end. */
#include <math.h>

#include "test_helpers.h"
#include "harness.h"
#include "shot/bbw.h"

static void flow_estimate_ignores_a_spike_and_a_dropped_sample(void **state) {
  (void)state;
  bbw_t b;
  bbw_init(&b);
  for (uint32_t i = 0; i < 15; i++) {
    if (i == 9) continue;                                       /* a lost notification */
    float g = 2.0f * (float)i * 0.1f + (i == 11 ? 6.0f : 0.0f); /* 2 g/s and one 6 g spike */
    bbw_add(&b, g, 10000u + i * 100u, 5, 380);
  }
  assert_near(b.flow_g_s, 2.0, 0.15);
}

static void prediction_carries_the_weight_forward_over_age_and_lag(void **state) {
  (void)state;
  bbw_t b;
  bbw_init(&b);
  for (uint32_t i = 0; i <= 10; i++) bbw_add(&b, 2.0f * (float)i * 0.1f, 10000u + i * 100u, 0, 500);
  /* Last reading 2.0 g arrived at 11.0 s and shows the cup at 10.5 s (0.5 s lag): carried forward
   * 0.5 s, plus 0.2 s of stop lag and drip. A second later, 1.5 s + 0.2 s. */
  assert_near(bbw_predict_final_g(&b, 11000u, 0.1f, 0.1f, 0), 2.0 + 2.0 * 0.7, 0.05);
  assert_near(bbw_predict_final_g(&b, 12000u, 0.1f, 0.1f, 0), 2.0 + 2.0 * 1.7, 0.05);
}

static void learning_converges_without_oscillating(void **state) {
  (void)state;
  bbw_t b;
  bbw_init(&b);
  /* A plant whose true lead time is 300 ms longer than assumed, at 2.5 g/s. */
  float true_extra_s = 0.3f, flow = 2.5f, prev_err = 1e9f;
  for (int shot = 0; shot < 10; shot++) {
    float corr = (float)b.correction_ms[PROTO_SCALE_MODEL_DECENT][0] / 1000.0f;
    float err = flow * (true_extra_s - corr);
    assert_true(fabsf(err) <= fabsf(prev_err) + 1e-6f); /* never grows */
    assert_true(err >= -1e-3f);                         /* never overshoots the other way */
    prev_err = err;
    (void)bbw_learn(&b, PROTO_SCALE_MODEL_DECENT, 0, err, flow);
  }
  assert_true(prev_err < 0.01f);
  assert_int_equal(b.correction_ms[PROTO_SCALE_MODEL_ACAIA][0], 0); /* per scale model */
}

static void a_single_wild_shot_moves_the_correction_by_a_bounded_step(void **state) {
  (void)state;
  bbw_t b;
  bbw_init(&b);
  int16_t c = bbw_learn(&b, 1, 2, 40.0f, 2.0f); /* channeling: +40 g */
  assert_int_equal(c, 400);
}

/* End to end with a scale streamed by the test itself. */
static harness_t h;

static void stream(double lag_s, bool on) {
  static double hist[1000];
  static uint32_t n;
  hist[n++ % 1000] = h.m.plant.hyd.cup_g;
  if (!on || h.m.now_ms % 100u != 0u) return;
  uint32_t back = (uint32_t)(lag_s * 100.0);
  double g = n > back ? hist[(n - 1u - back) % 1000] : 0.0;
  proto_msg_t w;
  memset(&w, 0, sizeof w);
  w.type = PROTO_MSG_WEIGHT_SAMPLE;
  w.u.weight_sample.weight_dg = (int32_t)lround(g * 10.0);
  w.u.weight_sample.scale_lag_ms = (uint16_t)(lag_s * 1000.0);
  w.u.weight_sample.flags = PROTO_WEIGHT_FLAGS_CONNECTED;
  (void)harness_send(&h, &w);
}

static void warm(void) {
  harness_init(&h, "dual_boiler");
  harness_hello(&h, PROTO_VERSION_MAJOR);
  h.send_desired = true;
  harness_run(&h, 600000);
  puck_params_t p = {18.0, 1.5, 0.6, 8.0, 1.1};
  hydraulics_load_puck(&h.m.plant.hyd, &p);
  harness_clear(&h);
}

static uint16_t start(uint16_t target_dg, uint8_t flags, uint32_t stop_ms) {
  proto_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_MSG_SHOT_START;
  m.u.shot_start.shot_token = 5;
  m.u.shot_start.target_weight_dg = target_dg;
  m.u.shot_start.flags = flags;
  m.u.shot_start.stop_time_ms = stop_ms;
  return harness_send(&h, &m);
}

static void run_streaming(uint32_t ms, bool on) {
  for (uint32_t t = 0; t < ms; t += 10) {
    stream(0.38, on);
    harness_run(&h, 10);
  }
}

static void a_weight_shot_stops_near_its_target(void **state) {
  (void)state;
  warm();
  run_streaming(500, true);
  (void)start(360, PROTO_SHOT_FLAGS_REQUIRE_SCALE, 60000);
  run_streaming(45000, true);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_WEIGHT);
  assert_near(h.m.plant.hyd.cup_g, 36.0, 1.0);
}

static void scale_lost_mid_shot_falls_back_to_time_and_says_so(void **state) {
  (void)state;
  warm();
  run_streaming(500, true);
  (void)start(360, 0, 30000);
  run_streaming(12000, true);
  run_streaming(25000, false); /* the scale drops out */
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_TIME);
  assert_true(e->u.shot_ended.flags & PROTO_SHOT_END_FLAGS_WEIGHT_LOST);
}

static void a_few_dropped_samples_do_not_turn_weight_stops_off(void **state) {
  (void)state;
  warm();
  run_streaming(500, true);
  (void)start(360, 0, 60000);
  run_streaming(10000, true);
  run_streaming(900, false); /* eight notifications in a row lost */
  run_streaming(35000, true);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_WEIGHT);
  assert_false(e->u.shot_ended.flags & PROTO_SHOT_END_FLAGS_WEIGHT_LOST);
  assert_near(h.m.plant.hyd.cup_g, 36.0, 1.0);
}

static void link_lost_mid_shot_turns_weight_stops_off(void **state) {
  (void)state;
  warm();
  run_streaming(500, true);
  (void)start(360, 0, 30000);
  run_streaming(8000, true);
  h.send_desired = false;
  run_streaming(1500, false); /* nothing from the hub for 1.5 s: stage 1 */
  h.send_desired = true;
  run_streaming(25000, true);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_TIME);
  assert_true(e->u.shot_ended.flags & PROTO_SHOT_END_FLAGS_LINK_LOST);
}

static void no_scale_at_start_is_refused_when_required_and_falls_back_otherwise(void **state) {
  (void)state;
  warm();
  uint16_t seq = start(360, PROTO_SHOT_FLAGS_REQUIRE_SCALE, 30000);
  run_streaming(100, false);
  assert_int_equal(harness_ack(&h, PROTO_MSG_SHOT_START, seq)->u.ack.result, PROTO_ACK_RESULT_REJECTED_STATE);
  (void)start(360, 0, 20000);
  run_streaming(22000, false);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_TIME);
  assert_true(e->u.shot_ended.flags & PROTO_SHOT_END_FLAGS_WEIGHT_LOST);
}

static void weight_already_at_target_stops_at_once(void **state) {
  (void)state;
  warm();
  h.m.plant.hyd.cup_g = 40.0; /* a full cup left on the scale */
  run_streaming(1000, true);
  (void)start(360, 0, 30000);
  run_streaming(500, true);
  const proto_msg_t *e = harness_last(&h, PROTO_MSG_SHOT_ENDED);
  assert_non_null(e);
  assert_int_equal(e->u.shot_ended.stop_reason, PROTO_STOP_REASON_WEIGHT_ALREADY_REACHED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(flow_estimate_ignores_a_spike_and_a_dropped_sample),
      cmocka_unit_test(prediction_carries_the_weight_forward_over_age_and_lag),
      cmocka_unit_test(learning_converges_without_oscillating),
      cmocka_unit_test(a_single_wild_shot_moves_the_correction_by_a_bounded_step),
      cmocka_unit_test(a_weight_shot_stops_near_its_target),
      cmocka_unit_test(scale_lost_mid_shot_falls_back_to_time_and_says_so),
      cmocka_unit_test(a_few_dropped_samples_do_not_turn_weight_stops_off),
      cmocka_unit_test(link_lost_mid_shot_turns_weight_stops_off),
      cmocka_unit_test(no_scale_at_start_is_refused_when_required_and_falls_back_otherwise),
      cmocka_unit_test(weight_already_at_target_stops_at_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
