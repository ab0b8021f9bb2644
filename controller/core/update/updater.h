/* Firmware updates into the inactive A/B slot (protocol/uart/SPEC.md §8): offer, chunks written and
 * read back page by page, the whole slot verified against the offered SHA-256, then a reboot into
 * it on trial. A trial image confirms ("buys") itself only once its self-tests passed and the hub
 * link is back; otherwise it reboots and the boot ROM returns to the confirmed image. While an
 * update or an unconfirmed trial is in progress the heaters stay off (updater_holds_heat). */
#ifndef BREWOS_UPDATER_H
#define BREWOS_UPDATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link/proto_gen.h"
#include "update/sha256.h"

#define UPDATE_PAGE_BYTES 256u    /* flash program unit */
#define UPDATE_SECTOR_BYTES 4096u /* flash erase unit */
#define UPDATE_IDLE_TIMEOUT_MS 30000u
#define UPDATE_VERIFY_BYTES_PER_TICK 4096u
#define UPDATE_REBOOT_DELAY_MS 100u /* time for the last update_status to leave before the reboot */

/* The board's A/B slots. slot_bytes 0: this board cannot update itself (offers are refused). */
typedef struct {
  uint32_t slot_bytes;                                               /* capacity of the inactive slot */
  bool (*erase)(uint32_t offset, uint32_t len);                      /* inactive slot, sector-aligned */
  bool (*program)(uint32_t offset, const uint8_t *data, size_t len); /* whole pages */
  bool (*read)(uint32_t offset, uint8_t *buf, size_t len);
  void (*reboot_trial)(void); /* reboot into the inactive slot on trial */
  void (*reboot_back)(void);  /* give up a running trial: reboot into the confirmed image */
  bool (*buy)(void);          /* confirm the running trial image */
  uint32_t running_version;   /* major << 16 | minor << 8 | patch */
  uint8_t boot;               /* proto_boot_state_t of this start */
  uint32_t other_version;     /* image in the other slot, 0: none */
} fw_slots_t;

typedef struct {
  fw_slots_t s;
  uint8_t state;  /* proto_update_state_t */
  uint8_t result; /* proto_update_result_t of the last step */
  uint32_t version, size, received, verify_at;
  uint8_t sha256[SHA256_BYTES];
  sha256_t verify;
  uint8_t page[UPDATE_PAGE_BYTES];
  uint32_t last_ms, reboot_at_ms;
  bool reboot_pending, reboot_into_trial;
  bool status_due;
} updater_t;

void updater_init(updater_t *u, const fw_slots_t *slots);
/* Commands; each returns a proto_ack_result_t. `busy`: a shot or autotune runs. */
uint8_t updater_offer(updater_t *u, const proto_update_offer_t *o, bool busy, uint32_t now_ms);
uint8_t updater_chunk(updater_t *u, const proto_update_chunk_t *k, uint32_t now_ms);
uint8_t updater_finish(updater_t *u, uint32_t version, uint32_t now_ms);
uint8_t updater_abort(updater_t *u, uint32_t version);
/* Once per tick. `may_buy`: self-tests passed a full round and a hub of our major said hello. */
void updater_tick(updater_t *u, uint32_t now_ms, bool may_buy, bool selftest_failed);
/* Heaters and shots stay off: receiving, verifying, rebooting or an unconfirmed trial. */
bool updater_holds_heat(const updater_t *u);
void updater_status(const updater_t *u, proto_update_status_t *out);

#endif
