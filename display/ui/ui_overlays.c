/* What covers the home screen: a shot's result, an alarm in words, the pairing QR code, a lost hub. */
#include <string.h>

#include "alarm_words.h"
#include "ui_screen.h"

static lv_obj_t *result_label, *alarm_title, *alarm_action, *qr, *pairing_code;
static char qr_shown[DISPLAY_LINK_BYTES];

static void on_clear(lv_event_t *e) {
  (void)e;
  if (ui_actions.clear_fault) ui_actions.clear_fault(ui_actions.ctx);
}
static void on_close_pairing(lv_event_t *e) {
  (void)e;
  if (ui_actions.close_pairing) ui_actions.close_pairing(ui_actions.ctx);
}

static lv_obj_t *wrapped(lv_obj_t *parent, const char *name, const lv_font_t *font, uint32_t colour) {
  lv_obj_t *l = ui_label(parent, name, font, colour);
  lv_obj_set_width(l, LV_PCT(100));
  lv_label_set_long_mode(l, LV_LABEL_LONG_WRAP);
  return l;
}

lv_obj_t *ui_result_create(lv_obj_t *parent) {
  lv_obj_t *c = ui_screen(parent, UI_BG);
  lv_label_set_text(ui_label(c, NULL, ui_layout.heading, UI_MUTED), "Shot done");
  result_label = wrapped(c, "result", ui_layout.heading, UI_TEXT);
  lv_obj_set_flex_grow(result_label, 1);
  lv_obj_set_width(ui_button(c, "result_done", "Done", NULL), LV_PCT(100));
  return c;
}

static const char *stop_words(const char *reason) {
  if (strcmp(reason, "weight") == 0) return "stopped at its weight";
  if (strcmp(reason, "time") == 0) return "stopped at its time";
  if (strcmp(reason, "volume") == 0) return "stopped at its volume";
  if (strcmp(reason, "user") == 0 || strcmp(reason, "stop") == 0) return "stopped by hand";
  if (strcmp(reason, "profile_end") == 0) return "the profile ended";
  return reason;
}

void ui_result_show(const display_state_t *s, float elapsed_s, float weight_g) {
  char a[24], b[24], c[24], line[160];
  /* The recorded shot once the hub has it; until then what the screen saw at the end. */
  bool recorded = s->has_last_shot && s->last_stop_reason[0];
  ui_tenths(a, sizeof a, recorded ? s->last_weight_g : weight_g);
  ui_tenths(b, sizeof b, recorded ? s->last_duration_s : elapsed_s);
  ui_tenths(c, sizeof c, s->last_max_pressure_bar);
  if (recorded)
    snprintf(line, sizeof line, "%s g in %s s, %s.\nPeak pressure %s bar.", a, b, stop_words(s->last_stop_reason), c);
  else
    snprintf(line, sizeof line, "%s g in %s s.", a, b);
  ui_set_text(result_label, line);
}

lv_obj_t *ui_alarm_create(lv_obj_t *parent) {
  lv_obj_t *c = ui_screen(parent, UI_ALARM);
  alarm_title = wrapped(c, "alarm_title", ui_layout.heading, UI_TEXT);
  alarm_action = wrapped(c, "alarm_action", ui_layout.body, UI_TEXT);
  lv_obj_set_flex_grow(alarm_action, 1);
  lv_obj_t *clear = ui_button(c, "clear_fault", "Clear the fault", on_clear);
  lv_obj_set_width(clear, LV_PCT(100));
  lv_obj_set_style_bg_color(clear, lv_color_hex(UI_TEXT), 0);
  return c;
}

void ui_alarm_show(const display_state_t *s) {
  if (!s->alarm[0]) return;
  const alarm_words_t *w = alarm_words_for(s->alarm);
  ui_set_text(alarm_title, w ? w->title : s->alarm);
  ui_set_text(alarm_action, w ? w->action : "Check the machine, then clear the fault.");
}

lv_obj_t *ui_pairing_create(lv_obj_t *parent) {
  lv_obj_t *c = ui_screen(parent, UI_BG);
  lv_obj_set_flex_align(c, LV_FLEX_ALIGN_START, LV_FLEX_ALIGN_CENTER, LV_FLEX_ALIGN_CENTER);
  lv_label_set_text(ui_label(c, NULL, ui_layout.body, UI_TEXT), "Scan with the phone's camera");
  int32_t side = (ui_layout.width < ui_layout.height ? ui_layout.width : ui_layout.height) * 11 / 20;
  qr = lv_qrcode_create(c);
  lv_qrcode_set_size(qr, side);
  lv_qrcode_set_dark_color(qr, lv_color_black());
  lv_qrcode_set_light_color(qr, lv_color_white());
  lv_qrcode_set_quiet_zone(qr, true);
  ui_register("pairing_qr", qr);
  pairing_code = ui_label(c, "pairing_code", ui_layout.heading, UI_TEXT);
  lv_obj_set_width(ui_button(c, "pair_close", "Close", on_close_pairing), LV_PCT(100));
  qr_shown[0] = 0;
  return c;
}

void ui_pairing_show(const display_state_t *s) {
  if (!s->pairing_open) return;
  char line[48];
  snprintf(line, sizeof line, "or type %s", s->pairing_code);
  ui_set_text(pairing_code, line);
  if (strcmp(qr_shown, s->pairing_link) != 0) {
    snprintf(qr_shown, sizeof qr_shown, "%s", s->pairing_link);
    lv_qrcode_update(qr, qr_shown, (uint32_t)strlen(qr_shown));
  }
}

lv_obj_t *ui_hub_lost_create(lv_obj_t *parent) {
  lv_obj_t *c = ui_screen(parent, UI_PANEL);
  lv_obj_set_flex_align(c, LV_FLEX_ALIGN_CENTER, LV_FLEX_ALIGN_START, LV_FLEX_ALIGN_START);
  wrapped(c, "hub_lost", ui_layout.heading, UI_TEXT);
  lv_label_set_text(ui_named("hub_lost"), "The hub is not answering");
  lv_label_set_text(wrapped(c, NULL, ui_layout.body, UI_MUTED),
                    "The controller keeps the machine safe on its own: heaters off without the hub. Reconnecting...");
  return c;
}
