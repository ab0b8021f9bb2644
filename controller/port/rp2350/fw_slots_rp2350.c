/* Updates on the RP2350 boot ROM (datasheet §5.1.17-5.1.19, §5.4): the partition table of
 * partitions.json holds slots A and B; the controller writes the slot it does not run from, then
 * reboots with REBOOT_TYPE_FLASH_UPDATE at that slot's start so the ROM boots the new image on trial
 * (every release image is built try-before-you-buy). The ROM arms a 16.7 s watchdog for the trial
 * and boots the bought image again on any reset before rom_explicit_buy. Flash writes go by
 * physical offset; reads through the untranslated, uncached XIP window, because the ROM's address
 * translation maps only the running slot at XIP_BASE. */
#include "fw_slots_rp2350.h"

#include <string.h>

#include "pico.h"
#include "boot/picobin.h"
#include "boot/picoboot_constants.h"
#include "hardware/flash.h"
#include "hardware/watchdog.h"
#include "link/proto_gen.h"
#include "pico/bootrom.h"
#include "pico/flash.h"
#include "update/picobin_image.h"

#define ROM_WORK_BYTES 4096u /* the buy needs 4 KiB; loading the partition table 3264 B */
#define FLASH_LOCKOUT_TIMEOUT_MS 100u
#define REBOOT_DELAY_MS 10u

static uint8_t rom_work[ROM_WORK_BYTES] __attribute__((aligned(4)));
static uint32_t other_base; /* physical flash offset of the slot we do not run from */
static uint32_t other_bytes;

static const uint8_t *untranslated(uint32_t physical) {
  return (const uint8_t *)(XIP_NOCACHE_NOALLOC_NOTRANSLATE_BASE + physical);
}

typedef struct {
  uint32_t offset, len;
  const uint8_t *data;
} flash_job_t;

static void do_erase(void *param) {
  const flash_job_t *j = param;
  flash_range_erase(j->offset, j->len);
}

static void do_program(void *param) {
  const flash_job_t *j = param;
  flash_range_program(j->offset, j->data, j->len);
}

static bool in_slot(uint32_t offset, size_t len) {
  return offset <= other_bytes && len <= other_bytes - offset;
}

static bool slot_erase(uint32_t offset, uint32_t len) {
  if (!in_slot(offset, len) || offset % FLASH_SECTOR_SIZE != 0u || len % FLASH_SECTOR_SIZE != 0u) return false;
  watchdog_update();
  flash_job_t j = {other_base + offset, len, NULL};
  return flash_safe_execute(do_erase, &j, FLASH_LOCKOUT_TIMEOUT_MS) == PICO_OK;
}

static bool slot_program(uint32_t offset, const uint8_t *data, size_t len) {
  if (!in_slot(offset, len) || offset % FLASH_PAGE_SIZE != 0u || len % FLASH_PAGE_SIZE != 0u) return false;
  watchdog_update();
  flash_job_t j = {other_base + offset, (uint32_t)len, data};
  return flash_safe_execute(do_program, &j, FLASH_LOCKOUT_TIMEOUT_MS) == PICO_OK;
}

static bool slot_read(uint32_t offset, uint8_t *buf, size_t len) {
  if (!in_slot(offset, len)) return false;
  memcpy(buf, untranslated(other_base + offset), len);
  return true;
}

static void reboot_trial(void) {
  rom_reboot(REBOOT2_FLAG_REBOOT_TYPE_FLASH_UPDATE | REBOOT2_FLAG_NO_RETURN_ON_SUCCESS, REBOOT_DELAY_MS,
             XIP_BASE + other_base, 0);
}

static void reboot_back(void) {
  rom_reboot(REBOOT2_FLAG_REBOOT_TYPE_NORMAL | REBOOT2_FLAG_NO_RETURN_ON_SUCCESS, REBOOT_DELAY_MS, 0, 0);
}

static bool buy(void) {
  watchdog_update();
  return rom_explicit_buy(rom_work, sizeof rom_work) == BOOTROM_OK;
}

/* First sector and size of partition `index`, from the loaded table. */
static bool partition_range(int index, uint32_t *base, uint32_t *bytes) {
  uint32_t words[3];
  int n = rom_get_partition_table_info(
      words, 3, PT_INFO_PARTITION_LOCATION_AND_FLAGS | PT_INFO_SINGLE_PARTITION | ((uint32_t)index << 24));
  if (n < 3) return false;
  uint32_t first =
      (words[1] & PICOBIN_PARTITION_LOCATION_FIRST_SECTOR_BITS) >> PICOBIN_PARTITION_LOCATION_FIRST_SECTOR_LSB;
  uint32_t last =
      (words[1] & PICOBIN_PARTITION_LOCATION_LAST_SECTOR_BITS) >> PICOBIN_PARTITION_LOCATION_LAST_SECTOR_LSB;
  if (last < first) return false;
  *base = first * FLASH_SECTOR_SIZE;
  *bytes = (last + 1u - first) * FLASH_SECTOR_SIZE;
  return true;
}

fw_slots_t fw_slots_rp2350(uint32_t running_version) {
  fw_slots_t s;
  memset(&s, 0, sizeof s);
  s.running_version = running_version;
  boot_info_t info;
  if (!rom_get_boot_info(&info) || info.partition < 0) return s; /* no partition table */
  if (rom_load_partition_table(rom_work, sizeof rom_work, false) != BOOTROM_OK) return s;
  int b = rom_get_b_partition(0);
  if (b < 0) return s;
  int other = info.partition == 0 ? b : 0;
  if (!partition_range(other, &other_base, &other_bytes)) return s;

  s.slot_bytes = other_bytes;
  s.erase = slot_erase;
  s.program = slot_program;
  s.read = slot_read;
  s.reboot_trial = reboot_trial;
  s.reboot_back = reboot_back;
  s.buy = buy;
  picobin_image_t im = picobin_parse(untranslated(other_base), other_bytes);
  uint32_t other_version = im.valid && im.executable ? PICOBIN_FW_VERSION(im.major, im.minor) : 0u;
  s.other_version = other_version;
  /* Trial: the ROM booted us for a flash update and waits for the buy. Rolled back: the other slot
   * holds a newer image that was never bought — it was tried, and the ROM came back to us. */
  if (info.tbyb_and_update_info & BOOT_TBYB_AND_UPDATE_FLAG_BUY_PENDING)
    s.boot = PROTO_BOOT_STATE_TRIAL;
  else if (im.valid && im.tbyb && other_version > running_version)
    s.boot = PROTO_BOOT_STATE_ROLLED_BACK;
  else
    s.boot = PROTO_BOOT_STATE_CONFIRMED;
  return s;
}
