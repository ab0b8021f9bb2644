/*
 * The home screen: what the machine is doing (off, heating with its time to go, ready), both
 * boilers with their targets and heater, the heat-up progress, power, the start button with the
 * next shot's recipe, the last shot, maintenance that is due, and "Pair a phone".
 */
#include <string.h>

#include "ui_screen.h"

static lv_obj_t *state_label, *link_label, *brew_c, *brew_target, *steam_tile, *steam_c, *steam_target;
static lv_obj_t *heat_bar, *heat_label, *power, *power_label, *start, *start_label, *last_shot, *maintenance;

static void on_power(lv_event_t *e) {
  (void)e;
  if (ui_actions.power) ui_actions.power(ui_actions.ctx, strcmp(lv_label_get_text(power_label), "Turn on") == 0);
}
static void on_start(lv_event_t *e) {
  (void)e;
  if (ui_actions.start_shot) ui_actions.start_shot(ui_actions.ctx);
}
static void on_pair(lv_event_t *e) {
  (void)e;
  if (ui_actions.open_pairing) ui_actions.open_pairing(ui_actions.ctx);
}

static lv_obj_t *boiler_tile(lv_obj_t *row, const char *title, const char *value_name, lv_obj_t **value,
                             lv_obj_t **target) {
  lv_obj_t *tile = ui_panel(row, LV_FLEX_FLOW_COLUMN);
  lv_obj_set_flex_grow(tile, 1);
  lv_obj_set_width(tile, LV_PCT(48));
  lv_label_set_text(ui_label(tile, NULL, ui_layout.body, UI_MUTED), title);
  *value = ui_label(tile, value_name, ui_layout.big, UI_TEXT);
  *target = ui_label(tile, NULL, ui_layout.small, UI_MUTED);
  return tile;
}

lv_obj_t *ui_home_create(lv_obj_t *parent) {
  lv_obj_t *c = ui_screen(parent, UI_BG);
  lv_obj_t *top = ui_row(c);
  lv_obj_set_flex_align(top, LV_FLEX_ALIGN_SPACE_BETWEEN, LV_FLEX_ALIGN_CENTER, LV_FLEX_ALIGN_CENTER);
  state_label = ui_label(top, "state", ui_layout.heading, UI_TEXT);
  link_label = ui_label(top, "link", ui_layout.small, UI_MUTED);

  lv_obj_t *row = ui_row(c);
  boiler_tile(row, "Brew", "brew_c", &brew_c, &brew_target);
  steam_tile = boiler_tile(row, "Steam", "steam_c", &steam_c, &steam_target);

  heat_bar = lv_bar_create(c);
  lv_obj_set_size(heat_bar, LV_PCT(100), ui_layout.pad);
  lv_bar_set_range(heat_bar, 0, 100);
  lv_obj_set_style_bg_color(heat_bar, lv_color_hex(UI_PANEL), 0);
  lv_obj_set_style_bg_color(heat_bar, lv_color_hex(UI_ACCENT), LV_PART_INDICATOR);
  ui_register("heat_bar", heat_bar);
  heat_label = ui_label(c, "heat", ui_layout.small, UI_MUTED);

  lv_obj_t *buttons = ui_row(c);
  power = ui_button(buttons, "power", "Turn on", on_power);
  power_label = lv_obj_get_child(power, 0);
  bool compact = ui_layout.compact;
  lv_obj_t *pair = ui_button(buttons, "pair", compact ? "Pair" : "Pair a phone", on_pair);
  lv_obj_set_flex_grow(pair, 1);
  lv_obj_set_style_bg_color(pair, lv_color_hex(UI_PANEL), 0);
  lv_obj_set_style_text_color(lv_obj_get_child(pair, 0), lv_color_hex(UI_TEXT), 0);
  start = ui_button(compact ? buttons : c, "start", "Start shot", on_start);
  if (compact) {
    lv_obj_move_to_index(start, 1);
    lv_obj_set_flex_grow(start, 2);
  } else {
    lv_obj_set_width(start, LV_PCT(100));
  }
  start_label = lv_obj_get_child(start, 0);

  last_shot = ui_label(c, "last_shot", ui_layout.body, UI_TEXT);
  lv_obj_set_width(last_shot, LV_PCT(100));
  lv_label_set_long_mode(last_shot, LV_LABEL_LONG_WRAP);
  maintenance = ui_label(c, "maintenance", ui_layout.body, UI_ACCENT);
  return c;
}

static const char *state_words(const display_state_t *s) {
  if (!s->controller_up) return "Controller not answering";
  if (strcmp(s->mode, "standby") == 0 || strcmp(s->state, "idle") == 0) return "Off";
  if (strcmp(s->state, "ready") == 0 || s->ready) return "Ready";
  if (strcmp(s->state, "heating") == 0) return "Heating";
  if (strcmp(s->state, "steaming") == 0) return "Steam";
  if (strcmp(s->state, "eco") == 0) return "Eco: keeping warm";
  if (strcmp(s->state, "fault") == 0 || strcmp(s->state, "safe") == 0) return "Stopped for safety";
  return "Starting";
}

void ui_home_show(const display_state_t *s) {
  char a[24], b[24], line[96];
  bool compact = ui_layout.compact;
  ui_set_text(state_label, state_words(s));
  ui_set_text(link_label, s->controller_up ? "Hub connected" : "Hub connected, controller silent");

  ui_tenths(a, sizeof a, s->brew_c);
  snprintf(line, sizeof line,
           "%s\xc2\xb0"
           "C",
           a);
  ui_set_text(brew_c, line);
  ui_tenths(a, sizeof a, s->brew_target_c);
  if (s->brew_heater_pct >= 0)
    snprintf(line, sizeof line,
             compact ? "to %s\xc2\xb0"
                       "C, %d%%"
                     : "target %s\xc2\xb0"
                       "C, heater %d%%",
             a, s->brew_heater_pct);
  else
    snprintf(line, sizeof line,
             "target %s\xc2\xb0"
             "C",
             a);
  ui_set_text(brew_target, line);
  ui_visible(steam_tile, s->has_steam);
  ui_tenths(a, sizeof a, s->steam_c);
  snprintf(line, sizeof line,
           "%s\xc2\xb0"
           "C",
           a);
  ui_set_text(steam_c, line);
  ui_tenths(a, sizeof a, s->steam_target_c);
  snprintf(line, sizeof line,
           "target %s\xc2\xb0"
           "C",
           a);
  ui_set_text(steam_target, line);

  bool on = strcmp(s->mode, "standby") != 0;
  /* The bar runs from where the brew boiler was when heating began to its setpoint. */
  bool heating = on && !s->ready && s->heat_from_c > -999.0f;
  float heat_from_c = s->heat_from_c;
  int pct = !on ? 0 : s->ready ? 100 : 0;
  if (heating && s->brew_setpoint_c - heat_from_c > 0.5f) {
    pct = (int)(100.0f * (s->brew_c - heat_from_c) / (s->brew_setpoint_c - heat_from_c));
    pct = pct < 0 ? 0 : pct > 99 ? 99 : pct;
  }
  lv_bar_set_value(heat_bar, pct, LV_ANIM_OFF);
  if (!on)
    snprintf(line, sizeof line, "Off. Turn it on to heat up.");
  else if (s->ready)
    snprintf(line, sizeof line, "Ready to brew.");
  else if (s->eta_ready_s > 0)
    snprintf(line, sizeof line, "Heating: %d%%, about %d:%02d to go", pct, s->eta_ready_s / 60, s->eta_ready_s % 60);
  else
    snprintf(line, sizeof line, "Heating: %d%%", pct);
  ui_set_text(heat_label, line);

  ui_set_text(power_label, on ? "Turn off" : "Turn on");
  ui_tenths(a, sizeof a, s->dose_g);
  ui_tenths(b, sizeof b, s->target_g);
  if (s->target_g > 0)
    snprintf(line, sizeof line, compact ? "Brew %s g" : "Start: %s g in, %s g out", compact ? b : a, b);
  else
    snprintf(line, sizeof line, compact ? "Brew" : "Start: %s g in", a);
  ui_set_text(start_label, line);
  if (s->ready && s->controller_up)
    lv_obj_remove_state(start, LV_STATE_DISABLED);
  else
    lv_obj_add_state(start, LV_STATE_DISABLED);

  if (s->has_last_shot) {
    ui_tenths(a, sizeof a, s->last_weight_g);
    ui_tenths(b, sizeof b, s->last_duration_s);
    snprintf(line, sizeof line, "Last shot: %s g in %s s", a, b);
  } else {
    snprintf(line, sizeof line, "No shot yet today.");
  }
  ui_set_text(last_shot, line);
  ui_set_text(maintenance, s->maintenance_due);
  ui_visible(maintenance, s->maintenance_due[0] != 0);
}
