/* The running shot: time, weight and pressure large, their curves, and Stop. */
#include "ui_screen.h"

static lv_obj_t *time_label, *weight_label, *pressure_label, *chart;
static lv_chart_series_t *pressure_series, *weight_series;
static unsigned long drawn_samples;

static void on_stop(lv_event_t *e) {
  (void)e;
  if (ui_actions.stop_shot) ui_actions.stop_shot(ui_actions.ctx);
}

static lv_obj_t *figure(lv_obj_t *row, const char *title, const char *name) {
  lv_obj_t *tile = ui_panel(row, LV_FLEX_FLOW_COLUMN);
  lv_obj_set_flex_grow(tile, 1);
  lv_label_set_text(ui_label(tile, NULL, ui_layout.small, UI_MUTED), title);
  return ui_label(tile, name, ui_layout.heading, UI_TEXT);
}

lv_obj_t *ui_shot_create(lv_obj_t *parent) {
  lv_obj_t *c = ui_screen(parent, UI_BG);
  time_label = ui_label(c, "shot_time", ui_layout.big, UI_TEXT);
  lv_obj_t *row = ui_row(c);
  weight_label = figure(row, "In the cup", "shot_weight");
  pressure_label = figure(row, "Pressure", "shot_pressure");

  chart = lv_chart_create(c);
  lv_obj_set_width(chart, LV_PCT(100));
  lv_obj_set_flex_grow(chart, 1);
  lv_obj_set_style_bg_color(chart, lv_color_hex(UI_PANEL), 0);
  lv_obj_set_style_border_width(chart, 0, 0);
  lv_obj_set_style_size(chart, 0, 0, LV_PART_INDICATOR); /* lines, no dots */
  lv_chart_set_type(chart, LV_CHART_TYPE_LINE);
  lv_chart_set_point_count(chart, DISPLAY_CURVE_POINTS);
  lv_chart_set_axis_range(chart, LV_CHART_AXIS_PRIMARY_Y, 0, 120);   /* pressure, tenths of a bar */
  lv_chart_set_axis_range(chart, LV_CHART_AXIS_SECONDARY_Y, 0, 500); /* weight, tenths of a gram */
  pressure_series = lv_chart_add_series(chart, lv_color_hex(UI_ACCENT), LV_CHART_AXIS_PRIMARY_Y);
  weight_series = lv_chart_add_series(chart, lv_color_hex(UI_OK), LV_CHART_AXIS_SECONDARY_Y);
  ui_register("shot_curve", chart);

  lv_obj_t *stop = ui_button(c, "stop", "Stop", on_stop);
  lv_obj_set_width(stop, LV_PCT(100));
  lv_obj_set_style_bg_color(stop, lv_color_hex(UI_ALARM), 0);
  lv_obj_set_style_text_color(lv_obj_get_child(stop, 0), lv_color_hex(UI_TEXT), 0);
  return c;
}

void ui_shot_begin(const display_state_t *s) {
  (void)s;
  drawn_samples = ~0ul;
}

void ui_shot_show(const display_state_t *s) {
  char a[24], line[48];
  ui_tenths(a, sizeof a, s->shot_elapsed_s);
  snprintf(line, sizeof line, "%s s", a);
  ui_set_text(time_label, line);
  if (s->has_weight) {
    ui_tenths(a, sizeof a, s->weight_g);
    snprintf(line, sizeof line, "%s g", a);
  } else {
    snprintf(line, sizeof line, "no scale");
  }
  ui_set_text(weight_label, line);
  ui_tenths(a, sizeof a, s->pressure_bar);
  snprintf(line, sizeof line, "%s bar", a);
  ui_set_text(pressure_label, line);
  if (s->shot_samples == drawn_samples) return;
  drawn_samples = s->shot_samples;
  /* The curve from its oldest kept reading, left to right; the rest of the chart empty. */
  unsigned long n = s->shot_samples < DISPLAY_CURVE_POINTS ? s->shot_samples : DISPLAY_CURVE_POINTS;
  unsigned long first = s->shot_samples - n;
  for (unsigned long i = 0; i < DISPLAY_CURVE_POINTS; i++) {
    unsigned long k = (first + i) % DISPLAY_CURVE_POINTS;
    float w = s->curve_weight_g[k];
    lv_chart_set_series_value_by_id(chart, pressure_series, (uint32_t)i,
                                    i < n ? (int32_t)(s->curve_pressure_bar[k] * 10.0f) : LV_CHART_POINT_NONE);
    lv_chart_set_series_value_by_id(chart, weight_series, (uint32_t)i,
                                    i < n && w >= 0 ? (int32_t)(w * 10.0f) : LV_CHART_POINT_NONE);
  }
  lv_chart_refresh(chart);
}
