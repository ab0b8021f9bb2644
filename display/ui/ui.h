/*
 * The machine display's UI (LVGL 9.5, no IO): it draws a display_state_t and turns touches into
 * actions. The same code runs on the hub's Linux board and on a Cortex-M33 panel; whoever owns the
 * link to the hub implements the actions.
 */
#ifndef BREWOS_DISPLAY_UI_H
#define BREWOS_DISPLAY_UI_H

#include <stdint.h>

#include "display_state.h"
#include "lvgl.h"

typedef struct {
  void (*power)(void *ctx, bool on);
  void (*start_shot)(void *ctx);
  void (*stop_shot)(void *ctx);
  void (*open_pairing)(void *ctx);
  void (*close_pairing)(void *ctx);
  void (*clear_fault)(void *ctx);
  void *ctx;
} ui_actions_t;

/* Builds every screen on the display's active screen, sized to the display (480x480, 320x240, ...).
 * A round panel keeps everything inside the square that fits its circle. */
void ui_create(lv_display_t *display, const ui_actions_t *actions, bool round_panel);

/* Shows this state; call after every change (cheap when nothing changed). `now_ms`: the UI's clock. */
void ui_show(const display_state_t *s, uint32_t now_ms);

/* What is on top: "home", "shot", "result", "alarm", "pairing" or "hub_lost". */
const char *ui_screen_name(void);

/* A widget by its name (buttons: "power", "start", "stop", "pair", "pair_close", "result_done",
 * "clear_fault"; labels: "state", "brew_c", "steam_c", "shot_time", "shot_weight", "result",
 * "alarm_title", "pairing_code"; the QR code "pairing_qr"); NULL when unknown. */
lv_obj_t *ui_named(const char *name);

/* The text of a named label ("" when the name is not a label). */
const char *ui_text(const char *name);

#endif
