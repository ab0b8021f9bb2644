/* The true water of each boiler at its hottest, with the over-temperature limit in force at that
 * moment: what the safety checks protect, measured in the plant rather than by the controller. */
#ifndef BREWOS_SIM_TRUE_PEAKS_H
#define BREWOS_SIM_TRUE_PEAKS_H

#include <stdio.h>

#include "machine.h"

typedef struct {
  double brew_c, steam_c;             /* NaN for a boiler the machine does not have */
  double brew_limit_c, steam_limit_c; /* the limit in force at each peak */
} true_peaks_t;

void true_peaks_init(true_peaks_t *p);
/* Take one sample of the machine after a tick. */
void true_peaks_sample(true_peaks_t *p, const sim_machine_t *m);
/* Write them as one JSON object (null for a boiler the machine does not have). */
void true_peaks_write_json(const true_peaks_t *p, FILE *f);

#endif
