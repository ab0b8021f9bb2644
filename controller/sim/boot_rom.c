/* Simulated RP2350 boot ROM and image flash; see boot_rom.h. */
#define _GNU_SOURCE
#include "boot_rom.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app/controller.h"
#include "config/crc32.h"
#include "link/proto_gen.h"

#define FLASH_BYTES (2u * BOOT_ROM_SLOT_BYTES)
#define FACTORY_PAYLOAD_BYTES (32u * 1024u)

static uint8_t *flash;            /* both slots, mapped from the file (or heap) */
static long long cut_budget = -1; /* flash bytes left before the power cut; -1: none */
static int running_slot = -1;
static sim_image_t running;
static bool on_trial;
static uint32_t booted_ms, now_seen_ms;
/* Watchdog scratch: kept across a reboot, lost with power (a process start). */
static int scratch_update_slot = -1;
static bool reboot_asked;
static uint8_t reboot_reason;

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

sim_image_t boot_rom_parse(const uint8_t *p) {
  sim_image_t im;
  memset(&im, 0, sizeof im);
  if (memcmp(p, "BREWOSIM", 8) != 0 || crc32_ieee(p, 24, 0) != rd32(p + 24)) return im;
  im.version = rd32(p + 8);
  im.proto_major = p[12];
  im.flags = p[13];
  im.payload_len = rd32(p + 16);
  im.payload_crc = rd32(p + 20);
  if (im.payload_len > BOOT_ROM_SLOT_BYTES - BOOT_ROM_HEADER_BYTES) return im;
  im.valid = crc32_ieee(p + BOOT_ROM_HEADER_BYTES, im.payload_len, 0) == im.payload_crc;
  return im;
}

static void write_header(uint8_t *p, uint32_t version, uint8_t proto_major, uint8_t flags, uint32_t payload_len,
                         uint32_t payload_crc) {
  memset(p, 0, BOOT_ROM_HEADER_BYTES);
  memcpy(p, "BREWOSIM", 8);
  wr32(p + 8, version);
  p[12] = proto_major;
  p[13] = flags;
  wr32(p + 16, payload_len);
  wr32(p + 20, payload_crc);
  wr32(p + 24, crc32_ieee(p, 24, 0));
}

size_t boot_rom_make_image(uint8_t *out, size_t cap, uint32_t version, uint8_t proto_major, uint8_t flags,
                           uint32_t payload_len) {
  size_t total = BOOT_ROM_HEADER_BYTES + payload_len;
  if (total > cap) return 0;
  uint32_t x = version * 2654435761u + 1u; /* xorshift: stands in for code, differs per version */
  for (uint32_t i = 0; i < payload_len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[BOOT_ROM_HEADER_BYTES + i] = (uint8_t)x;
  }
  write_header(out, version, proto_major, flags, payload_len, crc32_ieee(out + BOOT_ROM_HEADER_BYTES, payload_len, 0));
  return total;
}

bool boot_rom_open(const char *path) {
  bool fresh = true;
  if (path == NULL) {
    flash = malloc(FLASH_BYTES);
    if (flash == NULL) return false;
  } else {
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return false;
    off_t len = lseek(fd, 0, SEEK_END);
    fresh = len == 0;
    if (ftruncate(fd, FLASH_BYTES) != 0) return false;
    flash = mmap(NULL, FLASH_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (flash == MAP_FAILED) return false;
  }
  if (fresh) { /* the factory image, as flashed over USB: confirmed, in slot 0 */
    memset(flash, 0xFF, FLASH_BYTES);
    boot_rom_make_image(flash, BOOT_ROM_SLOT_BYTES, CONTROLLER_FW_VERSION, PROTO_VERSION_MAJOR, 0,
                        FACTORY_PAYLOAD_BYTES);
  }
  return true;
}

bool boot_rom_active(void) {
  return flash != NULL && running_slot >= 0;
}

void boot_rom_cut_after(long long bytes) {
  cut_budget = bytes;
}

/* Spend flash bytes; at the cut, only what fits is done and the board loses power. */
static size_t flash_budget(size_t len) {
  if (cut_budget < 0 || (long long)len <= cut_budget) {
    if (cut_budget >= 0) cut_budget -= (long long)len;
    return len;
  }
  return (size_t)cut_budget;
}
static void power_cut(void) {
  msync(flash, FLASH_BYTES, MS_SYNC);
  fprintf(stderr, "brewos-sim: power cut during a flash write\n");
  _exit(75);
}

static uint8_t *other_slot(void) {
  return flash + (size_t)(running_slot ^ 1) * BOOT_ROM_SLOT_BYTES;
}

static bool slot_erase(uint32_t offset, uint32_t len) {
  if (offset + len > BOOT_ROM_SLOT_BYTES) return false;
  size_t n = flash_budget(len);
  memset(other_slot() + offset, 0xFF, n);
  if (n < len) power_cut();
  return true;
}

static bool slot_program(uint32_t offset, const uint8_t *data, size_t len) {
  if (offset + len > BOOT_ROM_SLOT_BYTES) return false;
  size_t n = flash_budget(len);
  for (size_t i = 0; i < n; i++) other_slot()[offset + i] &= data[i]; /* NOR flash: programming clears bits */
  if (n < len) power_cut();
  return true;
}

static bool slot_read(uint32_t offset, uint8_t *buf, size_t len) {
  if (offset + len > BOOT_ROM_SLOT_BYTES) return false;
  memcpy(buf, other_slot() + offset, len);
  return true;
}

static void reboot_trial(void) {
  scratch_update_slot = running_slot ^ 1;
  reboot_asked = true;
  reboot_reason = PROTO_RESET_REASON_SOFTWARE;
}

static void reboot_back(void) {
  scratch_update_slot = -1;
  reboot_asked = true;
  reboot_reason = PROTO_RESET_REASON_SOFTWARE;
}

/* Confirm the trial image: its first sector is erased and written again without the trial flag. */
static bool buy(void) {
  if (!on_trial) return true;
  uint8_t *slot = flash + (size_t)running_slot * BOOT_ROM_SLOT_BYTES;
  static uint8_t sector[UPDATE_SECTOR_BYTES];
  memcpy(sector, slot, sizeof sector);
  write_header(sector, running.version, running.proto_major, (uint8_t)(running.flags & ~SIM_IMAGE_FLAG_TRIAL),
               running.payload_len, running.payload_crc);
  size_t n = flash_budget(sizeof sector);
  memset(slot, 0xFF, n);
  if (n < sizeof sector) power_cut();
  n = flash_budget(sizeof sector);
  memcpy(slot, sector, n);
  if (n < sizeof sector) power_cut();
  on_trial = false;
  running.flags &= (uint8_t)~SIM_IMAGE_FLAG_TRIAL;
  return true;
}

bool boot_rom_boot(void) {
  sim_image_t im[2] = {boot_rom_parse(flash), boot_rom_parse(flash + BOOT_ROM_SLOT_BYTES)};
  int pick = -1;
  on_trial = false;
  if (scratch_update_slot >= 0 && im[scratch_update_slot].valid) {
    pick = scratch_update_slot; /* the reboot into the update */
    on_trial = (im[pick].flags & SIM_IMAGE_FLAG_TRIAL) != 0;
  } else {
    for (int s = 0; s < 2; s++) {
      if (!im[s].valid || (im[s].flags & SIM_IMAGE_FLAG_TRIAL)) continue;
      if (pick < 0 || im[s].version > im[pick].version) pick = s;
    }
  }
  scratch_update_slot = -1;
  if (pick < 0) return false;
  running_slot = pick;
  running = im[pick];
  booted_ms = now_seen_ms;
  fprintf(stderr, "brewos-sim: boot ROM: slot %c, version %u.%u.%u%s\n", 'A' + pick, running.version >> 16,
          (running.version >> 8) & 0xFFu, running.version & 0xFFu, on_trial ? " (trial)" : "");
  return true;
}

const sim_image_t *boot_rom_running(void) {
  return &running;
}

const uint8_t *boot_rom_running_payload(void) {
  return flash + (size_t)running_slot * BOOT_ROM_SLOT_BYTES + BOOT_ROM_HEADER_BYTES;
}

fw_slots_t boot_rom_slots(void) {
  fw_slots_t s;
  memset(&s, 0, sizeof s);
  s.slot_bytes = BOOT_ROM_SLOT_BYTES;
  s.erase = slot_erase;
  s.program = slot_program;
  s.read = slot_read;
  s.reboot_trial = reboot_trial;
  s.reboot_back = reboot_back;
  s.buy = buy;
  s.running_version = running.version;
  sim_image_t other = boot_rom_parse(other_slot());
  s.other_version = other.valid ? other.version : 0u;
  s.boot = on_trial ? PROTO_BOOT_STATE_TRIAL
           : other.valid && (other.flags & SIM_IMAGE_FLAG_TRIAL) && other.version > running.version
               ? PROTO_BOOT_STATE_ROLLED_BACK
               : PROTO_BOOT_STATE_CONFIRMED;
  return s;
}

bool boot_rom_tick(uint32_t now_ms, uint8_t *reset_reason) {
  now_seen_ms = now_ms;
  if (reboot_asked) {
    reboot_asked = false;
    *reset_reason = reboot_reason;
    return true;
  }
  if (on_trial && now_ms - booted_ms >= BOOT_ROM_TRIAL_MS) { /* the ROM's trial watchdog */
    on_trial = false;
    scratch_update_slot = -1;
    *reset_reason = PROTO_RESET_REASON_WATCHDOG;
    return true;
  }
  return false;
}

static bool parse_version(const char *s, uint32_t *out) {
  unsigned a, b, c;
  char tail;
  if (s == NULL || sscanf(s, "%u.%u.%u%c", &a, &b, &c, &tail) != 3 || a > 255u || b > 255u || c > 255u) return false;
  *out = a << 16 | b << 8 | c;
  return true;
}

int boot_rom_image_main(int argc, char **argv) {
  const char *out = NULL, *version = NULL;
  uint8_t flags = SIM_IMAGE_FLAG_TRIAL;
  unsigned proto = PROTO_VERSION_MAJOR, kib = 32;
  for (int i = 0; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--out") == 0)
      out = argv[i + 1];
    else if (strcmp(argv[i], "--version") == 0)
      version = argv[i + 1];
    else if (strcmp(argv[i], "--proto") == 0)
      proto = (unsigned)atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--kib") == 0)
      kib = (unsigned)atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--behaviour") == 0 && strcmp(argv[i + 1], "selftest-fails") == 0)
      flags |= SIM_IMAGE_FLAG_SELFTEST_FAILS;
    else if (strcmp(argv[i], "--behaviour") == 0 && strcmp(argv[i + 1], "deaf") == 0)
      flags |= SIM_IMAGE_FLAG_DEAF;
    else if (strcmp(argv[i], "--behaviour") == 0 && strcmp(argv[i + 1], "good") == 0)
      continue;
    else if (strcmp(argv[i], "--as") == 0 && strcmp(argv[i + 1], "factory") == 0)
      flags &= (uint8_t)~SIM_IMAGE_FLAG_TRIAL; /* flashed over USB: confirmed */
    else if (strcmp(argv[i], "--as") == 0 && strcmp(argv[i + 1], "release") == 0)
      continue; /* boots on trial and must confirm itself */
    else {
      fprintf(stderr, "brewos-sim image: unknown option %s %s\n", argv[i], argv[i + 1]);
      return 2;
    }
  }
  uint32_t v;
  if (out == NULL || !parse_version(version, &v) || v == 0 || proto < 1u || proto > 255u || kib < 1u ||
      kib * 1024u > BOOT_ROM_SLOT_BYTES - BOOT_ROM_HEADER_BYTES) {
    fprintf(stderr,
            "usage: brewos-sim image --version X.Y.Z --out FILE [--proto N] [--kib N (1..255)]\n"
            "                        [--behaviour good|selftest-fails|deaf] [--as release|factory]\n");
    return 2;
  }
  static uint8_t buf[BOOT_ROM_SLOT_BYTES];
  size_t n = boot_rom_make_image(buf, sizeof buf, v, (uint8_t)proto, flags, kib * 1024u);
  FILE *f = fopen(out, "wb");
  if (f == NULL || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
    fprintf(stderr, "brewos-sim image: cannot write %s\n", out);
    return 1;
  }
  return 0;
}
