/* Simulated controller board around the real core. */
#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_rom.h"
#include "config/crc32.h"

uint8_t sim_flash[2][512];
size_t sim_flash_tear_after;
static bool flash_blank = true;

static bool flash_read(uint8_t slot, uint8_t *buf, size_t len) {
  if (flash_blank) memset(sim_flash, 0xFF, sizeof sim_flash);
  flash_blank = false;
  memcpy(buf, sim_flash[slot], len);
  return true;
}

static bool flash_write(uint8_t slot, const uint8_t *buf, size_t len) {
  memset(sim_flash[slot], 0xFF, sizeof sim_flash[slot]); /* erase */
  if (sim_flash_tear_after > 0 && sim_flash_tear_after < len) {
    memcpy(sim_flash[slot], buf, sim_flash_tear_after);
    sim_flash_tear_after = 0;
    return false; /* the board lost power here */
  }
  memcpy(sim_flash[slot], buf, len);
  return true;
}

/* Self-test regions: a RAM block the march walks, an "image" with a known CRC, a canary. */
static uint32_t ram_region[256];
static uint8_t image[16384];
static uint32_t image_crc;
static uint32_t canary = 0xC0FFEE42u;
static uint32_t clock_hz(void) {
  return 150000000u;
}

static void baseline_override(void *ctx, const ctl_inputs_t *in, bool *brew_on, bool *steam_on) {
  sim_machine_t *m = ctx;
  baseline_tick(&m->base, &m->ctl, in, brew_on, steam_on);
}

/* The watchdog scratch registers of the simulated board: kept across a reboot, not a power cycle. */
static uint8_t scratch_trip;
static void trip_store(uint8_t code) {
  scratch_trip = code;
}
static uint8_t trip_recall(void) {
  return scratch_trip;
}

static controller_hooks_t hooks_for(const plant_preset_t *pre, uint8_t reset_reason) {
  controller_hooks_t h;
  memset(&h, 0, sizeof h);
  h.persist_read = flash_read;
  h.persist_write = flash_write;
  h.reset_reason = reset_reason;
  h.capabilities = pre->capabilities;
  /* The board is built for the sensors this machine has (the plant reads through the same parts). */
  h.brew_ntc_factory = (ntc_params_t){.model = NTC_MODEL_BETA,
                                      .r25_ohm = (float)pre->brew_ntc.r25_ohm,
                                      .beta_k = (float)pre->brew_ntc.beta_k,
                                      .pullup_ohm = (float)pre->brew_ntc.pullup_ohm};
  h.steam_ntc_factory = (ntc_params_t){.model = NTC_MODEL_BETA,
                                       .r25_ohm = (float)pre->steam_ntc.r25_ohm,
                                       .beta_k = (float)pre->steam_ntc.beta_k,
                                       .pullup_ohm = (float)pre->steam_ntc.pullup_ohm};
  h.trip_store = trip_store;
  h.trip_recall = trip_recall;
  h.selftest.ram = ram_region;
  h.selftest.ram_words = sizeof ram_region / sizeof ram_region[0];
  h.selftest.flash = image;
  h.selftest.flash_len = sizeof image;
  h.selftest.flash_crc = image_crc;
  h.selftest.clock_measured_hz = clock_hz;
  h.selftest.clock_expected_hz = 150000000u;
  h.selftest.stack_canary = &canary;
  h.selftest.stack_canary_value = 0xC0FFEE42u;
  if (boot_rom_active()) {
    /* The image the boot ROM started: the self-test checksums it, and it may be one built to fail. */
    const sim_image_t *im = boot_rom_running();
    h.firmware = boot_rom_slots();
    h.proto_major = im->proto_major;
    h.selftest.flash = boot_rom_running_payload();
    h.selftest.flash_len = im->payload_len;
    h.selftest.flash_crc = im->payload_crc ^ ((im->flags & SIM_IMAGE_FLAG_SELFTEST_FAILS) ? 1u : 0u);
  }
  return h;
}

void sim_machine_reboot(sim_machine_t *m, uint8_t reset_reason) {
  controller_hooks_t h = hooks_for(&m->plant.pre, reset_reason);
  if (m->use_baseline) {
    h.heater_override = baseline_override;
    h.override_ctx = m;
  }
  controller_init(&m->ctl, &h, m->now_ms);
  /* The installer's settings for this machine, as the hub would write them on first setup. Only
   * values that differ are written, so a saved configuration is not rewritten at every boot. */
  for (uint8_t i = 0; i < m->plant.pre.config_count; i++) {
    const plant_config_t *c = &m->plant.pre.config[i];
    if (config_get(&m->ctl.cfg, c->key) != c->value && m->ctl.persist.seq == 0) {
      (void)controller_config_set(&m->ctl, c->key, c->value);
    }
  }
  if (m->use_baseline) {
    /* BrewOS runs its pump flat out from the first second: no heat-budgeted fill. */
    (void)controller_config_set(&m->ctl, PROTO_CONFIG_FILL_HEAT_BUDGET, 0);
  }
  memset(&m->out, 0, sizeof m->out);
}

void sim_machine_init(sim_machine_t *m, const plant_preset_t *pre, double ambient_c, uint64_t seed, double noise_c,
                      bool baseline) {
  memset(m, 0, sizeof *m);
  for (size_t i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i * 31u + 7u);
  image_crc = crc32_ieee(image, sizeof image, 0);
  flash_blank = true;
  memset(sim_flash, 0xFF, sizeof sim_flash);
  scratch_trip = 0;
  plant_init(&m->plant, pre, ambient_c, seed, noise_c);
  m->use_baseline = baseline;
  baseline_init(&m->base);

  sim_machine_reboot(m, PROTO_RESET_REASON_POWER_ON);
}

void sim_machine_rx(sim_machine_t *m, const uint8_t *buf, size_t len) {
  if (boot_rom_active() && (boot_rom_running()->flags & SIM_IMAGE_FLAG_DEAF)) return; /* a broken UART driver */
  controller_rx(&m->ctl, buf, len);
}

size_t sim_machine_tx(sim_machine_t *m, uint8_t *buf, size_t cap) {
  return controller_tx(&m->ctl, buf, cap);
}

void sim_machine_tick(sim_machine_t *m) {
  plant_inputs(&m->plant, m->now_ms, &m->in);
  controller_tick(&m->ctl, &m->in, &m->out);
  plant_step(&m->plant, &m->out, CONTROLLER_TICK_MS / 1000.0);
  m->now_ms += CONTROLLER_TICK_MS;
  uint8_t why;
  if (boot_rom_active() && boot_rom_tick(m->now_ms, &why)) {
    if (!boot_rom_boot()) {
      fprintf(stderr, "brewos-sim: boot ROM: no bootable image in either slot\n");
      exit(4);
    }
    sim_machine_reboot(m, why);
  }
}
