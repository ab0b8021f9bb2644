#include "display_state.h"

#include <string.h>

void display_state_init(display_state_t *s) {
  memset(s, 0, sizeof *s);
  strcpy(s->state, "init");
  strcpy(s->mode, "standby");
  s->eta_ready_s = -1;
  s->brew_heater_pct = -1;
  s->heat_from_c = -1000.0f;
  s->dose_g = 18.0f;
  s->target_g = 36.0f;
}

void display_state_add_sample(display_state_t *s) {
  unsigned long i = s->shot_samples++ % DISPLAY_CURVE_POINTS;
  s->curve_pressure_bar[i] = s->pressure_bar;
  s->curve_weight_g[i] = s->has_weight ? s->weight_g : -1.0f;
}
