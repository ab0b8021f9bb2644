/* Hub-side stop rules of other projects, re-implemented from their published facts
 * (shared/reference/peers.md) for the brew-by-weight benchmark. Ours runs in the controller. */
#ifndef BREWOS_SIM_BBW_PEERS_H
#define BREWOS_SIM_BBW_PEERS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
  BBW_PREDICTIVE = 0,  /* ours, in the controller */
  BBW_OFFSET_2G,       /* BrewOS: stop at target - 2 g */
  BBW_LOOKAHEAD_05S,   /* Gaggiuino: stop when (target - weight) / flow < 0.5 s */
  BBW_REGRESSION_AUTO, /* GaggiMate: 4 s regression slope x delay (800 ms, self-tuned per shot) */
  BBW_LAG_TABLE,       /* de1app: weight > target - flow x (0.15 + scale lag + 0.1) */
  BBW_RESIDUAL_LAG,    /* Beanconqueror: weight + flow x (1/n + 1.35) >= target */
  BBW_ALGORITHM_COUNT
} bbw_algorithm_t;

#define BBW_PEER_SAMPLES 64

typedef struct {
  bbw_algorithm_t algo;
  double t[BBW_PEER_SAMPLES], g[BBW_PEER_SAMPLES];
  int n;
  double ema_flow;
  double gm_delay_s; /* GaggiMate's self-tuned delay, kept across shots */
  double stop_rate;  /* rate used at the stop (GaggiMate learning) */
} bbw_peer_t;

extern const char *const BBW_ALGORITHM_NAMES[BBW_ALGORITHM_COUNT];

void bbw_peer_init(bbw_peer_t *p, bbw_algorithm_t algo);
void bbw_peer_shot_start(bbw_peer_t *p);
/* A sample arrived at t_s. Returns true when this rule says stop now. */
bool bbw_peer_sample(bbw_peer_t *p, double t_s, double g, double target_g, double table_lag_s, double rate_hz);
/* After the shot settled (GaggiMate tunes its delay from the error). */
void bbw_peer_settled(bbw_peer_t *p, double error_g);

#endif
