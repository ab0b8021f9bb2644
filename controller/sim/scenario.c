/* Strict scenario parsing with cJSON. */
#include "scenario.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/proto_gen.h"
#include "presets.h"
#include "profile_json.h"

static const char *const FAULTS[FAULT_KIND_COUNT] = {
    "none",        "brew_sensor_open", "brew_sensor_short", "steam_sensor_open", "sensor_stuck", "heater_stuck_on",
    "heater_dead", "water_empty",      "pump_blocked",      "scale_lost",        "sensor_loose"};

const char *scenario_fault_name(plant_fault_t f) {
  return f < FAULT_KIND_COUNT ? FAULTS[f] : "unknown";
}

typedef struct {
  char *err;
  size_t len;
  bool failed;
} ctx_t;

static bool fail(ctx_t *c, const char *fmt, ...) {
  if (c->failed) return false;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, c->len, fmt, ap);
  va_end(ap);
  c->failed = true;
  return false;
}

/* Every key of `obj` must be in the NULL-terminated list. */
static bool only_keys(ctx_t *c, const cJSON *obj, const char *where, const char *const *allowed) {
  const cJSON *it;
  cJSON_ArrayForEach(it, obj) {
    bool ok = false;
    for (const char *const *a = allowed; *a; a++) ok = ok || strcmp(*a, it->string) == 0;
    if (!ok) {
      char list[256] = "";
      for (const char *const *a = allowed; *a; a++) {
        strncat(list, *a, sizeof list - strlen(list) - 1);
        if (a[1]) strncat(list, ", ", sizeof list - strlen(list) - 1);
      }
      return fail(c, "scenario: unknown key \"%s\" in %s (allowed: %s)", it->string, where, list);
    }
  }
  return true;
}

static double num(ctx_t *c, const cJSON *obj, const char *key, const char *where, double def, double lo, double hi) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (v == NULL) return def;
  if (!cJSON_IsNumber(v)) return fail(c, "scenario: %s.%s must be a number", where, key), def;
  if (v->valuedouble < lo || v->valuedouble > hi) {
    return fail(c, "scenario: %s.%s = %g is outside %g..%g", where, key, v->valuedouble, lo, hi), def;
  }
  return v->valuedouble;
}

static int enum_value(ctx_t *c, const cJSON *obj, const char *key, const char *where, const char *const *names) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (v == NULL) return -1;
  if (cJSON_IsString(v)) {
    for (int i = 0; names[i]; i++) {
      if (strcmp(names[i], v->valuestring) == 0) return i;
    }
  }
  return fail(c, "scenario: %s.%s has an unknown value", where, key), -1;
}

static void parse_machine(ctx_t *c, const cJSON *m, scenario_t *s) {
  if (cJSON_IsString(m)) {
    const plant_preset_t *p = preset_find(m->valuestring);
    if (p == NULL) {
      fail(c, "scenario: machine \"%s\" is not a preset (dual_boiler, single_boiler, heat_exchanger)", m->valuestring);
      return;
    }
    s->machine = *p;
    return;
  }
  if (!cJSON_IsObject(m)) {
    fail(c, "scenario: machine must be a preset name or an object");
    return;
  }
  static const char *const keys[] = {"preset",
                                     "pump",
                                     "brew_heater_w",
                                     "steam_heater_w",
                                     "brew_water_kg",
                                     "steam_water_kg",
                                     "brew_loss_w_per_k",
                                     "brew_sensor_tau_s",
                                     "group_coupling_w_per_k",
                                     NULL};
  if (!only_keys(c, m, "machine", keys)) return;
  const cJSON *pre = cJSON_GetObjectItemCaseSensitive(m, "preset");
  const plant_preset_t *p = cJSON_IsString(pre) ? preset_find(pre->valuestring) : NULL;
  if (p == NULL) {
    fail(c, "scenario: machine.preset must name a preset to start from");
    return;
  }
  s->machine = *p;
  plant_preset_t *x = &s->machine;
  x->brew.heater_w = num(c, m, "brew_heater_w", "machine", x->brew.heater_w, 100, 3500);
  x->steam.heater_w = num(c, m, "steam_heater_w", "machine", x->steam.heater_w, 1, 3500);
  x->brew.water_kg = num(c, m, "brew_water_kg", "machine", x->brew.water_kg, 0.01, 5);
  x->steam.water_kg = num(c, m, "steam_water_kg", "machine", x->steam.water_kg, 0.01, 5);
  x->brew.loss_w_per_k = num(c, m, "brew_loss_w_per_k", "machine", x->brew.loss_w_per_k, 0.01, 10);
  x->brew.sensor_tau_s = num(c, m, "brew_sensor_tau_s", "machine", x->brew.sensor_tau_s, 0.1, 60);
  x->group_coupling_w_per_k = num(c, m, "group_coupling_w_per_k", "machine", x->group_coupling_w_per_k, 0, 50);
  static const char *const pumps[] = {"relay", "vibratory_dimmable", "gear", NULL};
  int pump = enum_value(c, m, "pump", "machine", pumps);
  if (pump >= 0) preset_set_pump(x, (preset_pump_t)pump);
}

static void parse_puck(ctx_t *c, const cJSON *p, puck_params_t *k, const char *where) {
  k->r_peak = 2.25;
  k->r_end_fraction = 0.6;
  k->headspace_ml = 8.0;
  k->absorb_g_per_g = 1.1;
  if (p == NULL) return;
  static const char *const keys[] = {"r_peak", "r_end_fraction", "headspace_ml", "absorb_g_per_g", NULL};
  if (!cJSON_IsObject(p)) {
    fail(c, "scenario: %s.puck must be an object", where);
    return;
  }
  if (!only_keys(c, p, where, keys)) return;
  k->r_peak = num(c, p, "r_peak", where, k->r_peak, 0.01, 100);
  k->r_end_fraction = num(c, p, "r_end_fraction", where, k->r_end_fraction, 0.05, 1);
  k->headspace_ml = num(c, p, "headspace_ml", where, k->headspace_ml, 0, 40);
  k->absorb_g_per_g = num(c, p, "absorb_g_per_g", where, k->absorb_g_per_g, 0, 3);
}

static void parse_config(ctx_t *c, const cJSON *cfg, scenario_event_t *e, const char *where) {
  if (cfg == NULL) return;
  if (!cJSON_IsObject(cfg)) {
    fail(c, "scenario: %s.config must be an object of config keys", where);
    return;
  }
  const cJSON *it;
  cJSON_ArrayForEach(it, cfg) {
    const proto_config_key_desc_t *k = NULL;
    for (size_t i = 0; i < PROTO_CONFIG_KEY_COUNT; i++) {
      if (strcmp(proto_config_keys[i].name, it->string) == 0) k = &proto_config_keys[i];
    }
    if (k == NULL) {
      fail(c, "scenario: %s.config.%s is not a config key (see protocol/uart/MESSAGES.md)", where, it->string);
      return;
    }
    if (e->config_count == SCENARIO_MAX_CONFIG) {
      fail(c, "scenario: %s.config has more than %d keys", where, SCENARIO_MAX_CONFIG);
      return;
    }
    double v = num(c, cfg, it->string, where, 0, k->min, k->max);
    e->config[e->config_count++] = (plant_config_t){k->id, (int32_t)v};
  }
}

static void parse_event(ctx_t *c, const cJSON *j, scenario_event_t *e, size_t i) {
  char where[32];
  snprintf(where, sizeof where, "events[%zu]", i);
  static const char *const kinds[] = {"power_on",  "power_off", "set",         "shot",    "fault", "clear_fault",
                                      "link_loss", "autotune",  "press_clear", "restart", NULL};
  if (!cJSON_IsObject(j)) {
    fail(c, "scenario: %s must be an object", where);
    return;
  }
  memset(e, 0, sizeof *e);
  e->brew_c = e->steam_c = NAN;
  e->pre_on_s = e->pre_pause_s = NAN;
  e->mode = e->strategy = e->eco = -1;
  e->t_s = num(c, j, "t_s", where, NAN, 0, 1e7);
  if (isnan(e->t_s)) {
    fail(c, "scenario: %s needs t_s", where);
    return;
  }
  int kind = enum_value(c, j, "do", where, kinds);
  if (kind < 0) {
    fail(c,
         "scenario: %s.do must be one of power_on, power_off, set, shot, fault, clear_fault, link_loss, autotune, "
         "press_clear, restart",
         where);
    return;
  }
  e->kind = (scenario_event_kind_t)kind;
  static const char *const k_plain[] = {"t_s", "do", NULL};
  static const char *const k_set[] = {"t_s", "do", "brew_c", "steam_c", "mode", "strategy", "eco", "config", NULL};
  static const char *const k_shot[] = {"t_s",       "do",       "dose_g", "stop", "preinfusion", "puck", "source",
                                       "backflush", "target_g", "scale",  "bbw",  "profile",     NULL};
  static const char *const k_fault[] = {"t_s", "do", "kind", NULL};
  static const char *const k_link[] = {"t_s", "do", "for_s", NULL};
  static const char *const k_tune[] = {"t_s", "do", "boiler", "setpoint_c", "amplitude_pmil", NULL};
  static const char *const k_press[] = {"t_s", "do", "every_s", "for_s", NULL};
  static const char *const modes[] = {"standby", "brew", "steam", NULL};
  static const char *const strategies[] = {"brew_only", "sequential", "parallel", "staggered", NULL};
  switch (e->kind) {
    case EV_POWER_ON:
    case EV_POWER_OFF: only_keys(c, j, where, k_plain); break;
    case EV_SET:
      if (!only_keys(c, j, where, k_set)) return;
      e->brew_c = num(c, j, "brew_c", where, NAN, 20, 105);
      e->steam_c = num(c, j, "steam_c", where, NAN, 20, 160);
      e->mode = enum_value(c, j, "mode", where, modes);
      e->strategy = enum_value(c, j, "strategy", where, strategies);
      if (cJSON_GetObjectItemCaseSensitive(j, "eco")) e->eco = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "eco"));
      parse_config(c, cJSON_GetObjectItemCaseSensitive(j, "config"), e, where);
      break;
    case EV_SHOT: {
      if (!only_keys(c, j, where, k_shot)) return;
      e->dose_g = num(c, j, "dose_g", where, 18, 1, 40);
      const cJSON *stop = cJSON_GetObjectItemCaseSensitive(j, "stop");
      static const char *const k_stop[] = {"time_s", "volume_ml", NULL};
      if (stop && !only_keys(c, stop, where, k_stop)) return;
      e->stop_time_s = stop ? num(c, stop, "time_s", where, 0, 0, 600) : 0;
      e->stop_volume_ml = stop ? num(c, stop, "volume_ml", where, 0, 0, 2000) : 0;

      const cJSON *pre = cJSON_GetObjectItemCaseSensitive(j, "preinfusion");
      static const char *const k_pre[] = {"on_s", "pause_s", NULL};
      if (pre && !only_keys(c, pre, where, k_pre)) return;
      e->pre_on_s = pre ? num(c, pre, "on_s", where, 0, 0, 10) : NAN;
      e->pre_pause_s = pre ? num(c, pre, "pause_s", where, 0, 0, 30) : NAN;
      parse_puck(c, cJSON_GetObjectItemCaseSensitive(j, "puck"), &e->puck, where);
      e->puck.dose_g = e->dose_g;
      static const char *const sources[] = {"command", "lever", NULL};
      e->lever = enum_value(c, j, "source", where, sources) == 1;
      e->backflush = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "backflush"));
      e->target_g = num(c, j, "target_g", where, 0, 0, 200);
      const cJSON *sc = cJSON_GetObjectItemCaseSensitive(j, "scale");
      static const char *const k_scale[] = {"model",     "lag_s",        "period_ms", "jitter_ms",
                                            "drop_rate", "resolution_g", NULL};
      static const char *const models[] = {"generic", "acaia", "decent", "felicita", "bookoo", "hiroia", "skale", NULL};
      if (sc && !only_keys(c, sc, where, k_scale)) return;
      e->has_scale = sc != NULL;
      if (sc) {
        int model = enum_value(c, sc, "model", where, models);
        e->scale.model = (uint8_t)(model < 0 ? 0 : model);
        e->scale.lag_s = num(c, sc, "lag_s", where, scale_table_lag_s(e->scale.model), 0, 3);
        e->scale.period_ms = num(c, sc, "period_ms", where, 100, 20, 1000);
        e->scale.jitter_ms = num(c, sc, "jitter_ms", where, 0, 0, 500);
        e->scale.drop_rate = num(c, sc, "drop_rate", where, 0, 0, 1);
        e->scale.resolution_g = num(c, sc, "resolution_g", where, 0.1, 0.01, 1);
      }
      const cJSON *bb = cJSON_GetObjectItemCaseSensitive(j, "bbw");
      static const char *const k_bbw[] = {"algorithm", NULL};
      if (bb && !only_keys(c, bb, where, k_bbw)) return;
      int algo = bb ? enum_value(c, bb, "algorithm", where, BBW_ALGORITHM_NAMES) : 0;
      e->bbw = (bbw_algorithm_t)(algo < 0 ? 0 : algo);
      const cJSON *pj = cJSON_GetObjectItemCaseSensitive(j, "profile");
      if (pj) {
        char perr[200];
        bool ok = cJSON_IsString(pj) ? profile_load_bundled(pj->valuestring, &e->profile, perr, sizeof perr)
                                     : profile_from_json(pj, &e->profile, perr, sizeof perr);
        if (!ok) {
          fail(c, "scenario: %s.%s", where, perr);
          return;
        }
        e->has_profile = true;
      }
      /* A profile's own stops apply; otherwise a basic shot stops at 30 s (60 s when weighed). */
      if (!e->has_profile && e->stop_time_s == 0 && e->stop_volume_ml == 0) e->stop_time_s = e->target_g > 0 ? 60 : 30;
      /* target_g without a scale: the controller is given the target and no weight ever arrives. */
      break;
    }
    case EV_FAULT:
    case EV_CLEAR_FAULT: {
      if (!only_keys(c, j, where, k_fault)) return;
      int f = enum_value(c, j, "kind", where,
                         (const char *const[]){"none", "brew_sensor_open", "brew_sensor_short", "steam_sensor_open",
                                               "sensor_stuck", "heater_stuck_on", "heater_dead", "water_empty",
                                               "pump_blocked", "scale_lost", "sensor_loose", NULL});
      if (f <= 0) {
        fail(c,
             "scenario: %s.kind must be one of brew_sensor_open, brew_sensor_short, steam_sensor_open, sensor_stuck, "
             "heater_stuck_on, heater_dead, water_empty, pump_blocked, scale_lost, sensor_loose",
             where);
        return;
      }
      e->fault = (plant_fault_t)f;
      break;
    }
    case EV_LINK_LOSS:
      if (!only_keys(c, j, where, k_link)) return;
      e->for_s = num(c, j, "for_s", where, NAN, 0.01, 3600);
      if (isnan(e->for_s)) fail(c, "scenario: %s needs for_s", where);
      break;
    case EV_PRESS_CLEAR:
      if (!only_keys(c, j, where, k_press)) return;
      e->every_s = num(c, j, "every_s", where, 0, 0.01, 3600);
      e->for_s = num(c, j, "for_s", where, 0, 0, 1e6);
      break;
    case EV_RESTART: only_keys(c, j, where, k_plain); break;
    case EV_AUTOTUNE:
      if (!only_keys(c, j, where, k_tune)) return;
      e->boiler = (int)num(c, j, "boiler", where, 0, 0, 1);
      e->setpoint_c = num(c, j, "setpoint_c", where, 93, 20, 160);
      e->amplitude_pmil = num(c, j, "amplitude_pmil", where, 600, 100, 1000);
      break;
  }
}

bool scenario_parse(const char *json, scenario_t *s, char *err, size_t err_len) {
  ctx_t c = {err, err_len, false};
  memset(s, 0, sizeof *s);
  cJSON *root = cJSON_Parse(json);
  if (root == NULL) {
    const char *at = cJSON_GetErrorPtr();
    snprintf(err, err_len, "scenario: not valid JSON near \"%.20s\"", at ? at : "");
    return false;
  }
  static const char *const keys[] = {"name",          "machine",        "seed",      "duration_s",
                                     "ambient_c",     "sensor_noise_c", "setpoints", "events",
                                     "steady_from_s", "steady_to_s",    NULL};
  if (!cJSON_IsObject(root))
    fail(&c, "scenario: the top level must be an object");
  else if (only_keys(&c, root, "the scenario", keys)) {
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    snprintf(s->name, sizeof s->name, "%s", cJSON_IsString(name) ? name->valuestring : "unnamed");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "machine");
    if (m == NULL)
      fail(&c, "scenario: machine is required (a preset name or an object)");
    else
      parse_machine(&c, m, s);
    s->seed = (uint64_t)num(&c, root, "seed", "scenario", 1, 0, 4294967295.0);
    s->duration_s = num(&c, root, "duration_s", "scenario", NAN, 1, 86400);
    if (isnan(s->duration_s)) fail(&c, "scenario: duration_s is required");
    s->ambient_c = num(&c, root, "ambient_c", "scenario", 22, -10, 45);
    s->sensor_noise_c = num(&c, root, "sensor_noise_c", "scenario", 0.05, 0, 2);
    s->steady_from_s = num(&c, root, "steady_from_s", "scenario", NAN, 0, 86400);
    s->steady_to_s = num(&c, root, "steady_to_s", "scenario", NAN, 0, 86400);
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(root, "setpoints");
    static const char *const sp_keys[] = {"brew_c", "steam_c", NULL};
    if (sp && only_keys(&c, sp, "setpoints", sp_keys)) {
      s->brew_c = num(&c, sp, "brew_c", "setpoints", 93, 20, 105);
      s->steam_c = num(&c, sp, "steam_c", "setpoints", s->machine.machine_type == 3 ? 125 : 140, 20, 160);
    } else {
      s->brew_c = 93;
      s->steam_c = s->machine.machine_type == 3 ? 125 : 140;
    }
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(root, "events");
    if (ev != NULL && !cJSON_IsArray(ev)) fail(&c, "scenario: events must be an array");
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, ev) {
      if (i == SCENARIO_MAX_EVENTS) {
        fail(&c, "scenario: more than %d events", SCENARIO_MAX_EVENTS);
        break;
      }
      parse_event(&c, e, &s->events[i], i);
      i++;
    }
    s->event_count = i;
    for (size_t k = 1; k < s->event_count; k++) {
      if (s->events[k].t_s < s->events[k - 1].t_s) fail(&c, "scenario: events must be in time order (events[%zu])", k);
    }
  }
  cJSON_Delete(root);
  return !c.failed;
}

bool scenario_load(const char *path, scenario_t *s, char *err, size_t err_len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, err_len, "scenario: cannot open %s", path);
    return false;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1u);
  size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
  fclose(f);
  if (buf == NULL || got != (size_t)n) {
    free(buf);
    snprintf(err, err_len, "scenario: cannot read %s", path);
    return false;
  }
  buf[n] = 0;
  bool ok = scenario_parse(buf, s, err, err_len);
  free(buf);
  return ok;
}
