/* The UI's parts and what they share (internal to ui/). */
#ifndef BREWOS_DISPLAY_UI_PARTS_H
#define BREWOS_DISPLAY_UI_PARTS_H

#include <stdio.h>

#include "ui.h"

/* Sizes and fonts for this panel: big numbers, headings, body text. */
typedef struct {
  int32_t width, height, pad;                   /* the area the content uses */
  int32_t display_width, display_height, inset; /* the panel, and the margin around that area */
  bool compact; /* under 400 px high (320x240, a round panel): one row of buttons, shorter words */
  const lv_font_t *big, *heading, *body, *small;
} ui_layout_t;

extern ui_layout_t ui_layout;
extern ui_actions_t ui_actions;

/* Colours (dark theme). */
#define UI_BG 0x15110e
#define UI_PANEL 0x2a211b
#define UI_TEXT 0xf4ece4
#define UI_MUTED 0xb3a596
#define UI_ACCENT 0xd98b3a
#define UI_OK 0x6fbf73
#define UI_ALARM 0xb3261e

void ui_register(const char *name, lv_obj_t *obj);
lv_obj_t *ui_panel(lv_obj_t *parent, lv_flex_flow_t flow);
/* A full-width row without a look of its own, its children side by side. */
lv_obj_t *ui_row(lv_obj_t *parent);
lv_obj_t *ui_label(lv_obj_t *parent, const char *name, const lv_font_t *font, uint32_t colour);
lv_obj_t *ui_button(lv_obj_t *parent, const char *name, const char *text, lv_event_cb_t on_click);
/* Sets a label's text only when it changed (LVGL redraws what changes). */
void ui_set_text(lv_obj_t *label, const char *text);
void ui_visible(lv_obj_t *obj, bool shown);

/* "93.0" style: one decimal. */
void ui_tenths(char *out, size_t n, float value);

/* The screens: built once, updated from the state. */
lv_obj_t *ui_home_create(lv_obj_t *parent);
void ui_home_show(const display_state_t *s);
lv_obj_t *ui_shot_create(lv_obj_t *parent);
void ui_shot_begin(const display_state_t *s);
void ui_shot_show(const display_state_t *s);
lv_obj_t *ui_result_create(lv_obj_t *parent);
void ui_result_show(const display_state_t *s, float elapsed_s, float weight_g);
lv_obj_t *ui_alarm_create(lv_obj_t *parent);
void ui_alarm_show(const display_state_t *s);
lv_obj_t *ui_pairing_create(lv_obj_t *parent);
void ui_pairing_show(const display_state_t *s);
lv_obj_t *ui_hub_lost_create(lv_obj_t *parent);

#endif
