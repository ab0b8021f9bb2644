/* RP2350 firmware entry. Core 0 runs the 10 ms control tick (sensors, loops, shot, safety), core 1
 * the hub link. Timing budget per tick: ADC 3 x 2 us, controller tick < 100 us measured on the host
 * scaled to 150 MHz, output writes < 1 us; the rest of the 10 ms is idle. */
#include <string.h>

#include "app/controller.h"
#include "board.h"
#include "config/crc32.h"
#include "fw_slots_rp2350.h"
#include "hal/hal.h"
#include "hardware/clocks.h"
#include "hardware/watchdog.h"
#include "link_core1.h"
#include "pico/stdlib.h"

extern char __flash_binary_start;
extern char __flash_binary_end;
extern uint32_t __StackLimit;

#define STACK_CANARY 0xC0FFEE42u
/* The boot ROM gives a trial image 16.7 s on its watchdog; ours replaces that watchdog, so a trial
 * that has not confirmed itself by then stops feeding it and the ROM boots the confirmed image. */
#define TRIAL_WINDOW_MS 16700u

static controller_t controller;

static uint32_t measured_clk_sys_hz(void) {
  return frequency_count_khz(CLOCKS_FC0_SRC_VALUE_CLK_SYS) * 1000u;
}

int main(void) {
  hal_board_init(); /* every output low before anything else */
  uint8_t reset_reason = hal_reset_reason();
  watchdog_enable(BOARD_WATCHDOG_MS, true);
  __StackLimit = STACK_CANARY;

  controller_hooks_t hooks;
  memset(&hooks, 0, sizeof hooks);
  hooks.persist_read = hal_persist_read;
  hooks.persist_write = hal_persist_write;
  hooks.reset_reason = reset_reason;
  hooks.capabilities = BOARD_CAPABILITIES;
  hooks.brew_ntc_factory = (ntc_params_t){.model = NTC_MODEL_BETA,
                                          .r25_ohm = BOARD_BREW_NTC_R25_OHM,
                                          .beta_k = BOARD_BREW_NTC_BETA_K,
                                          .pullup_ohm = BOARD_BREW_NTC_PULLUP_OHM};
  hooks.steam_ntc_factory = (ntc_params_t){.model = NTC_MODEL_BETA,
                                           .r25_ohm = BOARD_STEAM_NTC_R25_OHM,
                                           .beta_k = BOARD_STEAM_NTC_BETA_K,
                                           .pullup_ohm = BOARD_STEAM_NTC_PULLUP_OHM};
  hooks.trip_store = hal_trip_store;
  hooks.trip_recall = hal_trip_recall;
  hooks.firmware = fw_slots_rp2350(CONTROLLER_FW_VERSION);
  /* Class-B style tests: march over the controller's own state (core 0 only, no IRQ touches it),
   * CRC of the running image against its value at boot (boot integrity is the bootrom's signed-image
   * check), system clock against the frequency counter, canary at the stack limit. */
  hooks.selftest.ram = (volatile uint32_t *)&controller;
  hooks.selftest.ram_words = sizeof controller / sizeof(uint32_t);
  hooks.selftest.flash = (const uint8_t *)&__flash_binary_start;
  hooks.selftest.flash_len = (size_t)(&__flash_binary_end - &__flash_binary_start);
  hooks.selftest.flash_crc = crc32_ieee(hooks.selftest.flash, hooks.selftest.flash_len, 0);
  hooks.selftest.clock_measured_hz = measured_clk_sys_hz;
  hooks.selftest.clock_expected_hz = clock_get_hz(clk_sys);
  hooks.selftest.stack_canary = &__StackLimit;
  hooks.selftest.stack_canary_value = STACK_CANARY;

  link_core1_start();
  controller_init(&controller, &hooks, (uint32_t)(hal_now_us() / 1000u));

  absolute_time_t next = get_absolute_time();
  uint32_t last_core1 = link_core1_alive;
  uint32_t core1_stalled_ms = 0;
  for (;;) {
    next = delayed_by_ms(next, CONTROLLER_TICK_MS);
    ctl_inputs_t in;
    ctl_outputs_t out;
    uint8_t buf[512];
    hal_read_inputs(&in);
    size_t n;
    while ((n = hal_link_read(buf, sizeof buf)) > 0) controller_rx(&controller, buf, n);
    controller_tick(&controller, &in, &out);
    hal_write_outputs(&out);
    while ((n = controller_tx(&controller, buf, sizeof buf)) > 0) hal_link_write(buf, n);
    /* Feed the watchdog only when every check ran and passed and core 1 is alive. */
    core1_stalled_ms = link_core1_alive != last_core1 ? 0 : core1_stalled_ms + CONTROLLER_TICK_MS;
    last_core1 = link_core1_alive;
    bool trial_over = controller.update.state == PROTO_UPDATE_STATE_TRIAL &&
                      controller.now_ms - controller.boot_ms >= TRIAL_WINDOW_MS - BOARD_WATCHDOG_MS;
    if (controller_wdt_ok(&controller) && core1_stalled_ms < 500u && !trial_over) hal_wdt_feed();
    gpio_put(BOARD_PIN_LED, controller.state.state == 3u); /* ready */
    sleep_until(next);
  }
}
