/* The RP2350 boot ROM's A/B semantics for the simulated board, on a flash image file:
 * two image slots; a normal boot takes the valid, confirmed image with the highest version (slot 0
 * on a tie); a reboot "into the update" boots the other slot on trial, which must be confirmed
 * (bought) within BOOT_ROM_TRIAL_MS or before the next reboot, else the confirmed image boots again.
 * Buying rewrites the image's first sector (as the ROM rewrites the image block). A power cut at
 * any flash byte is modelled by boot_rom_cut_after: the process ends there, as the board would.
 *
 * Sim image layout (little-endian), written by `brewos-sim image` (controller/sim/main.c):
 *   0  "BREWOSIM"  8 B magic
 *   8  version     u32   major << 16 | minor << 8 | patch
 *  12  proto_major u8
 *  13  flags       u8    bit0 trial (unconfirmed; every release is built with it), bit1 self-test
 *                        fails, bit2 deaf (never hears the hub)
 *  14  reserved    u16
 *  16  payload_len u32
 *  20  payload_crc u32   CRC-32 of the payload
 *  24  header_crc  u32   CRC-32 of bytes 0..23
 *  28..63 zero; the payload follows at 64. */
#ifndef BREWOS_SIM_BOOT_ROM_H
#define BREWOS_SIM_BOOT_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "update/updater.h"

#define BOOT_ROM_SLOT_BYTES (256u * 1024u)
#define BOOT_ROM_HEADER_BYTES 64u
#define BOOT_ROM_TRIAL_MS 16700u
#define SIM_IMAGE_FLAG_TRIAL 0x01u
#define SIM_IMAGE_FLAG_SELFTEST_FAILS 0x02u
#define SIM_IMAGE_FLAG_DEAF 0x04u

typedef struct {
  bool valid;
  uint32_t version;
  uint8_t proto_major, flags;
  uint32_t payload_len, payload_crc;
} sim_image_t;

/* Open (or create, with the factory image in slot 0) the flash file; NULL: flash in memory. */
bool boot_rom_open(const char *path);
/* Whether a flash was opened (scenario runs and unit tests use the plain board without slots). */
bool boot_rom_active(void);
/* From now on, the process ends after this many more flash bytes are erased or programmed. */
void boot_rom_cut_after(long long bytes);
/* Pick and boot an image; false when nothing is bootable (a bricked board). */
bool boot_rom_boot(void);
/* The running image: its header, its payload (for the self-test CRC) and the controller's slot hooks. */
const sim_image_t *boot_rom_running(void);
const uint8_t *boot_rom_running_payload(void);
fw_slots_t boot_rom_slots(void);
/* Each tick: true when the board resets now (a reboot asked for, or an unconfirmed trial timed
 * out); *reset_reason is the proto_reset_reason_t of it. */
bool boot_rom_tick(uint32_t now_ms, uint8_t *reset_reason);
/* Parse an image header at `p` (BOOT_ROM_SLOT_BYTES available). */
sim_image_t boot_rom_parse(const uint8_t *p);
/* Write a sim image (header + a deterministic payload) into `out`; returns its size. */
size_t boot_rom_make_image(uint8_t *out, size_t cap, uint32_t version, uint8_t proto_major, uint8_t flags,
                           uint32_t payload_len);
/* `brewos-sim image`: write a release image for the simulated board (argv after "image"). */
int boot_rom_image_main(int argc, char **argv);

#endif
