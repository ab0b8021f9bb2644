/* The UI's frame: which screen is on top, the widget registry, and the shared helpers. */
#include <string.h>

#include "ui_parts.h"

ui_layout_t ui_layout;
ui_actions_t ui_actions;

#define MAX_NAMED 32
static struct {
  const char *name;
  lv_obj_t *obj;
} named[MAX_NAMED];
static int named_count;

static lv_obj_t *home, *shot, *result, *alarm, *pairing, *hub_lost;
static const char *on_top = "home";

/* The shot screen shows until the shot ends; then its result until "Done" or a minute. */
#define RESULT_SHOWN_MS 60000u
static bool was_brewing;
static bool result_pending;
static uint32_t result_since_ms;
static float shot_elapsed_s, shot_weight_g;

void ui_register(const char *name, lv_obj_t *obj) {
  if (named_count >= MAX_NAMED) return;
  named[named_count].name = name;
  named[named_count++].obj = obj;
}

lv_obj_t *ui_named(const char *name) {
  for (int i = 0; i < named_count; i++)
    if (strcmp(named[i].name, name) == 0) return named[i].obj;
  return NULL;
}

const char *ui_text(const char *name) {
  lv_obj_t *o = ui_named(name);
  return o && lv_obj_check_type(o, &lv_label_class) ? lv_label_get_text(o) : "";
}

const char *ui_screen_name(void) {
  return on_top;
}

void ui_tenths(char *out, size_t n, float value) {
  long t = (long)(value * 10.0f + (value < 0 ? -0.5f : 0.5f));
  snprintf(out, n, "%s%ld.%ld", t < 0 ? "-" : "", (t < 0 ? -t : t) / 10, (t < 0 ? -t : t) % 10);
}

lv_obj_t *ui_panel(lv_obj_t *parent, lv_flex_flow_t flow) {
  lv_obj_t *p = lv_obj_create(parent);
  lv_obj_remove_flag(p, LV_OBJ_FLAG_SCROLLABLE);
  lv_obj_set_style_bg_color(p, lv_color_hex(UI_PANEL), 0);
  lv_obj_set_style_border_width(p, 0, 0);
  lv_obj_set_style_radius(p, ui_layout.pad, 0);
  lv_obj_set_style_pad_all(p, ui_layout.pad, 0);
  lv_obj_set_style_pad_gap(p, ui_layout.pad / 2, 0);
  lv_obj_set_flex_flow(p, flow);
  lv_obj_set_size(p, LV_PCT(100), LV_SIZE_CONTENT);
  return p;
}

lv_obj_t *ui_label(lv_obj_t *parent, const char *name, const lv_font_t *font, uint32_t colour) {
  lv_obj_t *l = lv_label_create(parent);
  lv_obj_set_style_text_font(l, font, 0);
  lv_obj_set_style_text_color(l, lv_color_hex(colour), 0);
  lv_label_set_text(l, "");
  if (name) ui_register(name, l);
  return l;
}

lv_obj_t *ui_button(lv_obj_t *parent, const char *name, const char *text, lv_event_cb_t on_click) {
  lv_obj_t *b = lv_button_create(parent);
  lv_obj_set_style_bg_color(b, lv_color_hex(UI_ACCENT), 0);
  lv_obj_set_style_bg_color(b, lv_color_hex(UI_PANEL), LV_STATE_DISABLED);
  lv_obj_set_style_pad_all(b, ui_layout.pad, 0);
  lv_obj_t *l = lv_label_create(b);
  lv_obj_set_style_text_font(l, ui_layout.heading, 0);
  lv_obj_set_style_text_color(l, lv_color_hex(UI_BG), 0);
  lv_obj_set_style_text_color(l, lv_color_hex(UI_MUTED), LV_STATE_DISABLED);
  lv_label_set_text(l, text);
  lv_obj_center(l);
  if (on_click) lv_obj_add_event_cb(b, on_click, LV_EVENT_CLICKED, NULL);
  ui_register(name, b);
  return b;
}

lv_obj_t *ui_row(lv_obj_t *parent) {
  lv_obj_t *r = lv_obj_create(parent);
  lv_obj_remove_style_all(r);
  lv_obj_set_size(r, LV_PCT(100), LV_SIZE_CONTENT);
  lv_obj_set_flex_flow(r, LV_FLEX_FLOW_ROW);
  lv_obj_set_style_pad_gap(r, ui_layout.pad, 0);
  return r;
}

void ui_set_text(lv_obj_t *label, const char *text) {
  if (strcmp(lv_label_get_text(label), text) != 0) lv_label_set_text(label, text);
}

void ui_visible(lv_obj_t *obj, bool shown) {
  if (shown == lv_obj_has_flag(obj, LV_OBJ_FLAG_HIDDEN)) {
    if (shown)
      lv_obj_remove_flag(obj, LV_OBJ_FLAG_HIDDEN);
    else
      lv_obj_add_flag(obj, LV_OBJ_FLAG_HIDDEN);
  }
}

static void result_done(lv_event_t *e) {
  (void)e;
  result_pending = false;
}

void ui_create(lv_display_t *display, const ui_actions_t *actions, bool round_panel) {
  ui_actions = *actions;
  named_count = 0;
  int32_t dw = lv_display_get_horizontal_resolution(display);
  int32_t dh = lv_display_get_vertical_resolution(display);
  /* On a round panel the content square is 70 % of the diameter (the inscribed one is 70.7 %). */
  int32_t side = (dw < dh ? dw : dh) * 70 / 100;
  int32_t inset = round_panel ? ((dw < dh ? dw : dh) - side) / 2 : 0;
  int32_t w = round_panel ? side : dw, h = round_panel ? side : dh;
  bool large = w >= 400 && h >= 400;
  ui_layout = (ui_layout_t){
      .display_width = dw,
      .display_height = dh,
      .inset = inset,
      .compact = h < 400,
      .width = w,
      .height = h,
      .pad = large ? 12 : 6,
      .big = large ? &lv_font_montserrat_48 : &lv_font_montserrat_28,
      .heading = large ? &lv_font_montserrat_28 : &lv_font_montserrat_20,
      .body = large ? &lv_font_montserrat_20 : &lv_font_montserrat_14,
      .small = &lv_font_montserrat_14,
  };
  lv_obj_t *screen = lv_display_get_screen_active(display);
  lv_obj_clean(screen);
  lv_obj_set_style_bg_color(screen, lv_color_hex(UI_BG), 0);
  lv_obj_set_style_text_color(screen, lv_color_hex(UI_TEXT), 0);
  lv_obj_remove_flag(screen, LV_OBJ_FLAG_SCROLLABLE);
  home = ui_home_create(screen);
  shot = ui_shot_create(screen);
  result = ui_result_create(screen);
  lv_obj_add_event_cb(ui_named("result_done"), result_done, LV_EVENT_CLICKED, NULL);
  alarm = ui_alarm_create(screen);
  pairing = ui_pairing_create(screen);
  hub_lost = ui_hub_lost_create(screen);
  was_brewing = result_pending = false;
  on_top = "home";
}

/* Each screen fills the display; only the one on top is shown. */
void ui_show(const display_state_t *s, uint32_t now_ms) {
  if (s->brewing && !was_brewing) ui_shot_begin(s);
  if (s->brewing) {
    shot_elapsed_s = s->shot_elapsed_s;
    if (s->has_weight) shot_weight_g = s->weight_g;
  }
  if (!s->brewing && was_brewing) {
    result_pending = true;
    result_since_ms = now_ms;
  }
  was_brewing = s->brewing;
  if (result_pending && now_ms - result_since_ms > RESULT_SHOWN_MS) result_pending = false;

  /* A running shot stays in view (its alarm, if any, shows once it ends). */
  enum {
    HOME,
    SHOT,
    RESULT,
    ALARM,
    PAIRING,
    HUB_LOST
  } top = !s->hub_up        ? HUB_LOST
          : s->brewing      ? SHOT
          : s->alarm[0]     ? ALARM
          : s->pairing_open ? PAIRING
          : result_pending  ? RESULT
                            : HOME;
  static const char *const NAMES[] = {"home", "shot", "result", "alarm", "pairing", "hub_lost"};
  on_top = NAMES[top];
  ui_visible(hub_lost, top == HUB_LOST);
  ui_visible(alarm, top == ALARM);
  ui_visible(pairing, top == PAIRING);
  ui_visible(shot, top == SHOT);
  ui_visible(result, top == RESULT);
  ui_visible(home, top == HOME);
  ui_home_show(s);
  if (s->brewing) ui_shot_show(s);
  if (result_pending) ui_result_show(s, shot_elapsed_s, shot_weight_g);
  ui_alarm_show(s);
  ui_pairing_show(s);
}
