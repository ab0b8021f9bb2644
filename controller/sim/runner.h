/* Headless scenario runs: as fast as the CPU allows, measuring everything for the report. */
#ifndef BREWOS_SIM_RUNNER_H
#define BREWOS_SIM_RUNNER_H

#include <stdbool.h>

#include "report.h"
#include "scenario.h"

/* Run `s` to the end, filling *r (call report_free after). `baseline` swaps in the BrewOS
 * reference heater control. Returns false when the run could not start. */
bool sim_run(const scenario_t *s, bool baseline, report_t *r);
/* When set before sim_run, a CSV trace of every shot (10 Hz) is written here. */
extern const char *sim_trace_path;

#endif
