/* `brewos-sim serve`: the simulated machine in real time (or N x faster), speaking the real UART
 * protocol over stdio, a PTY or a TCP socket on 127.0.0.1, so a hub cannot tell it from a machine. */
#ifndef BREWOS_SIM_SERVE_H
#define BREWOS_SIM_SERVE_H

#include "scenario.h"

typedef enum { LINK_STDIO, LINK_PTY, LINK_TCP } serve_link_t;

typedef struct {
  serve_link_t link;
  int tcp_port;
  double speed;             /* 1 = real time */
  const scenario_t *events; /* optional: faults and shots applied at their times (NULL: none) */
  double ambient_c;
  double noise_c;
  uint64_t seed;
  int scale_port;         /* >= 0: stream the virtual scale's load cell on 127.0.0.1:scale_port (0: any free port) */
  const char *peaks_path; /* optional: the true water peaks as JSON, rewritten every simulated second */
} serve_opts_t;

/* Runs until the process is stopped (SIGINT/SIGTERM) or stdin closes (stdio link). Returns an exit code. */
int sim_serve(const plant_preset_t *machine, const serve_opts_t *o);

#endif
