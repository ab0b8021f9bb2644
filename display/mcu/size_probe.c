/*
 * The UI as a Cortex-M33 program would carry it: LVGL, the fonts, every screen, one state drawn.
 * Linked with --gc-sections, its flash size is what a panel driven by an RP2350 spends on the UI
 * (scripts/display-size.mjs reports it). The panel driver is the board's: here a flush that only
 * says it is done, and a tick the board's timer would give.
 */
#include "ui.h"

static uint32_t ticks_ms;
static uint32_t tick(void) {
  return ticks_ms;
}

static void flush(lv_display_t *d, const lv_area_t *area, uint8_t *px) {
  (void)area;
  (void)px;
  lv_display_flush_ready(d);
}

static void no_action(void *ctx) {
  (void)ctx;
}
static void no_power(void *ctx, bool on) {
  (void)ctx;
  (void)on;
}

static uint8_t draw_buffer[480 * 48 * 2]; /* a tenth of a 480x480 RGB565 frame */

int main(void) {
  lv_init();
  lv_tick_set_cb(tick);
  lv_display_t *d = lv_display_create(480, 480);
  lv_display_set_buffers(d, draw_buffer, NULL, sizeof draw_buffer, LV_DISPLAY_RENDER_MODE_PARTIAL);
  lv_display_set_flush_cb(d, flush);
  ui_actions_t actions = {no_power, no_action, no_action, no_action, no_action, no_action, NULL};
  ui_create(d, &actions, false);
  display_state_t s;
  display_state_init(&s);
  s.hub_up = true;
  for (;;) {
    ui_show(&s, ticks_ms);
    lv_timer_handler();
    ticks_ms += 5;
  }
}
