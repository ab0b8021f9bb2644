/* Brew-by-weight prediction and learning. */
#include "bbw.h"

#include <string.h>

void bbw_init(bbw_t *b) {
  memset(b, 0, sizeof *b);
}

void bbw_clear(bbw_t *b) {
  b->n = 0;
  b->head = 0;
  b->flow_g_s = 0.0f;
  b->last_arrival_ms = 0;
}

static const bbw_sample_t *at(const bbw_t *b, uint8_t i) {
  return &b->s[(b->head + BBW_MAX_SAMPLES - b->n + i) % BBW_MAX_SAMPLES];
}

static float theil_sen(const bbw_t *b) {
  const bbw_sample_t *last = at(b, (uint8_t)(b->n - 1u));
  static float slopes[BBW_MAX_SAMPLES * (BBW_MAX_SAMPLES - 1u) / 2u]; /* static: keeps the stack small */
  uint16_t k = 0;
  for (uint8_t i = 0; i < b->n; i++) {
    const bbw_sample_t *p = at(b, i);
    if (last->t_ms - p->t_ms > BBW_WINDOW_MS) continue;
    for (uint8_t j = (uint8_t)(i + 1u); j < b->n; j++) {
      const bbw_sample_t *q = at(b, j);
      if (q->t_ms == p->t_ms) continue;
      slopes[k++] = (q->g - p->g) * 1000.0f / (float)(q->t_ms - p->t_ms);
    }
  }
  if (k == 0) return 0.0f;
  /* Median by partial selection sort: k <= a few hundred, once per sample at 5-10 Hz. */
  uint16_t mid = (uint16_t)(k / 2u);
  for (uint16_t i = 0; i <= mid; i++) {
    uint16_t m = i;
    for (uint16_t j = (uint16_t)(i + 1u); j < k; j++) {
      if (slopes[j] < slopes[m]) m = j;
    }
    float t = slopes[i];
    slopes[i] = slopes[m];
    slopes[m] = t;
  }
  return slopes[mid];
}

void bbw_add(bbw_t *b, float weight_g, uint32_t now_ms, uint16_t age_ms, uint16_t lag_ms) {
  bbw_sample_t *s = &b->s[b->head];
  s->t_ms = now_ms - age_ms - lag_ms;
  s->g = weight_g;
  b->head = (uint8_t)((b->head + 1u) % BBW_MAX_SAMPLES);
  if (b->n < BBW_MAX_SAMPLES) b->n++;
  b->last_arrival_ms = now_ms - age_ms;
  b->lag_s = (float)lag_ms / 1000.0f;
  float f = theil_sen(b);
  b->flow_g_s = f > 0.0f ? f : 0.0f;
}

bool bbw_fresh(const bbw_t *b, uint32_t now_ms) {
  return b->n > 0 && now_ms - b->last_arrival_ms < BBW_FRESH_MS;
}

float bbw_weight_g(const bbw_t *b) {
  return b->n ? at(b, (uint8_t)(b->n - 1u))->g : 0.0f;
}

float bbw_predict_final_g(const bbw_t *b, uint32_t now_ms, float stop_lag_s, float drip_s, uint8_t slot) {
  if (b->n == 0) return 0.0f;
  const bbw_sample_t *last = at(b, (uint8_t)(b->n - 1u));
  float since_s = (float)(now_ms - last->t_ms) / 1000.0f; /* covers the sample's age and the scale lag */
  float corr_s = (float)b->correction_ms[b->scale_model % BBW_SCALE_MODELS][slot % BBW_SLOTS] / 1000.0f;
  float lead_s = since_s + stop_lag_s + corr_s + drip_s;
  if (lead_s < 0.0f) lead_s = 0.0f;
  return last->g + b->flow_g_s * lead_s;
}

int16_t bbw_learn(bbw_t *b, uint8_t model, uint8_t slot, float error_g, float end_flow_g_s) {
  int16_t *c = &b->correction_ms[model % BBW_SCALE_MODELS][slot % BBW_SLOTS];
  if (end_flow_g_s < 0.2f) return *c; /* no flow at the stop: nothing to learn from */
  /* Overshoot means the lead time was too short: lengthen it by a bounded share of the error. */
  float step = BBW_LEARN_GAIN * error_g / end_flow_g_s * 1000.0f;
  if (step > BBW_LEARN_STEP_MS) step = BBW_LEARN_STEP_MS;
  if (step < -BBW_LEARN_STEP_MS) step = -BBW_LEARN_STEP_MS;
  float next = (float)*c + step;
  if (next > BBW_LEARN_LIMIT_MS) next = BBW_LEARN_LIMIT_MS;
  if (next < -BBW_LEARN_LIMIT_MS) next = -BBW_LEARN_LIMIT_MS;
  *c = (int16_t)next;
  return *c;
}
