/* The A/B image slots of partitions.json behind the updater's fw_slots_t (core/update/updater.h). */
#ifndef BREWOS_FW_SLOTS_RP2350_H
#define BREWOS_FW_SLOTS_RP2350_H

#include "update/updater.h"

/* The running slot, the other one and how this start came about. A board flashed without the
 * partition table gets slot_bytes 0: it refuses updates (its USB BOOTSEL path still works). */
fw_slots_t fw_slots_rp2350(uint32_t running_version);

#endif
