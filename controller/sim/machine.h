/* A simulated machine with its controller board: the plant, the real controller core driven by the
 * same loop the RP2350 port runs (inputs -> tick -> outputs, link bytes in and out), RAM-backed
 * config flash and self-test regions. Optionally the heaters are driven by the BrewOS baseline
 * controller instead (benchmark only). */
#ifndef BREWOS_SIM_MACHINE_H
#define BREWOS_SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/controller.h"
#include "baseline.h"
#include "plant/plant.h"

typedef struct {
  plant_t plant;
  controller_t ctl;
  baseline_t base;
  bool use_baseline;
  uint32_t now_ms;
  ctl_inputs_t in;
  ctl_outputs_t out;
} sim_machine_t;

/* Flash slots shared by every machine in this process (one per process in practice). */
extern uint8_t sim_flash[2][512];
/* When > 0, the next config write stops after this many bytes (a power cut mid-write). */
extern size_t sim_flash_tear_after;

void sim_machine_init(sim_machine_t *m, const plant_preset_t *pre, double ambient_c, uint64_t seed, double noise_c,
                      bool baseline);
/* Restart the controller (power cycle of the board) keeping the plant and the flash. */
void sim_machine_reboot(sim_machine_t *m, uint8_t reset_reason);
/* One 10 ms tick. */
void sim_machine_tick(sim_machine_t *m);
void sim_machine_rx(sim_machine_t *m, const uint8_t *buf, size_t len);
size_t sim_machine_tx(sim_machine_t *m, uint8_t *buf, size_t cap);

#endif
