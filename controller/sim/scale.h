/* A Bluetooth scale under the cup: reports the cup weight as it was `lag_s` ago (sensor filtering
 * plus BLE), quantised to its resolution, every `period_ms` with jitter, losing a share of the
 * notifications. The table lag is what the hub believes (de1app values); the true lag may differ. */
#ifndef BREWOS_SIM_SCALE_H
#define BREWOS_SIM_SCALE_H

#include <stdbool.h>
#include <stdint.h>

#define SCALE_HISTORY 1000 /* 10 s of 10 ms samples */

typedef struct {
  uint8_t model; /* proto_scale_model_t */
  double lag_s;  /* true lag */
  double period_ms;
  double jitter_ms;
  double drop_rate;
  double resolution_g;
} scale_params_t;

typedef struct {
  scale_params_t p;
  double hist_g[SCALE_HISTORY];
  uint32_t hist_n;
  double next_s;
  uint64_t rng;
  double last_reading_g;
} sim_scale_t;

/* Table lag of a model in seconds (Hiroia 0.25, Skale/Decent 0.38, Felicita/Bookoo 0.50, Acaia 0.69). */
double scale_table_lag_s(uint8_t model);
void scale_init(sim_scale_t *s, const scale_params_t *p, uint64_t seed);
/* Record the true cup weight for this 10 ms tick. */
void scale_record(sim_scale_t *s, double cup_g);
/* Whether a notification arrives at time t_s; its reading goes to *g. */
bool scale_poll(sim_scale_t *s, double t_s, double *g);

#endif
