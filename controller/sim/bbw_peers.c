/* Peer brew-by-weight rules. */
#include "bbw_peers.h"

#include <math.h>
#include <string.h>

const char *const BBW_ALGORITHM_NAMES[BBW_ALGORITHM_COUNT] = {"predictive",           "offset-2g", "lookahead-0.5s",
                                                              "regression-autodelay", "lag-table", "residual-lag"};

void bbw_peer_init(bbw_peer_t *p, bbw_algorithm_t algo) {
  memset(p, 0, sizeof *p);
  p->algo = algo;
  p->gm_delay_s = 0.8;
}

void bbw_peer_shot_start(bbw_peer_t *p) {
  p->n = 0;
  p->ema_flow = 0.0;
}

/* Least-squares slope of the samples in the last `window_s`. */
static double regression(const bbw_peer_t *p, double window_s) {
  double now = p->t[(p->n - 1) % BBW_PEER_SAMPLES];
  double st = 0, sg = 0, stt = 0, stg = 0;
  int k = 0;
  int first = p->n > BBW_PEER_SAMPLES ? p->n - BBW_PEER_SAMPLES : 0;
  for (int i = first; i < p->n; i++) {
    double t = p->t[i % BBW_PEER_SAMPLES], g = p->g[i % BBW_PEER_SAMPLES];
    if (now - t > window_s) continue;
    st += t;
    sg += g;
    stt += t * t;
    stg += t * g;
    k++;
  }
  double d = k * stt - st * st;
  return k >= 2 && d > 1e-9 ? (k * stg - st * sg) / d : 0.0;
}

bool bbw_peer_sample(bbw_peer_t *p, double t_s, double g, double target_g, double table_lag_s, double rate_hz) {
  if (p->n > 0) {
    double dt = t_s - p->t[(p->n - 1) % BBW_PEER_SAMPLES];
    if (dt > 0) p->ema_flow += 0.3 * ((g - p->g[(p->n - 1) % BBW_PEER_SAMPLES]) / dt - p->ema_flow);
  }
  p->t[p->n % BBW_PEER_SAMPLES] = t_s;
  p->g[p->n % BBW_PEER_SAMPLES] = g;
  p->n++;
  double flow = p->ema_flow > 0 ? p->ema_flow : 0.0;
  switch (p->algo) {
    case BBW_OFFSET_2G: return g >= target_g - 2.0;
    case BBW_LOOKAHEAD_05S: return g >= target_g || (g > 0.4 && flow > 0 && (target_g - g) / flow < 0.5);
    case BBW_REGRESSION_AUTO: {
      double rate = regression(p, 4.0);
      double extra = rate * p->gm_delay_s;
      if (extra < 0) extra = 0;
      if (extra > 8) extra = 8;
      p->stop_rate = rate;
      return g + extra >= target_g;
    }
    case BBW_LAG_TABLE: return g > target_g - flow * (0.15 + table_lag_s + 0.1);
    case BBW_RESIDUAL_LAG: {
      double avg = regression(p, 1.0);
      return g + (avg > 0 ? avg : 0) * (1.0 / rate_hz + 1.35) >= target_g;
    }
    default: return false;
  }
}

void bbw_peer_settled(bbw_peer_t *p, double error_g) {
  if (p->algo != BBW_REGRESSION_AUTO || p->stop_rate <= 0.2) return;
  /* Full correction of the observed error each shot, clamped to 0-4 s, as GaggiMate tunes its delay. */
  p->gm_delay_s += error_g / p->stop_rate;
  if (p->gm_delay_s < 0) p->gm_delay_s = 0;
  if (p->gm_delay_s > 4.0) p->gm_delay_s = 4.0;
}
