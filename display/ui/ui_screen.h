/* A screen-sized container, hidden until it is on top (internal to ui/). */
#ifndef BREWOS_DISPLAY_UI_SCREEN_H
#define BREWOS_DISPLAY_UI_SCREEN_H

#include "ui_parts.h"

static inline lv_obj_t *ui_screen(lv_obj_t *parent, uint32_t bg) {
  lv_obj_t *c = lv_obj_create(parent);
  lv_obj_set_size(c, ui_layout.display_width, ui_layout.display_height);
  lv_obj_set_pos(c, 0, 0);
  lv_obj_remove_flag(c, LV_OBJ_FLAG_SCROLLABLE);
  lv_obj_set_style_bg_color(c, lv_color_hex(bg), 0);
  lv_obj_set_style_border_width(c, 0, 0);
  lv_obj_set_style_radius(c, 0, 0);
  lv_obj_set_style_pad_all(c, ui_layout.inset + ui_layout.pad, 0);
  lv_obj_set_style_pad_gap(c, ui_layout.pad, 0);
  lv_obj_set_flex_flow(c, LV_FLEX_FLOW_COLUMN);
  lv_obj_add_flag(c, LV_OBJ_FLAG_HIDDEN);
  return c;
}

#endif
