/* JSON profiles for the simulator. */
#include "profile_json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool only(const cJSON *o, const char *const *keys, const char *where, char *err, size_t n) {
  const cJSON *it;
  cJSON_ArrayForEach(it, o) {
    bool ok = false;
    for (const char *const *k = keys; *k; k++) ok = ok || strcmp(*k, it->string) == 0;
    if (!ok) {
      snprintf(err, n, "profile: unknown key \"%s\" in %s", it->string, where);
      return false;
    }
  }
  return true;
}

/* Number at key (NAN when absent or null); false with an error when present but wrong. */
static bool num(const cJSON *o, const char *key, double lo, double hi, double *out, const char *where, char *err,
                size_t n) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = NAN;
  if (v == NULL || cJSON_IsNull(v)) return true;
  if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi) {
    snprintf(err, n, "profile: %s.%s must be a number in %g..%g", where, key, lo, hi);
    return false;
  }
  *out = v->valuedouble;
  return true;
}

static uint16_t u16(double x, double scale) {
  return isnan(x) ? 0 : (uint16_t)lround(x * scale);
}

static bool phase(const cJSON *j, profile_phase_t *ph, int i, char *err, size_t n) {
  char where[32];
  snprintf(where, sizeof where, "phases[%d]", i);
  static const char *const keys[] = {"name",   "mode",  "from",          "to",   "curve",
                                     "over_s", "limit", "temperature_c", "exit", NULL};
  if (!cJSON_IsObject(j) || !only(j, keys, where, err, n)) return false;
  const char *mode = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "mode"));
  double scale, hi;
  if (mode && strcmp(mode, "pressure") == 0)
    ph->mode = PROFILE_MODE_PRESSURE, scale = 1000, hi = 16;
  else if (mode && strcmp(mode, "flow") == 0)
    ph->mode = PROFILE_MODE_FLOW, scale = 1000, hi = 20;
  else if (mode && strcmp(mode, "power") == 0)
    ph->mode = PROFILE_MODE_POWER, scale = 10, hi = 100;
  else {
    snprintf(err, n, "profile: %s.mode must be pressure, flow or power", where);
    return false;
  }
  double from, to, over, temp;
  if (!num(j, "from", 0, hi, &from, where, err, n) || !num(j, "to", 0, hi, &to, where, err, n) ||
      !num(j, "over_s", 0, 600, &over, where, err, n) || !num(j, "temperature_c", 1, 105, &temp, where, err, n)) {
    return false;
  }
  if (isnan(to)) {
    snprintf(err, n, "profile: %s needs \"to\"", where);
    return false;
  }
  ph->start = isnan(from) ? PROFILE_FROM_CURRENT : u16(from, scale);
  ph->end = u16(to, scale);
  ph->duration_ds = u16(over, 10);
  ph->temp_cdeg = isnan(temp) ? 0 : (int16_t)lround(temp * 100);
  static const char *const curves[] = {"instant", "linear", "ease_in", "ease_out", "ease_in_out", NULL};
  const char *curve = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "curve"));
  ph->curve = PROFILE_CURVE_INSTANT;
  if (curve) {
    int k = 0;
    while (curves[k] && strcmp(curves[k], curve) != 0) k++;
    if (!curves[k]) {
      snprintf(err, n, "profile: %s.curve \"%s\" is not a curve", where, curve);
      return false;
    }
    ph->curve = (uint8_t)k;
  }
  const cJSON *lim = cJSON_GetObjectItemCaseSensitive(j, "limit");
  if (lim) {
    static const char *const lk[] = {"flow_ml_s", "pressure_bar", NULL};
    double f, pb;
    if (!only(lim, lk, where, err, n) || !num(lim, "flow_ml_s", 0, 20, &f, where, err, n) ||
        !num(lim, "pressure_bar", 0, 16, &pb, where, err, n)) {
      return false;
    }
    ph->limit = ph->mode == PROFILE_MODE_PRESSURE ? u16(f, 1000) : ph->mode == PROFILE_MODE_FLOW ? u16(pb, 1000) : 0;
  }
  const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "exit");
  if (ex) {
    static const char *const ek[] = {
        "time_s",          "weight_g",        "volume_ml", "pressure_above_bar", "pressure_below_bar",
        "flow_above_ml_s", "flow_below_ml_s", NULL};
    double t, w, v, pa, pb, fa, fb;
    if (!only(ex, ek, where, err, n) || !num(ex, "time_s", 0, 600, &t, where, err, n) ||
        !num(ex, "weight_g", 0, 500, &w, where, err, n) || !num(ex, "volume_ml", 0, 2000, &v, where, err, n) ||
        !num(ex, "pressure_above_bar", 0, 16, &pa, where, err, n) ||
        !num(ex, "pressure_below_bar", 0, 16, &pb, where, err, n) ||
        !num(ex, "flow_above_ml_s", 0, 20, &fa, where, err, n) ||
        !num(ex, "flow_below_ml_s", 0, 20, &fb, where, err, n)) {
      return false;
    }
    ph->exit_time_ds = u16(t, 10);
    ph->exit_weight_dg = u16(w, 10);
    ph->exit_volume_ml = u16(v, 1);
    ph->exit_pressure_above_mbar = u16(pa, 1000);
    ph->exit_pressure_below_mbar = u16(pb, 1000);
    ph->exit_flow_above_ul_s = u16(fa, 1000);
    ph->exit_flow_below_ul_s = u16(fb, 1000);
  }
  return true;
}

bool profile_from_json(const cJSON *j, profile_t *p, char *err, size_t n) {
  memset(p, 0, sizeof *p);
  static const char *const keys[] = {"version", "id", "name", "temperature_c", "stops", "phases", NULL};
  if (!cJSON_IsObject(j) || !only(j, keys, "the profile", err, n)) return false;
  double version;
  if (!num(j, "version", 1, 2, &version, "profile", err, n)) return false;
  /* No version: a file from before version 2, whose volume exits count from the shot start. */
  p->version = isnan(version) ? PROFILE_VERSION_SHOT_VOLUME : (uint8_t)version;
  double temp;
  if (!num(j, "temperature_c", 1, 105, &temp, "profile", err, n)) return false;
  p->temp_cdeg = isnan(temp) ? 0 : (int16_t)lround(temp * 100);
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "stops");
  if (st) {
    static const char *const sk[] = {"weight_g", "time_s", "volume_ml", NULL};
    double w, t, v;
    if (!only(st, sk, "stops", err, n) || !num(st, "weight_g", 0, 500, &w, "stops", err, n) ||
        !num(st, "time_s", 0, 600, &t, "stops", err, n) || !num(st, "volume_ml", 0, 2000, &v, "stops", err, n)) {
      return false;
    }
    p->target_weight_dg = u16(w, 10);
    p->max_time_ds = u16(t, 10);
    p->max_volume_ml = u16(v, 1);
  }
  const cJSON *ph = cJSON_GetObjectItemCaseSensitive(j, "phases");
  int count = cJSON_GetArraySize(ph);
  if (!cJSON_IsArray(ph) || count < 1 || count > (int)PROFILE_MAX_PHASES) {
    snprintf(err, n, "profile: phases must hold 1..%u phases", PROFILE_MAX_PHASES);
    return false;
  }
  p->phase_count = (uint8_t)count;
  for (int i = 0; i < count; i++) {
    if (!phase(cJSON_GetArrayItem(ph, i), &p->phases[i], i, err, n)) return false;
  }
  return true;
}

bool profile_load_bundled(const char *id, profile_t *p, char *err, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/protocol/profile/bundled/%s.json", BREWOS_REPO_DIR, id);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, n, "profile: no bundled profile \"%s\"", id);
    return false;
  }
  static char text[65536];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = 0;
  cJSON *j = cJSON_Parse(text);
  bool ok = j != NULL && profile_from_json(j, p, err, n);
  if (j == NULL) snprintf(err, n, "profile: %s is not valid JSON", path);
  cJSON_Delete(j);
  return ok;
}
