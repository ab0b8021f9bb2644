/* Machine presets for the simulator (parameters and their sources: controller/sim/README.md). */
#ifndef BREWOS_SIM_PRESETS_H
#define BREWOS_SIM_PRESETS_H

#include "plant/plant.h"

/* Preset by name ("dual_boiler", "dual_boiler_gear", "single_boiler", "heat_exchanger"), or NULL. */
const plant_preset_t *preset_find(const char *name);
/* Names, NULL-terminated. */
extern const char *const PRESET_NAMES[];

/* How the controller drives the pump: a relay, a dimmer on a vibratory pump, or a gear pump. */
typedef enum { PRESET_PUMP_RELAY, PRESET_PUMP_DIMMABLE, PRESET_PUMP_GEAR } preset_pump_t;
/* Refit a machine with another pump (its hydraulics, capability bit and the controller's pump model). */
void preset_set_pump(plant_preset_t *machine, preset_pump_t pump);

#endif
