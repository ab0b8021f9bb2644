/* HAL for the reference board on pico-sdk: ADC, GPIO, flow-meter counter, watchdog, link rings and
 * config flash. See hal/hal.h for the contract. */
#include <string.h>

#include "board.h"
#include "config/persist.h"
#include "hal/hal.h"
#include "hardware/adc.h"
#include "hardware/flash.h"
#include "hardware/gpio.h"
#include "hardware/watchdog.h"
#include "link/proto_gen.h"
#include "link_core1.h"
#include "pump_drive.h"
#include "pico/flash.h"
#include "pico/stdlib.h"

/* Config slots: the last two 4 KiB sectors of flash, outside the A/B partitions (partitions.json).
 * Read through the untranslated XIP window: the boot ROM maps only the running slot at XIP_BASE. */
#define PERSIST_SLOT_OFFSET(slot) (PICO_FLASH_SIZE_BYTES - (2u - (slot)) * FLASH_SECTOR_SIZE)
#define PERSIST_SLOT_READ(offset) ((const void *)(XIP_NOCACHE_NOALLOC_NOTRANSLATE_BASE + (offset)))

static volatile uint32_t flow_pulses;

static void on_flow_edge(uint gpio, uint32_t events) {
  (void)gpio;
  (void)events;
  flow_pulses++;
}

static void output(uint pin) {
  gpio_init(pin);
  gpio_put(pin, 0); /* outputs are driven low before they become outputs */
  gpio_set_dir(pin, GPIO_OUT);
}

static void input(uint pin, bool pull_up) {
  gpio_init(pin);
  gpio_set_dir(pin, GPIO_IN);
  if (pull_up)
    gpio_pull_up(pin);
  else
    gpio_disable_pulls(pin);
}

void hal_board_init(void) {
  output(BOARD_PIN_BREW_SSR);
  output(BOARD_PIN_STEAM_SSR);
  output(BOARD_PIN_HEATER_MAINS);
  output(BOARD_PIN_PUMP);
  output(BOARD_PIN_BREW_VALVE);
  output(BOARD_PIN_FILL_VALVE);
  output(BOARD_PIN_LED);
  input(BOARD_PIN_LEVER, true);
  input(BOARD_PIN_TANK, false);
  input(BOARD_PIN_STEAM_LEVEL, false);
  input(BOARD_PIN_FLOW_METER, true);
  gpio_set_irq_enabled_with_callback(BOARD_PIN_FLOW_METER, GPIO_IRQ_EDGE_FALL, true, on_flow_edge);
  pump_drive_init();
  adc_init();
  adc_gpio_init(BOARD_PIN_BREW_NTC);
  adc_gpio_init(BOARD_PIN_STEAM_NTC);
  adc_gpio_init(BOARD_PIN_PRESSURE);
}

uint64_t hal_now_us(void) {
  return time_us_64();
}

static uint16_t adc_pin(uint pin) {
  adc_select_input(pin - 26u);
  return adc_read();
}

void hal_read_inputs(ctl_inputs_t *in) {
  memset(in, 0, sizeof *in);
  in->now_ms = (uint32_t)(time_us_64() / 1000u);
  in->brew_ntc_adc = adc_pin(BOARD_PIN_BREW_NTC);
  in->steam_ntc_adc = adc_pin(BOARD_PIN_STEAM_NTC);
  in->pressure_adc = adc_pin(BOARD_PIN_PRESSURE);
  in->group_ntc_adc = IO_ADC_FULL_SCALE; /* not fitted on the reference board */
  in->boiler_pressure_adc = 0;           /* not fitted on the reference board */
  in->flow_pulses = flow_pulses;
  in->lever_down = !gpio_get(BOARD_PIN_LEVER);
  in->tank_ok = gpio_get(BOARD_PIN_TANK);
  in->steam_level_ok = gpio_get(BOARD_PIN_STEAM_LEVEL);
}

void hal_write_outputs(const ctl_outputs_t *out) {
  gpio_put(BOARD_PIN_HEATER_MAINS, out->heater_mains_enable);
  gpio_put(BOARD_PIN_BREW_SSR, out->heater_mains_enable && out->brew_heater_on);
  gpio_put(BOARD_PIN_STEAM_SSR, out->heater_mains_enable && out->steam_heater_on);
  pump_drive_set(out->pump_power_pmil);
  gpio_put(BOARD_PIN_BREW_VALVE, out->brew_valve_open);
  gpio_put(BOARD_PIN_FILL_VALVE, out->fill_valve_open);
}

void hal_wdt_feed(void) {
  watchdog_update();
}

uint8_t hal_reset_reason(void) {
  return watchdog_enable_caused_reboot() ? PROTO_RESET_REASON_WATCHDOG : PROTO_RESET_REASON_POWER_ON;
}

size_t hal_link_read(uint8_t *buf, size_t cap) {
  return spsc_get(&link_rx_ring, buf, cap);
}

void hal_link_write(const uint8_t *buf, size_t len) {
  (void)spsc_put(&link_tx_ring, buf, len);
}

bool hal_persist_read(uint8_t slot, uint8_t *buf, size_t len) {
  memcpy(buf, PERSIST_SLOT_READ(PERSIST_SLOT_OFFSET(slot)), len);
  return true;
}

typedef struct {
  uint32_t offset;
  const uint8_t *data;
} flash_job_t;

static void write_sector(void *param) {
  const flash_job_t *job = param;
  flash_range_erase(job->offset, FLASH_SECTOR_SIZE);
  flash_range_program(job->offset, job->data, PERSIST_SLOT_BYTES); /* a multiple of FLASH_PAGE_SIZE */
}

bool hal_persist_write(uint8_t slot, const uint8_t *buf, size_t len) {
  if (len != PERSIST_SLOT_BYTES) return false;
  watchdog_update();
  flash_job_t job = {PERSIST_SLOT_OFFSET(slot), buf};
  if (flash_safe_execute(write_sector, &job, 100) != PICO_OK) return false;
  return memcmp(PERSIST_SLOT_READ(job.offset), buf, len) == 0; /* read back */
}

/* Watchdog scratch registers 0 and 1 (4-7 belong to the SDK's reboot logic) hold the latched trip:
 * the code mixed with a magic value and its complement, so power-on zeros never read as a trip.
 * They survive watchdog and software resets, and are cleared by a power cut. */
#define TRIP_SCRATCH_MAGIC 0x54524900u /* "TRI" + code */

void hal_trip_store(uint8_t alarm_code) {
  uint32_t word = TRIP_SCRATCH_MAGIC | alarm_code;
  watchdog_hw->scratch[0] = word;
  watchdog_hw->scratch[1] = ~word;
}

uint8_t hal_trip_recall(void) {
  uint32_t word = watchdog_hw->scratch[0];
  if (word != ~watchdog_hw->scratch[1] || (word & 0xFFFFFF00u) != TRIP_SCRATCH_MAGIC) return 0;
  return (uint8_t)(word & 0xFFu);
}
