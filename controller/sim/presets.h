/* Machine presets for the simulator (parameters and their sources: controller/sim/README.md). */
#ifndef BREWOS_SIM_PRESETS_H
#define BREWOS_SIM_PRESETS_H

#include "plant/plant.h"

/* Preset by name ("dual_boiler", "single_boiler", "heat_exchanger"), or NULL. */
const plant_preset_t *preset_find(const char *name);
/* Names, NULL-terminated. */
extern const char *const PRESET_NAMES[];

#endif
