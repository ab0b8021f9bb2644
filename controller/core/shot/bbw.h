/* Brew-by-weight on the controller. Cup flow comes from the weight samples the hub streams, by
 * Theil-Sen (the median of pairwise slopes over the last 1.5 s), so one spike or a dropped packet
 * cannot drag it. The pump stops when
 *   weight now (the last sample carried forward over its age and the scale's lag)
 *   + flow x (stop lag + learned correction) + flow x drip time  >=  target,
 * or at once when the weight already reached the target. After each weight-stopped shot the hub
 * reports the settled weight; the error becomes a lead-time correction per (scale model, profile
 * slot), updated with gain 1/2 and a bounded step: the residual shrinks geometrically and cannot
 * oscillate. */
#ifndef BREWOS_BBW_H
#define BREWOS_BBW_H

#include <stdbool.h>
#include <stdint.h>

#define BBW_MAX_SAMPLES 32u
#define BBW_WINDOW_MS 1500u
/* No sample for this long: weight stops are off for the shot. Long enough to ride out a few dropped
 * notifications (BLE scales drop ~2 %, up to 5 Hz); the predictor extrapolates across the gap. */
#define BBW_FRESH_MS 1500u
#define BBW_SCALE_MODELS 7u
#define BBW_SLOTS 9u
#define BBW_LEARN_GAIN 0.5f
#define BBW_LEARN_STEP_MS 400.0f
#define BBW_LEARN_LIMIT_MS 2000.0f

typedef struct {
  uint32_t t_ms; /* when the scale measured it (arrival - age - lag) */
  float g;
} bbw_sample_t;

typedef struct {
  bbw_sample_t s[BBW_MAX_SAMPLES];
  uint8_t n, head;
  uint32_t last_arrival_ms;
  float lag_s;         /* the scale's own measurement lag, from the samples */
  float flow_g_s;      /* Theil-Sen estimate, updated per sample */
  uint8_t scale_model; /* proto_scale_model_t, from scale_info */
  int16_t correction_ms[BBW_SCALE_MODELS][BBW_SLOTS];
  float stop_flow_g_s; /* flow when the last weight stop fired */
} bbw_t;

void bbw_init(bbw_t *b);
/* Forget the samples (start of a shot, or a tare). Learned corrections stay. */
void bbw_clear(bbw_t *b);
/* A sample arrived at now_ms, `age_ms` after the scale sent it; the scale lags by `lag_ms`. */
void bbw_add(bbw_t *b, float weight_g, uint32_t now_ms, uint16_t age_ms, uint16_t lag_ms);
/* Whether the newest sample is fresh enough to stop on. */
bool bbw_fresh(const bbw_t *b, uint32_t now_ms);
/* Weight the cup will settle at if the pump stopped now. */
float bbw_predict_final_g(const bbw_t *b, uint32_t now_ms, float stop_lag_s, float drip_s, uint8_t slot);
/* Newest measured weight. */
float bbw_weight_g(const bbw_t *b);
/* Learn from a settled shot; returns the correction now in force for (model, slot). */
int16_t bbw_learn(bbw_t *b, uint8_t model, uint8_t slot, float error_g, float end_flow_g_s);

#endif
