/* True water peaks of a simulated machine. */
#include "true_peaks.h"

#include <math.h>

void true_peaks_init(true_peaks_t *p) {
  p->brew_c = p->steam_c = p->brew_limit_c = p->steam_limit_c = NAN;
}

static void track(double water_c, double limit_c, bool fitted, double *peak_c, double *at_limit_c) {
  if (!fitted) return;
  if (isnan(*peak_c) || water_c > *peak_c) {
    *peak_c = water_c;
    *at_limit_c = limit_c;
  }
}

void true_peaks_sample(true_peaks_t *p, const sim_machine_t *m) {
  track(m->plant.brew.water_c, m->ctl.safety.brew_max_c, m->ctl.brew_t.fitted, &p->brew_c, &p->brew_limit_c);
  track(m->plant.steam.water_c, m->ctl.safety.steam_max_c, m->ctl.steam_t.fitted, &p->steam_c, &p->steam_limit_c);
}

static void field(FILE *f, const char *name, double v, const char *sep) {
  if (isnan(v))
    fprintf(f, "\"%s\": null%s", name, sep);
  else
    fprintf(f, "\"%s\": %.3f%s", name, v, sep);
}

void true_peaks_write_json(const true_peaks_t *p, FILE *f) {
  fputc('{', f);
  field(f, "brew_true_peak_c", p->brew_c, ", ");
  field(f, "brew_limit_c", p->brew_limit_c, ", ");
  field(f, "steam_true_peak_c", p->steam_c, ", ");
  field(f, "steam_limit_c", p->steam_limit_c, "}\n");
}
