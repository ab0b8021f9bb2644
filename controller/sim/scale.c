/* Scale model. */
#include "scale.h"

#include <math.h>
#include <string.h>

#include "link/proto_gen.h"

double scale_table_lag_s(uint8_t model) {
  switch (model) {
    case PROTO_SCALE_MODEL_HIROIA: return 0.25;
    case PROTO_SCALE_MODEL_FELICITA:
    case PROTO_SCALE_MODEL_BOOKOO: return 0.50;
    case PROTO_SCALE_MODEL_ACAIA: return 0.69;
    default: return 0.38; /* Skale, Decent, generic */
  }
}

static double uniform(sim_scale_t *s) {
  s->rng ^= s->rng >> 12;
  s->rng ^= s->rng << 25;
  s->rng ^= s->rng >> 27;
  return (double)((s->rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

void scale_init(sim_scale_t *s, const scale_params_t *p, uint64_t seed) {
  memset(s, 0, sizeof *s);
  s->p = *p;
  s->rng = seed * 0x9E3779B97F4A7C15ull + 1u;
}

void scale_record(sim_scale_t *s, double cup_g) {
  s->hist_g[s->hist_n % SCALE_HISTORY] = cup_g;
  s->hist_n++;
}

bool scale_poll(sim_scale_t *s, double t_s, double *g) {
  if (t_s < s->next_s || s->hist_n == 0) return false;
  double jitter = (uniform(s) * 2.0 - 1.0) * s->p.jitter_ms / 1000.0;
  s->next_s = t_s + s->p.period_ms / 1000.0 + jitter;
  if (uniform(s) < s->p.drop_rate) return false;
  uint32_t back = (uint32_t)(s->p.lag_s * 100.0 + 0.5);
  if (back >= s->hist_n) back = s->hist_n - 1u;
  if (back >= SCALE_HISTORY) back = SCALE_HISTORY - 1u;
  double w = s->hist_g[(s->hist_n - 1u - back) % SCALE_HISTORY];
  double r = s->p.resolution_g > 0.0 ? s->p.resolution_g : 0.1;
  *g = floor(w / r + 0.5) * r;
  s->last_reading_g = *g;
  return true;
}
